"""Shared fixtures: one real rule set and one real engine (spaCy pipeline) per test session."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from etiquette_lint.api import LintOptions, build_engine
from etiquette_lint.config import Config
from etiquette_lint.ruleset import load_ruleset

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# The OASIS SARIF 2.1.0 schema, kept in the repository (tests/data/README.md names its source).
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="session")
def ruleset():
    return load_ruleset()


@pytest.fixture(scope="session")
def engine(ruleset):
    """The shipped rules on the real pipeline, loaded once for the whole session."""
    return build_engine(Config(), LintOptions(), ruleset)


@pytest.fixture
def write(tmp_path):
    """write("name.txt", text or bytes) -> path of a real file in a temporary folder."""

    def _write(name: str, content) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


def run_cli(*args: str, cwd: str | os.PathLike | None = None, stdin: bytes | None = None, env: dict | None = None):
    """The installed command in a real subprocess (what users and hooks run)."""
    command = [sys.executable, "-m", "etiquette_lint", *args]
    merged = {**os.environ, **(env or {})}
    merged.pop("GITHUB_ACTIONS", None) if env is None or "GITHUB_ACTIONS" not in env else None
    return subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, env=merged, timeout=300)


def generate_drafts(folder, count: int, seed: int):
    """Realistic drafts from the benchmark's generator (benchmarks/drafts.py), written to `folder`."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from drafts import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return generate(folder, count, seed=seed)


def yaml_strings(node, path: str = ""):
    """(path, text) for every string in loaded YAML, with a path like `.rules[0].message`."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from yaml_strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from yaml_strings(value, f"{path}[{index}]")
    elif isinstance(node, str):
        yield path, node
