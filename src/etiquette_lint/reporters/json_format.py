"""A JSON array of findings (the shared scorer and other tools read this)."""
from __future__ import annotations

import json

from .base import Reporter


class JsonReporter(Reporter):
    name = "json"

    def render(self, result) -> str:
        return json.dumps([f.as_dict() for f in result.findings], indent=2, ensure_ascii=False) + "\n"
