"""The pre-commit hook for real: a temporary Git repository whose .pre-commit-config.yaml
points at a clone of this checkout's HEAD (`repo:` a local path, `rev:` its commit), run with
the real `pre-commit`, which builds its own environment from the package registry. That takes
minutes the first time, so the module is marked slow (`-m "not slow"` skips it).

Uncommitted changes in the working tree are not part of the hook: commit before running this."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent  # the checkout this test file belongs to
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
}

GOOD = """\
---
to: Priya Raman <priya.raman@northwind.example>
company: Northwind Analytics
role: Data Analyst
type: thank-you
interview_date: 2026-11-02
date: 2026-11-03
---
Dear Priya,

Thank you for taking the time to meet with me yesterday. I especially enjoyed our
discussion of how your team rebuilt the weekly churn dashboard in dbt, and your point
that most of the value came from agreeing on one definition of an active customer.

It made me even more excited about the Data Analyst role. I'd be glad to send the
cohort-analysis notebook I mentioned if it would be useful.

Best regards,
Sam Okafor
"""
BAD = GOOD.replace("Dear Priya,", "Dear [Interviewer's Name],")


def _follow_up(date: str, text: str, type_: str = "follow-up") -> str:
    return textwrap.dedent(f"""\
        ---
        to: Ana Lopes <ana.lopes@acme.example>
        company: Acme Freight
        type: {type_}
        interview_date: 2026-11-03
        date: {date}
        ---
        Hi Ana,

        {text}

        Best regards,
        Sam Okafor
        """)


def _environment(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT", "VIRTUAL_ENV"))}
    env.pop("GITHUB_ACTIONS", None)
    env.update(GIT_ENV, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    return env


def _git(*args: str, cwd: Path, env: dict) -> str:
    done = subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout.strip()


def _pre_commit(repo: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--color", "never", *args],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=1800)


@pytest.fixture(scope="module")
def hook(tmp_path_factory):
    """(clone of this checkout's HEAD, its commit, environment with a private PRE_COMMIT_HOME)."""
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a Git checkout; the hook is installed from a commit")
    base = tmp_path_factory.mktemp("precommit")
    env = _environment(base / "pre-commit-home")
    clone = base / "etiquette-lint"
    _git("clone", "--quiet", str(ROOT), str(clone), cwd=base, env=env)
    sha = _git("rev-parse", "HEAD", cwd=clone, env=env)
    return clone, sha, env


@pytest.fixture
def user_repo(tmp_path, hook):
    """A job seeker's repository with a drafts/ folder and the hook configured."""
    clone, sha, env = hook
    repo = tmp_path / "job-search"
    (repo / "drafts").mkdir(parents=True)
    _git("init", "--quiet", cwd=repo, env=env)
    (repo / ".pre-commit-config.yaml").write_text(textwrap.dedent(f"""\
        repos:
          - repo: {clone.as_posix()}
            rev: {sha}
            hooks:
              - id: etiquette-lint
        """), encoding="utf-8")
    (repo / ".gitignore").write_text(".etiquette-lint-cache/\n", encoding="utf-8")
    return repo, env


def test_hook_definition_matches_the_contract():
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "etiquette-lint")
    assert hook["language"] == "python" and hook["entry"].split()[0] == "etiquette-lint" and hook["require_serial"] is True
    assert hook["entry"].split()[-1] == "--" and "args" not in hook  # file names are never options (issue 14, item 6)
    import re

    files = re.compile(hook["files"])
    assert all(files.search(name) for name in ("a.txt", "drafts/b.md", "c.eml"))
    assert not any(files.search(name) for name in ("a.py", "notes.txt.bak", "README.rst"))


def test_all_files_fails_on_a_bad_draft_and_passes_once_fixed(user_repo):
    repo, env = user_repo
    draft = repo / "drafts" / "2026-11-03-northwind-thank-you.txt"
    draft.write_text(BAD, encoding="utf-8")
    # The repository's own documents are not drafts (issue 13, item 5), even with a slot in them.
    (repo / "README.md").write_text("Example: Dear [Company] team, what is the salary range?\n", encoding="utf-8")
    (repo / "docs").mkdir()
    (repo / "docs" / "how-to.md").write_text("Dear [Name], what is the salary range?\n", encoding="utf-8")
    _git("add", "-A", cwd=repo, env=env)

    failed = _pre_commit(repo, env, "--all-files")
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "etiquette-lint" in output and "Failed" in output
    assert "drafts/2026-11-03-northwind-thank-you.txt:9:6: error [personalisation.placeholder]" in output
    assert "README.md:" not in output and "how-to.md:" not in output

    draft.write_text(GOOD, encoding="utf-8")
    _git("add", "-A", cwd=repo, env=env)
    passed = _pre_commit(repo, env, "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_staged_follow_up_is_checked_against_its_unstaged_siblings(user_repo):
    repo, env = user_repo
    drafts = repo / "drafts"
    (drafts / "acme-1-thank-you.txt").write_text(_follow_up(
        "2026-11-04", "Thank you for the interview yesterday and for the tour of the depot.", "thank-you"), encoding="utf-8")
    (drafts / "acme-2-follow-up.txt").write_text(_follow_up(
        "2026-11-11", "I wanted to ask whether there is an update on the timeline for the role."), encoding="utf-8")
    _git("add", "-A", cwd=repo, env=env)
    _git("commit", "--quiet", "--no-verify", "-m", "earlier messages", cwd=repo, env=env)

    new = drafts / "acme-3-follow-up.txt"
    new.write_text(_follow_up("2026-11-13", "Is there any news on the timeline for the role?"), encoding="utf-8")
    _git("add", str(new.relative_to(repo)), cwd=repo, env=env)

    run = _pre_commit(repo, env)  # staged files only: pre-commit passes just the new draft
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "drafts/acme-3-follow-up.txt:6:1: warning [followup.cadence]" in output
    assert "acme-2-follow-up.txt:" not in output and "acme-1-thank-you.txt:" not in output  # siblings only inform

    # A week after the earlier follow-up is fine, and the hook passes.
    new.write_text(_follow_up("2026-11-19", "Is there any news on the timeline for the role?"), encoding="utf-8")
    _git("add", str(new.relative_to(repo)), cwd=repo, env=env)
    again = _pre_commit(repo, env)
    assert again.returncode == 0, again.stdout + again.stderr


def test_a_file_named_like_an_option_is_a_file_not_an_option(user_repo):
    """Issue 14, item 6: a committed file named `--config=evil.txt` made etiquette-lint read
    evil.txt as its config (which ignored every category), and the hook passed."""
    repo, env = user_repo
    (repo / "drafts" / "thank-you.txt").write_text(BAD, encoding="utf-8")
    (repo / "evil.txt").write_text("ignore: [salary, criticism, desperation, personalisation, followup]\n", encoding="utf-8")
    (repo / "--config=evil.txt").write_text("Thank you for the tour.\n", encoding="utf-8")
    _git("add", "-A", cwd=repo, env=env)

    run = _pre_commit(repo, env, "--all-files")
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "Failed" in output and "drafts/thank-you.txt:9:6: error [personalisation.placeholder]" in output


def test_the_readme_snippet_installs_and_runs_as_pasted(hook, tmp_path):
    """Issue 13, item 1: the README's `rev: v0.1.0` did not exist. The snippet, as the README
    has it, with only the repository URL pointed at a clone of this checkout."""
    from test_release import TAG, readme_precommit_snippet, tag_release_if_checkout_has_none

    clone, _, env = hook
    tag_release_if_checkout_has_none(clone)
    assert _git("tag", "--list", TAG, cwd=clone, env=env) == TAG  # git clone carries the tag
    snippet = readme_precommit_snippet()
    assert "https://github.com/OWNER/etiquette-lint" in snippet
    repo = tmp_path / "job-search"
    (repo / "drafts").mkdir(parents=True)
    _git("init", "--quiet", cwd=repo, env=env)
    (repo / ".pre-commit-config.yaml").write_text(
        snippet.replace("https://github.com/OWNER/etiquette-lint", clone.as_posix()), encoding="utf-8")
    (repo / "drafts" / "thank-you.txt").write_text(BAD, encoding="utf-8")
    _git("add", "-A", cwd=repo, env=env)

    run = _pre_commit(repo, env, "--all-files")
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "drafts/thank-you.txt:9:6: error [personalisation.placeholder]" in output
