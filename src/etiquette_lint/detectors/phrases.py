"""`phrases`: lists of phrases matched on token text or lemmas (spaCy PhraseMatcher)."""
from __future__ import annotations

from typing import Iterable

from .base import TAGS, TOKENS, Analysis, Detector, Hit, Param, Where, word_trigger

_ATTRS = ("LOWER", "ORTH", "LEMMA", "NORM")


class PhrasesDetector(Detector):
    kind = "phrases"
    params = {
        "phrases": Param((list,), required=True, doc="the phrases, one a line, matched as whole tokens"),
        "attr": Param((str,), default="LOWER", doc="LOWER, ORTH, NORM or LEMMA"),
    }

    def __init__(self, config: dict, where: Where) -> None:
        attr = str(config.get("attr", "LOWER")).upper()
        if attr not in _ATTRS:
            raise where.error("attr", f"should be one of {', '.join(_ATTRS)}")
        phrases = config.get("phrases")
        if isinstance(phrases, list):
            for index, phrase in enumerate(phrases):
                if not isinstance(phrase, str) or not phrase.strip():
                    raise where.error(f"phrases[{index}]", "should be a non-empty string")
        self.level = TAGS if attr == "LEMMA" else TOKENS
        self.attr = attr
        super().__init__(config, where)
        self.matcher = None

    def derive_triggers(self) -> list[str]:
        inflect = self.attr == "LEMMA"
        words = []
        for phrase in self.config["phrases"]:
            longest = max(phrase.split(), key=len)
            words.append(word_trigger(longest.lower(), inflect))
        return words

    def compile(self, nlp) -> None:
        from spacy.matcher import PhraseMatcher

        self.matcher = PhraseMatcher(nlp.vocab, attr=self.attr)
        phrases = [p.lower() if self.attr == "LOWER" else p for p in self.config["phrases"]]
        docs = list(nlp.pipe(phrases)) if self.attr == "LEMMA" else [nlp.make_doc(p) for p in phrases]
        self.matcher.add("phrase", docs)

    def find(self, analysis: Analysis, rule_id: str) -> Iterable[Hit]:
        for segment in analysis.selected.get(rule_id, ()):
            for _, start, end in self.matcher(segment.doc):
                span = segment.doc[start:end]
                yield Hit(segment.start + span.start_char, segment.start + span.end_char, span)
