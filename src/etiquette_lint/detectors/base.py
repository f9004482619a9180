"""What every detector kind shares: declared parameters, triggers for the cheap pass, hits."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterable

from ..errors import ConfigError
from .. import prefilter
from ..lazyregex import regex
from ..lexicons import WordTriggers
from ..prefilter import WordIndex
from ..triggers import fold, folded_trigger
from ..yamlsource import line_of

YAML_BOOLEAN_HINT = " (YAML reads unquoted on/off/yes/no as true/false: quote them)"

# Levels of analysis a detector may need, cheapest first. "text" needs no spaCy at all.
TEXT, TOKENS, TAGS, PARSE, ENTITIES = "text", "tokens", "tags", "parse", "entities"


@dataclass(frozen=True)
class Param:
    """One detector parameter: accepted Python types, whether required, its default."""

    types: tuple[type, ...]
    required: bool = False
    default: Any = None
    doc: str = ""


@dataclass(frozen=True)
class Where:
    """Where a rule's detector block sits, for error messages."""

    path: str
    rule_id: str
    node: Any
    shipped: bool = False  # a pack inside the package: the test suite checks its regexes' shapes, not every load
    lexicons: dict = field(default_factory=dict)  # name -> lexicons.Lexicon: the term lists a rule may name

    def error(self, key: str | None, message: str, node: Any = None) -> ConfigError:
        line = line_of(node if node is not None else self.node, key if node is None else None)
        field_name = f"{self.rule_id}: detector" + (f".{key}" if key else "")
        return ConfigError(self.path, line, field_name, message)


@dataclass(frozen=True)
class Hit:
    """A match, as offsets into the draft's linted text."""

    start: int
    end: int
    span: Any = None  # the spaCy Span, when there is one, for context conditions
    detail: str | None = None  # appended to the rule's message (cadence says what was sent when)
    file_span: tuple[int, int, int, int] | None = None  # (line, column, end_line, end_column) outside the text


@dataclass
class Segment:
    """A sentence-sized piece of a draft and, once analysed, its spaCy Doc."""

    start: int
    end: int
    doc: Any = None


@dataclass
class Analysis:
    """A draft with the segments the engine analysed for it."""

    draft: Any
    signals: Any = None  # context.Signals from the rule packs
    segments: list[Segment] = field(default_factory=list)
    selected: dict[str, list[Segment]] = field(default_factory=dict)  # rule id -> segments it runs on
    index: WordIndex | None = None  # the draft's words, for the prefilter; None: search every regex
    failed: dict[str, str] = field(default_factory=dict)  # rule id -> why its selection stopped (time budget)
    _folded: str | None = None

    @property
    def folded(self) -> str:
        """The draft's text in lower case, one character for one (`triggers.fold`)."""
        if self.index is not None:
            return self.index.folded
        if self._folded is None:
            self._folded = fold(self.draft.text)
        return self._folded

    def search_text(self, pattern: re.Pattern) -> tuple[str, re.Pattern]:
        """The text and pattern to search: for a case-insensitive pattern that allows it, the
        draft folded to lower case once and a case-sensitive copy (same matches, 3-5x faster)."""
        fast = folded_trigger(pattern)
        if fast is None:
            return self.draft.text, pattern
        return self.folded, fast

    def may_match(self, pattern: re.Pattern) -> bool:
        """False when the draft lacks words every match of `pattern` needs (prefilter.py):
        searching it anywhere in the draft, or in any sentence of it, would find nothing."""
        return self.index is None or self.index.may_match(pattern)

    def may_match_in(self, pattern: re.Pattern, start: int, end: int) -> bool:
        """As may_match, for a search confined to one sentence of the draft."""
        return self.index is None or self.index.may_match_in(pattern, start, end)


class Detector:
    """Base of every detector kind; subclasses declare `kind`, `params`, `level`."""

    kind: ClassVar[str] = ""
    params: ClassVar[dict[str, Param]] = {}
    level: ClassVar[str] = TEXT
    every_sentence: ClassVar[bool] = False  # no trigger words: the kind looks at every sentence
    across_drafts: ClassVar[bool] = False  # judged over all of a run's drafts at once (find_across), not one by one

    def __init__(self, config: dict, where: Where) -> None:
        self.where = where
        self.config = self._validated(config, where)
        self.explicit_triggers = self._explicit_triggers(config, where)
        if not where.shipped:
            self.triggers  # a user's rule: derive and check its triggers now, so errors name the file

    @functools.cached_property
    def triggers(self) -> re.Pattern | None:
        """The trigger regex (see _trigger_pattern), derived on first use: a fully cached run
        loads the shipped rules but never selects a sentence, so it derives none."""
        return self._trigger_pattern(self.where)

    @staticmethod
    def _explicit_triggers(config: dict, where: Where) -> list[str] | None:
        triggers = config.get("triggers")
        if triggers is None:
            return None
        if not isinstance(triggers, list) or not triggers or not all(isinstance(t, str) and t for t in triggers):
            hint = YAML_BOOLEAN_HINT if isinstance(triggers, list) and any(isinstance(t, bool) for t in triggers) else ""
            raise where.error("triggers", "should be a non-empty list of regexes" + hint)
        return list(triggers)

    @classmethod
    def _validated(cls, config: dict, where: Where) -> dict:
        allowed = set(cls.params) | {"kind", "triggers"}
        for key in config:
            if key not in allowed:
                raise where.error(key, f"unknown parameter for kind '{cls.kind}' (known: {', '.join(sorted(allowed))})")
        values = {}
        for name, spec in cls.params.items():
            if name not in config:
                if spec.required:
                    raise where.error(None, f"kind '{cls.kind}' needs parameter '{name}'")
                values[name] = spec.default
                continue
            value = config[name]
            if not isinstance(value, spec.types) or (isinstance(value, bool) and bool not in spec.types):
                expected = " or ".join(t.__name__ for t in spec.types)
                raise where.error(name, f"should be {expected}, got {type(value).__name__}")
            values[name] = value
        return values

    def _trigger_pattern(self, where: Where) -> re.Pattern | None:
        """Regex over raw text that must match in a segment before this detector can fire there.

        Rules may list `triggers:` (regexes); otherwise the kind derives them from its patterns."""
        if self.level == TEXT or self.every_sentence:
            return None
        explicit = self.explicit_triggers
        try:
            words = explicit if explicit is not None else self.derive_triggers()
        except ValueError as exc:
            raise where.error("triggers", str(exc)) from None
        if not words and (explicit is not None or not self.gates_by_words()):
            raise where.error("triggers", "cannot derive trigger words from the patterns; list `triggers:` (regexes)")
        if not words:
            return None  # only word triggers (word_triggers)
        try:
            pattern = regex("|".join(f"(?:{w})" for w in words), re.IGNORECASE, not where.shipped)
        except re.error as exc:
            raise where.error("triggers", f"trigger is not a valid regex: {exc}") from None
        if explicit is None:  # derived: what it needs is known part by part (prefilter.declare)
            prefilter.declare(pattern.pattern, prefilter.requirement_of_any(words))
        return pattern

    def gates_by_words(self) -> bool:
        """Whether the kind also gates sentences by sets of words (word_triggers)."""
        return False

    @functools.cached_property
    def word_triggers(self) -> WordTriggers:
        """Words a sentence must hold (lexicons.WordTriggers), checked against its set of words,
        cheaper than a regex of every term; derived on first use, so a cached run skips it."""
        if self.explicit_triggers is not None or self.level == TEXT:
            return WordTriggers([])
        return WordTriggers(self.derive_word_triggers())

    def derive_word_triggers(self) -> list:
        return []

    def derive_triggers(self) -> list[str]:
        return []

    def compile(self, nlp) -> None:
        """Build matchers against the pipeline's vocab (once per run)."""

    def find(self, analysis: Analysis, rule_id: str) -> Iterable[Hit]:
        raise NotImplementedError

    def find_across(self, messages: list) -> dict[str, list[str]]:
        """For a kind `across_drafts`: what it finds per linted path (details for the message),
        given every draft of the run and its history (cadence.Message each)."""
        raise NotImplementedError


def word_trigger(word: str, inflect: bool) -> str:
    """A regex for a word as written (`inflect=False`) or any form sharing its stem."""
    word = word.strip()
    if not inflect:
        return r"(?<!\w)" + re.escape(word) + r"(?!\w)"
    stem = word[:-1] if len(word) > 4 and word[-1] in "eyd" else word
    return r"(?<!\w)" + re.escape(stem) + r"\w*"
