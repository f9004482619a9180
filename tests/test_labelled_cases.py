"""Our own labelled drafts (tests/cases/): each must fire exactly the categories its label
lists among the five, and stay silent on the rest. One case per failure mode we found."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from etiquette_lint.api import LintOptions, lint
from etiquette_lint.config import Config

CASES = Path(__file__).parent / "cases"


def _labels() -> dict[str, list[str]]:
    """Every labels.yaml under tests/cases/, its keys made relative to tests/cases/."""
    labels: dict[str, list[str]] = {}
    for file in sorted(CASES.rglob("labels.yaml")):
        prefix = file.parent.relative_to(CASES).as_posix()
        for key, value in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).items():
            labels[key if prefix == "." else f"{prefix}/{key}"] = value
    return labels


LABELS = _labels()
CATEGORIES = ("salary", "criticism", "desperation", "personalisation", "followup")


@pytest.fixture(scope="module")
def fired(engine):
    result = lint([str(CASES)], Config(), LintOptions(), engine=engine)
    by_file: dict[str, set[str]] = {}
    for finding in result.findings:
        by_file.setdefault(Path(finding.path).relative_to(CASES).as_posix(), set()).add(finding.category)
    return by_file


def test_every_case_file_is_labelled():
    files = {p.relative_to(CASES).as_posix() for p in CASES.rglob("*") if p.suffix in (".txt", ".md", ".eml")}
    assert files == set(LABELS)


@pytest.mark.parametrize("case", sorted(LABELS))
def test_case(fired, case):
    got = fired.get(case, set()) & set(CATEGORIES)
    assert got == set(LABELS[case]), f"{case}: fired {sorted(got)}, expected {sorted(LABELS[case])}"
