"""YAML for data blocks and front matter, read as Argdown reads it (YAML 1.2 booleans, lodash-style merging).

PyYAML follows YAML 1.1, where ``yes``, ``no``, ``on`` and ``off`` are booleans;
Argdown's js-yaml follows YAML 1.2, where they are strings. The loader here
keeps only ``true`` and ``false`` as booleans, so ``{answer: yes}`` means the same
in both tools.
"""

from __future__ import annotations

import functools
import re
from typing import Any

__all__ = ["load", "merge"]


@functools.lru_cache(maxsize=1)
def _loader() -> type:
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    bool_tag = "tag:yaml.org,2002:bool"
    resolvers = {
        first: [(tag, regexp) for tag, regexp in entries if tag != bool_tag]
        for first, entries in base.yaml_implicit_resolvers.items()
    }
    loader: Any = type("Yaml12Loader", (base,), {"yaml_implicit_resolvers": resolvers})
    loader.add_implicit_resolver(bool_tag, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    result: type = loader
    return result


def load(source: str) -> Any:
    """Parse YAML text (raises yaml.YAMLError)."""
    import yaml

    return yaml.load(source, Loader=_loader())


def merge(old: Any, new: Any) -> Any:
    """Merge ``new`` into ``old`` as Argdown (lodash ``merge``) does: mappings and lists deeply, by key and index."""
    if isinstance(old, dict) and isinstance(new, dict):
        merged = dict(old)
        for key, value in new.items():
            merged[key] = merge(merged[key], value) if key in merged else value
        return merged
    if isinstance(old, list) and isinstance(new, list):
        merged_list = list(old)
        for index, value in enumerate(new):
            if index < len(merged_list):
                merged_list[index] = merge(merged_list[index], value)
            else:
                merged_list.append(value)
        return merged_list
    return new
