"""Find the Argdown CLI that ``make test`` installs and run its pipeline on many files at once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["CLI", "ROOT", "in_ci", "missing", "run"]

ROOT = Path(__file__).resolve().parents[2]
MODULES = ROOT / ".cache" / "argdown" / "node_modules"
CLI = MODULES / ".bin" / "argdown"
DRIVER = Path(__file__).with_name("argdown_dump.js")


def in_ci() -> bool:
    """CI sets CI=true; there a missing Argdown CLI is a failure, not a reason to skip (as conftest.in_ci)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing() -> str | None:
    """Why the Argdown CLI cannot run here, or None when it can."""
    if not CLI.exists():
        return f"the Argdown CLI is not installed at {CLI.relative_to(ROOT)} (`make test` installs it)"
    if shutil.which("node") is None:
        return "node is not on PATH (`make test` installs Node.js and the Argdown CLI)"
    return None


def run(paths: Iterable[Path]) -> dict[Path, dict[str, Any]]:
    """Argdown's verdict on each file, from one node process (see argdown_dump.js for what it holds)."""
    paths = list(paths)
    node = shutil.which("node") or "node"
    completed = subprocess.run(
        [node, str(DRIVER), str(MODULES), *(str(p) for p in paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=ROOT,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"argdown_dump.js failed ({completed.returncode}):\n{completed.stderr}")
    results: dict[str, dict[str, Any]] = json.loads(completed.stdout)
    return {path: results[str(path)] for path in paths}
