"""A JSON array of findings (the shared scorer and other tools read this)."""
from __future__ import annotations

from .base import Reporter, dump_json


class JsonReporter(Reporter):
    name = "json"

    def render(self, result) -> str:
        return dump_json([f.as_dict() for f in result.findings])
