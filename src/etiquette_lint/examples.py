"""Run every rule's own `fire:` and `pass:` examples through the real engine.

An example is a draft: its `context` becomes front matter (`previous:` lists earlier messages
in the same thread, for the cadence rule). A rule passes when each fire example gets a
finding from that rule (on each `<marker>`ed stretch, where the example marks one) and no
pass example does."""
from __future__ import annotations

from dataclasses import dataclass

import yaml

from .drafts import Draft, load_draft
from .engine import Engine
from .ruleset import Example, Rule, RuleSet


@dataclass(frozen=True)
class ExampleOutcome:
    rule: Rule
    example: Example
    expected: str  # "fire" or "pass"
    fired: bool
    on_marked: bool = True  # every marked stretch of a fire example overlaps a finding

    @property
    def ok(self) -> bool:
        return self.fired == (self.expected == "fire") and (self.expected == "pass" or self.on_marked)

    def describe(self) -> str:
        what = "did not fire on" if self.expected == "fire" else "fired on"
        if self.fired and self.expected == "fire" and not self.on_marked:
            what = "fired, but not on the marked words of"
        return f"{self.rule.path}:{self.example.line}: [{self.rule.id}] {what} {self.expected} example: {self.example.text.strip()[:100]!r}"


def example_draft(example: Example, name: str, context: dict | None = None) -> Draft:
    context = dict(example.context if context is None else context)
    context.pop("previous", None)
    text = example.text
    if context:
        text = "---\n" + yaml.safe_dump(context, sort_keys=False, allow_unicode=True) + "---\n" + text
    draft, _ = load_draft(f"{name}/draft.txt", text.encode("utf-8"), "txt")
    return draft


def _history(example: Example, name: str) -> list[Draft]:
    earlier = example.context.get("previous") or []
    shared = {k: v for k, v in example.context.items() if k in ("to", "company")}
    return [
        example_draft(Example("Earlier message.", {**shared, **item}, None), f"{name}/previous-{i}")
        for i, item in enumerate(earlier)
        if isinstance(item, dict)
    ]


def run_examples(ruleset: RuleSet, rules: list[Rule] | None = None, engine: Engine | None = None) -> list[ExampleOutcome]:
    engine = engine or Engine(ruleset)
    if engine.needs_nlp:
        engine.pipeline.get()  # compile every matcher now, so a bad pattern fails even if no example reaches it
    outcomes = []
    for rule in ruleset.rules if rules is None else rules:
        for expected, examples in (("fire", rule.fire), ("pass", rule.passes)):
            for index, example in enumerate(examples):
                name = f"examples/{rule.id}/{expected}-{index}"
                draft = example_draft(example, name)
                results = list(engine.lint([draft], _history(example, name)))
                found = [f for r in results for f in r.findings if f.rule == rule.id]
                outcomes.append(ExampleOutcome(rule, example, expected, bool(found), _covers(draft, example, found)))
    return outcomes


def _covers(draft: Draft, example: Example, findings) -> bool:
    """Whether each marked stretch of the example overlaps one of the rule's findings."""
    base = max(draft.text.find(example.text), 0)
    for start, end in example.marked:
        first, last = draft.locate(base + start), draft.locate(base + max(end - 1, start))
        last = (last[0], last[1] + 1)
        if not any((f.line, f.column) < last and first < (f.end_line, f.end_column) for f in findings):
            return False
    return True
