"""Where the shipped schemas and templates are: inside the wheel, or in the source tree."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """`schemas` or `templates`: packaged copy first, the repository's folder when run from source."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Installationen saknar mappen {name}/. Installera om followup med pip.")
