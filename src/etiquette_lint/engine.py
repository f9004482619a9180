"""The run: cheap triggers over every draft, spaCy only on the sentences that need it,
detectors, then each hit judged by its rule's conditions and made a finding.

Two stages keep it fast: each rule's trigger regex selects the sentences it could match, and
only those sentences go through the pipeline, at the depth the selecting rules need
(tokens, tags, parse, entities). Drafts stream through in chunks, so memory stays flat.

Elsewhere: the pipeline (pipeline.py), `unless`/`require` (conditions.py), finding records
(findings.py), and for `--jobs` the deep stage in worker processes (parallel.py's runner)."""
from __future__ import annotations

import copy
import traceback
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from . import context as ctx
from . import regex_safety
from .conditions import needs_parse, silenced
from .detectors import LEVELS, Analysis, Hit, Segment
from .detectors.base import ENTITIES, PARSE, TEXT, TOKENS
from .detectors.cadence import Message, thread_key
from .drafts.model import Draft
from .findings import Finding, Problem, deduplicate, finding_at
from .pipeline import SharedPipeline
from .prefilter import WordIndex
from .regex_safety import RegexTimeout, run_budget
from .ruleset import Rule, RuleSet
from .segments import split_segments


@dataclass
class DraftResult:
    draft: Draft
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _rule_level(rule: Rule) -> str:
    level = rule.detector.level
    if level != TEXT and needs_parse(rule):
        level = max(level, PARSE, key=LEVELS.index)
    return level


class InProcess:
    """How an engine runs its chunks by default: both stages here, chunk after chunk.
    (parallel.TwoStage is the other runner: the deep stage in worker processes.)"""

    def fresh(self) -> "InProcess":
        return self  # keeps nothing of a run

    def wants_workers(self, engine: "Engine", drafts: int) -> bool:
        return False

    def prepare(self, engine: "Engine", drafts_expected: int) -> None:
        """Nothing to start."""

    def close(self) -> None:
        """Nothing to stop."""

    def lint(self, engine: "Engine", drafts: list[Draft], across: dict[str, dict[str, list[str]]]) -> Iterator[DraftResult]:
        for index in range(0, len(drafts), engine.chunk_size):
            yield from engine.lint_chunk(drafts[index: index + engine.chunk_size], across)


IN_PROCESS = InProcess()


def _budget(rule):
    """One time budget per rule and draft for every regex the rule brings (its detector's,
    its triggers', its `unless`/`require` conditions'): a rule that overruns it is reported
    as failing on that draft and the run goes on (issue 14, item 1). Read at each use, so a
    test can shorten it."""
    return run_budget(regex_safety.RUN_BUDGET_SECONDS, f"rule {rule.id}")


class Engine:
    """Lints drafts with one rule set and one pipeline (loaded on first need, once)."""

    def __init__(self, ruleset: RuleSet, model: str | None = None, gating: bool = True, chunk_size: int = 200, batch_size: int = 64,
                 known_names: frozenset[str] | None = None, runner=None):
        self.signals = ruleset.signals
        self.model = model
        self.gating = gating
        self.chunk_size = chunk_size
        self.batch_size = batch_size
        self.runner = runner or IN_PROCESS  # parallel.TwoStage for --jobs N
        self.tracebacks: list[str] = []  # internal errors, shown with --debug
        # offer made, message type, why unknown (signals out of time): per draft, this run
        self._known: dict[int, tuple[Draft, bool, str | None, str | None]] = {}
        self._use(ruleset)
        self.pipeline = SharedPipeline(model, [r.detector for r in self.nlp_rules],
                                       any(self.levels[r.id] == ENTITIES for r in self.nlp_rules))
        # Rule ids and categories a suppression directive may name (all loaded rules, not only selected).
        self.known_names = known_names if known_names is not None else frozenset(
            {r.id for r in self.rules} | {r.category for r in self.rules})

    @property
    def needs_nlp(self) -> bool:
        return bool(self.nlp_rules)

    def _use(self, ruleset: RuleSet) -> None:
        """The rules and what the run derives from them once."""
        self.ruleset = ruleset
        self.rules = ruleset.rules
        self.nlp_rules = [r for r in self.rules if r.detector.level != TEXT]
        self.levels = {r.id: _rule_level(r) for r in self.rules}
        self.across_rules = [r for r in self.rules if r.detector.across_drafts]

    def restricted(self, rules: list[Rule], runner=None) -> "Engine":
        """This engine over a subset of its rules, with the same settings, error log and
        `pipeline` (one holder: loaded on first need by either, its matchers compiled once):
        the cache runs the cross-draft rules apart from the per-draft rules. The copy runs its
        chunks with `runner`, else a fresh runner of this engine's kind."""
        other = copy.copy(self)
        other.runner = runner or self.runner.fresh()
        other._use(RuleSet(rules, self.signals, self.ruleset.files, self.ruleset.lexicons))
        return other

    # -- the run ---------------------------------------------------------------------
    def prepare(self, drafts_expected: int) -> None:
        """Called before the drafts of a run are read (a runner may start workers meanwhile)."""
        self.runner.prepare(self, drafts_expected)

    def close(self) -> None:  # end of the run: the runner stops what it started
        self.runner.close()

    def lint(self, drafts: Iterable[Draft], history: Iterable[Draft] = ()) -> Iterator[DraftResult]:
        """Findings per draft, in input order. `history` drafts only inform the cross-draft rules."""
        drafts = list(drafts)
        try:
            across = self._across(drafts, list(history)) if self.across_rules else {}
            self.prepare(len(drafts))
            yield from self.runner.lint(self, drafts, across)
        finally:
            self._known.clear()
            self.close()

    def lint_chunk(self, chunk: list[Draft], across: dict[str, dict[str, list[str]]]) -> Iterator[DraftResult]:
        analyses = [self.select(draft) for draft in chunk]
        self.analyse(analyses)
        for analysis in analyses:
            yield self.detect(analysis, across.get(analysis.draft.path, {}))

    def about(self, draft: Draft, index: WordIndex | None = None) -> tuple[bool, str | None]:
        """Whether an offer was made and the message type: worked out once per draft in a run
        (the cross-draft rules, then detection, ask for them)."""
        known = self._known.get(id(draft))
        if known is None or known[0] is not draft:
            if index is None and self.gating:
                index = WordIndex(draft.text, draft.body_end)
            known = (draft, *self._situation(draft, index))
            self._known[id(draft)] = known
        return known[1], known[2]

    def _situation(self, draft: Draft, index: WordIndex | None) -> tuple[bool, str | None, str | None]:
        """(offer made, message type, why they are unknown): the packs' signals, a user's
        among them, read under the same time budget as a rule (issue 14, item 1)."""
        try:
            with run_budget(regex_safety.RUN_BUDGET_SECONDS, "reading the offer and message type from the packs' signals"):
                offer = ctx.offer_made(draft, self.signals, index)
                return offer, ctx.message_type(draft, self.signals, offer, index), None
        except RegexTimeout as exc:
            return False, None, f"{exc}; rules that depend on them ran as if no offer was made and the type were unknown"

    def signals_overrun(self, draft: Draft) -> str | None:
        """Why the draft's offer and message type are unknown (its signals ran out of time), if they are."""
        known = self._known.get(id(draft))
        return known[3] if known is not None and known[0] is draft else None

    def select(self, draft: Draft) -> Analysis:
        """The cheap stage: the draft's sentences each rule's triggers select."""
        # The draft's words, for the prefilter (prefilter.py); kept only while its chunk is linted.
        analysis = Analysis(draft, self.signals, index=WordIndex(draft.text, draft.body_end) if self.gating else None)
        if not self.nlp_rules:
            return analysis
        pieces = [Segment(s, e) for s, e in split_segments(draft.text, 0, draft.body_end)]
        analysis.segments = pieces
        for rule in self.nlp_rules:
            pattern, words = rule.detector.triggers, rule.detector.word_triggers
            if not self.gating or (pattern is None and not words):
                analysis.selected[rule.id] = list(pieces)
                continue
            try:
                with _budget(rule):
                    analysis.selected[rule.id] = self._chosen(analysis, pieces, pattern, words)
            except RegexTimeout as exc:  # reported by detect, which then skips the rule
                analysis.selected[rule.id] = []
                analysis.failed[rule.id] = str(exc)
        return analysis

    @staticmethod
    def _chosen(analysis: Analysis, pieces: list[Segment], pattern, words) -> list[Segment]:
        """The sentences a rule's triggers select: its lemma terms' words, or its trigger regex."""
        chosen: set[int] = set()
        if words and words.met(analysis.index.words):  # lemma terms: the words they need, in each sentence's words
            chosen = {i for i, p in enumerate(pieces) if words.met(analysis.index.words_in(p.start, p.end))}
        if pattern is not None and analysis.may_match(pattern):
            text, fast = analysis.search_text(pattern)
            chosen |= {i for i, p in enumerate(pieces) if i not in chosen and analysis.may_match_in(pattern, p.start, p.end)
                       and fast.search(text, p.start, p.end)}
        return [p for i, p in enumerate(pieces) if i in chosen]

    def analyse(self, analyses: list[Analysis]) -> None:
        """The deep stage: the pipeline over the selected segments, each at the depth its rules need."""
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
        nlp = self.pipeline.get()
        for level, segments in by_level.items():
            if level == TOKENS:
                for segment in segments:
                    segment.doc = nlp.make_doc(texts[id(segment)])
                continue
            docs = nlp.pipe((texts[id(s)] for s in segments), batch_size=self.batch_size, disable=self.pipeline.disabled(level))
            for segment, doc in zip(segments, docs):
                segment.doc = doc

    def detect(self, analysis: Analysis, across: dict[str, list[str]],
               situation: tuple[bool, str | None] | None = None) -> DraftResult:
        """Every rule on one analysed draft. `across`: what the cross-draft rules found for it;
        `situation`: (offer made, message type) when already known (else `about`)."""
        draft = analysis.draft
        result = DraftResult(draft)
        offer, message_type = situation or self.about(draft, analysis.index)
        if situation is None and self.signals_overrun(draft):
            result.problems.append(Problem(draft.path, self.signals_overrun(draft), "error"))
        for rule in self.rules:
            if rule.when.get("type") and message_type not in rule.when["type"]:
                continue
            if rule.id in analysis.failed:  # its triggers ran out of time in select
                result.problems.append(Problem(draft.path, analysis.failed[rule.id], "error", rule=rule.id))
                continue
            try:
                with _budget(rule):  # the detector's regexes and the conditions' alike
                    if rule.detector.across_drafts:
                        hits = [self._date_hit(draft, detail) for detail in across.get(rule.id, [])]
                    else:
                        hits = list(rule.detector.find(analysis, rule.id))
                    for hit in hits:
                        if hit is not None and not silenced(rule, hit, draft, self.signals, message_type, offer):
                            result.findings.append(finding_at(rule, hit, draft))
            except Exception as exc:  # one rule failing on one draft must not lose the rest
                message = str(exc) if isinstance(exc, RegexTimeout) \
                    else f"internal error in rule {rule.id}: {exc.__class__.__name__}: {exc}"
                result.problems.append(Problem(draft.path, message, "error", rule=rule.id))
                self.tracebacks.append(traceback.format_exc())
        result.findings = deduplicate(result.findings)
        return result

    @staticmethod
    def _date_hit(draft: Draft, detail: str) -> Hit | None:
        """A cross-draft finding sits on the draft's date line (none without one)."""
        line = draft.context.date_line
        if line is None:
            return None
        return Hit(0, 0, detail=detail, file_span=(line, 1, line, max(draft.context.date_line_length, 1) + 1))

    # -- across drafts (cadence) ----------------------------------------------------------
    def needs_history(self, drafts: list[Draft]) -> bool:
        """Whether earlier drafts can matter: only a dated follow-up is judged by cadence."""
        return bool(self.across_rules) and any(
            d.context.date is not None and self.about(d)[1] == "follow-up" for d in drafts)

    def _across(self, drafts: list[Draft], history: list[Draft]) -> dict[str, dict[str, list[str]]]:
        """What each cross-draft rule finds, per linted path and rule id."""
        linted = {d.path for d in drafts}
        messages = [self._message(d, True) for d in drafts]
        messages += [self._message(d, False) for d in history if d.path not in linted]
        details: dict[str, dict[str, list[str]]] = {}
        for rule in self.across_rules:
            for path, found in rule.detector.find_across(messages).items():
                details.setdefault(path, {})[rule.id] = found
        return details

    def _message(self, draft: Draft, linted: bool) -> Message:
        return Message(
            path=draft.path,
            thread=thread_key(draft),
            date=draft.context.date,
            type=self.about(draft)[1] if draft.context.date is not None else None,  # only dated ones count
            interview_date=draft.context.interview_date,
            linted=linted,
        )
