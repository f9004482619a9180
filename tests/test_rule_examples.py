"""Every shipped rule's own examples, run through the real engine: fire examples must get a
finding from that rule, pass examples must not. A rule without both kinds fails to load."""
from __future__ import annotations

import pytest

from etiquette_lint.examples import run_examples
from etiquette_lint.ruleset import load_ruleset

RULES = load_ruleset().rules
CASES = [
    pytest.param(rule.id, kind, index, id=f"{rule.id}-{kind}{index}")
    for rule in RULES
    for kind, examples in (("fire", rule.fire), ("pass", rule.passes))
    for index in range(len(examples))
]


def _indexed(outcomes):
    counters = {}
    for outcome in outcomes:
        key = (outcome.rule.id, outcome.expected)
        counters[key] = counters.get(key, -1) + 1
        yield outcome, counters[key]


@pytest.fixture(scope="module")
def by_key(ruleset, engine):
    return {(o.rule.id, o.expected, i): o for o, i in _indexed(run_examples(ruleset, engine=engine))}


@pytest.mark.parametrize("rule_id, kind, index", CASES)
def test_rule_example(by_key, rule_id, kind, index):
    outcome = by_key[(rule_id, kind, index)]
    assert outcome.ok, outcome.describe()


def test_every_rule_has_fire_and_pass_examples():
    assert RULES
    for rule in RULES:
        assert rule.fire and rule.passes, rule.id
