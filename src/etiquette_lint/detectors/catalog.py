"""The table of detector kinds, written from the registry: each kind's description and its
parameters with their `Param` docs (`etiquette-lint --explain-kinds`; docs/rules.md holds a
copy, and tests/test_action_and_docs.py fails when the copy differs)."""
from __future__ import annotations

import json
import sys

from . import REGISTRY
from .base import Detector, Param


def kind_table(registry: dict[str, type[Detector]] | None = None) -> str:
    """A Markdown table: kind, parameters, what it matches; one row per kind in registry order."""
    rows = ["| kind | parameters | what it matches |", "|---|---|---|"]
    for kind, cls in (registry or REGISTRY).items():
        params = "<br>".join(_param(name, spec) for name, spec in cls.params.items())
        rows.append(f"| `{kind}` | {_cell(params)} | {_cell(describe(cls))} |")
    return "\n".join(rows) + "\n"


def describe(cls: type[Detector]) -> str:
    """The first line of the kind's own docstring, else of its module's, without the leading `kind`: ."""
    doc = cls.__dict__.get("__doc__") or sys.modules[cls.__module__].__doc__ or ""
    first = doc.strip().splitlines()[0] if doc.strip() else ""
    prefix = f"`{cls.kind}`: "
    return first[len(prefix):] if first.startswith(prefix) else first


def _param(name: str, spec: Param) -> str:
    if spec.required:
        text = f"`{name}` (required)"
    elif spec.default not in (None, [], {}):
        text = f"`{name}` (default `{_yaml(spec.default)}`)"
    else:
        text = f"`{name}`"
    return f"{text}: {spec.doc}" if spec.doc else text


def _yaml(value) -> str:
    """A default as a rule file writes it."""
    return value if isinstance(value, str) else json.dumps(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
