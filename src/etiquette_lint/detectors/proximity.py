"""`proximity`: several terms in one sentence, optionally linked through the parse.

Criticism is a judgement *about* the writer's employer: a target term ("my current manager")
and a judgement term ("clueless") in one clause. With `within: clause`, the two must be joined
through the dependency tree in at most `max_hops` edges, which keeps "my manager was great;
the deadline was awful" quiet."""
from __future__ import annotations

import re
from typing import Iterable

from ..context import is_negated
from ..lexicons import TermSet, read_term_set, token_facts
from .base import PARSE, TAGS, TOKENS, Analysis, Detector, Hit, Param, Where

_FLAGS = re.IGNORECASE


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_UNLESS_REACH = 40  # characters either side of an anchored match where an `unless` regex silences it
_PARAGRAPH_REACH = 3000  # characters back to look for the paragraph's start (bounded: a 1 MB draft has one paragraph)

_CLAUSE_LINKS = ("conj", "parataxis", "advcl")
_SUBJECTS = ("nsubj", "nsubjpass", "expl", "csubj")
_RELATIVE_PRONOUNS = ("WDT", "WP")  # which, that, who, whom


def _ends_clause(token) -> bool:
    """A coordinated or adverbial clause with its own subject ("..., but the vendor was
    clueless"), or a relative clause whose subject is a noun of its own ("a provider whose
    API is a mess"). A relative clause whose subject is the relative pronoun ("people who
    don't care") says something about the noun it hangs on, so it stays joined."""
    subjects = [child for child in token.children if child.dep_ in _SUBJECTS]
    if token.dep_ == "relcl":
        return any(child.tag_ not in _RELATIVE_PRONOUNS for child in subjects)
    return token.dep_ in _CLAUSE_LINKS and bool(subjects)


def _ancestors(token, limit: int, own: frozenset[int] = frozenset()) -> dict[int, int]:
    """Token index -> edges up from `token`, stopping at the root or a clause boundary, unless
    the boundary is part of the term itself (`own`): "where I work now, the roadmap is ..."
    is a clause that names the target, and it modifies the main clause.

    spaCy makes a new Token object per access, so nodes are compared by index."""
    found = {token.i: 0}
    node, depth = token, 0
    while node.head.i != node.i and depth < limit and (not _ends_clause(node) or node.i in own):
        node, depth = node.head, depth + 1
        found[node.i] = depth
    return found


def _path_length(a, b, limit: int, own_a: frozenset[int] = frozenset()) -> int | None:
    """Edges between two tokens through their common ancestor within one clause, or None.
    `own_a`: the tokens of a's term, whose own clause boundary a may cross."""
    up_a, up_b = _ancestors(a, limit, own_a), _ancestors(b, limit)
    common = [up_a[i] + up_b[i] for i in up_a.keys() & up_b.keys()]
    best = min(common, default=None)
    return best if best is not None and best <= limit else None


class ProximityDetector(Detector):
    kind = "proximity"
    params = {
        "terms": Param((dict,), required=True, doc="name -> {lexicons, terms, match, patterns} (or a list of regexes); every term must occur"),
        "within": Param((str,), default="sentence", doc="sentence or clause"),
        "max_hops": Param((int,), default=4, doc="with within: clause, the most dependency edges between terms"),
        "negatable": Param((list,), default=[], doc="terms whose match does not count when negated (needs the parse)"),
        "trigger_term": Param((str,), doc="the term whose regexes select sentences for the parse (default: the first); "
                                          "pick the rarest, since every term must occur anyway"),
        "anchored": Param((dict,), default={}, doc="term -> {anchor: [regexes], patterns: [regexes], unless: [regexes]}: "
                                                   "more regexes for the term, counted only in a paragraph where an anchor "
                                                   "came first and with no `unless` match within 40 characters "
                                                   "('at my current site ... the team leader')"),
    }

    def __init__(self, config: dict, where: Where) -> None:
        within = config.get("within", "sentence")
        if within not in ("sentence", "clause"):
            raise where.error("within", "should be 'sentence' or 'clause'")
        self.level = PARSE if within == "clause" else TOKENS
        self.terms: dict[str, TermSet] = {}
        terms = config.get("terms")
        if isinstance(terms, dict):
            if len(terms) < 2:
                raise where.error("terms", "needs at least two terms")
            for name, spec in terms.items():
                self.terms[str(name)] = read_term_set(spec, where.lexicons, where, f"terms.{name}", f"{where.rule_id}:{name}")
        if any(t.needs_lemmas for t in self.terms.values()) and self.level == TOKENS:
            self.level = TAGS
        super().__init__(config, where)
        self.anchored = self._anchored(self.config["anchored"], where)
        for name in self.config["negatable"]:
            if name not in self.terms:
                raise where.error("negatable", f"names no term: {name!r}")
        if self.config["negatable"]:
            self.level = PARSE

    def _anchored(self, config: dict, where: Where) -> dict[str, tuple[list[re.Pattern], TermSet, list[re.Pattern]]]:
        """term -> (anchor regexes, the term's extra terms, unless regexes), validated. Anchors
        and `unless` are searched in plain text, so their lists match on lower-case text."""
        anchored = {}
        for name, spec in config.items():
            if name not in self.terms:
                raise where.error(f"anchored.{name}", f"names no term: {name!r}")
            if not isinstance(spec, dict) or not {"anchor", "patterns"} <= set(spec) <= {"anchor", "patterns", "unless"}:
                raise where.error(f"anchored.{name}", "should have `anchor` and `patterns` (and may have `unless`), each terms or regexes")
            sets = {key: read_term_set(spec[key], where.lexicons, where, f"anchored.{name}.{key}", f"{where.rule_id}:{name}.{key}")
                    for key in ("anchor", "patterns", "unless") if spec.get(key)}
            for key in ("anchor", "unless"):
                if key in sets and sets[key].needs_lemmas:
                    raise where.error(f"anchored.{name}.{key}", "is searched in plain text: its lists need `match: lower`")
            unless = sets["unless"].regexes() if "unless" in sets else []
            anchored[str(name)] = (sets["anchor"].regexes(), sets["patterns"], unless)
        return anchored

    def _anchored_terms(self, analysis: Analysis, start: int, end: int) -> dict[str, tuple[TermSet, list]]:
        """The anchored patterns that count in the sentence [start, end): those whose anchor
        occurs earlier in its paragraph (or in the sentence itself), with their `unless`."""
        if not self.anchored:
            return {}
        text = analysis.draft.text
        floor = max(0, start - _PARAGRAPH_REACH)
        breaks = [m.end() for m in _PARAGRAPH_BREAK.finditer(text, floor, start)]
        paragraph = breaks[-1] if breaks else floor
        return {name: (extra, unless) for name, (anchors, extra, unless) in self.anchored.items()
                if any(a.search(text, paragraph, end) for a in anchors)}

    @staticmethod
    def _anchored_spans(doc, extra: TermSet, unless: list) -> list[tuple[int, int]]:
        """The anchored term's matches, less those with an `unless` match close by ("the
        director you introduced"): close, not anywhere in the sentence, since a sentence the
        segmenter could not split (no capitals, no full stops) may run on to "thank you"."""
        text = token_facts(doc).text
        return [(s, e) for s, e in extra.spans(doc)
                if not any(u.search(text, max(0, s - _UNLESS_REACH), min(len(text), e + _UNLESS_REACH)) for u in unless)]

    def derive_triggers(self) -> list[str]:
        name = self.config["trigger_term"] or next(iter(self.terms))
        if name not in self.terms:
            raise self.where.error("trigger_term", f"names no term: {name!r}")
        return self.terms[name].triggers()

    def _trigger_term(self) -> TermSet:
        return self.terms[self.config["trigger_term"] or next(iter(self.terms))]

    def gates_by_words(self) -> bool:
        return self._trigger_term().needs_lemmas

    def derive_word_triggers(self) -> list:
        return self._trigger_term().word_triggers()

    def _matches(self, doc, extra: dict[str, tuple[TermSet, list]]) -> dict[str, list[tuple[int, int, int]]]:
        """Term name -> (start, end, most hops allowed) of each match in the sentence. A word
        the valence lexicon supplies may have to sit closer than the term's own words."""
        found = {}
        hops = self.config["max_hops"]
        for name, term_set in self.terms.items():
            spans = term_set.spans(doc, with_valence=False) + (self._anchored_spans(doc, *extra[name]) if name in extra else [])
            located = [(start, end, hops) for start, end in spans]
            if term_set.valence is not None:
                near = min(hops, term_set.valence.max_hops or hops)
                located += [(start, end, near) for start, end in term_set.valence_spans(doc)]
            if not located:
                return {}
            found[name] = located
        return found

    def find(self, analysis: Analysis, rule_id: str) -> Iterable[Hit]:
        clause = self.config["within"] == "clause"
        for segment in analysis.selected.get(rule_id, ()):
            doc = segment.doc
            found = self._matches(doc, self._anchored_terms(analysis, segment.start, segment.end))
            if not found:
                continue
            names = list(found)
            anchors, others = found[names[0]], names[1:]
            for a_start, a_end, _ in anchors:
                linked = [(a_start, a_end)]
                for name in others:
                    best = None
                    for start, end, reach in found[name]:
                        if name in self.config["negatable"] and self._negated(doc, start, end):
                            continue
                        if clause:
                            distance = self._distance(doc, (a_start, a_end), (start, end))
                            if distance is None or distance > reach:
                                continue
                        else:
                            distance = abs(start - a_start)
                        if best is None or distance < best[0]:
                            best = (distance, start, end)
                    if best is None:
                        break
                    linked.append((best[1], best[2]))
                else:
                    start = min(s for s, _ in linked)
                    end = max(e for _, e in linked)
                    span = doc.char_span(start, end, alignment_mode="expand")
                    yield Hit(segment.start + start, segment.start + end, span)
                    break

    @staticmethod
    def _negated(doc, start: int, end: int) -> bool:
        span = doc.char_span(start, end, alignment_mode="expand")
        return is_negated(span, ignore_inside=True)

    def _distance(self, doc, first: tuple[int, int], second: tuple[int, int]) -> int | None:
        span_a = doc.char_span(*first, alignment_mode="expand")
        span_b = doc.char_span(*second, alignment_mode="expand")
        if span_a is None or span_b is None or not len(span_a) or not len(span_b):
            return None
        best = None
        own = frozenset(token.i for token in span_a)  # the first term (the target) may be a clause itself
        for a in span_a:
            for b in span_b:
                length = _path_length(a, b, self.config["max_hops"], own)
                if length is not None and (best is None or length < best):
                    best = length
        return best
