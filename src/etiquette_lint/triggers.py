"""Trigger regexes searched fast: case-folded text and a case-sensitive copy of the pattern.

Python's `re` tries every branch of an IGNORECASE alternation at every position (it cannot
skip ahead on a first character when letters may be either case); the same search without
IGNORECASE over text folded to lower case once per draft is 3-5x faster. The gate must never
miss a sentence the trigger would select, so the copy is made only for patterns where that
holds: every literal and class member ASCII but not an upper-case letter, or a character
without case (£, €); no backreferences.
Folding maps each character to what `re` compares under IGNORECASE: its lower case, and the
three characters whose lower case `re` treats specially (İ, ı, ſ) to i, i, s. Text keeps its
length, so segment offsets hold. (tests/test_gating.py checks the fold over every code point
and the fast search against the original on generated text.)"""
from __future__ import annotations

import functools
import re

try:  # the parser's tree is what tells whether a pattern can be folded (re's own modules since 3.11)
    from re import _constants as _c
    from re import _parser as _parse
    from re._casefix import _EXTRA_CASES
except ImportError:  # pragma: no cover - another Python: never fold, always search the original
    _c = _parse = None
    _EXTRA_CASES = {}

_SPECIAL = {"\u0130": "i", "\u0131": "i", "\u017f": "s"}  # İ ı ſ
_TABLE = str.maketrans(_SPECIAL)


def fold(text: str) -> str:
    """Lower case as `re` IGNORECASE compares, one character for one."""
    if any(c in text for c in _SPECIAL):
        text = text.translate(_TABLE)
    return text.lower()


@functools.lru_cache(maxsize=2048)
def parse_tree(source: str, flags: int):
    """A pattern's parse tree, read once per process and shared, read-only, by the fold check
    here, the shape check (regex_safety.py) and the prefilter. Raises re.error."""
    if _parse is None:  # pragma: no cover - a Python without re's parser module
        raise re.error("no regex parser to read the pattern with")
    return _parse.parse(source, flags)


@functools.lru_cache(maxsize=256)
def _folded(source: str, flags: int) -> re.Pattern | None:
    try:
        tree = parse_tree(source, flags)
    except re.error:
        return None
    if not _foldable(tree):
        return None
    return re.compile(source, flags & ~re.IGNORECASE)


def folded_trigger(pattern: re.Pattern) -> re.Pattern | None:
    """A case-sensitive copy of an IGNORECASE pattern to search in `fold(text)`, or None
    when folding could change what it matches (then search the original)."""
    if _parse is None or not pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return None
    return _folded(pattern.pattern, pattern.flags)


def _safe_char(code: int) -> bool:
    """ASCII but not A-Z, or a character without case (£, €, –): what IGNORECASE matches
    with it folds to it."""
    if code < 128:
        return not 65 <= code <= 90
    char = chr(code)
    return char.lower() == char == char.upper() and code not in _EXTRA_CASES


def _foldable(items) -> bool:
    for op, av in items:
        if op in (_c.LITERAL, _c.NOT_LITERAL):
            if not _safe_char(av):
                return False
        elif op is _c.IN:
            for sub_op, sub_av in av:
                if sub_op in (_c.LITERAL, _c.NOT_LITERAL) and not _safe_char(sub_av):
                    return False
                if sub_op is _c.RANGE and not (sub_av[1] < 128 and (sub_av[1] < 65 or sub_av[0] > 90)):
                    return False
                if sub_op not in (_c.LITERAL, _c.NOT_LITERAL, _c.RANGE, _c.CATEGORY, _c.NEGATE):
                    return False
        elif op is _c.BRANCH:
            if not all(_foldable(branch) for branch in av[1]):
                return False
        elif op is _c.SUBPATTERN:
            del_flags = av[2] if len(av) == 4 else 0
            if del_flags & _c.SRE_FLAG_IGNORECASE or not _foldable(av[-1]):
                return False  # (?-i:...) makes its part case-sensitive: folding would change it
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            if not _foldable(av[2]):
                return False
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            if not _foldable(av[1]):
                return False
        elif op is _c.ATOMIC_GROUP:
            if not _foldable(av):
                return False
        elif op not in (_c.AT, _c.ANY, _c.CATEGORY):
            return False  # backreferences, conditionals, anything unforeseen: keep the original
    return True
