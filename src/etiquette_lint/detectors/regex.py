"""`regex`: regular expressions over the draft's own text; no spaCy needed (placeholders, dates).

Rule files are user input: each pattern is refused at load time when its shape can backtrack
catastrophically, and searched under the engine's time budget per rule and draft (regex_safety.py)."""
from __future__ import annotations

import re
from typing import Iterable

from ..lexicons import reference_expander
from ..regex_safety import compile_checked
from .base import TEXT, Analysis, Detector, Hit, Param, Where

_MAX_PATTERN_LENGTH = 2000


class RegexDetector(Detector):
    kind = "regex"
    level = TEXT
    params = {
        "patterns": Param((list,), required=True, doc="regexes; a named group `hit` narrows the reported span"),
        "ignore_case": Param((bool,), default=False, doc="match upper and lower case alike"),
        "scope": Param((str,), default="body", doc="body (before the signature) or all"),
    }

    def __init__(self, config: dict, where: Where) -> None:
        super().__init__(config, where)
        if self.config["scope"] not in ("body", "all"):
            raise where.error("scope", "should be 'body' or 'all'")
        flags = re.MULTILINE | (re.IGNORECASE if self.config["ignore_case"] else 0)
        self.compiled = [self._compile(p, i, flags, where) for i, p in enumerate(self.config["patterns"])]

    @staticmethod
    def _compile(pattern, index: int, flags: int, where: Where) -> re.Pattern:
        if not isinstance(pattern, str) or not pattern:
            raise where.error(f"patterns[{index}]", "should be a non-empty string")
        if len(pattern) > _MAX_PATTERN_LENGTH:
            raise where.error(f"patterns[{index}]", f"longer than {_MAX_PATTERN_LENGTH} characters")
        fail = lambda message: where.error(f"patterns[{index}]", message)  # noqa: E731
        return compile_checked(pattern, flags, fail, not where.shipped, reference_expander(pattern, where.lexicons, fail))

    def find(self, analysis: Analysis, rule_id: str) -> Iterable[Hit]:
        draft = analysis.draft
        end = draft.body_end if self.config["scope"] == "body" else len(draft.text)
        hits: list[Hit] = []  # searched under the engine's time budget for the rule (engine._budget)
        for pattern in self.compiled:
            if not analysis.may_match(pattern):
                continue
            text, pattern = analysis.search_text(pattern)
            for match in pattern.finditer(text, 0, end):
                group = "hit" if "hit" in pattern.groupindex and match.group("hit") is not None else 0
                if match.end(group) > match.start(group):
                    hits.append(Hit(match.start(group), match.end(group)))
        return hits
