"""A rule's `unless` and `require` conditions, judged for one hit in its draft.

`unless` silences a hit when any of its conditions holds; `require` keeps it only when all of
them hold. Both use one vocabulary (ruleset._conditions reads it): the named conditions
`offer-made`, `negated` and `quoted`, and `type`, `role`, `sentence`, `paragraph`, `span` or `draft` with a
regex or a signal by name. What the phrases mean lives in the packs' `signals:`; how each
condition reads the draft lives in context.py."""
from __future__ import annotations

from . import context as ctx
from .context import Signals
from .detectors.base import Hit
from .drafts.model import Draft
from .ruleset import Rule, SignalName

NEED_PARSE = {"negated"}  # conditions that read the dependency parse


def needs_parse(rule: Rule) -> bool:
    """Whether judging the rule's conditions needs the parse (the engine analyses its sentences deeper)."""
    return any(c in NEED_PARSE for c in rule.unless + rule.require)


def silenced(rule: Rule, hit: Hit, draft: Draft, signals: Signals, message_type: str | None, offer: bool) -> bool:
    """True when an `unless` condition holds or a `require` condition does not."""
    judge = lambda condition: holds(condition, hit, draft, signals, message_type, offer)  # noqa: E731
    return any(judge(c) for c in rule.unless) or not all(judge(c) for c in rule.require)


def holds(condition, hit: Hit, draft: Draft, signals: Signals, message_type: str | None, offer: bool) -> bool:
    """Whether one condition holds for the hit: a name, or a (where, regex or signal) pair."""
    if condition == "offer-made":
        return offer
    if condition == "negated":
        return ctx.is_negated(hit.span)
    if condition == "quoted":
        return ctx.is_quoted(draft, hit.start, hit.end, signals)
    key, value = condition
    if key == "type":
        return message_type in value
    found = (lambda text: signals.matches(value.name, text)) if isinstance(value, SignalName) else \
        (lambda text: bool(value.search(text)))
    if key == "role":
        return any(f and found(f) for f in (draft.context.role, draft.context.company, draft.context.subject))
    if key == "sentence":
        left, right = ctx.sentence_bounds(draft.text, hit.start, hit.end)
        return found(draft.text[left:right])
    if key == "paragraph":
        left, right = ctx.paragraph_bounds(draft.text, hit.start, hit.end)
        return found(draft.text[left:right])
    if key == "span":
        return found(draft.text[hit.start: hit.end])
    if key == "draft":
        return found(draft.text[: draft.body_end])
    return False
