"""Regexes compiled on first use.

A fully cached run loads the rule packs (their hash and settings key the cache) but searches
nothing, so it should compile nothing: compiling the shipped packs' few hundred patterns cost
more than the rest of such a run. Shipped patterns are checked by the test suite; a user's are
compiled and shape-checked when they load, so their errors still name file and line."""
from __future__ import annotations

import re
from typing import Any


class LazyRegex:
    """Stands in for an `re.Pattern`: its source and flags are known at once, the compiled
    pattern is made on the first search."""

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags, self._compiled = pattern, flags, None

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


def regex(source: str, flags: int, eager: bool) -> re.Pattern | LazyRegex:
    """`eager` compiles now (a user's pattern: errors at load); otherwise on first use."""
    return re.compile(source, flags) if eager else LazyRegex(source, flags)
