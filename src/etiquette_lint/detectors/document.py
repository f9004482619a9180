"""`document`: whole-draft checks — fire when none of the required features is present.

Features are small named predicates over the draft (does the greeting name a person, is a
specific topic mentioned) whose vocabulary comes from the packs' `signals:`; a feature may
also be an inline regex."""
from __future__ import annotations

import re
from typing import Callable, Iterable

from ..context import Signals
from ..drafts.model import Draft
from ..lexicons import reference_expander
from ..regex_safety import compile_checked
from .base import TEXT, Analysis, Detector, Hit, Param, Where

_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w’'-]*")


def _first_line_span(draft: Draft) -> tuple[int, int]:
    text = draft.text[: draft.body_end]
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    return start, end if end != -1 else len(text)


def greeting(draft: Draft, signals: Signals) -> re.Match | None:
    start, end = _first_line_span(draft)
    for pattern in signals.patterns.get("greeting", ()):
        match = pattern.match(draft.text, start, end)
        if match:
            return match
    return None


def addressee(draft: Draft, signals: Signals) -> bool:
    """The note names its reader: in the greeting, or the front matter's/header's name in the text."""
    match = greeting(draft, signals)
    if match and "name" in match.groupdict() and match.group("name"):
        name = match.group("name").strip(" ,.-–—:!")
        if name and not signals.matches("generic-addressee", name):
            words = [w for w in _WORD.findall(name) if w[0].isupper() or w.istitle()]
            if words:
                return True
    body = draft.text[: draft.body_end]
    for pattern in signals.patterns.get("vocative", ()):
        for found in pattern.finditer(body):
            if not signals.matches("generic-addressee", found.group("name")):
                return True
    to = draft.context.to or ""
    display = re.sub(r"<[^>]*>", "", to).strip(' "')
    for part in _WORD.findall(display):
        if len(part) > 2 and re.search(rf"(?<!\w){re.escape(part)}(?!\w)", body):
            return True
    return False


def specific_detail(draft: Draft, signals: Signals) -> bool:
    """Something from the conversation itself: a non-generic word after a topic cue
    ("about the churn model", "re: the on-call rotation")."""
    body = draft.text[: draft.body_end]
    for cue in signals.patterns.get("topic-cue", ()):
        for match in cue.finditer(body):
            window = body[match.end(): match.end() + 80]
            # The topic is the phrase right after the cue: it ends where the clause does.
            stop = signals.first("topic-end", window)
            window = window[: stop.start()] if stop else window
            for word in _WORD.findall(window)[:7]:
                word = re.sub(r"['’]s$", "", word.lower())
                if not signals.matches("generic-topic-word", word):
                    return True
    return False


FEATURES: dict[str, Callable[[Draft, Signals], bool]] = {
    "addressee": addressee,
    "specific-detail": specific_detail,
}


class DocumentDetector(Detector):
    kind = "document"
    level = TEXT
    params = {
        "require_any": Param((list,), required=True, doc=f"feature names ({', '.join(FEATURES)}) or {{regex: ...}}; fires when none holds"),
        "report_at": Param((str,), default="greeting", doc="greeting (first line) or date"),
    }

    def __init__(self, config: dict, where: Where) -> None:
        super().__init__(config, where)
        self.checks: list[Callable[[Draft, Signals], bool]] = []
        for index, item in enumerate(self.config["require_any"]):
            if isinstance(item, str):
                if item not in FEATURES:
                    raise where.error(f"require_any[{index}]", f"unknown feature {item!r} (known: {', '.join(FEATURES)})")
                self.checks.append(FEATURES[item])
            elif isinstance(item, dict) and set(item) == {"regex"} and isinstance(item["regex"], str):
                fail = lambda message, i=index: where.error(f"require_any[{i}].regex", message)  # noqa: E731
                # The same load-time check as `kind: regex` (issue 14, item 1: `(a+)+$` loaded here).
                pattern = compile_checked(item["regex"], re.IGNORECASE | re.MULTILINE, fail, not where.shipped,
                                          reference_expander(item["regex"], where.lexicons, fail))
                self.checks.append(lambda draft, _signals, p=pattern: bool(p.search(draft.text, 0, draft.body_end)))
            else:
                raise where.error(f"require_any[{index}]", "should be a feature name or {regex: ...}")
        if self.config["report_at"] not in ("greeting",):
            raise where.error("report_at", "should be 'greeting'")

    def find(self, analysis: Analysis, rule_id: str) -> Iterable[Hit]:
        draft = analysis.draft
        if not draft.text[: draft.body_end].strip():
            return
        if any(check(draft, analysis.signals) for check in self.checks):
            return
        start, end = _first_line_span(draft)
        yield Hit(start, max(end, start + 1))
