"""The findings on every labelled draft, pinned: a change to the rules' *format* (term lists,
signals, derived triggers) must give exactly the findings it gave before, span for span.

A change meant to alter detection updates the snapshot on purpose and shows the diff in its
commit: `ETIQUETTE_UPDATE_SNAPSHOT=1 .venv/bin/python -m pytest tests/test_findings_snapshot.py`.
The snapshot covers tests/cases/, the shared dev corpus (when it is beside the checkout) and
examples/drafts/; it records, per file, each finding's rule and span."""
from __future__ import annotations

import json
import os
from pathlib import Path

from etiquette_lint.api import LintOptions, lint
from etiquette_lint.config import Config

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = Path(__file__).parent / "golden" / "findings-snapshot.json"
FOLDERS = {"cases": ROOT / "tests" / "cases", "dev": ROOT.parent / "shared" / "corpus" / "dev", "examples": ROOT / "examples" / "drafts"}


def _key(folder: str, path: str) -> str:
    return f"{folder}/{Path(path).resolve().relative_to(FOLDERS[folder].resolve()).as_posix()}"


def current(engine, folders: dict[str, Path]) -> dict[str, list[list]]:
    found: dict[str, list[list]] = {}
    for name, folder in folders.items():
        result = lint([str(folder)], Config(), LintOptions(), engine=engine)
        for f in result.findings:
            found.setdefault(_key(name, f.path), []).append([f.rule, f.line, f.column, f.end_line, f.end_column])
    return {k: sorted(v) for k, v in sorted(found.items())}


def test_findings_match_the_snapshot(engine):
    folders = {k: v for k, v in FOLDERS.items() if v.is_dir()}
    got = current(engine, folders)
    if os.environ.get("ETIQUETTE_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(got, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    pinned = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    pinned = {k: v for k, v in pinned.items() if k.split("/")[0] in folders}
    # A case folder the snapshot has never seen (a new round) joins it when the snapshot is updated.
    pinned_folders = {k.rsplit("/", 1)[0] for k in pinned}
    got = {k: v for k, v in got.items() if k in pinned or k.rsplit("/", 1)[0] in pinned_folders}
    missing = {k: [f for f in v if f not in got.get(k, [])] for k, v in pinned.items()}
    extra = {k: [f for f in v if f not in pinned.get(k, [])] for k, v in got.items()}
    assert {k: v for k, v in missing.items() if v} == {}, "findings lost"
    assert {k: v for k, v in extra.items() if v} == {}, "findings gained"
