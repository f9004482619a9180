"""Findings now against tests/golden/findings-snapshot.json, for the rules whose id starts
with one of the given prefixes (all rules when none are given): what a rule-format change
lost or gained, file by file. Used while migrating a pack; the test suite checks all rules.
    .venv/bin/python tools/snapshot_diff.py salary criticism"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from etiquette_lint.api import LintOptions, build_engine
from etiquette_lint.config import Config
from etiquette_lint.ruleset import load_ruleset

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from test_findings_snapshot import FOLDERS, SNAPSHOT, current  # noqa: E402


def main(prefixes: list[str]) -> int:
    engine = build_engine(Config(), LintOptions(), load_ruleset())
    folders = {k: v for k, v in FOLDERS.items() if v.is_dir()}
    wanted = lambda finding: not prefixes or any(finding[0].startswith(p) for p in prefixes)  # noqa: E731
    got = {k: [f for f in v if wanted(f)] for k, v in current(engine, folders).items()}
    pinned = {k: [f for f in v if wanted(f)] for k, v in json.loads(SNAPSHOT.read_text()).items() if k.split("/")[0] in folders}
    diffs = 0
    pinned_folders = {k.rsplit("/", 1)[0] for k in pinned}
    for key in sorted(set(got) | set(pinned)):
        if key not in pinned and key.rsplit("/", 1)[0] not in pinned_folders:
            continue  # a folder the snapshot has never seen (a new round)
        lost = [f for f in pinned.get(key, []) if f not in got.get(key, [])]
        gained = [f for f in got.get(key, []) if f not in pinned.get(key, [])]
        for f in lost:
            print(f"LOST   {key}: {f}")
        for f in gained:
            print(f"GAINED {key}: {f}")
        diffs += len(lost) + len(gained)
    print(f"{diffs} differences")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
