"""The pasted set-ups name a release that exists (issue 13, items 1 and 2): the README's
pre-commit `rev:` and docs/ci.md's pinned install are the tag `v<version>` of this package,
present in the repository and carried by `git clone`. The slow tests that install from those
snippets are in test_precommit.py (the hook) and test_action_and_docs.py (pip)."""
from __future__ import annotations

import re
import subprocess
import tomllib

import pytest

from conftest import ROOT

VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
TAG = f"v{VERSION}"


def readme_precommit_snippet() -> str:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## pre-commit\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```yaml\n(repos:.*?)```", section, re.DOTALL).group(1)


def test_the_readme_snippet_pins_this_versions_tag():
    assert re.search(rf"^\s+rev: {re.escape(TAG)}$", readme_precommit_snippet(), re.MULTILINE)


def test_the_ci_recipes_pin_this_versions_tag():
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    installs = re.findall(r"pip install .*", text)
    assert installs and all(f"@{TAG}" in line for line in installs), installs


def _git(*args: str, cwd=ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=True).stdout.strip()


def checkout_has_tags() -> bool:
    """A checkout made without tags (a CI system that fetches one branch and no tags) cannot show
    the release tag; a normal `git clone` of this repository has it."""
    return bool(_git("tag", "--list"))


def tag_release_if_checkout_has_none(clone) -> None:
    """In a clone of a tag-less checkout, tag HEAD as the release, so the tests that install from
    the README's and docs/ci.md's own text still run them (the tag's existence is checked above)."""
    if not checkout_has_tags() and not _git("tag", "--list", TAG, cwd=clone):
        _git("tag", TAG, cwd=clone)


def test_the_tag_exists_is_carried_by_a_clone_and_names_this_version(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a Git checkout")
    if not checkout_has_tags():
        pytest.skip("this checkout was made without tags; `git clone` of the repository carries v" + VERSION)
    assert _git("tag", "--list", TAG) == TAG, f"no tag {TAG}: create it (git tag -a {TAG}) when the version is released"
    _git("clone", "--quiet", str(ROOT), str(tmp_path / "clone"))
    assert _git("tag", "--list", TAG, cwd=tmp_path / "clone") == TAG
    tagged = tomllib.loads(_git("show", f"{TAG}:pyproject.toml"))["project"]["version"]
    assert tagged == VERSION
