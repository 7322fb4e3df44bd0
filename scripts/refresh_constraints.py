"""Rewrite ``constraints.txt``: the exact version of every package the test environment installs.

CI (``.ci/run``) and the README install with ``-c constraints.txt``, so a new
release of pandas, python-docx or highspy cannot change a test run until
someone refreshes the pins on purpose and the suite passes with them:

    python scripts/refresh_constraints.py

It makes a fresh virtual environment in a temporary folder, installs
``.[test]`` there without the old pins (so pip picks the newest versions the
declared ranges allow), and writes ``pip freeze`` of it. Works on Windows and
Linux; needs only Python and a reachable package index.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "constraints.txt"
HEADER = """\
# Exact versions of every package the test environment installs (pip install -c constraints.txt ".[test]"),
# so that CI is reproducible. Generated, do not edit by hand; refresh with:
#     python scripts/refresh_constraints.py
# then run the test suite and commit the file.
"""


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="followup-constraints-") as folder:
        venv.create(folder, with_pip=True)
        python = Path(folder) / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
        pip = [str(python), "-m", "pip"]
        subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "--quiet", "--editable", f"{ROOT}[test]"], check=True)
        frozen = subprocess.run([*pip, "freeze", "--exclude-editable"], check=True, capture_output=True, text=True).stdout
    pins = sorted((line for line in frozen.splitlines() if "==" in line), key=str.casefold)
    OUT.write_text(HEADER + "\n".join(pins) + "\n", encoding="utf-8", newline="\n")
    print(f"Skrev {OUT.relative_to(ROOT)} med {len(pins)} paket")


if __name__ == "__main__":
    main()
