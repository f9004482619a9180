"""Detector kinds behind an explicit registry: a rule's `detector.kind` picks the class."""
from __future__ import annotations

from .base import ENTITIES, PARSE, TAGS, TEXT, TOKENS, Analysis, Detector, Hit, Segment, Where
from .cadence import CadenceDetector
from .document import DocumentDetector
from .learned import LearnedDetector
from .metric import MetricDetector
from .patterns import DependencyDetector, TokensDetector
from .phrases import PhrasesDetector
from .proximity import ProximityDetector
from .regex import RegexDetector
from .terms import TermsDetector

REGISTRY: dict[str, type[Detector]] = {
    cls.kind: cls
    for cls in (
        TermsDetector,
        PhrasesDetector,
        TokensDetector,
        DependencyDetector,
        ProximityDetector,
        RegexDetector,
        MetricDetector,
        DocumentDetector,
        CadenceDetector,
        LearnedDetector,
    )
}

LEVELS = (TEXT, TOKENS, TAGS, PARSE, ENTITIES)

__all__ = ["REGISTRY", "LEVELS", "Analysis", "Detector", "Hit", "Segment", "Where"]
