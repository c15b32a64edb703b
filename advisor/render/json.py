"""JSON output: the document as is, in its fixed key order, no control character raw."""

from __future__ import annotations

from typing import Any

from advisor.render.visible import dump_json


def render_json(doc: Any) -> str:
    return dump_json(doc)
