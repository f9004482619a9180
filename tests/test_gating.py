"""The speed-ups change nothing: analysing just the sentences a rule's trigger selects gives
exactly the findings of analysing every sentence (`--no-gating`), and spreading drafts over
worker processes (`--jobs`) gives exactly the findings of one process."""
from __future__ import annotations

import re
import sys

import pytest

from conftest import ROOT, SHARED, generate_drafts, run_cli
from etiquette_lint.api import LintOptions, build_engine, lint
from etiquette_lint.config import Config
from etiquette_lint.parallel import can_fork
from etiquette_lint.ruleset import load_ruleset

CORPUS = SHARED / "corpus" / "dev"


@pytest.fixture(scope="module")
def ungated(ruleset):
    return build_engine(Config(), LintOptions(gating=False), ruleset)


def _findings(paths, engine):
    result = lint([str(p) for p in paths], Config(), LintOptions(), engine=engine)
    return [f.as_dict() for f in result.findings]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared dev corpus is not here")
def test_gating_changes_nothing_on_the_dev_corpus(engine, ungated):
    targets = [CORPUS / t for t in ("docs", "threads") if (CORPUS / t).exists()]
    gated = _findings(targets, engine)
    assert gated  # the corpus has positives, so equality means something
    assert gated == _findings(targets, ungated)


def test_gating_changes_nothing_on_generated_drafts(engine, ungated, tmp_path):
    generate_drafts(tmp_path, 120, seed=11)
    gated = _findings([tmp_path], engine)
    assert len({f["category"] for f in gated}) >= 4
    assert gated == _findings([tmp_path], ungated)


def test_gating_changes_nothing_on_the_examples(engine, ungated):
    folder = ROOT / "examples" / "drafts"
    assert _findings([folder], engine) == _findings([folder], ungated)


@pytest.mark.skipif(not can_fork(), reason="--jobs runs in this process where fork is unavailable")
def test_jobs_change_nothing(engine, ruleset, tmp_path):
    generate_drafts(tmp_path, 90, seed=12)
    parallel = build_engine(Config(), LintOptions(jobs=2), ruleset)
    parallel.chunk_size = 20  # several chunks per worker without generating hundreds of drafts
    result = lint([str(tmp_path)], Config(), LintOptions(), engine=parallel)
    assert result.files == 90 and not result.problems
    assert [f.as_dict() for f in result.findings] == _findings([tmp_path], engine)


def test_jobs_option_on_the_command_line(tmp_path):
    generate_drafts(tmp_path, 3, seed=13)
    one = run_cli("--no-cache", "--format", "json", str(tmp_path), cwd=tmp_path)
    two = run_cli("--no-cache", "--format", "json", "--jobs", "2", str(tmp_path), cwd=tmp_path)
    assert one.returncode == two.returncode and one.stdout == two.stdout
    assert run_cli("--jobs", "0", str(tmp_path), cwd=tmp_path).returncode == 2


# -- fast trigger search (triggers.py) ----------------------------------------------------------
def test_fold_keeps_length_and_case_class_for_every_code_point():
    from etiquette_lint.triggers import _safe_char, fold

    ascii_not_upper = re.compile(r"[\x00-\x40\x5b-\x7f]", re.IGNORECASE)
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        folded = fold(char)
        assert len(folded) == 1, hex(code)
        if folded != char:
            assert re.fullmatch(re.escape(folded), char, re.IGNORECASE), hex(code)  # same case class
            assert ord(folded) < 128 or not _safe_char(ord(folded)), hex(code)
        if ascii_not_upper.fullmatch(char):  # re would match it to an ASCII literal: it must fold to that
            targets = [chr(c) for c in range(128) if _safe_char(c) and re.fullmatch(re.escape(chr(c)), char, re.IGNORECASE)]
            assert targets == [folded], hex(code)


def test_only_patterns_that_fold_safely_get_a_fast_copy():
    from etiquette_lint.triggers import folded_trigger

    assert folded_trigger(re.compile(r"(?<!\w)(?:need|salar\w*|[£$€]\s?\d)", re.I)) is not None
    for unsafe in (r"\bHR\b", r"[A-Z]\w+ is a mess", r"(a)\1", r"caf\u00e9", r"[!-~]x"):
        assert folded_trigger(re.compile(unsafe, re.I)) is None, unsafe
    assert folded_trigger(re.compile("need")) is None  # case-sensitive already


def _trigger_texts():
    from hypothesis import strategies as st

    words = sorted({w for r in load_ruleset().rules if r.detector.triggers is not None
                    for w in re.findall(r"[a-z]{3,}", r.detector.triggers.pattern)})
    cased = st.tuples(st.sampled_from(words), st.sampled_from(["lower", "upper", "title", "swapcase"])).map(
        lambda pair: getattr(pair[0], pair[1])())
    odd = st.sampled_from(["\u0130", "\u0131", "\u017f", "\u212a", "\u00e9", "\u00c9", "£", "€", "$", "ß", "ﬁ", "Σ"])
    other = st.text(min_size=1, max_size=3)
    piece = st.one_of(cased, odd, other, st.sampled_from([" ", ", ", ". ", "\n", "-", "'", "5", "40k"]))
    return st.lists(piece, max_size=25).map("".join)


def test_fast_search_selects_exactly_what_the_original_selects():
    from hypothesis import given, settings

    from etiquette_lint.triggers import fold, folded_trigger

    patterns = [(r.detector.triggers, folded_trigger(r.detector.triggers)) for r in load_ruleset().rules
                if r.detector.triggers is not None]
    patterns = [(p, f) for p, f in patterns if f is not None]
    assert patterns  # the shipped packs have foldable triggers

    @settings(max_examples=400, deadline=None)
    @given(_trigger_texts())
    def check(text):
        folded = fold(text)
        assert len(folded) == len(text)
        for original, fast in patterns:
            assert bool(original.search(text)) == bool(fast.search(folded)), (original.pattern[:60], text)

    check()
