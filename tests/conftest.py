"""Shared test set-up: the ``--update-golden`` switch and the ``require_dot`` fixture."""

from __future__ import annotations

import os
import shutil

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output instead of comparing with them",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when golden files should be rewritten (``make golden``)."""
    return bool(request.config.getoption("--update-golden"))


def in_ci() -> bool:
    """CI sets CI=true; there a missing tool is a failure, not a reason to skip."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture
def require_dot() -> str:
    """The path of Graphviz's ``dot``; skips the test without it, fails instead under CI."""
    dot = shutil.which("dot")
    if dot is None:
        message = "Graphviz's dot is not on PATH (make test installs it)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return dot
