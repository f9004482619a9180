"""The run: cheap triggers over every draft, spaCy only on the sentences that need it,
detectors, context conditions, suppression, findings.

Two stages keep it fast: each rule's trigger regex selects the sentences it could match, and
only those sentences go through the pipeline, at the depth the selecting rules need
(tokens, tags, parse, entities). Drafts stream through in chunks, so memory stays flat."""
from __future__ import annotations

import copy
import re
import traceback
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from . import context as ctx
from .detectors import LEVELS, Analysis, Hit, Segment
from .detectors.base import ENTITIES, PARSE, TAGS, TEXT, TOKENS
from .detectors.cadence import CadenceDetector, Message, thread_key
from .drafts.model import Draft
from .findings import Finding, Problem
from .pipeline import load_pipeline, resolve_model_name
from .prefilter import WordIndex
from .regex_safety import RegexTimeout
from .ruleset import Rule, RuleSet, SignalName
from .segments import split_segments

_CONDITIONS_NEEDING_PARSE = {"negated"}


@dataclass
class DraftResult:
    draft: Draft
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _rule_level(rule: Rule) -> str:
    level = rule.detector.level
    if level != TEXT and any(c in _CONDITIONS_NEEDING_PARSE for c in rule.unless + rule.require):
        level = max(level, PARSE, key=LEVELS.index)
    return level


@dataclass
class _Chunk:
    """Drafts on their way through the two stages (Engine._lint_two_stage)."""

    number: int  # as submitted to the deep-pass workers
    analyses: list[Analysis]
    cheap: list[DraftResult] | None = None  # the cheap pass's results, once it has run


class Engine:
    """Lints drafts with one rule set and one pipeline (loaded on first need, once)."""

    def __init__(self, ruleset: RuleSet, model: str | None = None, gating: bool = True, chunk_size: int = 200, batch_size: int = 64,
                 known_names: frozenset[str] | None = None, jobs: int = 1):
        self.signals = ruleset.signals
        self.model = model
        self.gating = gating
        self.chunk_size = chunk_size
        self.batch_size = batch_size
        self.jobs = jobs  # processes for large runs: this one and jobs-1 deep-pass workers (parallel.py)
        self._nlp = None
        self._workers = None  # parallel.DeepWorkers, while a large run has them
        self.tracebacks: list[str] = []  # internal errors, shown with --debug
        self._known: dict[int, tuple[Draft, bool, str | None]] = {}  # offer made, message type: per draft, this run
        self._use(ruleset)
        # Rule ids and categories a suppression directive may name (all loaded rules, not only selected).
        self.known_names = known_names if known_names is not None else frozenset(
            {r.id for r in self.rules} | {r.category for r in self.rules})

    # -- the pipeline ---------------------------------------------------------------
    @property
    def needs_nlp(self) -> bool:
        return bool(self.nlp_rules)

    def _use(self, ruleset: RuleSet) -> None:
        """The rules and what the run derives from them once."""
        self.ruleset = ruleset
        self.rules = ruleset.rules
        self.nlp_rules = [r for r in self.rules if r.detector.level != TEXT]
        self.levels = {r.id: _rule_level(r) for r in self.rules}
        self.cadence_rules = [r for r in self.rules if isinstance(r.detector, CadenceDetector)]

    def restricted(self, rules: list[Rule]) -> "Engine":
        """This engine (same settings, pipeline once loaded, error log) over a subset of its
        rules: the cache runs the cadence rule apart from the per-draft rules."""
        other = copy.copy(self)
        other.nlp = self.nlp  # one pipeline, loaded on first need by either, its matchers compiled once
        other._use(RuleSet(rules, self.signals, self.ruleset.files, self.ruleset.lexicons))
        return other

    def nlp(self):
        if self._nlp is None:
            name = resolve_model_name(self.model)
            deepest = max((self.levels[r.id] for r in self.nlp_rules), key=LEVELS.index, default=TOKENS)
            exclude = [] if deepest == ENTITIES else ["ner"]
            self._nlp = load_pipeline(name, exclude)
            for rule in self.nlp_rules:
                rule.detector.compile(self._nlp)
        return self._nlp

    def _disabled(self, level: str) -> list[str]:
        names = self.nlp().pipe_names
        if level == TAGS:
            return [n for n in ("parser", "ner") if n in names]
        if level == PARSE:
            return [n for n in ("ner",) if n in names]
        return []

    # -- the run ---------------------------------------------------------------------
    def prepare(self, drafts_expected: int) -> None:
        """Called before the drafts of a run are read: a run large enough for deep-pass workers
        starts them now, so they import spaCy while this process reads."""
        if self._workers is None and self.wants_workers(drafts_expected):
            from .parallel import DeepWorkers

            self._workers = DeepWorkers(self.restricted(self.nlp_rules), self.jobs - 1)

    def wants_workers(self, drafts: int) -> bool:
        from .parallel import MIN_DRAFTS, can_fork

        return self.jobs > 1 and bool(self.nlp_rules) and drafts >= MIN_DRAFTS and can_fork()

    def close(self) -> None:
        """End of the run: stop deep-pass workers, if any."""
        workers, self._workers = self._workers, None
        if workers is not None:
            workers.close()

    def lint(self, drafts: Iterable[Draft], history: Iterable[Draft] = ()) -> Iterator[DraftResult]:
        """Findings per draft, in input order. `history` drafts only inform the cadence rule."""
        drafts = list(drafts)
        try:
            cadence = self._cadence(drafts, list(history)) if self.cadence_rules else {}
            self.prepare(len(drafts))
            if self._workers is not None:
                yield from self._lint_two_stage(drafts, cadence)
                return
            for index in range(0, len(drafts), self.chunk_size):
                yield from self.lint_chunk(drafts[index: index + self.chunk_size], cadence)
        finally:
            self._known.clear()
            self.close()

    def lint_chunk(self, chunk: list[Draft], cadence: dict[str, dict[str, list[str]]]) -> Iterator[DraftResult]:
        analyses = [self._select(draft) for draft in chunk]
        self._analyse(analyses)
        for analysis in analyses:
            yield self._detect(analysis, cadence.get(analysis.draft.path, {}))

    def _lint_two_stage(self, drafts: list[Draft], cadence: dict[str, dict[str, list[str]]]) -> Iterator[DraftResult]:
        """The cheap pass here, each chunk's deep pass in a worker meanwhile; results merged and
        yielded in input order as chunks come back.

        Chunks are selected and sent up to AHEAD_DRAFTS before their cheap rules run: the worker
        spends its first ~0.8 s loading spaCy, and should find a backlog when it is ready, not
        wait for this process to finish each chunk's rules."""
        from .parallel import AHEAD_DRAFTS, CHUNK_DRAFTS, WorkerDied

        shallow = self.restricted([r for r in self.rules if r not in self.nlp_rules])
        size = max(1, min(self.chunk_size, CHUNK_DRAFTS))
        ahead = max(1, AHEAD_DRAFTS // size)
        pending: list[_Chunk] = []  # sent to a worker, not yet yielded; in input order

        def run_cheap(chunk: _Chunk) -> None:
            chunk.cheap = [shallow._detect(a, cadence.get(a.draft.path, {})) for a in chunk.analyses]

        def finished() -> Iterator[DraftResult]:
            while pending and pending[0].cheap is not None and self._workers.ready(pending[0].number):
                yield from self._merged(pending.pop(0))

        try:
            for index in range(0, len(drafts), size):
                analyses = [self._select(draft) for draft in drafts[index: index + size]]
                number = self._workers.submit(analyses, [self._about(a.draft, a.index) for a in analyses])
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
                yield from self._merged(pending[0])
                pending.pop(0)
        except WorkerDied:  # finish here what the worker owed
            self.close()
            deep = self.restricted(self.nlp_rules)
            for chunk in pending:
                if chunk.cheap is None:
                    run_cheap(chunk)
                outcomes, _ = deep.deep_pass(chunk.analyses, [self._about(a.draft, a.index) for a in chunk.analyses])
                yield from self._joined(chunk.cheap, outcomes)

    def _merged(self, chunk: "_Chunk") -> Iterator[DraftResult]:
        outcomes, tracebacks = self._workers.result(chunk.number)
        self.tracebacks.extend(tracebacks)
        yield from self._joined(chunk.cheap, outcomes)

    def _joined(self, cheap: list[DraftResult], outcomes) -> Iterator[DraftResult]:
        """Each draft's results from both passes, in the order one process gives them."""
        position = {rule.id: index for index, rule in enumerate(self.rules)}

        def rule_order(problem: Problem) -> int:
            named = _PROBLEM_RULE.search(problem.message)
            return position.get(named.group(1), len(position)) if named else len(position)

        for result, (findings, problems) in zip(cheap, outcomes):
            result.findings = self._deduplicate(result.findings + findings)
            result.problems = sorted(result.problems + problems, key=rule_order)
            yield result

    def deep_pass(self, analyses: list[Analysis], situations: list[tuple[bool, str | None]]):
        """In a deep-pass worker (or here, if it died): the pipeline over the chunk's selected
        sentences and this engine's rules; (findings, problems) per draft and new tracebacks."""
        seen = len(self.tracebacks)
        for analysis, (offer, message_type) in zip(analyses, situations):
            analysis.signals = self.signals
            self._known[id(analysis.draft)] = (analysis.draft, offer, message_type)
        self._analyse(analyses)
        outcomes = []
        for analysis in analyses:
            result = self._detect(analysis, {})
            outcomes.append((result.findings, result.problems))
            del self._known[id(analysis.draft)]
        return outcomes, self.tracebacks[seen:]

    def _about(self, draft: Draft, index: WordIndex | None = None) -> tuple[bool, str | None]:
        """Whether an offer was made and the message type: worked out once per draft in a run
        (cadence, then detection, ask for them)."""
        known = self._known.get(id(draft))
        if known is None or known[0] is not draft:
            if index is None and self.gating:
                index = WordIndex(draft.text, draft.body_end)
            offer = ctx.offer_made(draft, self.signals, index)
            known = (draft, offer, ctx.message_type(draft, self.signals, offer, index))
            self._known[id(draft)] = known
        return known[1], known[2]

    def _select(self, draft: Draft) -> Analysis:
        # The draft's words, for the prefilter (prefilter.py); kept only while its chunk is linted.
        analysis = Analysis(draft, self.signals, index=WordIndex(draft.text, draft.body_end) if self.gating else None)
        if not self.nlp_rules:
            return analysis
        pieces = [Segment(s, e) for s, e in split_segments(draft.text, 0, draft.body_end)]
        analysis.segments = pieces
        for rule in self.nlp_rules:
            pattern = rule.detector.triggers
            if not self.gating or pattern is None:
                analysis.selected[rule.id] = list(pieces)
                continue
            if not analysis.may_match(pattern):
                analysis.selected[rule.id] = []
                continue
            text, fast = analysis.search_text(pattern)
            analysis.selected[rule.id] = [p for p in pieces if analysis.may_match_in(pattern, p.start, p.end)
                                          and fast.search(text, p.start, p.end)]
        return analysis

    def _analyse(self, analyses: list[Analysis]) -> None:
        """Run the pipeline over the selected segments, each at the depth its rules need."""
        by_level: dict[str, list[Segment]] = {}
        texts: dict[int, str] = {}
        for analysis in analyses:
            depth: dict[int, str] = {}
            for rule_id, segments in analysis.selected.items():
                for segment in segments:
                    current = depth.get(id(segment), TOKENS)
                    depth[id(segment)] = max(current, self.levels[rule_id], key=LEVELS.index)
            for segment in analysis.segments:
                if id(segment) in depth:
                    by_level.setdefault(depth[id(segment)], []).append(segment)
                    texts[id(segment)] = analysis.draft.text[segment.start: segment.end]
        if not by_level:
            return
        nlp = self.nlp()
        for level, segments in by_level.items():
            if level == TOKENS:
                for segment in segments:
                    segment.doc = nlp.make_doc(texts[id(segment)])
                continue
            docs = nlp.pipe((texts[id(s)] for s in segments), batch_size=self.batch_size, disable=self._disabled(level))
            for segment, doc in zip(segments, docs):
                segment.doc = doc

    def _detect(self, analysis: Analysis, cadence_details: dict[str, list[str]]) -> DraftResult:
        draft = analysis.draft
        result = DraftResult(draft)
        offer, message_type = self._about(draft, analysis.index)
        for rule in self.rules:
            if rule.when.get("type") and message_type not in rule.when["type"]:
                continue
            try:
                if isinstance(rule.detector, CadenceDetector):
                    hits = [self._date_hit(draft, detail) for detail in cadence_details.get(rule.id, [])]
                else:
                    hits = list(rule.detector.find(analysis, rule.id))
                for hit in hits:
                    if hit is not None and not self._silenced(rule, hit, draft, message_type, offer):
                        result.findings.append(self._finding(rule, hit, draft))
            except Exception as exc:  # one rule failing on one draft must not lose the rest
                message = f"rule {rule.id}: {exc}" if isinstance(exc, RegexTimeout) \
                    else f"internal error in rule {rule.id}: {exc.__class__.__name__}: {exc}"
                result.problems.append(Problem(draft.path, message, "error"))
                self.tracebacks.append(traceback.format_exc())
        result.findings = self._deduplicate(result.findings)
        return result

    def _silenced(self, rule: Rule, hit: Hit, draft: Draft, message_type: str | None, offer: bool) -> bool:
        """True when an `unless` condition holds or a `require` condition does not."""
        holds = lambda condition: self._holds(condition, hit, draft, message_type, offer)  # noqa: E731
        return any(holds(c) for c in rule.unless) or not all(holds(c) for c in rule.require)

    def _holds(self, condition, hit: Hit, draft: Draft, message_type: str | None, offer: bool) -> bool:
        if condition == "offer-made":
            return offer
        if condition == "negated":
            return ctx.is_negated(hit.span)
        if condition == "quoted":
            return ctx.is_quoted(draft, hit.start, hit.end, self.signals)
        key, value = condition
        if key == "type":
            return message_type in value
        found = (lambda text: self.signals.matches(value.name, text)) if isinstance(value, SignalName) else \
            (lambda text: bool(value.search(text)))
        if key == "role":
            return any(f and found(f) for f in (draft.context.role, draft.context.company, draft.context.subject))
        if key == "sentence":
            left, right = ctx.sentence_bounds(draft.text, hit.start, hit.end)
            return found(draft.text[left:right])
        if key == "span":
            return found(draft.text[hit.start: hit.end])
        if key == "draft":
            return found(draft.text[: draft.body_end])
        return False

    @staticmethod
    def _date_hit(draft: Draft, detail: str) -> Hit | None:
        line = draft.context.date_line
        if line is None:
            return None
        return Hit(0, 0, detail=detail, file_span=(line, 1, line, max(draft.context.date_line_length, 1) + 1))

    @staticmethod
    def _finding(rule: Rule, hit: Hit, draft: Draft) -> Finding:
        if hit.file_span is not None:
            line, column, end_line, end_column = hit.file_span
        else:
            line, column = draft.locate(hit.start)
            end_line, last_column = draft.locate(max(hit.end - 1, hit.start))
            end_column = last_column + 1
        message = rule.message if not hit.detail else f"{rule.message} ({hit.detail})"
        if hit.file_span is None and hit.end > hit.start:
            message += f": {_evidence(draft.text[hit.start: hit.end])}"
        return Finding(
            path=draft.path, line=line, column=column, end_line=end_line, end_column=end_column,
            rule=rule.id, category=rule.category, severity=rule.severity, message=message,
            suggestion=rule.suggestion,
        )

    @staticmethod
    def _deduplicate(findings: list[Finding]) -> list[Finding]:
        """One finding per rule per overlapping span: the widest wins."""
        kept: list[Finding] = []
        for finding in sorted(findings, key=lambda f: (f.rule, f.line, f.column, -f.end_line, -f.end_column)):
            previous = kept[-1] if kept else None
            if previous and previous.rule == finding.rule and (finding.line, finding.column) < (previous.end_line, previous.end_column) \
                    and (finding.line, finding.column) >= (previous.line, previous.column):
                continue
            kept.append(finding)
        return kept

    # -- cadence ---------------------------------------------------------------------
    def needs_history(self, drafts: list[Draft]) -> bool:
        """Whether earlier drafts can matter: only a dated follow-up is judged by cadence."""
        return bool(self.cadence_rules) and any(
            d.context.date is not None and self._about(d)[1] == "follow-up" for d in drafts)

    def _cadence(self, drafts: list[Draft], history: list[Draft]) -> dict[str, dict[str, list[str]]]:
        linted = {d.path for d in drafts}
        messages = [self._message(d, True) for d in drafts]
        messages += [self._message(d, False) for d in history if d.path not in linted]
        details: dict[str, dict[str, list[str]]] = {}
        for rule in self.cadence_rules:
            for path, found in rule.detector.find_across(messages).items():
                details.setdefault(path, {})[rule.id] = found
        return details

    def _message(self, draft: Draft, linted: bool) -> Message:
        return Message(
            path=draft.path,
            thread=thread_key(draft),
            date=draft.context.date,
            type=self._about(draft)[1] if draft.context.date is not None else None,  # only dated ones count
            interview_date=draft.context.interview_date,
            linted=linted,
        )


_PROBLEM_RULE = re.compile(r"\brule ([\w.-]+):")  # the rule a detection problem names (see _detect)


def _evidence(text: str, limit: int = 60) -> str:
    """The matched words, on one line and short, so the finding shows what it is about."""
    words = " ".join(text.split())
    return f'"{words}"' if len(words) <= limit else f'"{words[: limit - 1].rstrip()}…"'
