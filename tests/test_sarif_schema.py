"""The SARIF tests validate against the OASIS schema kept in this repository (tests/data/), so
they run, not skip, wherever the repository is cloned (issue 13, item 10: in a fresh clone they
skipped with "schema not found at .../shared/...")."""
from __future__ import annotations

import inspect
import json
import subprocess
import sys

import pytest

import test_action_and_docs
import test_reporters
from conftest import ROOT, SARIF_SCHEMA

OFFICIAL_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def test_the_schema_is_vendored_with_its_source_and_licence():
    assert SARIF_SCHEMA.is_file() and SARIF_SCHEMA.resolve().is_relative_to(ROOT.resolve())
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"] == OFFICIAL_ID and schema["properties"]["version"]["enum"] == ["2.1.0"]
    import jsonschema

    jsonschema.validators.validator_for(schema).check_schema(schema)
    readme = (SARIF_SCHEMA.parent / "README.md").read_text(encoding="utf-8")
    assert OFFICIAL_ID in readme and "OASIS" in readme and "licen" in readme.lower()


def test_every_sarif_test_reads_the_vendored_schema():
    assert test_reporters.SARIF_SCHEMA == SARIF_SCHEMA
    for source in (inspect.getsource(test_reporters), inspect.getsource(test_action_and_docs)):
        assert "SHARED" not in source and "skip(f\"SARIF schema" not in source


@pytest.mark.slow
def test_sarif_tests_run_in_a_fresh_clone(tmp_path):
    """What the user did: clone the repository alone (no ../shared beside it) and run the
    SARIF tests. None may skip. (Clones the last commit: commit before running it.)"""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    assert not (clone.parent / "shared").exists()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                          "tests/test_reporters.py", "-k", "sarif"],
                         cwd=clone, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "skipped" not in run.stdout and " passed" in run.stdout, run.stdout[-3000:]
