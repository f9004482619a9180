"""Gating is only an optimisation: analysing just the sentences a rule's trigger selects must
give exactly the findings of analysing every sentence (`--no-gating`)."""
from __future__ import annotations

import sys

import pytest

from conftest import ROOT, SHARED
from etiquette_lint.api import LintOptions, build_engine, lint
from etiquette_lint.config import Config

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
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from drafts import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    generate(tmp_path, 120, seed=11)
    gated = _findings([tmp_path], engine)
    assert len({f["category"] for f in gated}) >= 4
    assert gated == _findings([tmp_path], ungated)


def test_gating_changes_nothing_on_the_examples(engine, ungated):
    folder = ROOT / "examples" / "drafts"
    assert _findings([folder], engine) == _findings([folder], ungated)
