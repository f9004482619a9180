"""Train the learned layer: one command, from training/learned.cfg and the labelled drafts.

    .venv/bin/python training/train.py                       # writes src/etiquette_lint/data/learned/
    .venv/bin/python training/train.py --hold-out redteam-r --output /tmp/model   # leave one round out

Sentences and their labels come from training/data.py. The rules' findings locate positive
sentences in drafts whose authors did not write the evidence down, so the linter runs once
over the labelled drafts first (with the learned layer switched off)."""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import CASES, CATEGORIES, DEV, ROOT, Sentence, case_drafts, dev_drafts, rule_example_sentences, sentences_of  # noqa: E402

CONFIG = Path(__file__).resolve().parent / "learned.cfg"
OUTPUT = ROOT / "src" / "etiquette_lint" / "data" / "learned"


def rule_findings(folders: list[Path]) -> dict[str, dict[str, set[tuple[tuple[int, int], tuple[int, int]]]]]:
    """path -> category -> ((line, column), (end line, end column)) of each finding of the rules alone."""
    command = [sys.executable, "-m", "etiquette_lint", "--format", "json", "--no-cache", "--exit-zero", *map(str, folders)]
    run = subprocess.run(command, capture_output=True, text=True, check=True)
    found: dict[str, dict[str, set]] = {}
    for f in json.loads(run.stdout or "[]"):
        if f["rule"].endswith(".learned"):
            continue  # the layer being trained does not teach itself
        found.setdefault(str(Path(f["path"]).resolve()), {}).setdefault(f["category"], set()).add(((f["line"], f["column"]), (f["end_line"], f["end_column"])))
    return found


def labelled_sentences(hold_out: str | None = None) -> tuple[list[Sentence], list[Sentence]]:
    """(training sentences, held-out round's sentences)."""
    drafts = case_drafts() + dev_drafts()
    located = rule_findings([CASES] + ([DEV] if DEV.exists() else []))
    train, held = rule_example_sentences(), []
    for draft in drafts:
        sentences = sentences_of(draft, located.get(str(draft.path.resolve()), {}))
        (held if draft.round == hold_out else train).extend(sentences)
    return train, held


def _docbin(sentences: list[Sentence], path: Path) -> None:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    docs = DocBin()
    for sentence in sentences:
        if len(sentence.cats) < len(CATEGORIES):
            continue  # a sentence whose label is unknown for some category teaches nothing sure
        doc = nlp.make_doc(sentence.text)
        doc.cats = dict(sentence.cats)
        docs.add(doc)
    docs.to_disk(path)


def train(sentences: list[Sentence], output: Path, seed: int = 0, config: Path = CONFIG) -> None:
    from spacy.cli.train import train as spacy_train

    rng = random.Random(seed)
    shuffled = sentences[:]
    rng.shuffle(shuffled)
    cut = max(1, len(shuffled) // 10)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        _docbin(shuffled[cut:], work / "train.spacy")
        _docbin(shuffled[:cut], work / "dev.spacy")
        spacy_train(config, work / "out", overrides={"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy"),
                                                     "system.seed": seed})
        if output.exists():
            shutil.rmtree(output)
        shutil.copytree(work / "out" / "model-last", output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hold-out", help="a round (a folder under tests/cases/) to leave out of training")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--config", type=Path, default=CONFIG, help="spaCy training config (default: training/learned.cfg)")
    args = parser.parse_args()
    sentences, held = labelled_sentences(args.hold_out)
    counts = {c: sum(s.cats.get(c) == 1.0 for s in sentences) for c in CATEGORIES}
    print(f"{len(sentences)} sentences; positives: {counts}; held out: {len(held)}", file=sys.stderr)
    train(sentences, args.output, config=args.config)


if __name__ == "__main__":
    main()
