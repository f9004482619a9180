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
# Folder symlinks (item 8)

def test_a_folder_symlink_leaving_the_tree_is_not_followed(here):
    (here / "outside").mkdir()
    (here / "outside" / "system.txt").write_text(CLEAN)
    (here / "drafts").mkdir()
    (here / "drafts" / "a.txt").write_text(CLEAN)
    os.symlink(here / "outside", here / "drafts" / "usr-link")
    problems = []
    assert _paths(["drafts"], problems) == ["drafts/a.txt"]
    assert [(p.path, p.level) for p in problems] == [("drafts/usr-link", "warning")]
    assert "outside" in problems[0].message and "not followed" in problems[0].message


def test_folder_symlinks_inside_the_tree_and_a_linked_start_are_followed(here):
    (here / "drafts" / "real").mkdir(parents=True)
    (here / "drafts" / "real" / "a.txt").write_text(CLEAN)
    os.symlink("real", here / "drafts" / "alias")  # the same folder again: walked once
    os.symlink("..", here / "drafts" / "real" / "up")  # a loop, inside the tree
    (here / "elsewhere").mkdir()
    (here / "elsewhere" / "b.txt").write_text(CLEAN)
    os.symlink(here / "elsewhere", here / "start")  # given explicitly: its target is the tree
    problems = []
    assert _paths(["drafts", "start"], problems) == ["drafts/alias/a.txt", "start/b.txt"]
    assert problems == []


def test_a_file_symlink_given_explicitly_is_read(here):
    (here / "outside").mkdir()
    (here / "outside" / "a.txt").write_text(CLEAN)
    os.symlink(here / "outside" / "a.txt", here / "link.txt")
    assert _paths(["link.txt"]) == ["link.txt"]


def test_the_command_names_the_symlink_it_did_not_follow(here):
    (here / "outside").mkdir()
    (here / "outside" / "bad.txt").write_text("Dear [Name],\n")
    (here / "drafts").mkdir()
    (here / "drafts" / "a.txt").write_text(CLEAN)
    os.symlink(here / "outside", here / "drafts" / "usr-link")
    run = run_cli(*FAST, "drafts", cwd=here)
    assert run.returncode == 0, run.stderr.decode()  # a notice, not a failure
    assert run.stdout.decode() == "No problems in 1 draft.\n"
    assert run.stderr.decode().startswith("drafts/usr-link: warning: folder symlink")


# Nothing lost silently (item 9)

def _long_folder(root, levels: int = 20, width: int = 250):
    """A tree whose deepest folder's path is longer than the system allows (PATH_MAX 4096),
    made one level at a time through folder descriptors."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for level in range(levels):
            name = f"{level:02d}" + "d" * (width - 2)
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
        with open(os.open("lost.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as handle:
            handle.write(CLEAN)
    finally:
        os.close(fd)


def test_a_folder_with_an_over_long_path_is_reported(here):
    (here / "drafts").mkdir()
    (here / "drafts" / "a.txt").write_text(CLEAN)
    _long_folder(here / "drafts")
    problems = []
    assert _paths(["drafts"], problems) == ["drafts/a.txt"]
    assert len(problems) == 1 and problems[0].level == "error"
    assert problems[0].path.startswith("drafts/00d") and len(problems[0].path) > 4096
    assert "cannot be read" in problems[0].message


def test_the_command_fails_on_a_folder_it_could_not_read(here):
    (here / "drafts").mkdir()
    (here / "drafts" / "a.txt").write_text(CLEAN)
    _long_folder(here / "drafts")
    run = run_cli(*FAST, "drafts", cwd=here)
    err = run.stderr.decode()
    assert run.returncode == 1, err  # drafts were lost: the run must not pass
    assert len(err.splitlines()) == 1 and ": error: folder cannot be read" in err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_folder_is_reported(here):
    (here / "drafts" / "locked").mkdir(parents=True)
    (here / "drafts" / "locked" / "a.txt").write_text(CLEAN)
    os.chmod(here / "drafts" / "locked", 0)
    try:
        problems = []
        assert _paths(["drafts"], problems) == []
        assert [(p.path, p.level) for p in problems] == [("drafts/locked", "error")]
    finally:
        os.chmod(here / "drafts" / "locked", 0o755)


def test_a_very_deep_tree_is_walked(here):
    folder = "deep"
    os.mkdir(folder)
    for _ in range(1100):  # deeper than Python's recursion limit
        folder = os.path.join(folder, "d")
        os.mkdir(folder)
    with open(os.path.join(folder, "bottom.txt"), "w") as handle:
        handle.write(CLEAN)
    try:
        problems = []
        assert _paths(["deep"], problems) == [os.path.join(folder, "bottom.txt")]
        assert problems == []
    finally:  # bottom up, since pytest's recursive clean-up cannot remove a tree this deep
        os.remove(os.path.join(folder, "bottom.txt"))
        while folder:
            os.rmdir(folder)
            folder = os.path.dirname(folder)


def test_the_walk_keeps_its_order_and_skips(here):
    for name in ["b/z.txt", "b/a.md", "a/c/x.eml", "a/y.txt", ".hidden/h.txt", "node_modules/n.txt", "a/.h.txt", "a/notes.pdf"]:
        (here / name).parent.mkdir(parents=True, exist_ok=True)
        (here / name).write_text(CLEAN)
    assert _paths(["."]) == ["a/y.txt", "a/c/x.eml", "b/a.md", "b/z.txt"]
