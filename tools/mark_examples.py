"""Add `<marker>` to the shipped rules' fire examples that have none: the words the rule flags
today, so the example test checks the place as well as the firing. Run once when examples
gain markers, then read the diff: a marker on the wrong words is a rule to fix, not a marker
to keep.  .venv/bin/python tools/mark_examples.py [--dry-run]"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etiquette_lint.api import LintOptions, build_engine
from etiquette_lint.config import Config
from etiquette_lint.examples import _history, example_draft
from etiquette_lint.ruleset import builtin_rule_files, load_ruleset

WHOLE_DRAFT_KINDS = ("document", "cadence", "metric", "learned")


def _offset(draft, line: int, column: int) -> int | None:
    for offset in range(len(draft.text) + 1):
        if draft.locate(offset) == (line, column):
            return offset
    return None


def flagged_words(engine, rule, example) -> str | None:
    """The words the rule's first finding covers in the example's text."""
    name = f"examples/{rule.id}/mark"
    draft = example_draft(example, name)
    found = [f for r in engine.lint([draft], _history(example, name)) for f in r.findings if f.rule == rule.id]
    if not found:
        return None
    base = max(draft.text.find(example.text), 0)
    start, end = _offset(draft, found[0].line, found[0].column), _offset(draft, found[0].end_line, found[0].end_column)
    if start is None or end is None:
        return None
    return draft.text[start:end] if start >= base else None


def mark(path: Path, line: int, next_line: int | None, words: str) -> bool:
    """Wrap the first occurrence of `words` in the example's own lines of the YAML file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    stop = (next_line - 1) if next_line else min(line + 8, len(lines))
    for forms in (words, words.replace("'", "''"), words.replace('"', '\\"')):
        for index in range(line - 1, stop):
            if forms in lines[index]:
                lines[index] = lines[index].replace(forms, f"<marker>{forms}</marker>", 1)
                path.write_text("\n".join(lines), encoding="utf-8")
                return True
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("packs", nargs="*", help="pack file names to mark (default: every shipped pack)")
    args = parser.parse_args()
    shipped = {str(p) for p in builtin_rule_files()}
    ruleset = load_ruleset()
    engine = build_engine(Config(), LintOptions(), ruleset)
    left = []
    for rule in ruleset.rules:
        if rule.path not in shipped or rule.detector.kind in WHOLE_DRAFT_KINDS or (args.packs and Path(rule.path).name not in args.packs):
            continue
        # Mark from the bottom up, so earlier examples' lines do not move.
        lines = [e.line for e in rule.fire] + [None]
        for index in reversed(range(len(rule.fire))):
            example = rule.fire[index]
            if example.marked:
                continue
            words = flagged_words(engine, rule, example)
            if not words or args.dry_run or not mark(Path(rule.path), example.line, lines[index + 1], words):
                left.append(f"{rule.path}:{example.line}: [{rule.id}] {words!r}")
    print("\n".join(left))
    print(f"{len(left)} examples left to mark by hand", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
