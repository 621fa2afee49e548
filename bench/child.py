"""A measurement taken in a process of its own: a benchmark runs itself again with other arguments, and that run
prints its figures as JSON on the last line of its output, so that what the parent did (seeding the database,
importing Django) does not weigh on what is measured."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child_figures(script: str, *args: str) -> dict:
    """Run `script` with `args` in a new Python process from the project's root; the last line it prints, read as
    JSON."""
    out = subprocess.run(
        [sys.executable, script, *args], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return json.loads(out.strip().splitlines()[-1])
