"""followup: systematic follow-up of social-services providers for Swedish municipalities."""

__version__ = "0.1.0"
