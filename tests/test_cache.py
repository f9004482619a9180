"""The content cache: hits give the same findings as a fresh run, anything a result depends on
invalidates it, the cadence rule always sees the current thread, and trouble with the cache
folder never fails a lint."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from etiquette_lint.api import LintOptions, build_engine, lint
from etiquette_lint.cache import FOLDER_NAME, CachedEngine
from etiquette_lint.config import Config, load_config

EXAMPLES = ROOT / "examples" / "drafts"

THANKS = "Dear Ana,\n\nThank you for the interview on Monday. What is the salary range for the role?\n\nBest,\nSam\n"
THREAD_THANKS = """---
to: Ana Silva <ana@northwind.example>
type: thank-you
date: {date}
---
Dear Ana,

Thank you for meeting me yesterday to talk about the churn model.

Best,
Sam
"""
THREAD_FOLLOW_UP = """---
to: Ana Silva <ana@northwind.example>
type: follow-up
date: 2026-11-12
---
Hi Ana,

I wanted to ask whether there is any update on the timeline for the analyst role.

Best,
Sam
"""


@pytest.fixture(autouse=True)
def machine_key_folder(tmp_path, monkeypatch) -> Path:
    """Each test its own user cache folder, where the per-machine key lives (never the real one)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return tmp_path / "user-cache" / "etiquette-lint"


def _cached(engine, config: Config, folder: Path) -> CachedEngine:
    return CachedEngine(engine, config, folder)


def _run(paths, cached: CachedEngine, config: Config):
    return lint([str(p) for p in paths], config, LintOptions(), engine=cached)


def _plain(result):
    return [f.as_dict() for f in result.findings], sorted(map(str, result.problems))


def test_second_run_hits_and_matches_a_fresh_run(engine, tmp_path):
    config = Config()
    fresh = lint([str(EXAMPLES)], config, LintOptions(), engine=engine)
    first = _cached(engine, config, tmp_path / "cache")
    assert _plain(_run([EXAMPLES], first, config)) == _plain(fresh)
    assert (first.hits, first.misses) == (0, 4)
    second = _cached(engine, config, tmp_path / "cache")
    assert _plain(_run([EXAMPLES], second, config)) == _plain(fresh)
    assert (second.hits, second.misses) == (4, 0)
    assert fresh.findings  # the examples do have findings, so equality means something


def test_cache_folder_is_ignored_by_git_and_tagged(engine, tmp_path):
    folder = tmp_path / "cache"
    _run([EXAMPLES / "good-thank-you.txt"], _cached(engine, Config(), folder), Config())
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    leftovers = [p for p in folder.rglob("*") if p.name.startswith(".tmp-")]
    assert not leftovers  # written through a temporary file and renamed


def test_an_edited_draft_misses_and_the_others_hit(engine, tmp_path, write):
    a, b = write("drafts/a.txt", THANKS), write("drafts/b.txt", THANKS.replace("Ana", "Bea"))
    config, folder = Config(), tmp_path / "cache"
    _run([a, b], _cached(engine, config, folder), config)
    a.write_text(THANKS.replace("What is the salary range for the role?", "I enjoyed it."), encoding="utf-8")
    again = _cached(engine, config, folder)
    result = _run([a, b], again, config)
    assert (again.hits, again.misses) == (1, 1)
    assert {f.path for f in result.findings if f.rule == "salary.before-offer"} == {str(b)}


def test_config_and_rule_changes_invalidate(ruleset, tmp_path, write):
    draft = write("d.txt", THANKS)
    folder = tmp_path / "cache"
    plain_config = Config()
    _run([draft], _cached(build_engine(plain_config, LintOptions(), ruleset), plain_config, folder), plain_config)

    severe = write("severe/.etiquette-lint.yaml", "severity:\n  salary: error\n")
    config = load_config(str(severe))
    cached = _cached(build_engine(config, LintOptions(), ruleset), config, folder)
    result = _run([draft], cached, config)
    assert cached.misses == 1
    assert {f.severity.value for f in result.findings if f.category == "salary"} == {"error"}

    rules = tmp_path / "myrules"
    rules.mkdir()
    pack = rules / "mine.yaml"
    pack.write_text(_rule_pack("Monday"), encoding="utf-8")
    with_rules = Config(rules=[str(rules)])
    cached = _cached(build_engine(with_rules, LintOptions()), with_rules, folder)
    assert [f.rule for f in _run([draft], cached, with_rules).findings if f.rule.startswith("house.")] == ["house.name"]
    pack.write_text(_rule_pack("Nobody"), encoding="utf-8")
    cached = _cached(build_engine(with_rules, LintOptions()), with_rules, folder)
    assert [f.rule for f in _run([draft], cached, with_rules).findings if f.rule.startswith("house.")] == []
    assert cached.misses == 1


def _rule_pack(word: str) -> str:
    return textwrap.dedent(f"""\
        rules:
          - id: house.name
            severity: info
            message: Mentions the name
            explain: A test rule.
            detector:
              kind: regex
              patterns: ['\\b{word}\\b']
            examples:
              fire: ["Hello {word}."]
              pass: ["Hello there."]
        """)


def test_cadence_sees_an_edited_sibling_though_the_draft_is_a_hit(engine, tmp_path, write):
    thanks = write("thread/1-thanks.txt", THREAD_THANKS.format(date="2026-11-03"))
    follow_up = write("thread/2-follow-up.txt", THREAD_FOLLOW_UP)
    config, folder = Config(), tmp_path / "cache"
    first = _run([follow_up], _cached(engine, config, folder), config)
    assert not [f for f in first.findings if f.rule == "followup.cadence"]  # nine days after the thank-you

    thanks.write_text(THREAD_THANKS.format(date="2026-11-10"), encoding="utf-8")  # now only two days before
    cached = _cached(engine, config, folder)
    second = _run([follow_up], cached, config)
    assert cached.hits == 1
    assert [f.rule for f in second.findings if f.rule == "followup.cadence"] == ["followup.cadence"]
    assert _plain(second) == _plain(lint([str(follow_up)], config, LintOptions(), engine=engine))


def test_a_corrupt_entry_is_rebuilt_with_a_notice(engine, tmp_path):
    config, folder = Config(), tmp_path / "cache"
    expected = _plain(_run([EXAMPLES], _cached(engine, config, folder), config))
    entries = sorted(folder.glob("*/*.json"))
    assert len(entries) == 4
    entries[0].write_text('{"findings": [{"path": 3', encoding="utf-8")
    entries[1].write_bytes(b"\xff\xfe garbage")
    entries[2].write_text('{"findings": [{"no": "fields"}], "problems": []}', encoding="utf-8")
    cached = _cached(engine, config, folder)
    result = _run([EXAMPLES], cached, config)
    assert _plain(result) == expected
    assert (cached.hits, cached.misses) == (1, 3)
    assert len(result.notices) == 1 and "3 corrupt cache entries were rebuilt" in result.notices[0]
    healed = _cached(engine, config, folder)
    assert not _run([EXAMPLES], healed, config).notices and healed.hits == 4


def test_an_unusable_cache_folder_is_bypassed_with_a_notice(engine, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    config = Config()
    cached = _cached(engine, config, blocker)
    result = _run([EXAMPLES], cached, config)
    assert _plain(result) == _plain(lint([str(EXAMPLES)], config, LintOptions(), engine=engine))
    assert len(result.notices) == 1 and "cannot write the cache" in result.notices[0]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions and a non-root user")
def test_an_unreadable_cache_folder_is_bypassed(engine, tmp_path):
    config, folder = Config(), tmp_path / "cache"
    _run([EXAMPLES], _cached(engine, config, folder), config)
    for run_folder in folder.iterdir():
        if run_folder.is_dir():
            run_folder.chmod(0)
    try:
        result = _run([EXAMPLES], _cached(engine, config, folder), config)
    finally:
        for run_folder in folder.iterdir():
            if run_folder.is_dir():
                run_folder.chmod(0o755)
    assert result.findings and any("cannot read the cache" in n for n in result.notices)


# -- entries are checked, not trusted (issue 14, item 7) ---------------------------------------
def _edit_entries(folder: Path, change) -> None:
    """Apply `change` to the JSON of every stored entry it changes, keeping whatever line precedes it."""
    for entry in folder.glob("*/*.json"):
        head, newline, body = entry.read_text(encoding="utf-8").rpartition("\n")
        data = json.loads(body)
        if change(data) != data:
            entry.write_text(head + newline + json.dumps(change(data)), encoding="utf-8")


def test_an_entry_edited_to_no_findings_is_not_trusted(engine, tmp_path):
    # Emptying an entry's findings gave exit 0 where --no-cache gives 1.
    config, folder = Config(), tmp_path / "cache"
    expected = _plain(_run([EXAMPLES], _cached(engine, config, folder), config))
    _edit_entries(folder, lambda entry: {**entry, "findings": []})
    cached = _cached(engine, config, folder)
    result = _run([EXAMPLES], cached, config)
    assert _plain(result) == expected and (cached.hits, cached.misses) == (1, 3)
    assert "3 corrupt cache entries were rebuilt" in result.notices[0]
    healed = _cached(engine, config, folder)
    assert _plain(_run([EXAMPLES], healed, config)) == expected and healed.hits == 4


@pytest.mark.parametrize("field, value", [
    ("line", "13"),  # was an internal error
    ("end_column", True),
    ("severity", "fatal"),
    ("path", None),
    ("message", "forged\n::error file=README.md,line=1::owned"),  # printed raw
])
def test_an_entry_with_a_wrong_type_or_forged_text_is_a_miss(engine, tmp_path, field, value):
    config, folder = Config(), tmp_path / "cache"
    expected = _plain(_run([EXAMPLES], _cached(engine, config, folder), config))
    _edit_entries(folder, lambda entry: {**entry, "findings": [{**f, field: value} for f in entry["findings"]]})
    cached = _cached(engine, config, folder)
    assert _plain(_run([EXAMPLES], cached, config)) == expected
    assert cached.misses == 3  # the three examples with findings


def test_an_entry_moved_to_another_drafts_key_is_a_miss(engine, tmp_path, write):
    config, folder = Config(), tmp_path / "cache"
    draft = write("drafts/note.txt", THANKS)
    _run([draft], _cached(engine, config, folder), config)
    [old_entry] = folder.glob("*/*.json")
    draft.write_text(THANKS.replace(" What is the salary range for the role?", ""), encoding="utf-8")
    clean = _plain(_run([draft], _cached(engine, config, folder), config))
    [new_entry] = set(folder.glob("*/*.json")) - {old_entry}
    new_entry.write_bytes(old_entry.read_bytes())  # the old draft's findings under the new draft's key
    cached = _cached(engine, config, folder)
    assert _plain(_run([draft], cached, config)) == clean == ([], [])
    assert cached.hits == 0


def test_a_cache_signed_on_another_machine_is_not_used(engine, tmp_path, monkeypatch, machine_key_folder):
    # A cache committed to a repository was made with another machine's key: every entry misses.
    config, folder = Config(), tmp_path / "cache"
    expected = _plain(_run([EXAMPLES], _cached(engine, config, folder), config))
    key = machine_key_folder / "cache-key"
    assert key.is_file() and key.stat().st_mode & 0o077 == 0
    assert not [p for p in folder.rglob("*") if "key" in p.name]  # the key is not beside the entries
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-machine"))
    cached = _cached(engine, config, folder)
    assert _plain(_run([EXAMPLES], cached, config)) == expected and cached.hits == 0


def test_no_place_for_the_key_means_no_cache_with_a_notice(engine, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the user cache folder should be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    config, folder = Config(), tmp_path / "cache"
    cached = _cached(engine, config, folder)
    result = _run([EXAMPLES], cached, config)
    assert _plain(result) == _plain(lint([str(EXAMPLES)], config, LintOptions(), engine=engine))
    assert len(result.notices) == 1 and "cache key" in result.notices[0] and "without the cache" in result.notices[0]
    assert not list(folder.glob("*/*.json"))  # nothing stored unsigned


def test_cli_exit_status_from_an_edited_cache_is_the_fresh_one(tmp_path, write):
    draft = write("a.txt", THANKS)
    fresh = run_cli("--no-cache", str(draft), cwd=tmp_path)
    assert fresh.returncode == 1
    run_cli(str(draft), cwd=tmp_path)
    _edit_entries(tmp_path / FOLDER_NAME, lambda entry: {**entry, "findings": []})
    again = run_cli(str(draft), cwd=tmp_path)
    assert (again.returncode, again.stdout) == (1, fresh.stdout)
    assert b"corrupt cache entry was rebuilt" in again.stderr


# -- the command ----------------------------------------------------------------------------
def test_cli_caches_beside_the_config_file(tmp_path, write):
    write("project/.etiquette-lint.yaml", "fail-on: error\n")
    write("project/drafts/a.txt", THANKS)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    first = run_cli(str(tmp_path / "project" / "drafts"), cwd=elsewhere)
    second = run_cli(str(tmp_path / "project" / "drafts"), cwd=elsewhere)
    assert first.stdout == second.stdout and b"salary.before-offer" in first.stdout
    assert (tmp_path / "project" / FOLDER_NAME / ".gitignore").is_file()
    assert not (elsewhere / FOLDER_NAME).exists()
    assert first.stderr == second.stderr == b""


def test_cli_no_cache_and_cache_dir(tmp_path, write):
    draft = write("a.txt", THANKS)
    run_cli("--no-cache", str(draft), cwd=tmp_path)
    assert not (tmp_path / FOLDER_NAME).exists()
    run_cli("--cache-dir", str(tmp_path / "mine"), str(draft), cwd=tmp_path)
    assert not (tmp_path / FOLDER_NAME).exists()
    assert list((tmp_path / "mine").glob("*/*.json"))


def test_cli_reports_cache_trouble_on_stderr_and_still_lints(tmp_path, write):
    draft = write("a.txt", THANKS)
    blocker = write("blocker", "not a folder")
    result = run_cli("--cache-dir", str(blocker / "cache"), "--format", "json", str(draft), cwd=tmp_path)
    assert result.returncode == 1
    assert [f["rule"] for f in json.loads(result.stdout)] == ["salary.before-offer"]
    assert b"etiquette-lint: cannot write the cache" in result.stderr


def test_cli_standard_input_is_cached_by_content(tmp_path):
    first = run_cli("--format", "json", "-", cwd=tmp_path, stdin=THANKS.encode())
    second = run_cli("--format", "json", "-", cwd=tmp_path, stdin=THANKS.encode())
    other = run_cli("--format", "json", "-", cwd=tmp_path, stdin=b"Dear Ana,\n\nThank you for Monday.\n\nSam\n")
    assert json.loads(first.stdout) == json.loads(second.stdout) != json.loads(other.stdout)


# -- no spaCy on a fully cached run ------------------------------------------------------------
PROBE = """
import json, sys
from etiquette_lint.api import LintOptions, lint
result = lint(sys.argv[1:2], None, LintOptions(cache=True, cache_dir=sys.argv[2]))
print(json.dumps({"spacy": "spacy" in sys.modules, "textstat": "textstat" in sys.modules,
                  "findings": [f.as_dict() for f in result.findings]}))
"""


def _probe(folder: Path, cache: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, str(folder), str(cache)], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def test_a_fully_cached_run_imports_neither_spacy_nor_textstat(tmp_path):
    first = _probe(EXAMPLES, tmp_path / "cache")
    assert first["spacy"] and first["textstat"]  # the examples need both when linted afresh
    second = _probe(EXAMPLES, tmp_path / "cache")
    assert not second["spacy"] and not second["textstat"]
    assert second["findings"] == first["findings"]


def test_a_cache_dir_that_is_not_ours_gets_no_gitignore_and_no_pruning(engine, tmp_path):
    project = tmp_path / "project"
    old_run = project / "0123456789abcdef"  # looks like a run folder, but the user made it
    old_run.mkdir(parents=True)
    os.utime(old_run, (0, 0))
    _run([EXAMPLES / "good-thank-you.txt"], _cached(engine, Config(), project), Config())
    assert not (project / ".gitignore").exists() and not (project / "CACHEDIR.TAG").exists()
    assert old_run.is_dir()
    assert list(project.glob("*/*.json"))


def test_unused_run_folders_are_pruned_in_our_folder(engine, tmp_path):
    folder = tmp_path / "cache"
    _run([EXAMPLES / "good-thank-you.txt"], _cached(engine, Config(), folder), Config())
    stale = folder / "fedcba9876543210"
    stale.mkdir()
    os.utime(stale, (0, 0))
    other = Config(select=["salary"])  # another run key: a new run folder, which triggers pruning
    _run([EXAMPLES / "good-thank-you.txt"], _cached(build_engine(other, LintOptions()), other, folder), other)
    assert not stale.exists()
    assert len([p for p in folder.iterdir() if p.is_dir()]) == 2
