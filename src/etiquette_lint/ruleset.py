"""Rule packs: YAML files of rules and context signals, validated with file, line and field."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .context import Signals
from .detectors import REGISTRY, Detector, Where
from .errors import ConfigError, raise_all
from .findings import Severity
from .lazyregex import regex
from .lexicons import LEXICON_REFERENCE, Lexicon, builtin_lexicon_files, lexicon_files_in, load_lexicons, read_term_set, reference_expander
from .regex_safety import check_rule_regexes, compile_checked
from .yamlsource import Located, LocatedList, line_of, load_located_file

RULE_KEYS = {"id", "category", "severity", "message", "explain", "suggestion", "detector", "when", "unless", "require", "examples"}
REQUIRED_RULE_KEYS = ("id", "severity", "message", "explain", "detector", "examples")
PACK_KEYS = {"rules", "signals"}
NAMED_CONDITIONS = {"offer-made", "negated", "quoted"}
CONDITION_KEYS = {"type", "role", "sentence", "paragraph", "span", "draft"}
WHEN_KEYS = {"type"}
_ID = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$")


@dataclass(frozen=True)
class Example:
    text: str  # without its markers
    context: dict
    line: int | None
    marked: tuple[tuple[int, int], ...] = ()  # spans of `text` a finding must overlap (<marker>...</marker>)


MARKER = re.compile(r"<marker>(.*?)</marker>", re.DOTALL)


def read_example(text: str, context: dict, line: int | None) -> Example:
    """An example as written: `<marker>words</marker>` (as LanguageTool's examples) says which
    words the rule must flag; the markers are taken out of the text."""
    plain, marked, last = [], [], 0
    for match in MARKER.finditer(text):
        plain.append(text[last: match.start()])
        start = sum(map(len, plain))
        plain.append(match.group(1))
        marked.append((start, start + len(match.group(1))))
        last = match.end()
    plain.append(text[last:])
    return Example("".join(plain), context, line, tuple(marked))


@dataclass
class Rule:
    id: str
    category: str
    severity: Severity
    message: str
    explain: str
    detector: Detector
    suggestion: str | None = None
    when: dict = field(default_factory=dict)
    unless: list = field(default_factory=list)
    require: list = field(default_factory=list)
    fire: list[Example] = field(default_factory=list)
    passes: list[Example] = field(default_factory=list)
    path: str = ""
    line: int | None = None
    lexicons: list[str] = field(default_factory=list)  # the term lists it names, for --explain

    @property
    def summary(self) -> str:
        return self.message


@dataclass
class RuleSet:
    rules: list[Rule]
    signals: Signals
    files: list[str]
    lexicons: dict[str, Lexicon] = field(default_factory=dict)

    def by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}


def builtin_rule_files() -> list[Path]:
    """Rule packs shipped inside the package (the repo's top-level `rules/`)."""
    folder = resources.files("etiquette_lint.rules")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith((".yaml", ".yml")))


def rule_files_in(folder: str | Path) -> list[Path]:
    path = Path(folder)
    if not path.is_dir():
        raise ConfigError(str(path), None, "rules", "rule folder does not exist")
    return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_ruleset(extra_folders: list[str] | None = None, include_builtin: bool = True) -> RuleSet:
    files = builtin_rule_files() if include_builtin else []
    lexicon_files = builtin_lexicon_files() if include_builtin else []
    seen_folders: set[Path] = set()
    for folder in extra_folders or []:
        if Path(folder).resolve() in seen_folders:  # a folder named twice (config and --test-rules) loads once
            continue
        seen_folders.add(Path(folder).resolve())
        files += rule_files_in(folder)
        lexicon_files += lexicon_files_in(Path(folder))
    lexicons = load_lexicons(lexicon_files, lazy=builtin_lexicon_files() if include_builtin else ())
    rules: list[Rule] = []
    signal_sources: dict[str, list[tuple[str, str, int | None]]] = {}
    seen: dict[str, str] = {}
    # Shipped packs are checked by the test suite (tests/test_rule_hygiene.py: regex shapes,
    # Matcher patterns), so a plain run spends no time re-checking them.
    builtin = {str(p) for p in builtin_rule_files()} if include_builtin else set()
    errors: list[ConfigError] = []
    for path in files:
        shipped = str(path) in builtin
        try:
            pack_rules, pack_signals = load_pack(path, shipped, lexicons)
        except ConfigError as exc:  # every pack is still read, so all its errors are reported at once
            errors.extend(getattr(exc, "errors", [exc]))
            continue
        for rule in pack_rules:
            try:
                if rule.id in seen:
                    raise ConfigError(str(path), rule.line, f"{rule.id}: id", f"duplicate rule id (also defined in {seen[rule.id]})")
                seen[rule.id] = f"{path}:{rule.line}"
                if not shipped:
                    check_rule_regexes(rule)  # no regex that can backtrack catastrophically
            except ConfigError as exc:
                errors.append(exc)
            rules.append(rule)
        for name, patterns in pack_signals.items():
            signal_sources.setdefault(name, []).extend(patterns)
    raise_all(errors)
    check_matcher_patterns([r for r in rules if r.path not in builtin])
    signals = compile_signals(signal_sources, builtin, lexicons)
    for rule in rules:
        for key in ("unless", "require"):
            for condition in getattr(rule, key):
                if isinstance(condition, tuple) and isinstance(condition[1], SignalName) and condition[1].name not in signals.patterns:
                    raise ConfigError(rule.path, rule.line, f"{rule.id}: {key}", f"no signal named {condition[1].name!r} "
                                      f"(known: {', '.join(sorted(signals.patterns))})")
    return RuleSet(rules, signals, [str(p) for p in files], lexicons)


def check_matcher_patterns(rules: list[Rule]) -> None:
    """Let spaCy validate user rules' Matcher/DependencyMatcher patterns now, against a blank
    vocabulary, rather than on the first draft that happens to need them: a bad pattern is a
    load error naming file, line and field, never a rule that silently matches nothing.
    (Shipped rules are checked by the test suite, so a plain run does not import spaCy for this.)"""
    checked = [r for r in rules if r.detector.kind in ("tokens", "dependency")]
    if not checked:
        return
    import spacy

    blank = spacy.blank("en")
    for rule in checked:
        rule.detector.compile(blank)  # raises ConfigError; the engine compiles again on its pipeline


def compile_signals(sources: dict[str, list[tuple[str, str, int | None]]], shipped: set[str] = frozenset(),
                    lexicons: dict[str, Lexicon] | None = None) -> Signals:
    compiled: dict[str, list[re.Pattern]] = {}
    for name, patterns in sources.items():
        for pattern, path, line in patterns:
            error = lambda message, line=line: ConfigError(path, line, f"signals.{name}", f"regex {message}")  # noqa: E731
            expand = reference_expander(pattern, lexicons or {}, error)
            compiled.setdefault(name, []).append(compile_checked(pattern, re.IGNORECASE | re.MULTILINE, error, path not in shipped, expand))
    return Signals(compiled)


def load_pack(path: Path, shipped: bool = False, lexicons: dict[str, Lexicon] | None = None) -> tuple[list[Rule], dict[str, list[tuple[str, str, int | None]]]]:
    name = str(path)
    data = load_located_file(path, "rule file")
    if data is None:
        return [], {}
    if not isinstance(data, Located):
        raise ConfigError(name, line_of(data, default=1), None, "a rule pack must be a mapping with 'rules:'")
    for key in data:
        if key not in PACK_KEYS:
            raise ConfigError(name, data.line_of(key), str(key), f"unknown key (known: {', '.join(sorted(PACK_KEYS))})")
    rules_node = data.get("rules") or []
    if not isinstance(rules_node, list):
        raise ConfigError(name, data.line_of("rules"), "rules", "should be a list of rules")
    rules, errors = [], []
    for index, item in enumerate(rules_node):
        try:
            rules.append(_rule(item, name, rules_node, index, shipped, lexicons or {}))
        except ConfigError as exc:  # go on: a rule writer sees every broken rule of the pack at once
            errors.append(exc)
    try:
        signals = _signals(data.get("signals"), name, data, lexicons or {}, shipped)
    except ConfigError as exc:
        errors.append(exc)
    raise_all(errors)
    return rules, signals


def _signals(node: Any, path: str, parent: Located, lexicons: dict[str, Lexicon],
             shipped: bool = False) -> dict[str, list[tuple[str, str, int | None]]]:
    if node is None:
        return {}
    if not isinstance(node, Located):
        raise ConfigError(path, parent.line_of("signals"), "signals", "should map signal names to lists of regexes")
    result = {}
    for name, patterns in node.items():
        if isinstance(patterns, Located) and set(patterns) <= {"lexicons", "terms", "match", "patterns"}:
            result[str(name)] = _signal_terms(patterns, path, str(name), lexicons, shipped)
            continue
        if not isinstance(patterns, LocatedList) or not all(isinstance(p, str) for p in patterns):
            raise ConfigError(path, node.line_of(name), f"signals.{name}", "should be a list of regexes, or {lexicons, terms, patterns}")
        result[str(name)] = [(p, path, patterns.item_lines[i]) for i, p in enumerate(patterns)]
    return result


def _signal_terms(node: Located, path: str, name: str, lexicons: dict[str, Lexicon],
                  shipped: bool = False) -> list[tuple[str, str, int | None]]:
    """A signal given as term lists (and shape regexes): text-level, so its lists match `lower`."""
    where = Where(path, f"signals.{name}", node, shipped, lexicons)
    term_set = read_term_set(dict(node), lexicons, where, "terms", f"signals.{name}")
    if term_set.needs_lemmas:
        raise ConfigError(path, node.line, f"signals.{name}", "signals are searched in plain text: their lists need `match: lower`")
    return [(p.pattern, path, node.line) for p in term_set.regexes()]


def _rule(node: Any, path: str, parent: LocatedList, index: int, shipped: bool = False, lexicons: dict | None = None) -> Rule:
    if not isinstance(node, Located):
        raise ConfigError(path, parent.item_lines[index] if parent.item_lines else None, f"rules[{index}]", "a rule should be a mapping")
    rule_id = node.get("id")
    label = str(rule_id) if rule_id else f"rules[{index}]"

    def fail(key: str | None, message: str, at: Any = None) -> ConfigError:
        line = line_of(at, default=None) if at is not None else node.line_of(key) if key else node.line
        return ConfigError(path, line, f"{label}: {key}" if key else label, message)

    for key in node:
        if key not in RULE_KEYS:
            raise fail(str(key), f"unknown key (known: {', '.join(sorted(RULE_KEYS))})")
    for key in REQUIRED_RULE_KEYS:
        if key not in node:
            raise fail(None, f"missing required field '{key}'")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise fail("id", "should look like 'category.rule-name' (lowercase, dot-separated)")
    category = node.get("category", rule_id.split(".")[0])
    if category != rule_id.split(".")[0]:
        raise fail("category", f"should match the id's prefix '{rule_id.split('.')[0]}'")
    try:
        severity = Severity.parse(node["severity"])
    except ValueError as exc:
        raise fail("severity", str(exc)) from None
    for key in ("message", "explain", "suggestion"):
        if key in node and (not isinstance(node[key], str) or not node[key].strip()):
            raise fail(key, "should be non-empty text")

    detector_node = node["detector"]
    if not isinstance(detector_node, Located) or "kind" not in detector_node:
        raise fail("detector", f"should be a mapping with 'kind' (one of {', '.join(REGISTRY)})")
    kind = detector_node["kind"]
    if kind not in REGISTRY:
        raise fail("detector", f"unknown detector kind {kind!r} (known: {', '.join(REGISTRY)})", detector_node)
    detector = REGISTRY[kind](detector_node, Where(path, rule_id, detector_node, shipped, lexicons or {}))

    return Rule(
        id=rule_id,
        category=category,
        severity=severity,
        message=node["message"].strip(),
        explain=node["explain"].strip(),
        suggestion=node.get("suggestion", "").strip() or None if node.get("suggestion") else None,
        detector=detector,
        when=_when(node.get("when"), fail),
        unless=_conditions(node.get("unless"), fail, "unless", lexicons or {}, shipped),
        require=_conditions(node.get("require"), fail, "require", lexicons or {}, shipped),
        fire=_examples(node["examples"], "fire", fail),
        passes=_examples(node["examples"], "pass", fail),
        path=path,
        line=node.line,
        lexicons=_named_lexicons(node),
    )


def _named_lexicons(node: Any) -> list[str]:
    """Every term list a rule names: under `lexicons:` keys, or as `{@name}` inside a regex."""
    names: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k))
        elif isinstance(value, list):
            for item in value:
                if key == "lexicons" and isinstance(item, str):
                    names.append(item)
                else:
                    walk(item, key)
        elif isinstance(value, str):
            names.extend(LEXICON_REFERENCE.findall(value))

    walk(node)
    return list(dict.fromkeys(names))


def _when(node: Any, fail) -> dict:
    if node is None:
        return {}
    if not isinstance(node, dict):
        raise fail("when", "should be a mapping (e.g. {type: [thank-you]})")
    for key, value in node.items():
        if key not in WHEN_KEYS:
            raise fail("when", f"unknown condition {key!r} (known: {', '.join(sorted(WHEN_KEYS))})")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail("when", f"'{key}' should be a list of message types")
    return dict(node)


@dataclass(frozen=True)
class SignalName:
    """A condition's vocabulary given by name (`sentence: {signal: asking}`): a signal from any
    pack's `signals:`, so `--explain` shows the name and the words live in term lists."""

    name: str


def _conditions(node: Any, fail, field_name: str, lexicons: dict[str, Lexicon], shipped: bool = False) -> list:
    """`unless:` (any silences a hit) and `require:` (all must hold) share one vocabulary."""
    if node is None:
        return []
    if not isinstance(node, list):
        raise fail(field_name, "should be a list of conditions")
    conditions = []
    for item in node:
        if isinstance(item, str):
            if item not in NAMED_CONDITIONS:
                raise fail(field_name, f"unknown condition {item!r} (known: {', '.join(sorted(NAMED_CONDITIONS | CONDITION_KEYS))})")
            conditions.append(item)
        elif isinstance(item, dict) and len(item) == 1:
            key, value = next(iter(item.items()))
            if key not in CONDITION_KEYS:
                raise fail(field_name, f"unknown condition {key!r} (known: {', '.join(sorted(NAMED_CONDITIONS | CONDITION_KEYS))})")
            if key == "type":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise fail(field_name, "'type' should be a list of message types")
                conditions.append((key, tuple(value)))
            elif isinstance(value, dict) and set(value) == {"signal"} and isinstance(value["signal"], str):
                conditions.append((key, SignalName(value["signal"])))
            else:
                if not isinstance(value, str):
                    raise fail(field_name, f"'{key}' should be a regex or {{signal: name}}")
                expand = reference_expander(value, lexicons, lambda message: fail(field_name, message))
                try:
                    conditions.append((key, regex(value, re.IGNORECASE, not shipped, expand)))
                except re.error as exc:
                    raise fail(field_name, f"'{key}' regex does not compile: {exc}") from None
        else:
            raise fail(field_name, "each condition is a name or a one-key mapping")
    return conditions


def _examples(node: Any, key: str, fail) -> list[Example]:
    if not isinstance(node, Located):
        raise fail("examples", "should be a mapping with 'fire:' and 'pass:' lists")
    for name in node:
        if name not in ("fire", "pass"):
            raise fail("examples", f"unknown key {name!r} (known: fire, pass)")
    items = node.get(key)
    if not isinstance(items, LocatedList) or not items:
        raise fail("examples", f"needs at least one '{key}' example")
    examples = []
    for index, item in enumerate(items):
        line = items.item_lines[index]
        if isinstance(item, str) and item.strip():
            examples.append(read_example(item, {}, line))
        elif isinstance(item, Located) and isinstance(item.get("text"), str) and set(item) <= {"text", "context"}:
            context = item.get("context") or {}
            if not isinstance(context, dict):
                raise fail("examples", f"{key}[{index}].context should be front-matter keys", item)
            examples.append(read_example(item["text"], dict(context), line))
        else:
            raise fail("examples", f"{key}[{index}] should be text or {{text: ..., context: {{...}}}}", item)
    return examples
