"""Regexes from rule files cannot hang a run: a shape check at load time and a time budget at run time.

Rule files are user input, and Python's `re` is a backtracking engine: one careless pattern
such as `(a+)+$` takes exponential time on a line of a's, and would hang every run. Two
defences, both here:

1. **Refused at load time** (`backtracking_risk`): the pattern is parsed with the standard
   library's own regex parser and refused, with the rule's file, line and field, when a
   repetition that can run more than once (`*`, `+`, `{2,}`, `{n}` with n > 1) contains
   - a part that can end with text the next repetition could also start with, so the same
     text splits into repetitions in many ways (`(a+)+`, `(\\w+\\s?)+`, `([a-z]{2,3})+`);
   - a variable-length part followed, through optional parts, by something that can match the
     same characters (`(x+x+)+`, `(.*a){20}`);
   - alternatives that can match the same text and both go on (`(a|aa)+`, `(\\w|\\s?)+`): after
     their common literal start, what each can consume next overlaps.
   These are the shapes that make backtracking exponential (or polynomial of high degree)
   rather than linear. The check is deliberately conservative: it reasons about which
   characters each part can consume, ignores what assertions such as `\\b` rule out, and so
   may refuse a pattern that is in fact safe. Possessive quantifiers (`\\w++`) and atomic
   groups (`(?>...)`) never give characters back and are accepted: the error says so.
2. **Bounded at run time** (`run_budget`): what a shape check cannot see (a plain `\\w+@` is
   quadratic on a megabyte of letters) is cut off by a time budget per rule and draft. CPython's
   regex engine checks for signals while it backtracks, so an interval timer interrupts it; the
   rule is then reported as failing on that draft and the run goes on. The timer is used only
   in the main thread of a POSIX process whose real-time timer is free; elsewhere (worker
   threads, Windows) the load-time check is the defence.
"""
from __future__ import annotations

import contextlib
import functools
import re
import signal
import threading
from typing import Callable, Iterator

try:  # Python 3.11+: the parser `re` itself uses
    from re import _constants as _c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - older layouts
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

from .errors import ConfigError
from .lazyregex import PATTERN_TYPES, LazyRegex
from .triggers import parse_tree
from .yamlsource import Located, LocatedList

RUN_BUDGET_SECONDS = 5.0  # per rule and draft; a megabyte draft takes well under a second

# -- load time: the shape check ------------------------------------------------------------

_Chars = Callable[[str], bool]  # "can this character be consumed here?"
_NOTHING: _Chars = lambda ch: False  # noqa: E731
_ANYTHING: _Chars = lambda ch: True  # noqa: E731
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT)
_SAMPLE = (
    [chr(i) for i in range(0x180)]
    + list("\u00a0\u2028\u2029\u3000\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u0301\u05d0\u0627\u0660\u0966\u4e00\u00e9\u00df\u0130")
)
_CATEGORY_RE = {
    "DIGIT": r"\d", "NOT_DIGIT": r"\D", "SPACE": r"\s", "NOT_SPACE": r"\S",
    "WORD": r"\w", "NOT_WORD": r"\W", "LINEBREAK": r"\n", "NOT_LINEBREAK": r"[^\n]",
}


@functools.lru_cache(maxsize=4096)
def backtracking_risk(pattern: str, flags: int = 0) -> str | None:
    """Why `pattern` can backtrack catastrophically, or None when its shape is safe (see module doc)."""
    try:
        tree = parse_tree(pattern, flags)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None  # re.compile reports it
    if not _repeats_a_group(list(tree)):
        return None  # every repetition is of one character (`\\w+`, `[^.]{0,30}`): nothing to give back
    checker = _Shape(bool(flags & re.IGNORECASE) or bool(tree.state.flags & re.IGNORECASE))
    return checker.scan(list(tree))


_ONE_CHARACTER = (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY)


def _repeats_a_group(items) -> bool:
    """Whether any repetition that can run more than once repeats more than one character:
    the only place the shape check can find a risk (a quick walk spares most patterns the scan)."""
    for op, av in items:
        if op in _REPEATS or op is _c.POSSESSIVE_REPEAT:
            body = list(av[2])
            if op in _REPEATS and av[1] > 1 and not (len(body) == 1 and body[0][0] in _ONE_CHARACTER):
                return True
            if _repeats_a_group(body):
                return True
        elif op is _c.SUBPATTERN:
            if _repeats_a_group(list(av[3])):
                return True
        elif op is _c.BRANCH:
            if any(_repeats_a_group(list(alternative)) for alternative in av[1]):
                return True
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            if _repeats_a_group(list(av[1])):
                return True
        elif op is _c.ATOMIC_GROUP:
            if _repeats_a_group(list(av)):
                return True
        elif op is _c.GROUPREF_EXISTS:
            if _repeats_a_group(list(av[1])) or _repeats_a_group(list(av[2] or [])):
                return True
    return False


class _Shape:
    def __init__(self, ignore_case: bool) -> None:
        self.ignore_case = ignore_case
        self.literals: set[str] = set()  # characters named in the pattern, sampled too

    # which characters an item can consume (anywhere / first)
    def _char(self, code: int) -> _Chars:
        ch = chr(code)
        self.literals.add(ch)
        if self.ignore_case:
            folded = ch.casefold()
            return lambda c: c.casefold() == folded
        return lambda c: c == ch

    def _category(self, code) -> _Chars:
        name = str(code).removeprefix("CATEGORY_").replace("UNI_", "").replace("LOC_", "")
        compiled = re.compile(_CATEGORY_RE.get(name, r"[\s\S]"))
        return lambda c: compiled.match(c) is not None

    def _set(self, items) -> _Chars:
        tests: list[_Chars] = []
        negate = False
        for op, av in items:
            if op is _c.NEGATE:
                negate = True
            elif op is _c.LITERAL:
                tests.append(self._char(av))
            elif op is _c.RANGE:
                lo, hi = av
                self.literals.update((chr(lo), chr(hi), chr(min(lo + 1, hi)), chr(max(hi - 1, lo))))
                if self.ignore_case:
                    tests.append(lambda c, lo=lo, hi=hi: any(lo <= ord(x) <= hi for x in {c, c.lower(), c.upper()} if len(x) == 1))
                else:
                    tests.append(lambda c, lo=lo, hi=hi: lo <= ord(c) <= hi)
            elif op is _c.CATEGORY:
                tests.append(self._category(av))
            else:  # charset internals we do not model: assume anything
                tests.append(_ANYTHING)
        if negate:
            return lambda c: not any(t(c) for t in tests)
        return lambda c: any(t(c) for t in tests)

    def _nullable(self, items) -> bool:
        return _sre_parse.SubPattern(None, list(items)).getwidth()[0] == 0 if items else True

    def first(self, items) -> _Chars:
        """Characters a match of the sequence can begin with."""
        tests: list[_Chars] = []
        for op, av in items:
            tests.append(self._first_item(op, av))
            if not self._nullable([(op, av)]):
                break
        return _union(tests)

    def _first_item(self, op, av) -> _Chars:
        if op is _c.LITERAL:
            return self._char(av)
        if op in (_c.NOT_LITERAL, _c.ANY):
            return _ANYTHING
        if op is _c.IN:
            return self._set(av)
        if op is _c.CATEGORY:
            return self._category(av)
        if op in _REPEATS or op is _c.POSSESSIVE_REPEAT:
            return self.first(av[2])
        if op is _c.SUBPATTERN:
            return self.first(av[3])
        if op is _c.ATOMIC_GROUP:
            return self.first(av)
        if op is _c.BRANCH:
            return _union([self.first(alt) for alt in av[1]])
        if op is _c.GROUPREF_EXISTS:
            return _union([self.first(av[1]), self.first(av[2] or [])])
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            return _NOTHING  # zero width
        return _ANYTHING  # back-references and the rest: assume anything

    def consumed(self, items) -> _Chars:
        """Every character the sequence can consume anywhere."""
        tests: list[_Chars] = []
        for op, av in items:
            if op in _REPEATS or op is _c.POSSESSIVE_REPEAT:
                tests.append(self.consumed(av[2]))
            elif op is _c.SUBPATTERN:
                tests.append(self.consumed(av[3]))
            elif op is _c.ATOMIC_GROUP:
                tests.append(self.consumed(av))
            elif op is _c.BRANCH:
                tests.extend(self.consumed(alt) for alt in av[1])
            elif op is _c.GROUPREF_EXISTS:
                tests.extend((self.consumed(av[1]), self.consumed(av[2] or [])))
            elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
                continue
            else:
                tests.append(self._first_item(op, av))
        return _union(tests)

    def give_back(self, items) -> _Chars:
        """Characters the end of a match can give back when backtracking (its trailing variable parts)."""
        tests: list[_Chars] = []
        for op, av in reversed(items):
            tests.append(self._give_back_item(op, av))
            if not self._nullable([(op, av)]):
                break
        return _union(tests)

    def _give_back_item(self, op, av) -> _Chars:
        if op in _REPEATS:
            lo, hi, body = av
            own = self.consumed(body) if lo != hi else _NOTHING
            return _union([own, self.give_back(body)])
        if op is _c.SUBPATTERN:
            return self.give_back(av[3])
        if op is _c.BRANCH:
            return _union([self.give_back(alt) for alt in av[1]])
        if op is _c.GROUPREF_EXISTS:
            return _union([self.give_back(av[1]), self.give_back(av[2] or [])])
        return _NOTHING  # fixed-width items, possessive and atomic parts give nothing back

    def overlap(self, a: _Chars, b: _Chars) -> bool:
        return any(a(ch) and b(ch) for ch in (*_SAMPLE, *self.literals))

    # the walk
    def scan(self, items, in_loop: bool = False) -> str | None:
        for index, (op, av) in enumerate(items):
            if in_loop and op in _REPEATS and av[0] != av[1]:
                rest = items[index + 1:]
                follow = self.first(rest) if rest else _NOTHING
                if rest and self.overlap(self.consumed(av[2]), follow):
                    return "a variable-length part is followed by something that can match the same characters, inside a repetition"
            reason = self._scan_item(op, av, in_loop)
            if reason:
                return reason
        return None

    def _scan_item(self, op, av, in_loop: bool) -> str | None:
        if op in _REPEATS:
            lo, hi, body = av
            body = list(body)
            if hi > 1:
                if self.overlap(self.give_back(body), self.first(body)):
                    return "a repeated part can end with text the next repetition could start with (nested quantifiers)"
                for alternatives, follow in self._branches(body, self.first(body)):
                    for i, left in enumerate(alternatives):
                        for right in alternatives[i + 1:]:
                            if self._ambiguous(left, right, follow):
                                return "a repeated group has alternatives that can match the same text"
            return self.scan(body, in_loop or hi > 1)
        if op is _c.POSSESSIVE_REPEAT:
            return self.scan(list(av[2]), False)
        if op is _c.SUBPATTERN:
            return self.scan(list(av[3]), in_loop)
        if op is _c.ATOMIC_GROUP:
            return self.scan(list(av), False)
        if op in (_c.ASSERT, _c.ASSERT_NOT):
            return self.scan(list(av[1]), False)
        if op is _c.BRANCH:
            for alt in av[1]:
                reason = self.scan(list(alt), in_loop)
                if reason:
                    return reason
        if op is _c.GROUPREF_EXISTS:
            return self.scan(list(av[1]), in_loop) or self.scan(list(av[2] or []), in_loop)
        return None

    def _branches(self, items, outer_follow: _Chars) -> Iterator[tuple[list[list], _Chars]]:
        """Alternations in a repeated body that backtracking can re-enter (not in atomic parts),
        each with the characters that can follow it (up to the next repetition's start)."""
        items = list(items)
        for index, (op, av) in enumerate(items):
            rest = items[index + 1:]
            follow = _union([self.first(rest), outer_follow if self._nullable(rest) else _NOTHING])
            if op is _c.BRANCH:
                yield [list(alt) for alt in av[1]], follow
                for alt in av[1]:
                    yield from self._branches(alt, follow)
            elif op is _c.SUBPATTERN:
                yield from self._branches(av[3], follow)
            elif op in _REPEATS:
                yield from self._branches(av[2], _union([follow, self.first(av[2])]))

    def _ambiguous(self, left: list, right: list, follow: _Chars) -> bool:
        """Can two alternatives match the same text and both go on? Their common literal start
        is skipped; then they clash if what each can consume next (what follows the alternation,
        when one is used up) overlaps."""
        shared = 0
        while shared < min(len(left), len(right)):
            (lop, lav), (rop, rav) = left[shared], right[shared]
            if lop is not _c.LITERAL or rop is not _c.LITERAL:
                break
            if (chr(lav).casefold() != chr(rav).casefold()) if self.ignore_case else lav != rav:
                return False  # they differ at a fixed character: never the same text
            shared += 1
        left, right = left[shared:], right[shared:]
        if self._nullable(left) and self._nullable(right):
            return True
        next_left = _union([self.first(left), follow if self._nullable(left) else _NOTHING])
        next_right = _union([self.first(right), follow if self._nullable(right) else _NOTHING])
        return self.overlap(next_left, next_right)


def _union(tests: list[_Chars]) -> _Chars:
    tests = [t for t in tests if t is not _NOTHING]
    if not tests:
        return _NOTHING
    if len(tests) == 1:
        return tests[0]
    return lambda c: any(t(c) for t in tests)


def compile_checked(pattern: str, flags: int, error: Callable[[str], Exception], check_shape: bool = True,
                    expand: Callable[[str], str] | None = None) -> re.Pattern:
    """re.compile, refusing patterns that do not compile or whose shape can backtrack
    catastrophically; `check_shape=False` (shipped packs, which the test suite checks) compiles
    on first use instead (lazyregex.py). `expand` puts named term lists in first."""
    if not check_shape:
        return LazyRegex(pattern, flags, expand)  # a shipped pack's: the test suite compiles and checks it
    if expand is not None:
        pattern = expand(pattern)
    try:
        compiled = re.compile(pattern, flags)
    except (re.error, RecursionError, OverflowError) as exc:
        raise error(f"does not compile: {exc}") from None
    risk = backtracking_risk(pattern, flags)
    if risk:
        raise error(_refusal(risk))
    return compiled


# -- run time: the budget ------------------------------------------------------------------


class RegexTimeout(Exception):
    pass


@contextlib.contextmanager
def run_budget(seconds: float, what: str):
    """Interrupt the block after `seconds` with RegexTimeout (main thread, POSIX, timer free)."""
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise RegexTimeout(f"{what} took longer than {seconds:g}s on this draft; skipped")

    try:
        previous = signal.signal(signal.SIGALRM, expire)
    except (ValueError, OSError):  # not allowed here after all
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- every regex a rule brings -------------------------------------------------------------


def check_rule_regexes(rule) -> None:
    """Apply the shape check to every compiled regex a loaded rule holds, whatever its detector
    kind (proximity terms, document regexes, triggers, `unless`/`require` conditions), and
    raise ConfigError naming the YAML field and line it came from."""

    def located(node, target: str, path: str):
        """(field, line) of the YAML string equal to `target` under `node`."""
        if isinstance(node, Located):
            for key, value in node.items():
                if value == target and isinstance(value, str):
                    return f"{path}.{key}", node.line_of(key)
                found = located(value, target, f"{path}.{key}")
                if found:
                    return found
        elif isinstance(node, LocatedList):
            for index, value in enumerate(node):
                if value == target and isinstance(value, str):
                    return f"{path}[{index}]", node.item_lines[index] if node.item_lines else node.line
                found = located(value, target, f"{path}[{index}]")
                if found:
                    return found
        return None

    detector = rule.detector
    node = getattr(detector.where, "node", None)
    checked: set[tuple[str, int]] = set()
    patterns = list(_patterns_in(vars(detector)))
    if getattr(detector, "explicit_triggers", None) and detector.triggers is not None:
        # `triggers:` as written, one by one, so the error names the one at fault
        patterns = [re.compile(t, detector.triggers.flags) for t in detector.explicit_triggers] + patterns
    for pattern in patterns:
        if (pattern.pattern, pattern.flags) in checked:
            continue
        checked.add((pattern.pattern, pattern.flags))
        risk = backtracking_risk(pattern.pattern, pattern.flags)
        if risk:
            where = located(node, pattern.pattern, "detector") if node is not None else None
            field_name, line = where or ("detector.triggers (derived from the patterns)", getattr(node, "line", rule.line))
            raise ConfigError(rule.path, line, f"{rule.id}: {field_name}", _refusal(risk))
    for key in ("unless", "require"):
        for condition in getattr(rule, key):
            if isinstance(condition, tuple) and isinstance(condition[1], PATTERN_TYPES):
                risk = backtracking_risk(condition[1].pattern, condition[1].flags)
                if risk:
                    raise ConfigError(rule.path, rule.line, f"{rule.id}: {key}.{condition[0]}", _refusal(risk))


def _patterns_in(value, depth: int = 0) -> Iterator[re.Pattern]:
    if isinstance(value, PATTERN_TYPES):
        yield value
    elif depth < 4 and isinstance(value, dict):
        for item in value.values():
            yield from _patterns_in(item, depth + 1)
    elif depth < 4 and isinstance(value, (list, tuple)):
        for item in value:
            yield from _patterns_in(item, depth + 1)


def _refusal(risk: str) -> str:
    return (
        f"can take exponential time on some text ({risk}); make the repetition unambiguous, "
        "or use a possessive quantifier (`\\w++`) or an atomic group (`(?>...)`)"
    )
