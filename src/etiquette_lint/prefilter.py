"""Words a regex cannot match without: a per-draft check that skips searches bound to fail.

Most rule regexes are long alternations of phrases ("following up again", "my third email"),
and Python's `re` tries them at every position of every draft, even though most drafts
contain none of the words involved. Here each regex is read once (its parse tree) for what
any match must contain: groups of words, at least one word of each group. A draft's set of
words is built once; a regex whose groups are not all met by that set is not searched.

A "word" is a whole run of `\\w` characters in the draft folded to lower case
(`triggers.fold`), so `again` is met by "Again" but not by "against". A literal counts as a
whole word only when the pattern bounds it on both sides (`\\b`, a non-word literal such as a
space, a class of non-word characters, `^`/`$`, `(?<!\\w)`/`(?!\\w)`); otherwise it counts as a
substring of the folded draft (`follow` in `follow(ing)?`). Only ASCII literals are used, since
those are the ones `fold` is tested to map exactly as IGNORECASE compares. Anything the
reader does not understand (lookarounds' contents, back-references, optional parts)
contributes nothing, so the check can only be weaker than the regex, never stricter:
tests/test_prefilter.py compares it with the regex on generated text."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .triggers import fold

try:  # the parse tree of a pattern (re's own modules since 3.11)
    from re import _constants as _c
    from re import _parser as _parse
except ImportError:  # pragma: no cover - another Python: no prefilter, every regex is searched
    _c = _parse = None

WORD = re.compile(r"\w+")
_MAX_GROUPS = 3  # the most selective groups kept per pattern: more cost more than they save

# The most frequent English words: nearly every draft has them, so a group built on one of
# them filters nothing. Only the prefilter's choice of groups uses this (never what matches).
_COMMON = frozenset("""
a about after all also am an and any are as at be been being but by can could did do does
for from get got had has have he her here him his how i if in into is it its just know like
me more most my no not now of on one only or our out so some than that the their them then
there these they this to up us very was we well were what when where which who will with
would you your
""".split())

# What is known about the character next to a literal run, inside the pattern.
_UNKNOWN, _NON_WORD, _BOUNDARY = 0, 1, 2


@dataclass(frozen=True)
class Group:
    """At least one of these must be present: whole words, or substrings of the folded text."""

    words: frozenset[str]
    substrings: frozenset[str]

    def met(self, words: set[str], folded: str) -> bool:
        return not self.words.isdisjoint(words) or any(s in folded for s in self.substrings)

    @property
    def cost(self) -> float:
        """Rough chance the group is met by a draft: the commonest words always, other short
        words often, substrings more often than the same letters as a word."""
        return sum(1.0 if w in _COMMON else 1 / len(w) ** 2 for w in self.words) \
            + sum(2 / len(s.strip()) ** 2 if s.strip() not in _COMMON else 2.0 for s in self.substrings)


@dataclass(frozen=True)
class Requirement:
    """Every group must be met for the regex to have a chance of matching."""

    groups: tuple[Group, ...]

    def admits(self, words: set[str], folded: str) -> bool:
        return all(group.met(words, folded) for group in self.groups)


def draft_words(folded: str, *cuts: int) -> set[str]:
    """The words of `folded`, plus the pieces of words that a search ending or starting at one
    of `cuts` (an `endpos`, such as the end of the body) sees as whole words."""
    words = set(WORD.findall(folded))
    for cut in cuts:
        if 0 < cut < len(folded) and WORD.fullmatch(folded, cut - 1, cut + 1):
            left = WORD.findall(folded, max(0, cut - 200), cut)
            right = WORD.match(folded, cut)
            words.update(left[-1:], [right.group()] if right else [])
    return words


class WordIndex:
    """A text folded once and the words in it: asks cheaply whether a regex could match there.

    Sound for searches over the whole text and over any stretch of it that ends at a word
    edge or at one of `cuts` (the end of a draft's body)."""

    def __init__(self, text: str, *cuts: int) -> None:
        self.folded = fold(text)
        self.words = draft_words(self.folded, *cuts)

    def may_match(self, pattern: re.Pattern) -> bool:
        needed = requirement(pattern)
        return needed is None or needed.admits(self.words, self.folded)


def requirement(pattern: re.Pattern) -> Requirement | None:
    """What any match of `pattern` must contain, or None when nothing useful is known."""
    if _parse is None or not isinstance(pattern.pattern, str):
        return None
    return _requirement(pattern.pattern, pattern.flags)


@functools.lru_cache(maxsize=1024)
def _requirement(source: str, flags: int) -> Requirement | None:
    try:
        tree = _parse.parse(source, flags)
    except re.error:
        return None
    if tree.state.flags & re.LOCALE:
        return None
    whole_words = not tree.state.flags & re.ASCII  # the draft's words are split the Unicode way
    groups = _Reader(whole_words).sequence(list(tree), _UNKNOWN, _UNKNOWN)
    best = sorted(set(groups), key=lambda g: g.cost)[:_MAX_GROUPS]
    return Requirement(tuple(best)) if best else None


class _Reader:
    """Walks a parse tree; returns the groups (all required) of a sequence of items."""

    def __init__(self, whole_words: bool) -> None:
        self.whole_words = whole_words

    def sequence(self, items: list, left: int, right: int) -> list[Group]:
        groups: list[Group] = []
        run: list[str] = []  # consecutive ASCII literals, folded
        run_left = left
        for index, (op, av) in enumerate(items):
            if op is _c.LITERAL and av < 128:
                if not run:
                    run_left = _after(items[index - 1]) if index else left
                run.append(chr(av).lower())
                continue
            if run:
                groups += self._run("".join(run), run_left, _before((op, av)))
                run = []
            before = _after(items[index - 1]) if index else left
            after = _before(items[index + 1]) if index + 1 < len(items) else right
            groups += self._item(op, av, before, after)
        if run:
            groups += self._run("".join(run), run_left, right)
        return groups

    def _item(self, op, av, left: int, right: int) -> list[Group]:
        if op is _c.SUBPATTERN:
            return self.sequence(list(av[-1]), left, right)
        if op is _c.ATOMIC_GROUP:
            return self.sequence(list(av), left, right)
        if op is _c.BRANCH:
            return self._branch(av[1], left, right)
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            low, high, body = av
            if low < 1:
                return []
            if high == 1:
                return self.sequence(list(body), left, right)
            return self.sequence(list(body), _UNKNOWN, _UNKNOWN)  # repeats border on themselves
        return []  # classes, anchors, lookarounds, back-references: nothing required

    def _branch(self, alternatives, left: int, right: int) -> list[Group]:
        """Each alternative's cheapest group, merged: whichever alternative matches meets it."""
        words: set[str] = set()
        substrings: set[str] = set()
        for alternative in alternatives:
            options = self.sequence(list(alternative), left, right)
            if not options:
                return []
            cheapest = min(options, key=lambda g: g.cost)
            words |= cheapest.words
            substrings |= cheapest.substrings
        return [Group(frozenset(words), frozenset(substrings))]

    def _run(self, run: str, left: int, right: int) -> list[Group]:
        """A literal run is required as a substring; its pieces bounded on both sides as words."""
        groups = [Group(frozenset(), frozenset({run}))] if run.strip() else []
        if not self.whole_words:
            return groups
        for match in WORD.finditer(run):
            bounded_left = match.start() > 0 or left != _UNKNOWN
            bounded_right = match.end() < len(run) or right != _UNKNOWN
            if bounded_left and bounded_right:
                groups.append(Group(frozenset({match.group()}), frozenset()))
        return groups


def _before(item) -> int:
    """What `item` tells about the character just before it (as a literal run's right edge)."""
    return _edge(item, ahead=True)


def _after(item) -> int:
    """What `item` tells about the character just after it (as a literal run's left edge)."""
    return _edge(item, ahead=False)


def _edge(item, ahead: bool) -> int:
    op, av = item
    if op is _c.AT:
        if av in (_c.AT_BOUNDARY,):
            return _BOUNDARY
        starts = (_c.AT_BEGINNING, _c.AT_BEGINNING_LINE, _c.AT_BEGINNING_STRING)
        ends = (_c.AT_END, _c.AT_END_LINE, _c.AT_END_STRING)
        return _NON_WORD if av in (ends if ahead else starts) else _UNKNOWN
    if op is _c.LITERAL:
        return _NON_WORD if not _is_word(chr(av)) else _UNKNOWN
    if op is _c.IN:
        return _NON_WORD if _non_word_class(av) else _UNKNOWN
    if op is _c.ASSERT_NOT:
        direction, body = av
        if (direction == 1) == ahead and _word_class(list(body)):
            return _NON_WORD  # (?!\w) after, (?<!\w) before
    return _UNKNOWN


def _is_word(char: str) -> bool:
    return bool(WORD.match(char))


def _non_word_class(members) -> bool:
    """A class none of whose members is a word character: [ \\t], \\s, [.!?]."""
    for op, av in members:
        if op is _c.LITERAL:
            if _is_word(chr(av)):
                return False
        elif op is _c.CATEGORY:
            if av not in (_c.CATEGORY_SPACE, _c.CATEGORY_NOT_WORD, _c.CATEGORY_LINEBREAK):
                return False
        else:
            return False
    return True


def _word_class(items) -> bool:
    """The lookaround body is exactly `\\w`."""
    return len(items) == 1 and items[0][0] is _c.IN and list(items[0][1]) == [(_c.CATEGORY, _c.CATEGORY_WORD)]
