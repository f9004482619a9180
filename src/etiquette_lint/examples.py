"""Run every rule's own `fire:` and `pass:` examples through the real engine.

An example is a draft: its `context` becomes front matter (`previous:` lists earlier messages
in the same thread, for the cadence rule). A rule passes when each fire example gets a
finding from that rule and no pass example does."""
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

    @property
    def ok(self) -> bool:
        return self.fired == (self.expected == "fire")

    def describe(self) -> str:
        what = "did not fire on" if self.expected == "fire" else "fired on"
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
        engine.nlp()  # compile every matcher now, so a bad pattern fails even if no example reaches it
    outcomes = []
    for rule in rules or ruleset.rules:
        for expected, examples in (("fire", rule.fire), ("pass", rule.passes)):
            for index, example in enumerate(examples):
                name = f"examples/{rule.id}/{expected}-{index}"
                draft = example_draft(example, name)
                results = list(engine.lint([draft], _history(example, name)))
                fired = any(f.rule == rule.id for r in results for f in r.findings)
                outcomes.append(ExampleOutcome(rule, example, expected, fired))
    return outcomes
