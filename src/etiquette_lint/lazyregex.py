"""Regexes compiled on first use.

A fully cached run loads the rule packs (their hash and settings key the cache) but searches
nothing, so it should compile nothing: compiling the shipped packs' few hundred patterns cost
more than the rest of such a run. Shipped patterns are checked by the test suite; a user's are
compiled and shape-checked when they load, so their errors still name file and line."""
from __future__ import annotations

import re
from typing import Any, Callable


class LazyRegex:
    """Stands in for an `re.Pattern`: the compiled pattern is made on the first search. A source
    that names term lists (`{@list}`) is given with `expand`, which puts the lists' terms in
    when the source is first needed, so loading the rules reads no list."""

    __slots__ = ("_source", "flags", "_compiled", "_expand")

    def __init__(self, pattern: str, flags: int = 0, expand: Callable[[str], str] | None = None) -> None:
        self._source, self.flags, self._compiled, self._expand = pattern, flags, None, expand

    @property
    def pattern(self) -> str:
        if self._expand is not None:
            expand, self._expand = self._expand, None
            self._source = expand(self._source)
        return self._source

    @property
    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    @property
    def groupindex(self) -> Any:
        return self.compiled.groupindex

    def search(self, *args, **kwargs):
        return self.compiled.search(*args, **kwargs)

    def match(self, *args, **kwargs):
        return self.compiled.match(*args, **kwargs)

    def fullmatch(self, *args, **kwargs):
        return self.compiled.fullmatch(*args, **kwargs)

    def finditer(self, *args, **kwargs):
        return self.compiled.finditer(*args, **kwargs)

    def findall(self, *args, **kwargs):
        return self.compiled.findall(*args, **kwargs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (LazyRegex, re.Pattern)) and (self.pattern, self.flags) == (other.pattern, other.flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"LazyRegex({self.pattern!r}, {self.flags})"


PATTERN_TYPES = (re.Pattern, LazyRegex)


def regex(source: str, flags: int, eager: bool, expand: Callable[[str], str] | None = None) -> re.Pattern | LazyRegex:
    """`eager` compiles now (a user's pattern: errors at load); otherwise on first use.
    `expand` puts named term lists into the source (lexicons.reference_expander)."""
    if not eager:
        return LazyRegex(source, flags, expand)
    return re.compile(expand(source) if expand else source, flags)
