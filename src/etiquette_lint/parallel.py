"""`--jobs N`: the per-draft work of a large run spread over N worker processes.

Workers are forked from this process, so they inherit the engine (rules, compiled
patterns) and the drafts already read; only a chunk's bounds go out and only findings and
problems come back. Each worker loads the spaCy pipeline once (or inherits it, if this
process had loaded it) and keeps it for every chunk it is given. The cadence rule was
decided across all drafts before the fork; results come back in input order.

Measured on 2 cores over 1,000 generated drafts (benchmarks/bench.py): about a third less
wall time when both cores are free, and none when another process is busy on one; each
worker holds its own pipeline, so peak memory grows by ~200 MB per extra job. Hence the
default stays 1. Where `fork` is unavailable (Windows, and macOS where it is unsafe) the
run stays in this process."""
from __future__ import annotations

import math
import multiprocessing
import sys
from typing import TYPE_CHECKING, Iterator

from .engine import DraftResult

if TYPE_CHECKING:
    from .drafts.model import Draft
    from .engine import Engine

# What the forked workers read: set just before the pool starts, cleared after.
_ENGINE: "Engine | None" = None
_DRAFTS: "list[Draft]" = []
_CADENCE: dict = {}


def can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def lint_in_workers(engine: "Engine", drafts: "list[Draft]", cadence: dict) -> Iterator[DraftResult]:
    if not can_fork():
        for index in range(0, len(drafts), engine.chunk_size):
            yield from engine.lint_chunk(drafts[index: index + engine.chunk_size], cadence)
        return
    global _ENGINE, _DRAFTS, _CADENCE
    # Chunks small enough that the last ones do not leave a worker idle for long.
    size = max(1, min(engine.chunk_size, math.ceil(len(drafts) / (engine.jobs * 4))))
    bounds = [(start, min(start + size, len(drafts))) for start in range(0, len(drafts), size)]
    _ENGINE, _DRAFTS, _CADENCE = engine, drafts, cadence
    try:
        with multiprocessing.get_context("fork").Pool(min(engine.jobs, len(bounds))) as pool:
            for (start, _), (outcomes, tracebacks) in zip(bounds, pool.imap(_work, bounds)):
                engine.tracebacks.extend(tracebacks)
                for offset, (findings, problems) in enumerate(outcomes):
                    yield DraftResult(drafts[start + offset], findings, problems)
    finally:
        _ENGINE, _DRAFTS, _CADENCE = None, [], {}


def _work(bounds: tuple[int, int]):
    """In a worker: lint drafts[start:end]; findings and problems per draft, and new tracebacks."""
    start, end = bounds
    engine = _ENGINE
    seen = len(engine.tracebacks)
    outcomes = [(r.findings, r.problems) for r in engine.lint_chunk(_DRAFTS[start:end], _CADENCE)]
    return outcomes, engine.tracebacks[seen:]
