"""Words a regex cannot match without: a per-draft check that skips searches bound to fail.

Most rule regexes are long alternations of phrases ("following up again", "my third email"),
and Python's `re` tries them at every position of every draft, even though most drafts
contain none of the words involved. Here each regex is read once (its parse tree) into an
AND/OR tree of the literals any match must contain: a sequence needs all its parts, an
alternation one of its branches. A draft's set of words is built once, and a regex whose
tree that set does not satisfy is not searched.

A "word" is a whole run of `\\w` characters in the draft folded to lower case
(`triggers.fold`), so `again` is met by "Again" but not by "against". A literal counts as a
whole word only when the pattern bounds it on both sides (`\\b`, a non-word literal such as a
space, a class of non-word characters, `^`/`$`, `(?<!\\w)`/`(?!\\w)`); otherwise it counts as a
substring of the folded draft (`follow` in `follow(ing)?`). Only ASCII literals are used, since
those are the ones `fold` is tested to map exactly as IGNORECASE compares. Anything the
reader does not understand (lookarounds' contents, back-references, optional parts)
requires nothing, so the check can only be weaker than the regex, never stricter:
tests/test_prefilter.py compares it with the regex on text built to match each shipped one."""
from __future__ import annotations

import functools
import re

from .triggers import _safe_char, fold, parse_tree

try:  # the names in a pattern's parse tree (re's own module since 3.11)
    from re import _constants as _c
except ImportError:  # pragma: no cover - another Python: no prefilter, every regex is searched
    _c = None

WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_MAX_TERMS = 4  # the most selective parts an AND keeps: checking more costs more than it saves

# The most frequent English words: nearly every draft has them, so checking for one filters
# nothing. Only the choice of what to check uses this (never what matches).
_COMMON = frozenset("""
a about after all also am an and any are as at be been being but by can could did do does
for from get got had has have he her here him his how i if in into is it its just know like
me more most my no not now of on one only or our out so some than that the their them then
there these they this to up us very was we well were what when where which who will with
would you your
""".split())


# A requirement is a tree of tuples: ("word", w) a whole word, ("sub", s) a substring of the
# folded text, ("digit", "") any digit, ("and", parts) all of them, ("or", parts) one of them.


def _chance(node) -> float:
    """Rough chance a draft meets the node: the commonest words always, other words less the
    longer they are, a substring more often than the same letters as a word."""
    kind, value = node
    if kind == "digit":
        return 0.3
    if kind == "word":
        return 1.0 if value in _COMMON else min(1.0, 4 / len(value) ** 2)
    if kind == "sub":
        return 1.0 if value.strip() in _COMMON else min(1.0, 8 / len(value.strip() or "x") ** 2)
    product = 1.0
    for part in value:
        product *= (1.0 - _chance(part)) if kind == "or" else _chance(part)
    return 1.0 - product if kind == "or" else product


class Requirement:
    """What any match of a regex needs; `admits` checks it against a text's words."""

    def __init__(self, tree) -> None:
        self.tree = tree
        self.admits = _checker(tree)  # (words, folded text) -> bool


def _keys(node) -> frozenset[str] | None:
    """Words of which a text must hold at least one to meet the node, or None if unknown."""
    kind, value = node
    if kind == "word":
        return frozenset((value,))
    if kind in ("sub", "digit"):
        return None
    options = [_keys(part) for part in value]
    if kind == "or":
        return None if None in options else frozenset().union(*options)
    known = [keys for keys in options if keys is not None]
    return min(known, key=lambda keys: sum(_chance(("word", w)) for w in keys)) if known else None


def _checker(node):
    """The node as a function (words, folded text) -> bool. An OR of many options looks up the
    options by their key words (`_keys`): one set intersection instead of a loop over all."""
    kind, value = node
    if kind == "word":
        return lambda found, text: value in found
    if kind == "sub":
        return lambda found, text: value in text
    if kind == "digit":
        return lambda found, text: _DIGIT.search(text) is not None
    words = frozenset(v for k, v in value if k == "word")
    subs = tuple(v for k, v in value if k == "sub")
    if kind == "and":
        rest = tuple(_checker(part) for part in value if part[0] not in ("word", "sub"))
        words |= frozenset().union(*map(_inner_words, subs))  # "out of work" needs the word "of"
        return lambda found, text: (words <= found and all(s in text for s in subs)
                                    and all(check(found, text) for check in rest))
    # Substrings looked up by a whole word inside them, like the options by their key words.
    subs_by_word: dict[str, list[str]] = {}
    loose = []
    for sub in subs:
        inner = _inner_words(sub)
        if inner:
            subs_by_word.setdefault(min(inner, key=lambda w: _chance(("word", w))), []).append(sub)
        else:
            loose.append(sub)
    sub_words = frozenset(subs_by_word)
    by_key: dict[str, list] = {}
    unkeyed = []
    for part in value:
        if part[0] not in ("word", "sub"):
            keys, check = _keys(part), _checker(part)
            for key in keys or ():
                by_key.setdefault(key, []).append(check)
            if keys is None:
                unkeyed.append(check)
    all_keys = frozenset(by_key)

    # Many loose substrings: one search of them all (C speed) instead of a loop of `in`.
    loose_any = (lambda text: any(s in text for s in loose)) if len(loose) < 8 else \
        re.compile("|".join(map(re.escape, sorted(set(loose), key=len, reverse=True)))).search

    def either(found, text) -> bool:
        if not words.isdisjoint(found) or (loose and loose_any(text)):
            return True
        for word in sub_words & found:
            if any(s in text for s in subs_by_word[word]):
                return True
        for key in all_keys & found:
            if any(check(found, text) for check in by_key[key]):
                return True
        return any(check(found, text) for check in unkeyed)

    return either


def _inner_words(sub: str) -> frozenset[str]:
    """The whole words strictly inside a substring: wherever the substring occurs, they are
    words of the text ("of" and "work" in "out of work for"; not "out", which may end "without")."""
    return frozenset(m.group() for m in WORD.finditer(sub) if m.start() > 0 and m.end() < len(sub))


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
        self._stretches: dict[tuple[int, int], tuple[set[str], str]] = {}

    def may_match(self, pattern: re.Pattern) -> bool:
        needed = requirement(pattern)
        return needed is None or needed.admits(self.words, self.folded)

    def may_match_in(self, pattern: re.Pattern, start: int, end: int) -> bool:
        """As may_match, for a search confined to [start, end) (a sentence): the words must be
        there, not just somewhere in the draft."""
        needed = requirement(pattern)
        return needed is None or needed.admits(*self._stretch(start, end))

    def words_in(self, start: int, end: int) -> set[str]:
        """The words of the stretch [start, end) (a sentence), folded to lower case."""
        return self._stretch(start, end)[0]

    def _stretch(self, start: int, end: int) -> tuple[set[str], str]:
        stretch = self._stretches.get((start, end))
        if stretch is None:
            stretch = self._stretches[(start, end)] = (set(WORD.findall(self.folded, start, end)), self.folded[start:end])
        return stretch


def requirement(pattern: re.Pattern) -> Requirement | None:
    """What any match of `pattern` must contain, or None when nothing useful is known."""
    if _c is None or not isinstance(pattern.pattern, str):
        return None
    if pattern.flags & re.IGNORECASE and pattern.pattern in _DECLARED:
        return _declared_requirement(pattern.pattern)
    return _requirement(pattern.pattern, pattern.flags)


def _declared_requirement(source: str) -> Requirement | None:
    """A declared requirement, its checker built once: asked per draft and per sentence, and a
    derived trigger's OR of a few hundred terms takes milliseconds to build."""
    if source not in _BUILT:
        node = _DECLARED[source]
        _BUILT[source] = Requirement(node) if node is not None else None
    return _BUILT[source]


# Requirements known without reading a regex: a term list's trigger is built from its words,
# so what it needs is those words (reading the regex back cost more than a second per process).
_DECLARED: dict[str, tuple | None] = {}
_BUILT: dict[str, "Requirement | None"] = {}


def declare(source: str, node: tuple | None) -> None:
    """Record what any case-insensitive match of `source` needs (None: nothing known)."""
    _DECLARED[source] = node
    _BUILT.pop(source, None)


def word_node(forms, prefixes=()) -> tuple | None:
    """One of these whole words (or a word starting with a prefix): the node of a trigger slot,
    or None where they are not ASCII words. A hyphenated form ("yes-man") is not one word of the
    draft's word set: it is needed as a substring of the folded text. (Not one with an
    apostrophe: the trigger lets a curly one stand for it, which the substring would not.)"""
    options = list(forms) + list(prefixes)
    if not options or any(not w.isascii() or not WORD.fullmatch(w.replace("-", "")) for w in options):
        return None
    nodes = [("word" if WORD.fullmatch(w) else "sub", w) for w in sorted(forms)] + [("sub", p) for p in sorted(prefixes)]
    return nodes[0] if len(nodes) == 1 else ("or", tuple(nodes))


def requirement_of_any(sources: list[str]) -> tuple | None:
    """The node of the alternation of `sources` (case-insensitive): one of theirs, each declared
    or read from its regex; None when any requires nothing known."""
    options = []
    for source in sources:
        if source in _DECLARED:
            node = _DECLARED[source]
        else:
            found = _requirement(source, re.IGNORECASE) if _c is not None else None
            node = found.tree if found is not None else None
        if node is None:
            return None
        options.append(node)
    return _any(options) if options else None


@functools.lru_cache(maxsize=1024)
def _requirement(source: str, flags: int) -> Requirement | None:
    try:
        tree = parse_tree(source, flags)
    except re.error:
        return None
    if tree.state.flags & re.LOCALE:
        return None
    whole_words = not tree.state.flags & re.ASCII  # the draft's words are split the Unicode way
    node = _all(_Reader(whole_words).sequence(list(tree), False, False))
    return Requirement(node) if node is not None else None


def _all(parts: list):
    """AND of parts, flattened; only the most selective few are kept. None: nothing required."""
    flat: list = []
    for part in parts:
        for piece in (part[1] if part[0] == "and" else (part,)):
            if piece not in flat:
                flat.append(piece)
    flat = sorted(flat, key=_chance)[:_MAX_TERMS]
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else ("and", tuple(flat))


def _any(options: list):
    """OR of options, flattened. None when an option requires nothing (so neither does the OR)."""
    flat: list = []
    for option in options:
        if option is None:
            return None
        for piece in (option[1] if option[0] == "or" else (option,)):
            if piece not in flat:
                flat.append(piece)
    return flat[0] if len(flat) == 1 else ("or", tuple(flat))


class _Reader:
    """Walks a parse tree; returns the nodes (all required) of a sequence of items."""

    def __init__(self, whole_words: bool) -> None:
        self.whole_words = whole_words

    def sequence(self, items: list, left: bool, right: bool) -> list:
        parts: list = []
        run: list[str] = []  # consecutive ASCII literals, folded
        run_left = left
        for index, (op, av) in enumerate(items):
            if op is _c.LITERAL and (av < 128 or _safe_char(av)):  # what fold() maps exactly
                if not run:
                    run_left = _after(items[index - 1]) if index else left
                run.append(chr(av).lower())
                continue
            if run:
                parts += self._run("".join(run), run_left, _before((op, av)))
                run = []
            before = _after(items[index - 1]) if index else left
            after = _before(items[index + 1]) if index + 1 < len(items) else right
            parts += self._item(op, av, before, after)
        if run:
            parts += self._run("".join(run), run_left, right)
        return parts + self._phrases(items)

    def _phrases(self, items: list) -> list:
        """The few phrases a stretch of literals and small alternations can spell, as one OR
        of substrings: "(out|without)( of)? (work|a)( job)? for" needs "out of work for" or
        one of its siblings, which is far rarer than "out", "a" and "for" one by one."""
        nodes, start = [], 0
        while start < len(items):
            end = start
            while end < len(items) and _spelled([items[end]]) is not None:
                end += 1
            stretch = items[start:end]
            if any(op is not _c.LITERAL for op, _ in stretch):
                phrases = _spelled(stretch)
                if phrases and len(phrases) > 1 and all(p.strip() for p in phrases):
                    nodes.append(_any([("sub", p) for p in sorted(phrases)]))
            start = end + 1
        return nodes

    def _item(self, op, av, left: bool, right: bool) -> list:
        if op is _c.SUBPATTERN:
            return self.sequence(list(av[-1]), left, right)
        if op is _c.ATOMIC_GROUP:
            return self.sequence(list(av), left, right)
        if op is _c.BRANCH:
            either = _any([_all(self.sequence(list(alternative), left, right)) for alternative in av[1]])
            return [either] if either is not None else []
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            low, high, body = av
            if low < 1:
                return []
            if high == 1:
                return self.sequence(list(body), left, right)
            return self.sequence(list(body), False, False)  # repeats border on themselves
        if op is _c.IN:
            node = _class(av)
            return [node] if node is not None else []
        return []  # other classes, anchors, lookarounds, back-references: nothing required

    def _run(self, run: str, left: bool, right: bool) -> list:
        """A literal run is required as a substring; its pieces bounded on both sides as words."""
        words = []
        for match in WORD.finditer(run) if self.whole_words else ():
            bounded_left = match.start() > 0 or left
            bounded_right = match.end() < len(run) or right
            if bounded_left and bounded_right:
                words.append(("word", match.group()))
        if words == [("word", run)]:
            return words  # the run is one whole word: the substring adds nothing
        return ([("sub", run)] if run.strip() else []) + words


_MAX_PHRASES = 32  # beyond this, an alternation's phrases are not spelled out


def _spelled(items: list) -> set[str] | None:
    """Every string the items can match, folded, when they are literals, groups and
    alternations of literals and optional parts, and there are at most _MAX_PHRASES; else None."""
    strings = {""}
    for op, av in items:
        if op is _c.LITERAL and (av < 128 or _safe_char(av)):
            options = {chr(av).lower()}
        elif op is _c.SUBPATTERN:
            options = _spelled(list(av[-1]))
        elif op is _c.BRANCH:
            options = set()
            for alternative in av[1]:
                spelled = _spelled(list(alternative))
                if spelled is None:
                    return None
                options |= spelled
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[0] == 0 and av[1] == 1:
            spelled = _spelled(list(av[2]))
            options = None if spelled is None else spelled | {""}
        else:
            return None
        if options is None:
            return None
        strings = {before + after for before in strings for after in options}
        if len(strings) > _MAX_PHRASES:
            return None
    return strings


def _class(members):
    """A digit (`\\d`, `[0-9]`), or one of a few characters (`[£$€]`, `[sz]`); else None."""
    members = list(members)
    if members in ([(_c.CATEGORY, _c.CATEGORY_DIGIT)], [(_c.RANGE, (48, 57))]):
        return ("digit", "")
    if len(members) <= 8 and all(op is _c.LITERAL and (av < 128 or _safe_char(av)) for op, av in members):
        return _any([("sub", chr(av).lower()) for _, av in members])
    return None


def _before(item) -> bool:
    """Whether `item` ends a word that comes just before it (a literal run's right edge)."""
    return _edge(item, ahead=True)


def _after(item) -> bool:
    """Whether `item` ends a word that comes just after it (a literal run's left edge)."""
    return _edge(item, ahead=False)


def _edge(item, ahead: bool) -> bool:
    """A word boundary, a non-word character, or an edge of the text or line, on that side."""
    op, av = item
    if op is _c.AT:
        starts = (_c.AT_BEGINNING, _c.AT_BEGINNING_LINE, _c.AT_BEGINNING_STRING)
        ends = (_c.AT_END, _c.AT_END_LINE, _c.AT_END_STRING)
        return av == _c.AT_BOUNDARY or av in (ends if ahead else starts)
    if op is _c.LITERAL:
        return not _is_word(chr(av))
    if op is _c.IN:
        return _non_word_class(av)
    if op is _c.ASSERT_NOT:
        direction, body = av
        return (direction == 1) == ahead and _word_class(list(body))  # (?!\w) after, (?<!\w) before
    return False


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
