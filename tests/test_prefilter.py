"""The prefilter (prefilter.py) may only skip searches that would find nothing: whenever a regex
matches a text, the words and substrings it requires are in that text."""
from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from etiquette_lint.detectors.regex import RegexDetector
from etiquette_lint.prefilter import draft_words, requirement
from etiquette_lint.ruleset import load_ruleset
from etiquette_lint.triggers import fold


def _groups(pattern: str, flags: int = re.IGNORECASE):
    needed = requirement(re.compile(pattern, flags))
    return None if needed is None else {(tuple(sorted(g.words)), tuple(sorted(g.substrings))) for g in needed.groups}


def _admits(pattern: re.Pattern, text: str, end: int | None = None) -> bool:
    needed = requirement(pattern)
    folded = fold(text)
    return needed is None or needed.admits(draft_words(folded, len(text) if end is None else end), folded)


def test_bounded_literals_are_whole_words_and_others_substrings():
    assert ((("again",), ()) in _groups(r"\bagain\b"))
    assert ((("again",), ()) in _groups(r"(?<!\w)again(?!\w)"))
    assert _groups(r"follow(ing)?") == {((), ("follow",))}  # its right edge is open
    assert ((("cracks",), ()) in _groups(r"\bslip(ped|s)? through the cracks\b"))
    assert ((("through",), ()) in _groups(r"\bslip(ped|s)? through the cracks\b"))
    assert _groups(r"\Bago\B") == {((), ("ago",))}
    assert _groups(r"\bagain\b", re.ASCII) == {((), ("again",))}  # ASCII \b splits words differently


def test_alternatives_merge_and_optional_parts_require_nothing():
    assert any("another" in words for words, _ in _groups(r"\b(yet another|another) note\b"))
    assert _groups(r"(foo)?") is None
    assert _groups(r"\b(foo|\d+)\b") is None  # one alternative has no literal: nothing is required
    assert _groups(r"[a-z]+") is None
    assert _groups(r"(a)\1") == {((), ("a",))}


def test_words_of_a_draft_include_pieces_cut_at_the_end_of_the_body():
    assert draft_words("see attached.", 4) >= {"see", "attached"}
    assert "att" in draft_words("see attached.", 7)  # a search ending at 7 sees "att" as a word
    assert "ached" in draft_words("see attached.", 7)


def test_a_regex_that_matches_is_never_skipped_in_these_cases():
    cases = [
        (r"\bagain\b", "Following up AGAIN."),
        (r"\bagain\b", "again"),
        (r"\bmy (third|3rd) email\b", "This is My 3rd Email."),
        (r"(?i)\bkeep\b", "\u212aEEP going"),  # Kelvin sign folds to k
        (r"\bslip(ped|s)? through the cracks\b", "It slipped through the cracks!"),
        (r"\bfoo", "the foo"),
        (r"foo\b", "barfoo."),
    ]
    for pattern, text in cases:
        compiled = re.compile(pattern, re.IGNORECASE)
        assert compiled.search(text), (pattern, text)
        assert _admits(compiled, text), (pattern, text)


def test_a_search_ending_mid_word_is_not_skipped():
    pattern = re.compile(r"\bthank\b", re.IGNORECASE)
    text = "thanks"  # a search with endpos=5 sees "thank" as a whole word
    assert pattern.search(text, 0, 5)
    assert _admits(pattern, text, end=5)


def test_folding_keeps_word_characters_word_characters():
    word = re.compile(r"\w")
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        assert bool(word.match(char)) == bool(word.match(fold(char))), hex(code)


def _shipped_patterns() -> list[re.Pattern]:
    patterns = []
    for rule in load_ruleset().rules:
        if isinstance(rule.detector, RegexDetector):
            patterns += rule.detector.compiled
        if rule.detector.triggers is not None:
            patterns.append(rule.detector.triggers)
    return patterns


def test_shipped_regexes_are_never_skipped_where_they_match():
    """Texts that hypothesis builds to match each shipped regex (any case, odd letters, text
    around it, a body that may end right after the match) must pass the prefilter."""
    from hypothesis import HealthCheck
    from hypothesis.errors import FailedHealthCheck, Unsatisfiable

    patterns = [p for p in _shipped_patterns() if requirement(p) is not None]
    assert len(patterns) > 40  # the prefilter applies to most shipped regexes
    unsatisfiable = []
    for pattern in patterns:

        @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
        @given(st.from_regex(pattern), st.booleans())
        def check(text, cut_after_match):
            match = pattern.search(text)
            if match is None:
                return
            end = match.end() if cut_after_match else len(text)
            assert _admits(pattern, text, end), (pattern.pattern[:80], text, end)

        try:
            check()
        except (Unsatisfiable, FailedHealthCheck):  # hypothesis cannot build text for some lookarounds
            unsatisfiable.append(pattern.pattern)
    assert len(unsatisfiable) <= 3, unsatisfiable
