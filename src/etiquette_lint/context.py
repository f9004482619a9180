"""Context that silences or enables a hit: offer made, message type, negation, quotation.

The phrases behind these signals are data (`signals:` in rule packs); this module only knows
how to apply them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .drafts.model import Draft
from .prefilter import WordIndex

_CLAUSE_EDGES = {"ccomp", "advcl", "conj", "relcl", "parataxis", "acl"}
NEGATION_WORDS = {"not", "n't", "never", "no", "nothing", "neither", "nor", "without", "hardly"}


@dataclass
class Signals:
    """Compiled signal regexes, merged from every rule pack's `signals:` block."""

    patterns: dict[str, list[re.Pattern]] = field(default_factory=dict)

    def matches(self, name: str, text: str, index: WordIndex | None = None) -> bool:
        """Whether a `name` pattern matches `text`; `index` (of a text that `text` is the
        body of) skips patterns whose words are absent."""
        return any(p.search(text) for p in self.patterns.get(name, ()) if index is None or index.may_match(p))

    def first(self, name: str, text: str) -> re.Match | None:
        found = [m for m in (p.search(text) for p in self.patterns.get(name, ())) if m]
        return min(found, key=lambda m: m.start()) if found else None


def offer_made(draft: Draft, signals: Signals, index: WordIndex | None = None) -> bool:
    """Whether the draft answers an offer already made; `index` (the draft's words) speeds it up."""
    context = draft.context
    if context.offer is not None:
        return context.offer or context.type == "offer-response"
    if context.type == "offer-response":
        return True
    if context.subject and signals.matches("offer-subject", context.subject) \
            and not signals.matches("offer-pending", context.subject):
        return True
    text = draft.text[: draft.body_end]
    for pattern in signals.patterns.get("offer-made", ()):
        if index is not None and not index.may_match(pattern):
            continue
        for match in pattern.finditer(text):
            left, right = sentence_bounds(text, match.start(), match.end())
            if not signals.matches("offer-pending", text[left:right]):
                return True
    return False


def message_type(draft: Draft, signals: Signals, offer: bool | None = None, index: WordIndex | None = None) -> str | None:
    """The declared type, else one inferred from the text (offer reply, follow-up, thank-you).

    `offer` is offer_made() when the caller already knows it; `index` is the draft's words."""
    if draft.context.type:
        return draft.context.type
    text = draft.text[: draft.body_end]
    if offer_made(draft, signals, index) if offer is None else offer:
        return "offer-response"
    if signals.matches("type-follow-up", text, index) or (draft.context.subject and signals.matches("type-follow-up", draft.context.subject)):
        return "follow-up"
    if signals.matches("type-thank-you", text, index):
        return "thank-you"
    if signals.matches("type-cold", text, index):
        return "other"
    return None


_SENTENCE_REACH = 2000  # characters each side: text with no terminator for longer is not one sentence


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence-ish stretch around a hit: back to the previous terminator or blank line,
    at most _SENTENCE_REACH characters away (else every hit in a megabyte with no full stop
    would search the whole draft: quadratic)."""
    floor, ceiling = max(0, start - _SENTENCE_REACH), min(len(text), end + _SENTENCE_REACH)
    left = max(text.rfind(mark, floor, start) for mark in (". ", "! ", "? ", "\n\n", ".\n", "!\n", "?\n"))
    left = floor if left < 0 else left + 1
    rights = [i for i in (text.find(mark, end, ceiling) for mark in (". ", "! ", "? ", "\n\n", ".\n")) if i != -1]
    right = min(rights) + 1 if rights else ceiling
    return left, right


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_PARAGRAPH_REACH = 3000  # characters either side (bounded: a megabyte with no blank line is one paragraph)


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph around a hit: from the blank line before it to the blank line after, at
    most _PARAGRAPH_REACH characters away on either side."""
    floor, ceiling = max(0, start - _PARAGRAPH_REACH), min(len(text), end + _PARAGRAPH_REACH)
    before = [m.end() for m in _PARAGRAPH_BREAK.finditer(text, floor, start)]
    after = _PARAGRAPH_BREAK.search(text, end, ceiling)
    return (before[-1] if before else floor), (after.start() if after else ceiling)


def is_negated(span, ignore_inside: bool = False) -> bool:
    """A negation word governs the hit: attached to a token of the hit or to its heads.

    With `ignore_inside`, negation words that are part of the hit itself do not count, so
    "never pulled their weight" (a negative phrase) is not read as negated."""
    if span is None:
        return False
    tokens = list(span)
    inside = {t.i for t in tokens} if ignore_inside else set()
    heads = set()
    for token in tokens:
        node = token
        for _ in range(4):
            heads.add(node)
            # A negation in another clause does not negate this one: "the colleagues are lazy,
            # he does not understand ..." (stop at the root or where this clause hangs off another).
            if node.head.i == node.i or node.dep_ in _CLAUSE_EDGES:
                break
            node = node.head
    for node in heads:
        for child in node.children:
            if child.i in inside:
                continue
            if child.dep_ == "neg" or (child.lower_ in NEGATION_WORDS and child.dep_ in ("advmod", "neg", "det", "preconj")):
                return True
    return False


def is_quoted(draft: Draft, start: int, end: int, signals: Signals) -> bool:
    """Inside quotation marks in its sentence, or reporting what someone else said."""
    left, right = sentence_bounds(draft.text, start, end)
    before = draft.text[left:start]
    for open_mark, close_mark in (("“", "”"), ('"', '"')):
        if open_mark == close_mark:
            if before.count(open_mark) % 2 == 1:
                return True
        elif before.count(open_mark) > before.count(close_mark):
            return True
    # "As you said, the department ...": the report comes before what is reported. A later
    # "... the culture you described" reports something else.
    return signals.matches("reported-speech", draft.text[left:start])
