"""A general valence lexicon for the judgement side of the rules: VADER's 7,500 hand-rated
words and slang (vaderSentiment 3.3.2, MIT), read as data from the installed package.

A list of judgements can never hold every way of calling a workplace bad ("a snake pit", "a
shambles", "shambolic", "sketchy"); VADER's raters scored thousands of such words. The rules
still decide *whose* judgement it is (the writer's own employer, through the parse): valence
only widens what counts as a judgement."""
from __future__ import annotations

import functools
import re
from importlib import resources

_WORD = re.compile(r"^[a-z][a-z'-]*$")


@functools.lru_cache(maxsize=1)
def scores() -> dict[str, float]:
    """word -> mean valence (-4 most negative .. +4), words only (no emoticons or acronyms
    spelled with digits)."""
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    found = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and _WORD.match(parts[0]):
            found[parts[0]] = float(parts[1])
    return found


def valence(*forms: str) -> float:
    """The most negative score among a token's forms (its text and its lemma); 0 when unrated."""
    table = scores()
    return min((table.get(f, 0.0) for f in forms), default=0.0)


def words_at_most(threshold: float) -> list[str]:
    """Every rated word at or below `threshold`, longest first (for a trigger regex)."""
    return sorted((w for w, s in scores().items() if s <= threshold), key=lambda w: (-len(w), w))
