"""A coaching repository's own docs are not drafts (issue 13, item 5): README, CHANGELOG,
CONTRIBUTING, LICENSE and docs/ are skipped when a folder is walked, unless named; `exclude:`
replaces that list and `extend-exclude:` adds to it, as in ruff; `--force-exclude` (which the
pre-commit hook uses) applies the list to files named on the command line too."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_cli

PLACEHOLDER = "[Company]"
# What the user's README held: an example draft with a slot, and salary talk.
README = f"# Job search\n\nExample: Dear {PLACEHOLDER} team, what is the salary range and the annual bonus?\n"
DRAFT = f"Dear {PLACEHOLDER} team,\n\nThank you for the interview.\n"
FAST = ["--select", "personalisation.placeholder", "--no-cache"]


@pytest.fixture
def coaching_repo(tmp_path) -> Path:
    for name in ("README.md", "CHANGELOG.md", "CONTRIBUTING.md", "LICENSE.txt", "docs/guide.md", "docs/deep/notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(README, encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "acme-thank-you.txt").write_text(DRAFT, encoding="utf-8")
    return tmp_path


def _linted(run) -> set[str]:
    return {line.split(":", 1)[0] for line in run.stdout.decode().splitlines() if re.match(r"^\S+:\d+:\d+: ", line)}


def test_walking_the_repository_lints_drafts_not_its_docs(coaching_repo):
    run = run_cli(*FAST, ".", cwd=coaching_repo)
    assert run.returncode == 1, run.stderr.decode()
    assert _linted(run) == {"drafts/acme-thank-you.txt"}
    assert "in 1 file" in run.stdout.decode()


def test_a_doc_named_on_the_command_line_is_linted(coaching_repo):
    run = run_cli(*FAST, "README.md", cwd=coaching_repo)
    assert _linted(run) == {"README.md"}


def test_force_exclude_skips_named_docs_too_and_says_so(coaching_repo):
    run = run_cli(*FAST, "--force-exclude", "README.md", "docs/guide.md", "drafts/acme-thank-you.txt", cwd=coaching_repo)
    assert _linted(run) == {"drafts/acme-thank-you.txt"}
    only_docs = run_cli(*FAST, "--force-exclude", "README.md", "CHANGELOG.md", cwd=coaching_repo)
    assert only_docs.returncode == 0, only_docs.stderr.decode()  # excluded on purpose: not a failure
    assert "2 files named are excluded" in only_docs.stderr.decode()


def test_exclude_replaces_the_defaults_and_extend_exclude_adds(coaching_repo):
    config = coaching_repo / ".etiquette-lint.yaml"
    config.write_text("exclude: [docs]\n", encoding="utf-8")
    assert _linted(run_cli(*FAST, ".", cwd=coaching_repo)) == {
        "CHANGELOG.md", "CONTRIBUTING.md", "LICENSE.txt", "README.md", "drafts/acme-thank-you.txt"}

    (coaching_repo / "drafts" / "old").mkdir()
    (coaching_repo / "drafts" / "old" / "sent.txt").write_text(DRAFT, encoding="utf-8")
    config.write_text('extend-exclude: ["drafts/old/**"]\n', encoding="utf-8")
    assert _linted(run_cli(*FAST, ".", cwd=coaching_repo)) == {"drafts/acme-thank-you.txt"}
    # Globs with a slash are relative to the config file, wherever the command runs.
    assert _linted(run_cli(*FAST, ".", cwd=coaching_repo / "drafts")) == {"acme-thank-you.txt"}


def test_force_exclude_can_be_set_in_the_config(coaching_repo):
    (coaching_repo / ".etiquette-lint.yaml").write_text("force-exclude: true\n", encoding="utf-8")
    assert _linted(run_cli(*FAST, "README.md", "drafts/acme-thank-you.txt", cwd=coaching_repo)) == {"drafts/acme-thank-you.txt"}


@pytest.mark.parametrize("text, message", [
    ("exclude: {docs: 1}\n", "exclude: should be a list of strings"),
    ("extend-exclude: [1]\n", "extend-exclude: should be a list of strings"),
    ("force-exclude: maybe\n", "force-exclude: should be true or false"),
])
def test_bad_exclude_settings_are_configuration_errors(coaching_repo, text, message):
    (coaching_repo / ".etiquette-lint.yaml").write_text(text, encoding="utf-8")
    run = run_cli(*FAST, ".", cwd=coaching_repo)
    assert run.returncode == 2
    assert message in run.stderr.decode()


def test_the_hook_skips_the_default_docs_and_keeps_drafts():
    hook = next(h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
                if h["id"] == "etiquette-lint")
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    picked = lambda name: bool(files.search(name)) and not exclude.search(name)  # noqa: E731 (pre-commit's own test)
    assert not any(picked(name) for name in (
        "README.md", "docs/guide.md", "sub/docs/a.txt", "CHANGELOG.md", "CONTRIBUTING.md", "LICENSE.txt", "notes/readme.txt"))
    assert all(picked(name) for name in (
        "drafts/acme.txt", "drafts/readme-company-thanks.md", "acme.eml", "documents/x.md", "drafts/offer.docx", "x.html"))
    assert "--force-exclude" in hook["entry"].split()
