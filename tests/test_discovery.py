"""Which files a run lints (drafts/discovery.py), on real files in a temporary folder.

Issue 14: the same draft given twice is linted once (item 10); folder symlinks leaving the
starting folder are not followed (item 8); a folder the walk cannot enter is reported, and a
deep tree is walked without recursion (item 9)."""
from __future__ import annotations

import os

import pytest

from conftest import run_cli
from etiquette_lint.drafts.discovery import discover

CLEAN = "Dear Priya,\n\nThank you for the conversation about the dashboard.\n"
FAST = ["--select", "personalisation.placeholder"]


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _paths(paths, problems=None):
    sources = discover(paths) if problems is None else discover(paths, problems=problems)
    return [source.path for source in sources]


# The same draft twice (item 10)

def test_a_draft_named_twice_is_read_once(here):
    (here / "x.txt").write_text(CLEAN)
    assert _paths(["x.txt", "./x.txt", os.path.abspath("x.txt")]) == ["x.txt"]


def test_a_draft_in_a_folder_and_named_alone_is_read_once(here):
    (here / "drafts").mkdir()
    (here / "drafts" / "a.txt").write_text(CLEAN)
    (here / "drafts" / "b.txt").write_text(CLEAN)
    assert _paths(["drafts", "drafts/a.txt", "./drafts/"]) == ["drafts/a.txt", "drafts/b.txt"]


def test_links_to_one_draft_are_one_draft(here):
    (here / "x.txt").write_text(CLEAN)
    os.symlink("x.txt", here / "link.txt")
    os.link(here / "x.txt", here / "hard.txt")
    assert _paths(["x.txt", "link.txt", "hard.txt"]) == ["x.txt"]


def test_the_command_lints_a_draft_named_twice_once(here):
    (here / "x.txt").write_text(CLEAN)
    run = run_cli(*FAST, "x.txt", "./x.txt", cwd=here)
    assert run.returncode == 0, run.stderr.decode()
    assert run.stdout.decode() == "No problems in 1 draft.\n"
