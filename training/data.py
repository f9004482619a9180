"""Sentences with category labels, built from the labelled drafts in the repository.

A draft's label says which categories it carries, not which sentence carries them. A sentence
counts as positive for a category when the draft is labelled with it and the sentence holds
the evidence: words the round's authors wrote down (the dev corpus's evidence strings,
tests/cases/*/EVIDENCE, the real line named in tests/cases/real-a/labels.yaml), or
a finding of that category from the rules. Every sentence of a draft labelled without a
category is negative for it. The other sentences of a positive draft are left out of training:
nobody said whether they carry the problem."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from etiquette_lint.drafts import load_draft
from etiquette_lint.segments import split_segments

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
DEV = ROOT.parent / "shared" / "corpus" / "dev"
CATEGORIES = ("salary", "criticism", "desperation", "personalisation", "followup")
DRAFT_SUFFIXES = (".txt", ".md", ".eml")


@dataclass
class LabelledDraft:
    path: Path
    round: str  # the folder it came in with: a red-team round, real-a, "top" or "dev"
    categories: set[str]
    evidence: dict[str, list[str]] = field(default_factory=dict)  # category -> phrases


@dataclass
class Sentence:
    text: str
    round: str
    cats: dict[str, float]  # category -> 1.0 / 0.0; absent when unknown


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("“", '"').replace("”", '"')).strip().lower()


def case_drafts() -> list[LabelledDraft]:
    drafts = []
    for labels in sorted(CASES.rglob("labels.yaml")):
        folder = labels.parent
        name = "top" if folder == CASES else folder.relative_to(CASES).parts[0]
        evidence = _round_evidence(folder)
        for file, categories in (yaml.safe_load(labels.read_text(encoding="utf-8")) or {}).items():
            drafts.append(LabelledDraft(folder / file, name, set(categories or []), evidence.get(file, {})))
    return drafts


def _round_evidence(folder: Path) -> dict[str, dict[str, list[str]]]:
    """Evidence the round's authors wrote down, file -> category -> phrases."""
    found: dict[str, dict[str, list[str]]] = {}
    notes = folder / "EVIDENCE"  # not .md: the linter would read it as a draft
    if notes.exists():
        category = None
        for line in notes.read_text(encoding="utf-8").splitlines():
            heading = re.match(r"^## (\w+)", line)
            if heading:
                category = heading.group(1) if heading.group(1) in CATEGORIES else None
            item = re.match(r"^- `([^`]+)`: (.*)", line)
            if item and category:
                quotes = [q for quoted in re.findall(r'"([^"]+)"', item.group(2)) for q in re.split(r"\s*\.\.\.\s*|\s*…\s*", quoted)]
                found.setdefault(item.group(1), {}).setdefault(category, []).extend(q for q in quotes if len(q) > 6)
    labels = folder / "labels.yaml"
    source_line = None
    for line in labels.read_text(encoding="utf-8").splitlines():
        if line.startswith("# source:") and " — " in line:
            source_line = line.split(" — ", 1)[1]
        elif source_line and re.match(r"^[\w.-]+\.(txt|md|eml):", line):
            file, categories = line.split(":", 1)
            for category in yaml.safe_load(categories) or []:
                found.setdefault(file, {}).setdefault(category, []).append(source_line)
            source_line = None
    return found


def dev_drafts() -> list[LabelledDraft]:
    labels = DEV / "labels.jsonl"
    if not labels.exists():
        return []
    drafts = []
    for line in labels.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        path = DEV / case["case"]
        files = sorted(p for p in path.iterdir() if p.suffix in DRAFT_SUFFIXES) if path.is_dir() else [path]
        for file in files:
            evidence = {c: list(v) for c, v in case["labels"].items() if v}
            drafts.append(LabelledDraft(file, "dev", set(evidence), evidence))
    return drafts


def rule_example_sentences() -> list[Sentence]:
    """Every shipped rule's own examples: a fire example is a positive sentence for the rule's
    category (and negative for the others), a pass example negative for all five. The learned
    rules' own examples are left out (the layer does not teach itself)."""
    from etiquette_lint.ruleset import load_ruleset

    out = []
    for rule in load_ruleset().rules:
        if rule.category not in CATEGORIES or rule.detector.kind in ("learned", "cadence", "document"):
            continue
        for expected, examples in (("fire", rule.fire), ("pass", rule.passes)):
            for example in examples:
                cats = {c: 0.0 for c in CATEGORIES}
                if expected == "fire":
                    cats[rule.category] = 1.0
                elif example.context.get("offer") or example.context.get("type") == "offer-response":
                    continue  # silenced by context, not by its words
                out.append(Sentence(" ".join(example.text.split()), "examples", cats))
    return out


def sentences_of(draft: LabelledDraft, located: dict[str, set]) -> list[Sentence]:
    """The draft's sentences, labelled. `located`: category -> ((line, column), (end line, end
    column)) of the rules' findings in this draft (from a JSON run)."""
    loaded, _ = load_draft(str(draft.path), draft.path.read_bytes())
    if loaded is None:
        return []
    text = loaded.text
    out = []
    for start, end in split_segments(text, 0, loaded.body_end):
        piece = text[start:end]
        if len(piece.split()) < 2:
            continue
        first, last = loaded.locate(start), loaded.locate(max(end - 1, start))
        last = (last[0], last[1] + 1)
        cats: dict[str, float] = {}
        for category in CATEGORIES:
            if category not in draft.categories:
                cats[category] = 0.0
                continue
            phrases = [_norm(p) for p in draft.evidence.get(category, [])]
            said = any(p and (p in _norm(piece) or (len(_norm(piece)) > 25 and _norm(piece) in p)) for p in phrases)
            found = any(a < last and first < b for a, b in located.get(category, ()))
            if said or found:
                cats[category] = 1.0
        out.append(Sentence(" ".join(piece.split()), draft.round, cats))
    return out
