"""The examples in argmap's docstrings run as written."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["argmap", "argmap.inline"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
