"""The lint dialects' names for the bounded loaders of :mod:`advisor.yamlio`.

Every reader of the tool (rules, lint dialects, the tool's own config) parses YAML, JSON and TOML
through the same loaders, so one size and depth bound holds everywhere.
"""

from __future__ import annotations

from advisor.yamlio import load_json as parse_json
from advisor.yamlio import load_toml as parse_toml
from advisor.yamlio import load_yaml as parse_yaml
from advisor.yamlio import load_yaml_documents as parse_yaml_documents

__all__ = ["parse_json", "parse_toml", "parse_yaml", "parse_yaml_documents"]
