"""JSON output: the document as is, in its fixed key order."""

from __future__ import annotations

import json
from typing import Any


def render_json(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
