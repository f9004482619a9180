"""Rewrite a round's known-misses.yaml from what the linter does now: every labelled draft it
still gets wrong, with what is wrong, kept as a strict xfail by tests/test_labelled_cases.py.
Run after a round's first pass is recorded (docs/quality.md), never instead of fixing.
    .venv/bin/python tools/known_misses.py tests/cases/redteam-s"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from score_cases import fired_by_file, score  # noqa: E402

HEADER = ("# Drafts of this round the linter still gets wrong (its first pass is in docs/quality.md),\n"
          "# kept as strict xfails until a mechanism that catches their kind lands.\n")


def main(folders: list[Path]) -> None:
    fired = fired_by_file(folders, [str(ROOT / ".venv" / "bin" / "etiquette-lint")])
    for folder in folders:
        _, wrong = score([folder], fired)
        by_file: dict[str, list[str]] = {}
        for line in wrong:
            kind, category, name = line.split()
            by_file.setdefault(name.split("/", 1)[1], []).append(f"{'missed' if kind == 'miss' else 'false alarm'} {category}")
        target = folder / "known-misses.yaml"
        if by_file:
            target.write_text(HEADER + "".join(f"{f}: {', '.join(v)}\n" for f, v in sorted(by_file.items())), encoding="utf-8")
        elif target.exists():
            target.unlink()
        print(f"{folder.name}: {len(by_file)} known misses")


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]])
