"""Leave one round out: how the learned layer does on a red-team round it never saw.

For each round (a folder under tests/cases/ with its own labels.yaml), train the learned layer
on every other round, the top-level cases and the dev corpus (training/train.py --hold-out),
then lint the held round with the real linter using that model, and score it per category.
Printed: precision and recall per category for the rules alone and for rules + learned layer,
summed over the held rounds (micro) and averaged over rounds (macro).

    .venv/bin/python benchmarks/leave_one_round_out.py                 # every round (~20 trainings)
    .venv/bin/python benchmarks/leave_one_round_out.py redteam-r real-a

The rules were themselves fixed on every round before redteam-r, so "rules alone" on those
rounds is not a held-out figure; rounds redteam-r and real-a had their first pass recorded
before any fix (docs/quality.md)."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from score_cases import CATEGORIES, score  # noqa: E402

CASES = ROOT / "tests" / "cases"
LEARNED_RULES = ("salary.learned", "criticism.learned", "desperation.learned", "followup.learned")


def rounds() -> list[str]:
    return sorted(p.parent.name for p in CASES.glob("*/labels.yaml"))


def lint(folder: Path, model: Path | None, config: Path | None = None) -> dict[str, set[str]]:
    """path -> categories fired; with `model`, the learned rules read that model."""
    env = dict(os.environ)
    command = [sys.executable, "-m", "etiquette_lint", "--format", "json", "--no-cache", "--exit-zero", str(folder)]
    if config is not None:
        command[3:3] = ["--config", str(config)]
    if model is None:
        command[3:3] = ["--ignore", ",".join(LEARNED_RULES)]
    else:
        env["ETIQUETTE_LINT_LEARNED_MODEL"] = str(model)
    run = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    fired: dict[str, set[str]] = {}
    for finding in json.loads(run.stdout or "[]"):
        fired.setdefault(str(Path(finding["path"]).resolve()), set()).add(finding["category"])
    return fired


def _add(total: dict, counts: dict) -> None:
    for c, n in counts.items():
        for k, v in n.items():
            total.setdefault(c, {}).setdefault(k, 0)
            total[c][k] += v


def _pr(n: dict) -> tuple[float, float]:
    p = n["tp"] / (n["tp"] + n["fp"]) if n["tp"] + n["fp"] else 1.0
    r = n["tp"] / n["pos"] if n["pos"] else float("nan")
    return p, r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rounds", nargs="*", help="rounds to hold out (default: every round)")
    parser.add_argument("--models", type=Path, help="keep the trained models here (default: a temporary folder)")
    parser.add_argument("--config", type=Path, default=ROOT / "training" / "learned.etiquette-lint.yaml",
                        help="the config that adds the learned rules (default: training/learned.etiquette-lint.yaml)")
    args = parser.parse_args()
    held = args.rounds or rounds()
    totals = {"rules": {}, "rules+learned": {}}
    per_round = {"rules": [], "rules+learned": []}
    with tempfile.TemporaryDirectory() as scratch:
        models = args.models or Path(scratch)
        for name in held:
            model = models / name
            if not (model / "config.cfg").exists():
                subprocess.run([sys.executable, str(ROOT / "training" / "train.py"), "--hold-out", name, "--output", str(model)],
                               check=True, capture_output=True)
            folder = CASES / name
            for label, fired in (("rules", lint(folder, None, args.config)), ("rules+learned", lint(folder, model, args.config))):
                counts, wrong = score([folder], fired)
                _add(totals[label], counts)
                per_round[label].append(counts)
                line = "  ".join(f"{c[:5]} {n['tp']}/{n['pos']}+{n['fp']}fp" for c, n in counts.items())
                print(f"{name:12} {label:14} {line}", flush=True)
    print(f"\nheld rounds: {len(held)}")
    print(f"{'category':16} {'rules P':>8} {'rules R':>8} {'+learned P':>11} {'+learned R':>11} {'macro R (rounds)':>17}")
    for c in CATEGORIES:
        p0, r0 = _pr(totals["rules"][c])
        p1, r1 = _pr(totals["rules+learned"][c])
        rounds_r = [_pr(counts[c])[1] for counts in per_round["rules+learned"] if counts[c]["pos"]]
        macro = sum(rounds_r) / len(rounds_r) if rounds_r else float("nan")
        print(f"{c:16} {p0:8.2f} {r0:8.2f} {p1:11.2f} {r1:11.2f} {macro:17.2f}")


if __name__ == "__main__":
    main()
