"""`terms`: the words of named term lists (and the rule's own), as Vale's `existence` rules.

Lists matched on lemmas need the pipeline's tagger and run on the sentences their triggers
select; lists matched on lower-case text compile to one regex and need no spaCy at all."""
from __future__ import annotations

from typing import Iterable

from ..lexicons import read_term_set
from .base import TAGS, TEXT, Analysis, Detector, Hit, Param, Where


class TermsDetector(Detector):
    kind = "terms"
    params = {
        "lexicons": Param((list,), default=[], doc="names of term lists (files in a rule folder's lexicons/)"),
        "terms": Param((list,), default=[], doc="the rule's own terms, one a line"),
        "match": Param((str,), default="lemma", doc="how the rule's own terms match: lemma or lower"),
        "patterns": Param((list,), default=[], doc="regexes for shapes only (figures, placeholders), short and commented"),
    }

    def __init__(self, config: dict, where: Where) -> None:
        spec = {k: config[k] for k in ("lexicons", "terms", "match", "patterns") if config.get(k)}
        self.term_set = read_term_set(spec, where.lexicons, where, "", f"{where.rule_id}:terms")
        self.level = TAGS if self.term_set.needs_lemmas else TEXT
        super().__init__(config, where)

    def derive_triggers(self) -> list[str]:
        return self.term_set.triggers()

    def gates_by_words(self) -> bool:
        return self.term_set.needs_lemmas

    def derive_word_triggers(self) -> list:
        return self.term_set.word_triggers()

    def find(self, analysis: Analysis, rule_id: str) -> Iterable[Hit]:
        if self.level == TEXT:
            yield from self._find_in_text(analysis, rule_id)
            return
        for segment in analysis.selected.get(rule_id, ()):
            doc = segment.doc
            for start, end in self.term_set.spans(doc):
                span = doc.char_span(start, end, alignment_mode="expand")
                yield Hit(segment.start + start, segment.start + end, span)

    def _find_in_text(self, analysis: Analysis, rule_id: str) -> list[Hit]:
        draft = analysis.draft
        hits: list[Hit] = []  # searched under the engine's time budget for the rule (engine._budget)
        for pattern in self.term_set.regexes():
            if not analysis.may_match(pattern):
                continue
            text, fast = analysis.search_text(pattern)
            hits += [Hit(m.start(), m.end()) for m in fast.finditer(text, 0, draft.body_end) if m.end() > m.start()]
        return hits
