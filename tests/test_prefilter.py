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


def _tree(pattern: str, flags: int = re.IGNORECASE):
    needed = requirement(re.compile(pattern, flags))
    return None if needed is None else needed.tree


def _admits(pattern: re.Pattern, text: str, end: int | None = None) -> bool:
    needed = requirement(pattern)
    folded = fold(text)
    return needed is None or needed.admits(draft_words(folded, len(text) if end is None else end), folded)


def _parts(node) -> set:
    """Every leaf of a requirement tree."""
    return {node} if node[0] in ("word", "sub", "digit") else set().union(*map(_parts, node[1]))


def test_bounded_literals_are_whole_words_and_others_substrings():
    assert _tree(r"\bagain\b") == ("word", "again")
    assert _tree(r"(?<!\w)again(?!\w)") == ("word", "again")
    assert ("sub", "follow") in _parts(_tree(r"follow(ing)?"))  # its right edge is open: no word
    assert ("word", "follow") not in _parts(_tree(r"follow(ing)?"))
    assert _parts(_tree(r"\bslip(ped|s)? through the cracks\b")) >= {("word", "cracks"), ("word", "through")}
    assert _tree(r"\Bago\B") == ("sub", "ago")
    assert _tree(r"\bagain\b", re.ASCII) == ("sub", "again")  # ASCII \b splits words differently


def test_a_sequence_needs_all_its_parts_and_an_alternation_one_branch():
    tree = _tree(r"\b(yet another|another) (note|email)\b")
    assert tree[0] == "and"
    assert ("or", (("word", "note"), ("word", "email"))) in tree[1]
    assert _tree(r"(foo)?") is None
    assert _tree(r"[a-z]+") is None
    assert _tree(r"\b(foo|[a-z]+)\b") is None  # one branch needs nothing: neither does the whole
    assert _tree(r"\b(foo|\d+)\b") == ("or", (("word", "foo"), ("digit", "")))
    assert _parts(_tree(r"[£$€]\s?\d")) == {("sub", "£"), ("sub", "$"), ("sub", "€"), ("digit", "")}
    spelled = _tree(r"\b(out|without)( of)? (work|a job) (for|since)\b")  # the phrases themselves
    assert ("sub", "out of work for") in _parts(spelled) and ("sub", "without a job since") in _parts(spelled)
    assert _tree(r"(a)\1") == ("sub", "a")


def test_an_alternation_of_phrases_is_checked_by_its_words():
    pattern = re.compile(r"\b(out of (work|a job) for|no idea how|take (literally )?anything)\b", re.IGNORECASE)
    assert _admits(pattern, "I have been out of work for months.")
    assert not _admits(pattern, "I have had no news for a while, so I work on my portfolio.")
    assert _admits(pattern, "I will take literally anything.")


def test_a_sentence_must_hold_the_words_itself():
    from etiquette_lint.prefilter import WordIndex

    pattern = re.compile(r"\bout\b[^.!?]*\bwork\b", re.IGNORECASE)
    text = "I am out of it. We work for you."
    index = WordIndex(text, len(text))
    assert index.may_match(pattern)  # the draft has every word
    assert not index.may_match_in(pattern, 0, 15) and not index.may_match_in(pattern, 16, len(text))


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
    """Every regex the shipped packs search with: rule patterns, triggers, context signals."""
    rules = load_ruleset()
    patterns = [p for signal in rules.signals.patterns.values() for p in signal]
    for rule in rules.rules:
        if isinstance(rule.detector, RegexDetector):
            patterns += rule.detector.compiled
        if rule.detector.triggers is not None:
            patterns.append(rule.detector.triggers)
    return patterns


def test_shipped_regexes_are_never_skipped_where_they_match():
    """Texts that hypothesis builds to match each shipped regex (any case, odd letters, text
    around it, a body that may end right after the match) must pass the prefilter, for the
    whole draft and for a stretch of it (a sentence) in which the regex still matches."""
    from etiquette_lint.prefilter import WordIndex

    from hypothesis import HealthCheck
    from hypothesis.errors import FailedHealthCheck, Unsatisfiable

    patterns = [p for p in _shipped_patterns() if requirement(p) is not None]
    assert len(patterns) > 80  # the prefilter applies to most shipped regexes
    unsatisfiable = []
    for pattern in patterns:

        @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
        @given(st.from_regex(re.compile(pattern.pattern, pattern.flags)), st.booleans())
        def check(text, cut_after_match):
            match = pattern.search(text)
            if match is None:
                return
            end = match.end() if cut_after_match else len(text)
            assert _admits(pattern, text, end), (pattern.pattern[:80], text, end)
            start = match.start() // 2
            if pattern.search(text, start, end):
                assert WordIndex(text, end).may_match_in(pattern, start, end), (pattern.pattern[:80], text, start, end)

        try:
            check()
        except (Unsatisfiable, FailedHealthCheck):  # hypothesis cannot build text for some lookarounds
            unsatisfiable.append(pattern.pattern)
    assert len(unsatisfiable) <= 3, unsatisfiable
