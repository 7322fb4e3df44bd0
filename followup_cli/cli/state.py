"""Options given before the command (followup --config X -q validate ...), shared by every command."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class GlobalOptions:
    config: Path | None = None
    quiet: bool = False
    debug: bool = False


options = GlobalOptions()
