"""Score labelled case folders (tests/cases/<round>/labels.yaml) per category: precision,
recall, and the misses by file. The first pass of a fresh round is recorded with this before
any rule changes:  .venv/bin/python benchmarks/score_cases.py tests/cases/redteam-r"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import yaml

CATEGORIES = ("salary", "criticism", "desperation", "personalisation", "followup")
ROOT = Path(__file__).resolve().parent.parent


def fired_by_file(folders: list[Path], command: list[str]) -> dict[str, set[str]]:
    run = subprocess.run(command + ["--format", "json", "--no-cache", "--exit-zero", *map(str, folders)],
                         capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):  # a broken rule or list: say so, never score it as "nothing fired"
        sys.exit(f"the linter failed (exit {run.returncode}):\n{run.stderr}")
    fired: dict[str, set[str]] = {}
    for finding in json.loads(run.stdout or "[]"):
        fired.setdefault(str(Path(finding["path"]).resolve()), set()).add(finding["category"])
    return fired


def score(folders: list[Path], fired: dict[str, set[str]]) -> tuple[dict, list[str]]:
    counts = {c: {"tp": 0, "fp": 0, "fn": 0, "pos": 0} for c in CATEGORIES}
    wrong = []
    for folder in folders:
        labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8")) or {}
        for name, expected in labels.items():
            got = fired.get(str((folder / name).resolve()), set()) & set(CATEGORIES)
            for c in CATEGORIES:
                want = c in (expected or [])
                counts[c]["pos"] += want
                if want and c in got:
                    counts[c]["tp"] += 1
                elif want:
                    counts[c]["fn"] += 1
                    wrong.append(f"miss  {c:15} {folder.name}/{name}")
                elif c in got:
                    counts[c]["fp"] += 1
                    wrong.append(f"false {c:15} {folder.name}/{name}")
    return counts, wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--cmd", default=str(ROOT / ".venv" / "bin" / "etiquette-lint"))
    args = parser.parse_args()
    counts, wrong = score(args.folders, fired_by_file(args.folders, args.cmd.split()))
    print(f"{'category':16} {'pos':>4} {'P':>6} {'R':>6}")
    for c, n in counts.items():
        p = n["tp"] / (n["tp"] + n["fp"]) if n["tp"] + n["fp"] else 1.0
        r = n["tp"] / n["pos"] if n["pos"] else 1.0
        print(f"{c:16} {n['pos']:>4} {p:6.2f} {r:6.2f}   ({n['tp']} caught, {n['fn']} missed, {n['fp']} false alarms)")
    print("\n".join(wrong), file=sys.stdout)


if __name__ == "__main__":
    main()
