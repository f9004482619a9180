"""Checks on the shipped rule packs that YAML validation cannot make: traps we fell into once."""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import yaml_strings

RULES = Path(__file__).resolve().parent.parent / "rules"
_UPPER_CLASS = re.compile(r"\[A-Z")


def _outside_case_sensitive_groups(pattern: str) -> str:
    """The pattern without its `(?-i:...)` groups (balanced parentheses, escapes skipped)."""
    out, index = [], 0
    while index < len(pattern):
        if pattern.startswith("(?-i:", index):
            depth, index = 1, index + 5
            while index < len(pattern) and depth:
                if pattern[index] == "\\":
                    index += 1
                elif pattern[index] == "(":
                    depth += 1
                elif pattern[index] == ")":
                    depth -= 1
                index += 1
            continue
        out.append(pattern[index])
        index += 1
    return "".join(out)


def _case_insensitive(path: str, text: str, rule: dict | None) -> bool:
    if text.startswith("(?i)") or ".signals." in path or ".terms." in path or ".unless" in path or ".require" in path:
        return True
    if ".triggers" in path:
        return True
    return bool(rule and ".patterns" in path and rule.get("detector", {}).get("ignore_case"))


def test_no_upper_case_class_in_case_insensitive_regexes():
    """`[A-Z]` under IGNORECASE matches lower case too ("which is a mess" read as "Globex is a
    mess"); a name slot must say `(?-i:[A-Z])`."""
    offenders = []
    for pack in sorted(RULES.glob("*.yaml")):
        data = yaml.safe_load(pack.read_text(encoding="utf-8")) or {}
        for key, value in yaml_strings(data.get("signals", {}), ".signals"):
            if _UPPER_CLASS.search(_outside_case_sensitive_groups(value)):
                offenders.append(f"{pack.name}{key}")
        for index, rule in enumerate(data.get("rules", [])):
            for key, value in yaml_strings(rule, f".rules[{index}]"):
                if _case_insensitive(key, value, rule) and _UPPER_CLASS.search(_outside_case_sensitive_groups(value)):
                    offenders.append(f"{pack.name}{key}")
    assert offenders == []


def test_no_yaml_booleans_where_words_were_meant():
    """Unquoted on/off/yes/no in a flow list become booleans (spaCy then rejects the pattern)."""
    for pack in sorted(RULES.glob("*.yaml")):
        data = yaml.safe_load(pack.read_text(encoding="utf-8")) or {}
        for rule in data.get("rules", []):
            assert True not in _leaves(rule.get("detector", {}).get("patterns", [])), rule["id"]


def _leaves(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("OP", "IS_PUNCT", "IS_ALPHA", "LIKE_NUM", "IS_DIGIT", "IS_SPACE", "IS_TITLE", "IS_UPPER", "IS_LOWER"):
                yield from _leaves(value)
    elif isinstance(node, list):
        for value in node:
            yield from _leaves(value)
    else:
        yield node


def _phrases(pattern: list[dict]) -> list[str] | None:
    """Texts the token pattern must match: each word option of each required token in turn,
    the others at their first option (None when a token cannot be written out)."""
    slots: list[list[str]] = []
    for token in pattern:
        if token.get("OP") in ("?", "*") or str(token.get("OP", "")).startswith("{,") or str(token.get("OP", "")).startswith("{0"):
            continue
        words = None
        for attr in ("LOWER", "ORTH", "TEXT", "NORM", "LEMMA"):
            value = token.get(attr)
            if isinstance(value, str):
                words = [value]
            elif isinstance(value, dict) and isinstance(value.get("IN"), list):
                words = [str(v) for v in value["IN"]]
            if words:
                break
        if words is None:
            if token.get("IS_PUNCT"):
                words = [","]
            elif token.get("LIKE_NUM"):
                words = ["42"]
            else:
                return None
        slots.append(words)
    phrases = []
    for index, options in enumerate(slots):
        for option in options:
            words = [option if i == index else slot[0] for i, slot in enumerate(slots)]
            # spaCy splits "don't" into "do" + "n't" and "I'll" into "I" + "'ll": write them joined
            phrases.append("".join(w if i == 0 or w.startswith(("'", "n'")) else " " + w for i, w in enumerate(words)))
    return phrases


def test_explicit_triggers_cover_every_token_pattern():
    """A hand-written `triggers:` that misses a pattern's words silently disables that pattern
    (the sentence never reaches spaCy): every pattern written out must match its rule's trigger."""
    missing = []
    for pack in sorted(RULES.glob("*.yaml")):
        data = yaml.safe_load(pack.read_text(encoding="utf-8")) or {}
        for rule in data.get("rules", []):
            detector = rule.get("detector", {})
            if detector.get("kind") != "tokens" or not detector.get("triggers"):
                continue
            trigger = re.compile("|".join(f"(?:{t})" for t in detector["triggers"]), re.IGNORECASE)
            for pattern in detector["patterns"]:
                for phrase in _phrases(pattern) or []:
                    if not trigger.search(phrase):
                        missing.append(f"{rule['id']}: {phrase!r}")
    assert missing == []


def test_shipped_regexes_pass_the_shape_check():
    """Loading skips the backtracking shape check for shipped packs (it costs ~0.05 s a run);
    this is where it runs for them: every rule regex, trigger, condition and signal."""
    from etiquette_lint.regex_safety import backtracking_risk, check_rule_regexes
    from etiquette_lint.ruleset import load_ruleset

    rules = load_ruleset()
    for rule in rules.rules:
        check_rule_regexes(rule)  # raises ConfigError naming the field
        for pattern in getattr(rule.detector, "compiled", []):
            assert backtracking_risk(pattern.pattern, pattern.flags) is None, (rule.id, pattern.pattern)
    for name, patterns in rules.signals.patterns.items():
        for pattern in patterns:
            assert backtracking_risk(pattern.pattern, pattern.flags) is None, (name, pattern.pattern)
    assert len(rules.rules) >= 10 and rules.signals.patterns


# -- rules a coach can read: words in term lists, regex for shapes -----------------------------

MAX_LINE = 160
MAX_WORD_ALTERNATIVES = 8


def _rule_files() -> list[Path]:
    return sorted(RULES.rglob("*.yaml"))


def test_no_rule_file_line_is_a_wall():
    """A line a reader can take in; longer ones are lists written sideways."""
    long = [f"{p.relative_to(RULES)}:{n}: {len(line)} characters"
            for p in _rule_files() for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if len(line) > MAX_LINE]
    assert long == []


def _word_alternations(pattern: str) -> list[int]:
    """Sizes of the alternations in `pattern` whose branches are plain words or phrases."""
    from re import _constants as c, _parser as parser

    sizes = []

    def is_word(branch) -> bool:
        return bool(branch) and all(op is c.LITERAL and (chr(av).isalpha() or chr(av) in " '-") for op, av in branch)

    def walk(items) -> None:
        for op, av in items:
            if op is c.BRANCH:
                branches = av[1]
                if sum(is_word(list(b)) for b in branches) > MAX_WORD_ALTERNATIVES:
                    sizes.append(len(branches))
                for branch in branches:
                    walk(branch)
            elif op is c.SUBPATTERN:
                walk(av[-1])
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                walk(av[2])
            elif op in (c.ASSERT, c.ASSERT_NOT):
                walk(av[1])
            elif op is c.IN:
                continue

    try:
        walk(parser.parse(pattern, 0))
    except Exception:  # not a regex (message text, a term): nothing to check
        return []
    return sizes


def test_no_regex_spells_out_a_word_list():
    """An alternation of more than eight words is a term list written as a regex: it belongs in
    rules/lexicons/ (one term a line, matched on lemmas), referenced by name."""
    offenders = []
    for pack in sorted(RULES.glob("*.yaml")):
        data = yaml.safe_load(pack.read_text(encoding="utf-8")) or {}
        for key, value in yaml_strings(data, ""):
            if ".examples" in key or key.endswith((".message", ".explain", ".suggestion")):
                continue
            sizes = _word_alternations(value)
            if sizes:
                offenders.append(f"{pack.name}{key}: {max(sizes)} alternatives")
    assert offenders == []


def test_every_shipped_fire_example_marks_its_evidence(ruleset):
    """A fire example says which words must be flagged (`<marker>`), so the example test checks
    the place as well as the firing; rules that judge the whole draft are exempt."""
    unmarked = [f"{Path(r.path).name}:{e.line}: [{r.id}]" for r in ruleset.rules
                if r.detector.kind not in ("document", "cadence", "metric") for e in r.fire if not e.marked]
    assert unmarked == []


def test_no_term_splits_a_phrase_alternative_into_slots():
    """`a|b c|d` is two slots ({a, b} then {c, d}), never the phrases "a", "b c", "d": a term
    written as if it were ("afraid|scared|too scared to speak up") needs words it can never
    meet in order and silently matches nothing. The sign: two required slots side by side,
    each with alternatives, sharing a word ("scared" in "afraid|scared|too" and "scared|frightened")."""
    from etiquette_lint.lexicons import load_lexicon

    broken = []
    for path in sorted((RULES / "lexicons").glob("*.yaml")):
        for term in load_lexicon(path).terms:
            required = [s for s in term.slots if not s.optional and not s.gap]
            for left, right in zip(required, required[1:]):
                if len(left.words) > 1 and len(right.words) > 1 and left.words & right.words:
                    broken.append(f"{path.name}:{term.line}: {term.text}")
                    break
    assert broken == []
