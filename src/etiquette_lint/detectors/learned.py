"""`learned`: sentences the learned layer (learned.py) scores at or above a threshold for a label.

It looks at every sentence (no trigger words: reaching what no list holds is its point), so a
rule of this kind should `require` the structural conditions that keep it precise, as signals:
the writer's own employer named, first person, no offer yet."""
from __future__ import annotations

from typing import ClassVar, Iterable

from .. import learned
from .base import TOKENS, Analysis, Detector, Hit, Param, Where


class LearnedDetector(Detector):
    kind = "learned"
    level = TOKENS
    every_sentence: ClassVar[bool] = True
    params = {
        "label": Param((str,), required=True, doc="the model's label (a category) to read"),
        "threshold": Param((float, int), default=0.5, doc="the lowest score (0..1) that counts"),
        "model": Param((str,), default=learned.BUILTIN, doc="'builtin' (shipped) or a folder trained by training/train.py"),
    }

    def __init__(self, config: dict, where: Where) -> None:
        super().__init__(config, where)
        threshold = self.config["threshold"]
        if not 0 < threshold < 1:
            raise where.error("threshold", "should be between 0 and 1")

    def find(self, analysis: Analysis, rule_id: str) -> Iterable[Hit]:
        segments = analysis.selected.get(rule_id, ())
        if not segments:
            return
        text = analysis.draft.text
        label, threshold = self.config["label"], self.config["threshold"]
        for segment, score in zip(segments, learned.scores(self.config["model"], [text[s.start: s.end] for s in segments])):
            if score.get(label, 0.0) >= threshold:
                yield Hit(segment.start, segment.end, segment.doc[:] if segment.doc is not None else None)
