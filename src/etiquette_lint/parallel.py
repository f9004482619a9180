"""`--jobs N`: the deep pass in N-1 forked worker processes while this process runs the cheap pass.

The engine works in two stages (engine.py): a cheap pass over every draft (the sentence split,
trigger selection, and every rule that needs no spaCy) and a deep pass over the sentences the
triggers selected (spaCy's pipeline and the rules that read its output). On a cold run the
deep pass starts with ~0.8 s of importing spaCy and loading the pipeline, during which a
single process can do nothing else. `TwoStage` is the runner an engine is handed for this
(api.build_engine does, for --jobs 2 and up): its workers are forked as soon as a large run is
known to be coming (before its drafts are read: `Engine.prepare`), import spaCy at once, and
take chunks of selected sentences as the cheap pass produces them. This process never imports
spaCy, and merges each chunk's findings in input order.

Workers are forked, so they inherit the rules and compiled patterns; only a chunk's drafts and
selections go out, and only findings and problems come back. Fork is used on Linux only
(macOS's fork is unsafe with the libraries spaCy loads; Windows has none): elsewhere, and if
a worker dies, the deep pass runs in this process. Each worker holds its own pipeline
(~200 MB). Measured figures are in the README (benchmarks/bench.py)."""
from __future__ import annotations

import os
import pickle
import queue
import signal
import sys
import threading
from dataclasses import dataclass
from typing import Any, Iterator

from .detectors.base import Analysis
from .drafts.model import Draft
from .engine import IN_PROCESS, DraftResult, Engine
from .findings import Problem, deduplicate

MIN_DRAFTS = 40  # a smaller run is over before a worker has loaded spaCy: not worth the memory
CHUNK_DRAFTS = 100  # drafts per chunk sent to a worker
AHEAD_DRAFTS = 800  # drafts selected and sent before their cheap rules run (~0.4 s of work here)
_PARENT_CHECK_SECONDS = 0.5  # how often an idle worker checks that its parent still lives
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


class WorkerDied(RuntimeError):
    """A deep-pass worker exited (killed, out of memory) with chunks still owed."""


def can_fork() -> bool:
    """Linux with os.fork (checked without importing multiprocessing: every run asks this)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def default_jobs() -> int:
    """Two processes (this one and one deep-pass worker) where two cores and fork are there."""
    return 2 if can_fork() and usable_cores() >= 2 else 1


class TwoStage:
    """The runner for --jobs N (Engine(runner=TwoStage(N))): a large run's deep pass in N-1
    worker processes, the cheap pass here; a small run, or one where fork is unavailable, runs
    in this process as the default runner does."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs  # processes: this one and jobs-1 deep-pass workers
        self.workers: DeepWorkers | None = None  # while a large run has them

    def fresh(self) -> "TwoStage":
        return TwoStage(self.jobs)

    def wants_workers(self, engine: Engine, drafts: int) -> bool:
        return self.jobs > 1 and bool(engine.nlp_rules) and drafts >= MIN_DRAFTS and can_fork()

    def prepare(self, engine: Engine, drafts_expected: int) -> None:
        """A run large enough for deep-pass workers starts them now, so they import spaCy while
        this process reads the drafts."""
        if self.workers is None and self.wants_workers(engine, drafts_expected):
            self.workers = DeepWorkers(engine.restricted(engine.nlp_rules, IN_PROCESS), self.jobs - 1)

    def close(self) -> None:
        """End of the run: stop deep-pass workers, if any."""
        workers, self.workers = self.workers, None
        if workers is not None:
            workers.close()

    def lint(self, engine: Engine, drafts: list[Draft], across: dict[str, dict[str, list[str]]]) -> Iterator[DraftResult]:
        if self.workers is None:
            yield from IN_PROCESS.lint(engine, drafts, across)
            return
        yield from self._two_stage(engine, drafts, across)

    def _two_stage(self, engine: Engine, drafts: list[Draft], across: dict[str, dict[str, list[str]]]) -> Iterator[DraftResult]:
        """The cheap pass here, each chunk's deep pass in a worker meanwhile; results merged and
        yielded in input order as chunks come back.

        Chunks are selected and sent up to AHEAD_DRAFTS before their cheap rules run: the worker
        spends its first ~0.8 s loading spaCy, and should find a backlog when it is ready, not
        wait for this process to finish each chunk's rules."""
        shallow = engine.restricted([r for r in engine.rules if r not in engine.nlp_rules], IN_PROCESS)
        size = max(1, min(engine.chunk_size, CHUNK_DRAFTS))
        ahead = max(1, AHEAD_DRAFTS // size)
        pending: list[_Chunk] = []  # sent to a worker, not yet yielded; in input order

        def run_cheap(chunk: _Chunk) -> None:
            chunk.cheap = [shallow.detect(a, across.get(a.draft.path, {})) for a in chunk.analyses]

        def finished() -> Iterator[DraftResult]:
            while pending and pending[0].cheap is not None and self.workers.ready(pending[0].number):
                yield from self._merged(engine, pending.pop(0))

        try:
            for index in range(0, len(drafts), size):
                analyses = [engine.select(draft) for draft in drafts[index: index + size]]
                number = self.workers.submit(analyses, [engine.about(a.draft, a.index) for a in analyses])
                pending.append(_Chunk(number, analyses))
                unchecked = [chunk for chunk in pending if chunk.cheap is None]
                if len(unchecked) >= ahead:
                    run_cheap(unchecked[0])
                yield from finished()
            for chunk in list(pending):
                if chunk.cheap is None:
                    run_cheap(chunk)
                yield from finished()
            while pending:
                yield from self._merged(engine, pending[0])
                pending.pop(0)
        except WorkerDied:  # finish here what the worker owed
            self.close()
            deep = engine.restricted(engine.nlp_rules, IN_PROCESS)
            for chunk in pending:
                if chunk.cheap is None:
                    run_cheap(chunk)
                outcomes, _ = deep_pass(deep, chunk.analyses, [engine.about(a.draft, a.index) for a in chunk.analyses])
                yield from _joined(engine, chunk.cheap, outcomes)

    def _merged(self, engine: Engine, chunk: _Chunk) -> Iterator[DraftResult]:
        outcomes, tracebacks = self.workers.result(chunk.number)
        engine.tracebacks.extend(tracebacks)
        yield from _joined(engine, chunk.cheap, outcomes)


@dataclass
class _Chunk:
    """Drafts on their way through the two stages (TwoStage._two_stage)."""

    number: int  # as submitted to the deep-pass workers
    analyses: list[Analysis]
    cheap: list[DraftResult] | None = None  # the cheap pass's results, once it has run


def _joined(engine: Engine, cheap: list[DraftResult], outcomes) -> Iterator[DraftResult]:
    """Each draft's results from both passes, in the order one process gives them."""
    position = {rule.id: index for index, rule in enumerate(engine.rules)}

    def rule_order(problem: Problem) -> int:
        return position.get(problem.rule, len(position))

    for result, (findings, problems) in zip(cheap, outcomes):
        result.findings = deduplicate(result.findings + findings)
        result.problems = sorted(result.problems + problems, key=rule_order)
        yield result


def deep_pass(deep: Engine, analyses: list[Analysis], situations: list[tuple[bool, str | None]]):
    """In a deep-pass worker (or here, if it died): the pipeline over the chunk's selected
    sentences and the engine's rules; (findings, problems) per draft and new tracebacks."""
    seen = len(deep.tracebacks)
    for analysis in analyses:
        analysis.signals = deep.signals
    deep.analyse(analyses)
    outcomes = []
    for analysis, situation in zip(analyses, situations):
        result = deep.detect(analysis, {}, situation)
        outcomes.append((result.findings, result.problems))
    return outcomes, deep.tracebacks[seen:]


class DeepWorkers:
    """Forked processes running an engine's deep pass on chunks submitted by number."""

    def __init__(self, deep: Engine, count: int) -> None:
        import multiprocessing  # only a run that starts workers pays for it

        context = multiprocessing.get_context("fork")
        self._tasks = context.Queue()
        self._results = context.Queue()
        self._done: dict[int, Any] = {}
        self._next = 0
        # PR_SET_PDEATHSIG fires when the forking *thread* ends: only a main thread's workers ask for it
        bound = threading.current_thread() is threading.main_thread()
        self._processes = [context.Process(target=_serve, args=(deep, self._tasks, self._results, os.getpid(), bound),
                                           daemon=True, name=f"etiquette-lint deep pass {i + 1}") for i in range(count)]
        for process in self._processes:
            process.start()

    def submit(self, analyses: list[Analysis], situations: list[tuple[bool, str | None]]) -> int:
        """Queue a chunk; returns its number. The drafts and selections go without the parts a
        worker rebuilds or does not need (signals, the prefilter's word index)."""
        number = self._next
        self._next += 1
        light = [Analysis(a.draft, None, a.segments, a.selected) for a in analyses]
        self._tasks.put((number, light, situations))
        return number

    def ready(self, number: int) -> bool:
        """Whether chunk `number` is done, without waiting."""
        while number not in self._done:
            try:
                self._store(self._results.get_nowait())
            except queue.Empty:
                return False
        return True

    def result(self, number: int) -> tuple[list[tuple[list, list]], list[str]]:
        """Chunk `number`'s (findings, problems) per draft and new tracebacks, waiting if need be."""
        while number not in self._done:
            try:
                self._store(self._results.get(timeout=0.5))
            except queue.Empty:
                if not all(p.is_alive() for p in self._processes):
                    raise WorkerDied("a deep-pass worker exited early") from None
        outcome = self._done.pop(number)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def _store(self, item: tuple[int, Any]) -> None:
        number, outcome = item
        self._done[number] = outcome

    def close(self) -> None:
        """Stop the workers (at once: whatever they still hold is no longer wanted)."""
        for process in self._processes:
            if process.is_alive():
                process.terminate()
        for process in self._processes:
            process.join(timeout=5)
        for channel in (self._tasks, self._results):
            channel.close()
            channel.cancel_join_thread()


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent ends, whatever it is doing then (loading
    spaCy, or blocked on half a chunk: polling alone cannot see the parent go from there)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - no libc prctl: the polling below remains
        pass


def _serve(deep: Engine, tasks, results, parent: int, bound: bool) -> None:
    """A worker's life: load the pipeline now, then run the deep pass on each chunk sent, and
    end when the parent does. The kernel kills it then (`bound`: forked from the main thread);
    polling between chunks is the fallback. The parent's pid comes from the parent: read here,
    it may already be init's if the parent was killed between the fork and this line."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops us
    if bound:
        _die_with_parent()
    if os.getppid() != parent:
        return  # killed before the request above took effect
    try:
        deep.pipeline.get()  # import spaCy while the parent reads drafts; a failure recurs, and is reported, on first need
    except Exception:  # noqa: BLE001 - e.g. no pipeline installed: raised again by the chunk that needs it
        pass
    while True:
        try:
            task = tasks.get(timeout=_PARENT_CHECK_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:
                return  # the parent is gone (killed): nobody will read our results
            continue
        if task is None:
            return
        number, analyses, situations = task
        try:
            outcome: Any = deep_pass(deep, analyses, situations)
        except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
            outcome = exc if _picklable(exc) else RuntimeError(f"{exc.__class__.__name__}: {exc}")
        results.put((number, outcome))


def _picklable(value: Any) -> bool:
    try:
        pickle.dumps(value)
    except Exception:  # noqa: BLE001
        return False
    return True
