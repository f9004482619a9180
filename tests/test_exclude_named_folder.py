"""A folder named on the command line is linted even if its name is excluded (as ruff lints a
path it is given): the default `docs` exclusion must not empty `etiquette-lint some/docs`,
which is where the shared dev corpus keeps its drafts. Folders the walk meets below it still
are excluded."""
from __future__ import annotations

from conftest import run_cli

THANKS = "Dear Ms Smith,\n\nThank you for the interview on Tuesday about the data role.\n\nBest,\nAli\n"
PLACEHOLDER = "Dear [Name],\n\nThank you for the interview about the role at [Company].\n\nBest,\nAli\n"


def test_a_named_docs_folder_is_linted(tmp_path):
    drafts = tmp_path / "corpus" / "docs"
    drafts.mkdir(parents=True)
    (drafts / "a.txt").write_text(PLACEHOLDER)
    done = run_cli("--no-cache", str(drafts), cwd=tmp_path)
    out = done.stdout.decode()
    assert done.returncode == 1, done.stderr.decode()
    assert "a.txt" in out and "placeholder" in out


def test_a_docs_folder_below_the_named_one_is_skipped(tmp_path):
    (tmp_path / "drafts" / "docs").mkdir(parents=True)
    (tmp_path / "drafts" / "ok.txt").write_text(THANKS)
    (tmp_path / "drafts" / "docs" / "template.txt").write_text(PLACEHOLDER)
    done = run_cli("--no-cache", str(tmp_path / "drafts"), cwd=tmp_path)
    said = (done.stdout + done.stderr).decode()
    assert "template.txt" not in said
    assert "1 draft" in said
