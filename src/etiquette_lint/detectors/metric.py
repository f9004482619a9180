"""`metric`: counts and readability figures (textstat) against thresholds."""
from __future__ import annotations

import re
from typing import Callable, Iterable

from .base import TEXT, Analysis, Detector, Hit, Param, Where

_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


def _figure(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _words(text: str) -> float:
    return float(len(_WORD.findall(text)))


def _sentences(text: str) -> float:
    return float(max(len(_SENTENCE_END.findall(text)), 1 if text.strip() else 0))


def _textstat(name: str) -> Callable[[str], float]:
    def measure(text: str) -> float:
        import textstat  # imported only when a readability rule runs

        from .syllables import install

        install(textstat)  # cmudict read in ~0.1 s instead of ~1 s, same counts
        return float(getattr(textstat, name)(text))

    return measure


METRICS: dict[str, Callable[[str], float]] = {
    "words": _words,
    "sentences": _sentences,
    "words_per_sentence": lambda text: _words(text) / max(_sentences(text), 1.0),
    "exclamation_marks": lambda text: float(text.count("!")),
    "flesch_reading_ease": _textstat("flesch_reading_ease"),
    "flesch_kincaid_grade": _textstat("flesch_kincaid_grade"),
    "gunning_fog": _textstat("gunning_fog"),
    "difficult_words": _textstat("difficult_words"),
}


class MetricDetector(Detector):
    kind = "metric"
    level = TEXT
    params = {
        "metric": Param((str,), required=True, doc=", ".join(METRICS)),
        "max": Param((int, float), doc="fires above this"),
        "min": Param((int, float), doc="fires below this"),
        "min_words": Param((int,), default=0, doc="skip drafts shorter than this (readability is noise on tiny texts)"),
    }

    def __init__(self, config: dict, where: Where) -> None:
        super().__init__(config, where)
        if self.config["metric"] not in METRICS:
            raise where.error("metric", f"unknown metric (known: {', '.join(METRICS)})")
        if self.config["max"] is None and self.config["min"] is None:
            raise where.error(None, "kind 'metric' needs 'max' or 'min'")

    def find(self, analysis: Analysis, rule_id: str) -> Iterable[Hit]:
        draft = analysis.draft
        body = draft.text[: draft.body_end]
        if _words(body) < self.config["min_words"] or not body.strip():
            return
        value = METRICS[self.config["metric"]](body)
        limit_max, limit_min = self.config["max"], self.config["min"]
        name = self.config["metric"].replace("_", " ")
        if limit_max is not None and value > limit_max:
            detail = f"{name} is {_figure(value)}, above {_figure(limit_max)}"
        elif limit_min is not None and value < limit_min:
            detail = f"{name} is {_figure(value)}, below {_figure(limit_min)}"
        else:
            return
        start = len(body) - len(body.lstrip())
        line_end = body.find("\n", start)
        yield Hit(start, line_end if line_end != -1 else len(body), detail=detail)
