"""The speed-ups change nothing: analysing just the sentences a rule's trigger selects gives
exactly the findings of analysing every sentence (`--no-gating`), and spreading drafts over
worker processes (`--jobs`) gives exactly the findings of one process."""
from __future__ import annotations

import sys

import pytest

from conftest import ROOT, SHARED, run_cli
from etiquette_lint.api import LintOptions, build_engine, lint
from etiquette_lint.config import Config
from etiquette_lint.parallel import can_fork

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


def _generate(folder, count: int, seed: int) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from drafts import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    generate(folder, count, seed=seed)


def test_gating_changes_nothing_on_generated_drafts(engine, ungated, tmp_path):
    _generate(tmp_path, 120, seed=11)
    gated = _findings([tmp_path], engine)
    assert len({f["category"] for f in gated}) >= 4
    assert gated == _findings([tmp_path], ungated)


def test_gating_changes_nothing_on_the_examples(engine, ungated):
    folder = ROOT / "examples" / "drafts"
    assert _findings([folder], engine) == _findings([folder], ungated)


@pytest.mark.skipif(not can_fork(), reason="--jobs runs in this process where fork is unavailable")
def test_jobs_change_nothing(engine, ruleset, tmp_path):
    _generate(tmp_path, 90, seed=12)
    parallel = build_engine(Config(), LintOptions(jobs=2), ruleset)
    parallel.chunk_size = 20  # several chunks per worker without generating hundreds of drafts
    result = lint([str(tmp_path)], Config(), LintOptions(), engine=parallel)
    assert result.files == 90 and not result.problems
    assert [f.as_dict() for f in result.findings] == _findings([tmp_path], engine)


def test_jobs_option_on_the_command_line(tmp_path):
    _generate(tmp_path, 3, seed=13)
    one = run_cli("--no-cache", "--format", "json", str(tmp_path), cwd=tmp_path)
    two = run_cli("--no-cache", "--format", "json", "--jobs", "2", str(tmp_path), cwd=tmp_path)
    assert one.returncode == two.returncode and one.stdout == two.stdout
    assert run_cli("--jobs", "0", str(tmp_path), cwd=tmp_path).returncode == 2
