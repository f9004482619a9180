"""The deep pass in a worker process (parallel.py): same findings, spaCy only in the worker,
a dead worker's chunks finished here, a missing pipeline reported as in one process, and a
fully cached run starts no worker."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from conftest import generate_drafts, run_cli
from etiquette_lint.api import LintOptions, build_engine, lint
from etiquette_lint.config import Config
from etiquette_lint.parallel import MIN_DRAFTS, can_fork, default_jobs

pytestmark = pytest.mark.skipif(not can_fork(), reason="workers are forked, on Linux only")


def _findings(folder, engine) -> list[dict]:
    result = lint([str(folder)], Config(), LintOptions(), engine=engine)
    assert not result.problems
    return [f.as_dict() for f in result.findings]


PARENT_PROBE = """
import json, sys
from etiquette_lint.api import LintOptions, lint
from etiquette_lint.config import Config
result = lint([sys.argv[1]], Config(), LintOptions(jobs=2))
print(json.dumps({"spacy": "spacy" in sys.modules, "findings": [f.as_dict() for f in result.findings]}))
"""


def test_with_a_worker_this_process_never_imports_spacy(engine, tmp_path):
    generate_drafts(tmp_path, MIN_DRAFTS + 10, seed=21)
    done = subprocess.run([sys.executable, "-c", PARENT_PROBE, str(tmp_path)], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    probe = json.loads(done.stdout)
    assert probe["spacy"] is False
    assert probe["findings"] == _findings(tmp_path, engine)
    assert {f["rule"] for f in probe["findings"]} & {"criticism.employer", "salary.before-offer", "desperation.pleading"}


def test_a_dead_worker_leaves_its_chunks_to_this_process(engine, ruleset, tmp_path):
    generate_drafts(tmp_path, MIN_DRAFTS + 20, seed=22)
    parallel = build_engine(Config(), LintOptions(jobs=2), ruleset)
    parallel.chunk_size = 15
    parallel.prepare(MIN_DRAFTS + 20)
    (worker,) = parallel.runner.workers._processes
    os.kill(worker.pid, signal.SIGKILL)
    worker.join(timeout=10)
    assert _findings(tmp_path, parallel) == _findings(tmp_path, engine)
    assert parallel.runner.workers is None  # closed at the end of the run


def test_a_missing_pipeline_is_reported_as_in_one_process(tmp_path):
    generate_drafts(tmp_path, MIN_DRAFTS + 5, seed=23)
    one = run_cli("--no-cache", "--jobs", "1", "--model", "no_such_pipeline", str(tmp_path), cwd=tmp_path)
    two = run_cli("--no-cache", "--jobs", "2", "--model", "no_such_pipeline", str(tmp_path), cwd=tmp_path)
    assert one.returncode == two.returncode == 2
    assert one.stderr == two.stderr and b"no_such_pipeline" in two.stderr


def test_a_fully_cached_run_starts_no_worker(ruleset, tmp_path):
    drafts, cache = tmp_path / "drafts", tmp_path / "cache"
    drafts.mkdir()
    generate_drafts(drafts, MIN_DRAFTS + 5, seed=24)
    options = LintOptions(jobs=2, cache=True, cache_dir=str(cache))
    lint([str(drafts)], Config(), options, engine=build_engine(Config(), options, ruleset))
    again = build_engine(Config(), options, ruleset)
    again.prepare(MIN_DRAFTS + 5)
    assert again._per_draft.runner.workers is None
    fresh = build_engine(Config(), LintOptions(jobs=2, cache=True, cache_dir=str(tmp_path / "empty")), ruleset)
    fresh.prepare(MIN_DRAFTS + 5)
    assert fresh._per_draft.runner.workers is not None
    fresh.close()
    assert fresh._per_draft.runner.workers is None


def test_auto_jobs_is_one_on_one_core():
    code = "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); " \
           "from etiquette_lint.parallel import default_jobs; print(default_jobs())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert done.stdout.decode().strip() == "1", done.stderr.decode()
    assert default_jobs() == (2 if len(os.sched_getaffinity(0)) >= 2 else 1)


def test_chunks_interleaved_with_the_cheap_pass_change_nothing(engine, ruleset, tmp_path, monkeypatch):
    import etiquette_lint.parallel as parallel

    generate_drafts(tmp_path, MIN_DRAFTS + 30, seed=25)
    monkeypatch.setattr(parallel, "AHEAD_DRAFTS", 30)  # three chunks ahead, then one in, one out
    two = build_engine(Config(), LintOptions(jobs=2), ruleset)
    two.chunk_size = 10
    assert _findings(tmp_path, two) == _findings(tmp_path, engine)


ORPHAN_PROBE = """
import sys, time
from etiquette_lint.api import LintOptions, build_engine
from etiquette_lint.config import Config
engine = build_engine(Config(), LintOptions(jobs=2))
engine.prepare(1000)
(worker,) = engine.runner.workers._processes
print(worker.pid, flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_worker_ends_when_its_parent_is_killed(how):
    """At once, even while it loads spaCy, and even when killed right after the fork (the pid
    printed at once: a worker that read its parent's pid itself found init's and never ended)."""
    import time

    parent = subprocess.Popen([sys.executable, "-c", ORPHAN_PROBE], stdout=subprocess.PIPE)
    try:
        worker = int(parent.stdout.readline())
        parent.send_signal(how)  # no chance (SIGKILL) or no handler (SIGTERM) to stop its worker
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10  # the kernel ends it (PR_SET_PDEATHSIG); allow a slow machine
        while time.monotonic() < deadline and os.path.exists(f"/proc/{worker}"):
            try:
                with open(f"/proc/{worker}/stat") as stat:
                    if stat.read().split(") ", 1)[1].startswith("Z"):
                        break  # a zombie has ended; only its entry remains
            except OSError:
                break
            time.sleep(0.2)
        assert not os.path.exists(f"/proc/{worker}") or open(f"/proc/{worker}/stat").read().split(") ", 1)[1].startswith("Z")
    finally:
        if parent.poll() is None:
            parent.kill()


def test_problems_come_in_the_order_one_process_gives(ruleset, tmp_path, monkeypatch):
    """A rule of each pass failing on every draft: the problems per draft keep the rule order."""
    from etiquette_lint.detectors.proximity import ProximityDetector
    from etiquette_lint.detectors.regex import RegexDetector

    def broken(self, analysis, rule_id):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(RegexDetector, "find", broken)
    monkeypatch.setattr(ProximityDetector, "find", broken)  # criticism.employer: a deep-pass rule
    generate_drafts(tmp_path, MIN_DRAFTS + 5, seed=26)
    by_jobs = {}
    for jobs in (1, 2):
        result = lint([str(tmp_path)], Config(), LintOptions(), engine=build_engine(Config(), LintOptions(jobs=jobs), ruleset))
        by_jobs[jobs] = [(p.path, p.message) for p in result.problems]
    assert by_jobs[1] and by_jobs[1] == by_jobs[2]
    assert any("criticism.employer" in message for _, message in by_jobs[2])
