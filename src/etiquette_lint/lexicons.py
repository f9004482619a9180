"""Term lists: the words rules know, one entry a line, matched on lemmas or on lower-case text.

A lexicon is a YAML file in a rule folder's `lexicons/` (its name is the file's stem), or a
`terms:` list inside a rule. Each term is a short phrase in a tiny syntax a coach can read:

    blame                 one word; with `match: lemma`, every inflection (blames, blamed ...)
    take (all) (the) credit   a word in brackets may be absent
    no idea|clue          one slot, several words
    micromanag*           any word starting so
    keep ... in the dark  up to three words of anything in between
    the figure <PRON> quoted  a part of speech (lemma lists only)
    cook the books        (lemma lists) an article, possessive or demonstrative between two
                          words stands for any of them: "cooking their books"

`match: lower` lists compile to one regex (as Vale compiles `tokens:`) and work on plain text,
so signals and text-level rules use them without spaCy. `match: lemma` lists are matched on
the pipeline's tokens, comparing each word with the token's lemma and its lower-case text;
their triggers (the gate that picks sentences for the pipeline) are each term's rarest word
as a stem plus the pipeline's irregular forms (took -> take), read from data/irregular-forms.json.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable

from . import prefilter
from .lazyregex import LazyRegex, regex
from .errors import ConfigError
from .yamlsource import Located, LocatedList, line_of, load_located_file

MATCH_MODES = ("lemma", "lower")
GAP = "..."
GAP_WORDS = 3
POS_TAGS = {"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT",
            "SCONJ", "SYM", "VERB", "X"}
LEXICON_KEYS = {"match", "about", "terms"}
TERM_KEYS = {"term", "note", "source"}
_SLOT_CHARS = re.compile(r"^[\w'’&$£€%+./:#-]+\*?$")
# How spaCy's English tokenizer splits a written word: "can't" -> ca n't, "two-faced" -> two - faced.
_WORD_PIECES = re.compile(r"\w+?(?=n['’]t\b)|n['’]t\b|['’]\w+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Slot:
    """One position of a term: words (or word starts, or parts of speech) that may fill it."""

    words: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    pos: frozenset[str] = frozenset()
    optional: bool = False
    gap: bool = False  # "...": up to GAP_WORDS words of anything

    def fits(self, lower: str, lemma: str, pos: str) -> bool:
        return lower in self.words or lemma in self.words or pos in self.pos or any(
            lower.startswith(p) for p in self.prefixes)

    def regex(self) -> str:
        """This slot as a regex over text (lower lists only)."""
        parts = [_word_regex(w) for w in sorted(self.words, key=len, reverse=True)]
        parts += [_word_regex(p) + r"\w*" for p in self.prefixes]
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class Term:
    text: str
    slots: tuple[Slot, ...]
    note: str | None = None
    source: str | None = None
    line: int | None = None


class Lexicon:
    """A named list of terms and how they match.

    A shipped list is read from its file on first use (`load_lexicons(files, lazy=shipped)`): the
    shipped packs are checked by the test suite, and a run answered from the cache reads no
    list at all (reading them was most of loading the rules)."""

    def __init__(self, name: str, match: str = "lemma", terms: Iterable[Term] = (), about: str = "",
                 path: str = "", read: Callable[[], "Lexicon"] | None = None) -> None:
        self.name, self.path = name, path
        self._match, self._terms, self._about = match, list(terms), about
        self._read = read  # returns the whole list, read from its file
        self._source: str | None = None
        self._regex: LazyRegex | None = None

    def _loaded(self) -> "Lexicon":
        if self._read is not None:
            read, self._read = self._read, None
            whole = read()
            self._match, self._terms, self._about = whole.match, whole.terms, whole.about
        return self

    @property
    def match(self) -> str:
        return self._loaded()._match

    @property
    def terms(self) -> list[Term]:
        return self._loaded()._terms

    @property
    def about(self) -> str:
        return self._loaded()._about

    @property
    def size(self) -> int:
        return len(self.terms)

    def source(self) -> str:
        """The whole list as one regex's source (lower lists), made once."""
        if self._source is None:
            self._source = "|".join(_term_regex(t) for t in self.terms)
        return self._source

    def regex(self) -> LazyRegex:
        """The whole list as one case-insensitive regex, compiled on its first search."""
        if self._regex is None:
            self._regex = LazyRegex(self.source(), re.IGNORECASE)
        return self._regex

    def __repr__(self) -> str:
        return f"Lexicon({self.name!r}, path={self.path!r})"


def _word_regex(word: str) -> str:
    """A literal word in text: any apostrophe matches a straight or curly one."""
    return "".join("['’]" if c in "'’" else re.escape(c) for c in word)


def _term_regex(term: Term) -> str:
    out, started = [], False
    for slot in term.slots:
        if slot.gap:
            out.append(r"(?:\s+[^\s.!?]+){0,%d}?" % GAP_WORDS)
            continue
        piece = slot.regex()
        if not started:
            out.append(f"(?:{piece}\\s+)?" if slot.optional else piece)
            started = not slot.optional
        else:
            out.append(f"(?:\\s+{piece})?" if slot.optional else f"\\s+{piece}")
    return r"(?<!\w)" + "".join(out) + r"(?!\w)"


# -- reading terms ----------------------------------------------------------------------------


def parse_term(text: str, match: str, fail) -> tuple[Slot, ...]:
    """Slots of one term as written; `fail(message)` returns the error to raise."""
    slots: list[Slot] = []
    for piece in text.split():
        if piece in (GAP, "…"):
            if not slots:
                raise fail(f"{text!r}: '...' cannot start a term")
            slots.append(Slot(gap=True, optional=True))
            continue
        optional = piece.startswith("(") and piece.endswith(")")
        body = piece[1:-1] if optional else piece
        if body.startswith("<") and body.endswith(">"):
            tags = frozenset(body[1:-1].upper().split("|"))
            if match != "lemma" or not tags <= POS_TAGS:
                raise fail(f"{text!r}: {body} names a part of speech ({', '.join(sorted(POS_TAGS))}); only `match: lemma` lists have them")
            slots.append(Slot(pos=tags, optional=optional))
            continue
        words, prefixes = set(), []
        for alternative in body.lower().split("|"):
            if not alternative or not _SLOT_CHARS.match(alternative):
                raise fail(f"{text!r}: {piece!r} is not a word, word|word, (optional), word* or <POS>")
            if alternative.endswith("*"):
                prefixes.append(alternative[:-1])
            else:
                words.add(alternative)
        if match == "lemma" and len(words) == 1 and not prefixes and len(_WORD_PIECES.findall(next(iter(words)))) > 1:
            # A word the tokenizer splits ("two-faced", "don't") is several slots, as in the Doc.
            for part in _WORD_PIECES.findall(next(iter(words))):
                slots.append(Slot(words=frozenset({part}), optional=optional))
            continue
        slots.append(Slot(words=frozenset(words), prefixes=tuple(prefixes), optional=optional))
    if not any(not s.optional for s in slots):
        raise fail(f"{text!r}: a term needs at least one word that is not optional")
    return tuple(_any_determiner(slots)) if match == "lemma" else tuple(slots)


# Articles, demonstratives and third-person possessives: in a lemma term, one of them between two
# words stands for any determiner, so "fiddle the timesheets" also finds "fiddling our timesheets"
# and "take (all) (the) credit" finds "takes all my credit" (the writer lists one; people use
# them all). Not for none: "need this ." and "by the phone" mean what "needs ." and "by phone" do
# not. Not "my", "our", "your" as written: "on my last legs" is the writer, "on its last legs" a server.
DETERMINERS = frozenset("the a an my our your his her their its this that these those".split())
_STANDS_FOR_ANY = DETERMINERS - {"my", "our", "your"}


def _any_determiner(slots: list[Slot]) -> list[Slot]:
    inner = range(1, len(slots) - 1)
    return [Slot(words=DETERMINERS, optional=slot.optional)
            if i in inner and slot.words and slot.words <= _STANDS_FOR_ANY and not slot.prefixes else slot
            for i, slot in enumerate(slots)]


def read_terms(node: Any, match: str, path: str, field_name: str) -> list[Term]:
    """A YAML list of terms: strings, or {term, note, source} mappings."""
    if not isinstance(node, list) or not node:
        raise ConfigError(path, line_of(node, default=None), field_name, "should be a non-empty list of terms, one a line")
    lines = node.item_lines if isinstance(node, LocatedList) else [None] * len(node)
    terms = []
    for index, item in enumerate(node):
        line = lines[index] if lines else None
        where = f"{field_name}[{index}]"
        note = source = None
        if isinstance(item, Located):
            unknown = set(item) - TERM_KEYS
            if unknown or "term" not in item:
                raise ConfigError(path, line, where, f"a term is text, or a mapping with 'term' (and 'note', 'source'); got {sorted(item)}")
            note, source, item = item.get("note"), item.get("source"), item["term"]
        if not isinstance(item, str) or not item.strip():
            raise ConfigError(path, line, where, "should be a term (text)")
        slots = parse_term(item.strip(), match, lambda message: ConfigError(path, line, where, message))
        terms.append(Term(item.strip(), slots, note, source, line))
    return terms


def load_lexicon(path: Path) -> Lexicon:
    name = str(path)
    data = load_located_file(path, "lexicon")
    if not isinstance(data, Located):
        raise ConfigError(name, 1, None, "a lexicon is a mapping with 'terms:' (and 'match:', 'about:')")
    for key in data:
        if key not in LEXICON_KEYS:
            raise ConfigError(name, data.line_of(key), str(key), f"unknown key (known: {', '.join(sorted(LEXICON_KEYS))})")
    match = data.get("match", "lemma")
    if match not in MATCH_MODES:
        raise ConfigError(name, data.line_of("match"), "match", f"should be one of {', '.join(MATCH_MODES)}")
    about = data.get("about", "")
    if not isinstance(about, str):
        raise ConfigError(name, data.line_of("about"), "about", "should be text")
    return Lexicon(path.stem, match, read_terms(data.get("terms"), match, name, "terms"), about.strip(), name)


def builtin_lexicon_files() -> list[Path]:
    folder = resources.files("etiquette_lint.rules").joinpath("lexicons")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith((".yaml", ".yml"))) if folder.is_dir() else []


def lexicon_files_in(folder: Path) -> list[Path]:
    sub = folder / "lexicons"
    return sorted(p for p in sub.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()) if sub.is_dir() else []


def load_lexicons(files: Iterable[Path], lazy: Iterable[Path] = ()) -> dict[str, Lexicon]:
    """Lists by name (a file's stem). Those in `lazy` (shipped lists) are read on first use."""
    later = {str(p) for p in lazy}
    found: dict[str, Lexicon] = {}
    for path in files:
        if str(path) in later:
            lexicon = Lexicon(path.stem, path=str(path), read=functools.partial(load_lexicon, path))
        else:
            lexicon = load_lexicon(path)
        if lexicon.name in found:
            raise ConfigError(str(path), 1, None, f"duplicate lexicon name {lexicon.name!r} (also {found[lexicon.name].path})")
        found[lexicon.name] = lexicon
    return found


# -- matching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Valence:
    """Words the general valence lexicon (valence.py) rates at or below `at_most`, in the given
    parts of speech, except the words of the `unless` lists (misfortune is not a judgement:
    "my team was hit by layoffs")."""

    at_most: float
    pos: frozenset[str]
    unless: tuple[Lexicon, ...] = ()
    max_hops: int | None = None  # in `proximity`, how close to the other term (closer than its words may be)

    def fits(self, lower: str, lemma: str, pos: str) -> bool:
        from .valence import valence

        if pos not in self.pos or valence(lower, lemma) > self.at_most:
            return False
        return not any(slot.fits(lower, lemma, pos) for lex in self.unless for t in lex.terms for slot in t.slots[:1]
                       if len(t.slots) == 1)

    def word_trigger(self) -> "WordTrigger":
        from .valence import words_at_most

        words = words_at_most(self.at_most)
        forms = frozenset(f for w in words for f in (w, w + "s", w + "es", w + "d", w + "ed", w + "ing", w + "ly"))
        return WordTrigger(((forms, ()),))


@dataclass
class TermSet:
    """What a rule matches: named lexicons, its own inline terms, and shape regexes.

    Built at load; `regexes()` serves text-level matching (every list `lower`), `spans(doc)`
    token-level matching, `triggers()` the cheap gate."""

    lexicons: list[Lexicon] = field(default_factory=list)
    patterns: list[re.Pattern] = field(default_factory=list)  # shapes: short, commented regexes
    valence: Valence | None = None

    @property
    def needs_lemmas(self) -> bool:
        return self.valence is not None or any(lex.match == "lemma" for lex in self.lexicons)

    def regexes(self) -> list[re.Pattern]:
        """Text-level form: one regex per lower list, then the shape regexes."""
        return [lex.regex() for lex in self.lexicons] + self.patterns

    def valence_spans(self, doc) -> list[tuple[int, int]]:
        """Character spans of the single words the valence lexicon rates low enough."""
        if self.valence is None or not len(doc):
            return []
        facts = token_facts(doc)
        return [span for word, span in zip(facts.words, facts.spans) if self.valence.fits(*word)]

    def spans(self, doc, with_valence: bool = True) -> list[tuple[int, int]]:
        """Character spans in `doc` (a Doc or Span's text) where a term or a shape matches."""
        text = token_facts(doc).text
        found = [(m.start(), m.end()) for p in self.patterns for m in p.finditer(text) if m.end() > m.start()]
        lemma_lists = [lex for lex in self.lexicons if lex.match == "lemma"]
        for lex in self.lexicons:
            if lex.match == "lower":
                found += [(m.start(), m.end()) for m in lex.regex().finditer(text) if m.end() > m.start()]
        if lemma_lists:
            found += match_tokens(doc, [t for lex in lemma_lists for t in lex.terms])
        if with_valence:
            found += self.valence_spans(doc)
        return found

    def triggers(self) -> list[str]:
        """Regexes over raw text of which a match needs one (or one of word_triggers()). Raises
        ValueError for a lemma term with no word to gate on."""
        regexes = [p.pattern for p in self.patterns]
        for lex in self.lexicons:
            if lex.match == "lower":
                regexes.append(lex.source())
                continue
            regexes += [term_trigger(t) for t in lex.terms if word_trigger(t) is None]  # ValueError: no word to gate on
        return regexes

    def word_triggers(self) -> list[WordTrigger]:
        """The lemma terms' (and the valence lexicon's) triggers as sets of words."""
        found = []
        for lex in self.lexicons:
            if lex.match == "lemma":
                for term in lex.terms:
                    try:
                        trigger = word_trigger(term)
                    except ValueError:
                        continue
                    if trigger is not None:
                        found.append(trigger)
        if self.valence is not None:
            found.append(self.valence.word_trigger())
        return found


@dataclass(frozen=True)
class TokenFacts:
    """What term matching reads of each token of a Doc or Span, read once."""

    text: str  # the doc's text (spaCy joins its tokens again on every `doc.text`)
    words: list[tuple[str, str, str]]  # (lower, lemma, part of speech)
    spans: list[tuple[int, int]]  # characters, relative to the doc's text
    where: dict[str, list[int]]  # a word (lower case or lemma) -> its token positions


_FACTS: dict[tuple, tuple[Any, TokenFacts]] = {}
_FACTS_KEPT = 8


def token_facts(doc) -> TokenFacts:
    """The doc's tokens read once for every term set that matches on it: spaCy makes a new Token
    object on each access, and every rule's lists read the same sentence (a one-line 1 MB draft
    was read some thirty times, a minute of building Tokens). Kept for the last few docs, each
    entry holding its doc, so an id cannot be reused while its entry lives."""
    owner = getattr(doc, "doc", None)
    owner = doc if owner is None or owner is doc else owner
    key = (id(owner), doc.start, doc.end) if owner is not doc else (id(doc), 0, len(doc))
    entry = _FACTS.get(key)
    if entry is not None and entry[0] is owner:
        return entry[1]
    tokens = list(doc)
    base = tokens[0].idx if tokens else 0
    words = [(t.lower_, t.lemma_.lower(), t.pos_) for t in tokens]
    where: dict[str, list[int]] = {}
    for i, (lower, lemma, _) in enumerate(words):
        where.setdefault(lower, []).append(i)
        if lemma != lower:
            where.setdefault(lemma, []).append(i)
    facts = TokenFacts(doc.text, words, [(t.idx - base, t.idx - base + len(t.text)) for t in tokens], where)
    if len(_FACTS) >= _FACTS_KEPT:
        _FACTS.pop(next(iter(_FACTS)))
    _FACTS[key] = (owner, facts)
    return facts


def match_tokens(doc, terms: list[Term]) -> list[tuple[int, int]]:
    """Spans (characters, relative to the doc's text) of every term matched on its tokens,
    longest at each start."""
    facts = token_facts(doc)
    words, where = facts.words, facts.where
    if not words:
        return []
    spans = []
    for term in terms:
        needed = [s.words for s in term.slots if not s.optional and s.words and not s.prefixes]
        if any(not (choices & where.keys()) for choices in needed):
            continue
        first = term.slots[0]
        if not first.optional and first.words and not first.prefixes and not first.pos:
            starts = sorted({i for w in first.words for i in where.get(w, ())})  # only where its first word is
        else:
            starts = range(len(words))
        for start in starts:
            end = _match_at(term.slots, words, start)
            if end is not None and end > start:
                spans.append((facts.spans[start][0], facts.spans[end - 1][1]))
    return spans


def _match_at(slots: tuple[Slot, ...], words: list[tuple[str, str, str]], i: int) -> int | None:
    """The token index after the longest match of `slots` starting at token i, or None."""
    if not slots:
        return i
    slot, rest = slots[0], slots[1:]
    if slot.gap:
        for skip in range(GAP_WORDS, -1, -1):
            if i + skip <= len(words) and all(words[j][2] != "PUNCT" for j in range(i, i + skip)):
                end = _match_at(rest, words, i + skip)
                if end is not None:
                    return end
        return None
    if i < len(words) and slot.fits(*words[i]):
        end = _match_at(rest, words, i + 1)
        if end is not None:
            return end
    return _match_at(rest, words, i) if slot.optional else None


@functools.lru_cache(maxsize=1)
def irregular_forms() -> dict[str, list[str]]:
    data = resources.files("etiquette_lint").joinpath("data", "irregular-forms.json").read_text(encoding="utf-8")
    return json.loads(data)


@functools.lru_cache(maxsize=4)
def word_list(name: str) -> frozenset[str]:
    """A word list shipped in data/ (one word a line, # comments)."""
    text = resources.files("etiquette_lint").joinpath("data", name).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


_VOWELS = "aeiou"


def inflections(word: str) -> set[str]:
    """The forms English inflection gives a lemma (regular endings, spelling changes, and the
    pipeline's irregular forms): what a trigger must find for the lemmatiser to match."""
    forms = {word, word + "s", word + "es", word + "ed", word + "d", word + "ing", word + "er", word + "est", word + "ly"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word[:-1] + "er", word[:-1] + "est", word[:-1] + "y"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in _VOWELS:
        forms |= {word[:-1] + suffix for suffix in ("ies", "ied", "ier", "iest", "ily")}
    if word.endswith("ie"):
        forms.add(word[:-2] + "ying")
    if len(word) >= 3 and word[-1] not in _VOWELS + "wxy" and word[-2] in _VOWELS and word[-3] not in _VOWELS:
        forms |= {word + word[-1] + suffix for suffix in ("ed", "ing", "er", "est")}
    if word.endswith(("f", "fe")):
        forms.add(word.rsplit("f", 1)[0] + "ves")
    return forms | set(irregular_forms().get(word, []))


def _slot_cost(slot: Slot) -> float:
    """How often a slot's words turn up in ordinary text, roughly: a function word ("for",
    "anything") costs far more than a frequent content word ("work"), which costs more than any
    other; every alternative adds its own, and a longer word is a little rarer."""
    function, frequent = word_list("function-words.txt"), word_list("frequent-words.txt")

    def cost(word: str) -> float:
        base = 1000.0 if word in function else 30.0 if word in frequent else 1.0
        return base + 4.0 / max(len(word), 1)

    return sum(cost(w) for w in slot.words) + sum(1000.0 if len(p) < 4 else 2.0 + 8.0 / len(p) for p in slot.prefixes)


# Words the tokenizer also finds as the tail of a contraction ("don't" = do + n't, "I'll" = I + 'll):
# in raw text they are glued to the word before, so their trigger is that tail after any word.
_CONTRACTED = {"not": "n't", "will": "'ll", "would": "'d", "had": "'d", "have": "'ve", "am": "'m", "are": "'re",
               "is": "'s", "be": "'s", "us": "'s"}


def _slot_forms(slot: Slot) -> str:
    forms = sorted({f for word in slot.words for f in inflections(word)}, key=lambda f: (-len(f), f))
    parts = [_word_regex(f) for f in forms] + [_word_regex(p) + r"\w*" for p in slot.prefixes]
    parts += [r"(?<=\w)" + _word_regex(_CONTRACTED[w]) for w in sorted(slot.words) if w in _CONTRACTED]
    parts += [r"(?<=\w)" + _word_regex(w) for w in sorted(slot.words) if w in _CONTRACTED.values()]
    return "(?:" + "|".join(parts) + ")"


def _is_word_slot(slot: Slot) -> bool:
    """A slot that must be there and is made of words (not punctuation, a part of speech, a gap)."""
    return not slot.optional and not slot.gap and not slot.pos and all(re.search(r"\w", w) for w in slot.words)


def _chosen_slots(term: Term) -> list[int]:
    required = [i for i, slot in enumerate(term.slots) if _is_word_slot(slot)]
    if not required:
        raise ValueError(f"term {term.text!r} has no word that must occur: a trigger cannot be derived")
    return sorted(sorted(required, key=lambda i: _slot_cost(term.slots[i]))[:2])


def term_trigger(term: Term) -> str:
    """A regex over raw text that every match of a lemma term meets: its two rarest required
    words, each in any inflection, in order and near enough (so "work any shift" is not
    searched for wherever "work" is)."""
    chosen = _chosen_slots(term)
    pieces = [_slot_forms(term.slots[chosen[0]])]
    if len(chosen) == 2:
        between = term.slots[chosen[0] + 1: chosen[1]]
        reach = sum(GAP_WORDS if slot.gap else 1 for slot in between) + 2  # + tokenizer slack ("n't", "-")
        pieces.append(r"(?:\W+\w+){0,%d}?\W+" % reach + _slot_forms(term.slots[chosen[1]]))
    source = r"(?:(?<!\w)|(?=n?['’]))" + "".join(pieces) + r"(?!\w)"
    # The prefilter needs no regex read back: each chosen slot is one of its forms, a whole word.
    # A contraction slot requires nothing the word set can see; the other slot still must be there.
    nodes = [node for node in (_slot_node(term.slots[i]) for i in chosen) if node is not None]
    prefilter.declare(source, None if not nodes else nodes[0] if len(nodes) == 1 else ("and", tuple(nodes)))
    return source


def _slot_node(slot: Slot) -> tuple | None:
    """What the prefilter needs of a trigger slot: one of its forms as a whole word (None for a
    contraction, whose pieces are not whole words of the text)."""
    if slot.words & (_CONTRACTED.keys() | set(_CONTRACTED.values())):
        return None
    return prefilter.word_node({f for word in slot.words for f in inflections(word)}, slot.prefixes)


@dataclass(frozen=True)
class WordTrigger:
    """Words a sentence must hold for a term to match there: for each need, one of its forms
    or a word starting with one of its prefixes. Checked against the sentence's set of words
    (prefilter.WordIndex), which is far cheaper than searching a regex of every term."""

    needs: tuple[tuple[frozenset[str], tuple[str, ...]], ...]

    def met(self, words: set[str]) -> bool:
        return all(forms & words or any(w.startswith(p) for p in prefixes for w in words) for forms, prefixes in self.needs)


class WordTriggers:
    """Many WordTriggers, indexed by the forms of their first need, so a sentence is checked
    only against the triggers one of its own words can start."""

    def __init__(self, triggers: list[WordTrigger]) -> None:
        self.by_word: dict[str, list[WordTrigger]] = {}
        self.by_prefix: list[WordTrigger] = []
        for trigger in triggers:
            forms, prefixes = trigger.needs[0]
            for form in forms:
                self.by_word.setdefault(form, []).append(trigger)
            if prefixes:
                self.by_prefix.append(trigger)

    def __bool__(self) -> bool:
        return bool(self.by_word or self.by_prefix)

    def met(self, words: set[str]) -> bool:
        for word in words:
            for trigger in self.by_word.get(word, ()):
                if trigger.met(words):
                    return True
        return any(trigger.met(words) for trigger in self.by_prefix)


@functools.lru_cache(maxsize=None)  # asked twice per term: by triggers() and by word_triggers()
def word_trigger(term: Term) -> WordTrigger | None:
    """The term's two rarest required words as a WordTrigger; None (use term_trigger, which
    keeps their order and nearness) when both are frequent words, or one of them can be the tail
    of a contraction ("n't", "'ll"), which a set of words cannot see."""
    chosen = sorted(_chosen_slots(term), key=lambda i: _slot_cost(term.slots[i]))  # rarest first: the index key
    if _slot_cost(term.slots[chosen[0]]) >= 30 or (len(chosen) == 2 and term.slots[chosen[0]].words == term.slots[chosen[1]].words):
        return None  # only frequent words ("for show", "please please"): their order and nearness matter
    needs = []
    for index in chosen:
        slot = term.slots[index]
        if slot.words & (_CONTRACTED.keys() | set(_CONTRACTED.values())) or any(re.search(r"\W", w) for w in slot.words):
            return None
        forms = frozenset(f for word in slot.words for f in inflections(word))
        needs.append((forms, tuple(p for p in slot.prefixes)))
    return WordTrigger(tuple(needs))


TERM_SET_KEYS = {"lexicons", "terms", "match", "patterns", "valence"}
VALENCE_KEYS = {"at-most", "pos", "unless", "max-hops"}


def read_term_set(node: Any, known: dict[str, Lexicon], where, key: str, name: str) -> TermSet:
    """A rule's term set: `{lexicons: [names], terms: [...], match: lemma|lower, patterns: [regexes]}`,
    or a plain list of regexes (the older form). `where.error(key, message)` builds errors."""
    def sub(name: str) -> str:
        return f"{key}.{name}" if key else name

    if isinstance(node, list):
        node = {"patterns": node}
    if not isinstance(node, dict) or not node or not set(node) <= TERM_SET_KEYS:
        raise where.error(key or None, f"should be a mapping with any of {', '.join(sorted(TERM_SET_KEYS))}")
    term_set = TermSet()
    for index, lexicon in enumerate(node.get("lexicons") or []):
        if lexicon not in known:
            raise where.error(sub(f"lexicons[{index}]"), f"no lexicon named {lexicon!r} (known: {', '.join(sorted(known)) or 'none'})")
        term_set.lexicons.append(known[lexicon])
    match = node.get("match", "lemma")
    if match not in MATCH_MODES:
        raise where.error(sub("match"), f"should be one of {', '.join(MATCH_MODES)}")
    if "terms" in node:
        path = where.path
        terms = read_terms(node["terms"], match, path, f"{where.rule_id}: detector." + sub("terms"))
        term_set.lexicons.append(Lexicon(name, match, terms, "", path))
    for index, pattern in enumerate(node.get("patterns") or []):
        if not isinstance(pattern, str) or not pattern:
            raise where.error(sub(f"patterns[{index}]"), "should be a regex")
        expand = reference_expander(pattern, known, lambda message: where.error(sub(f"patterns[{index}]"), message))
        try:
            term_set.patterns.append(regex(pattern, re.IGNORECASE, not where.shipped, expand))
        except re.error as exc:
            raise where.error(sub(f"patterns[{index}]"), f"does not compile: {exc}") from None
    if "valence" in node:
        term_set.valence = _read_valence(node["valence"], known, where, sub("valence"))
    if not term_set.lexicons and not term_set.patterns and term_set.valence is None:
        raise where.error(key or None, "names no lexicon, term or pattern")
    return term_set


def _read_valence(node: Any, known: dict[str, Lexicon], where, key: str) -> Valence:
    """`valence: {at-most: -1.5, pos: [ADJ, NOUN], unless: [lists]}`."""
    if not isinstance(node, dict) or "at-most" not in node or not set(node) <= VALENCE_KEYS:
        raise where.error(key, "should be {at-most: number (-4 .. 0), pos: [parts of speech], unless: [term lists], max-hops: n}")
    at_most = node["at-most"]
    if isinstance(at_most, bool) or not isinstance(at_most, (int, float)) or not -4 <= at_most < 0:
        raise where.error(key, "at-most should be a number from -4 to below 0 (VADER's scale)")
    pos = node.get("pos", ["ADJ", "NOUN", "VERB"])
    if not isinstance(pos, list) or not set(pos) <= POS_TAGS:
        raise where.error(key, f"pos should list parts of speech ({', '.join(sorted(POS_TAGS))})")
    unless = []
    for name in node.get("unless") or []:
        if name not in known:
            raise where.error(key, f"unless names no lexicon {name!r}")
        unless.append(known[name])
    max_hops = node.get("max-hops")
    if max_hops is not None and (isinstance(max_hops, bool) or not isinstance(max_hops, int) or max_hops < 1):
        raise where.error(key, "max-hops should be a whole number of at least 1")
    return Valence(float(at_most), frozenset(pos), tuple(unless), max_hops)


LEXICON_REFERENCE = re.compile(r"\{@([a-z0-9][a-z0-9-]*)\}")


def expand_references(pattern: str, known: dict[str, Lexicon], fail) -> str:
    """A shape regex may name a `lower` term list as `{@name}`: the list's terms stand there as
    one alternation ('\\A\\s*{@generic-greetings},' keeps the shape in the regex and the words in
    the list). `fail(message)` returns the error to raise for an unknown or lemma list."""
    def one(match: re.Match) -> str:
        lexicon = known.get(match.group(1))
        if lexicon is None:
            raise fail(f"{match.group(0)} names no lexicon (known: {', '.join(sorted(known)) or 'none'})")
        if lexicon.match != "lower":
            raise fail(f"{match.group(0)}: a list inside a regex is matched on text, so it needs `match: lower`")
        return "(?:" + lexicon.source() + ")"

    return LEXICON_REFERENCE.sub(one, pattern) if "{@" in pattern else pattern


def reference_expander(pattern: str, known: dict[str, Lexicon], fail) -> Callable[[str], str] | None:
    """For a regex naming term lists (`{@name}`): checks now that every name is a list, and
    returns what expands them (None if it names none). A user's regex is expanded and compiled
    at load; a shipped one when first used (lazyregex.py), so loading the rules reads no list."""
    names = LEXICON_REFERENCE.findall(pattern)
    for name in names:
        if name not in known:
            raise fail(f"{{@{name}}} names no lexicon (known: {', '.join(sorted(known)) or 'none'})")
    return functools.partial(expand_references, known=known, fail=fail) if names else None
