"""`tokens` and `dependency`: spaCy Matcher and DependencyMatcher patterns written in YAML."""
from __future__ import annotations

from typing import Iterable

from .base import ENTITIES, PARSE, TAGS, TOKENS, YAML_BOOLEAN_HINT, Analysis, Detector, Hit, Param, Where, word_trigger
from ..errors import ConfigError

_TEXT_ATTRS = ("LOWER", "ORTH", "TEXT", "NORM")


def _level_of(patterns) -> str:
    attrs: set[str] = set()

    def collect(node):
        if isinstance(node, dict):
            for key, value in node.items():
                attrs.add(str(key).upper())
                collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    collect(patterns)
    if "ENT_TYPE" in attrs or "ENT_IOB" in attrs:
        return ENTITIES
    if "DEP" in attrs or "IS_SENT_START" in attrs or "HEAD" in attrs:
        return PARSE
    if attrs & {"POS", "TAG", "LEMMA", "MORPH"}:
        return TAGS
    return TOKENS


def _words_of(attrs: dict) -> list[str] | None:
    """Trigger regexes for one token spec, or None when it constrains no word."""
    for attr in ("LOWER", "ORTH", "TEXT", "NORM", "LEMMA"):
        value = attrs.get(attr)
        inflect = attr == "LEMMA"
        if isinstance(value, str):
            return [word_trigger(value.lower(), inflect)]
        if isinstance(value, dict) and isinstance(value.get("IN"), list) and value["IN"]:
            return [word_trigger(str(v).lower(), inflect) for v in value["IN"]]
    return None


def _check_patterns(patterns, where: Where) -> None:
    if not isinstance(patterns, list) or not patterns:
        raise where.error("patterns", "should be a non-empty list of patterns (each a list of token dicts)")
    for index, pattern in enumerate(patterns):
        if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) for t in pattern):
            raise where.error(f"patterns[{index}]", "should be a non-empty list of token dicts", pattern)


class _PatternDetector(Detector):
    """Shared by the Matcher kinds: triggers from each pattern's required words, compile once."""

    def derive_triggers(self) -> list[str]:
        words: list[str] = []
        for pattern in self.config["patterns"]:
            found = next((w for w in map(self._required_words, pattern) if w), None)
            if not found:
                return []  # one pattern without a word: cannot gate this rule
            words.extend(found)
        return words

    def _required_words(self, element: dict) -> list[str] | None:
        raise NotImplementedError

    def _new_matcher(self, nlp):
        raise NotImplementedError

    def _add(self, matcher, key: str, pattern) -> None:
        matcher.add(key, [pattern])

    def compile(self, nlp) -> None:
        self.matcher = self._new_matcher(nlp)
        for index, pattern in enumerate(self.config["patterns"]):
            try:
                self._add(self.matcher, f"p{index}", pattern)
            except Exception as exc:  # spaCy raises MatchPatternError / ValueError with details
                raise self.where.error(f"patterns[{index}]", _rejection(exc, pattern), pattern) from None


class TokensDetector(_PatternDetector):
    """token sequences with part of speech, lemma, shape … (spaCy Matcher token patterns)."""

    kind = "tokens"
    params = {
        "patterns": Param((list,), required=True, doc="spaCy Matcher token patterns, each a list of token specs"),
        "greedy": Param((str,), default="LONGEST", doc="of overlapping matches keep the LONGEST or the FIRST"),
    }

    def __init__(self, config: dict, where: Where) -> None:
        _check_patterns(config.get("patterns"), where)
        self.level = max(TOKENS, _level_of(config.get("patterns")), key=_LEVELS.index)
        super().__init__(config, where)
        self.matcher = None

    def _required_words(self, token: dict) -> list[str] | None:
        return _words_of(token) if token.get("OP") in (None, "+") else None

    def _new_matcher(self, nlp):
        from spacy.matcher import Matcher

        return Matcher(nlp.vocab, validate=True)

    def _add(self, matcher, key: str, pattern) -> None:
        matcher.add(key, [pattern], greedy=self.config["greedy"])

    def find(self, analysis: Analysis, rule_id: str) -> Iterable[Hit]:
        for segment in analysis.selected.get(rule_id, ()):
            for _, start, end in self.matcher(segment.doc):
                span = segment.doc[start:end]
                yield Hit(segment.start + span.start_char, segment.start + span.end_char, span)


class DependencyDetector(_PatternDetector):
    """words linked through the parse (spaCy DependencyMatcher patterns)."""

    kind = "dependency"
    params = {"patterns": Param((list,), required=True, doc="spaCy DependencyMatcher patterns (anchor and linked words)")}

    def __init__(self, config: dict, where: Where) -> None:
        _check_patterns(config.get("patterns"), where)
        self.level = ENTITIES if _level_of(config.get("patterns")) == ENTITIES else PARSE
        super().__init__(config, where)
        self.matcher = None

    def _required_words(self, node: dict) -> list[str] | None:
        return _words_of(node.get("RIGHT_ATTRS") or {})

    def _new_matcher(self, nlp):
        from spacy.matcher import DependencyMatcher

        return DependencyMatcher(nlp.vocab, validate=True)

    def find(self, analysis: Analysis, rule_id: str) -> Iterable[Hit]:
        for segment in analysis.selected.get(rule_id, ()):
            doc = segment.doc
            for _, token_ids in self.matcher(doc):
                first, last = min(token_ids), max(token_ids)
                span = doc[first:last + 1]
                yield Hit(segment.start + span.start_char, segment.start + span.end_char, span)


_LEVELS = [TOKENS, TAGS, PARSE, ENTITIES]


def _has_boolean(node) -> bool:
    if isinstance(node, bool):
        return True
    if isinstance(node, dict):
        return any(_has_boolean(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_boolean(v) for v in node)
    return False


def _rejection(exc: Exception, pattern) -> str:
    return f"spaCy rejects this pattern: {_first_line(exc)}" + (YAML_BOOLEAN_HINT if _has_boolean(pattern) else "")


def _first_line(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return " ".join(lines[:4])[:400]


__all__ = ["TokensDetector", "DependencyDetector", "ConfigError"]
