"""The learned layer: a small sentence classifier shipped with the package (data/learned/),
trained from the labelled drafts by training/train.py.

It reaches phrasings no list holds ("couldn't run a chook raffle", "dropped you a line on the
3rd, the 10th and the 17th"), but it never decides alone: the rules that use it require the
same structural conditions as the list-based rules (kind `learned`, detectors/learned.py)."""
from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path

BUILTIN = "builtin"
MODEL_VARIABLE = "ETIQUETTE_LINT_LEARNED_MODEL"


def model_path(name: str) -> Path:
    """`builtin` is the model shipped in the package (or the folder ETIQUETTE_LINT_LEARNED_MODEL
    names: a model trained by training/train.py, as benchmarks/leave_one_round_out.py uses);
    anything else is a folder."""
    if name == BUILTIN and os.environ.get(MODEL_VARIABLE):
        return Path(os.environ[MODEL_VARIABLE])
    if name == BUILTIN:
        return Path(str(resources.files("etiquette_lint").joinpath("data", "learned")))
    return Path(name)


@functools.lru_cache(maxsize=4)
def load(name: str):
    """The classifier pipeline (a tokenizer and one text classifier), loaded once per process."""
    import spacy

    path = model_path(name)
    if not (path / "config.cfg").exists():
        raise FileNotFoundError(f"no learned model at {path} (train one: training/train.py)")
    return spacy.load(path)


def scores(name: str, texts: list[str]) -> list[dict[str, float]]:
    """Each text's score per label (0..1)."""
    return [dict(doc.cats) for doc in load(name).pipe(texts, batch_size=256)]
