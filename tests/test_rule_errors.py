"""Broken rule packs and configs: one line naming file, line and field, exit 2, no traceback.

User rule folders come in through a config file (`rules: [folder]`) or `--test-rules DIR`,
exactly as users add them. Regexes that can backtrack catastrophically are refused when the
pack loads; what a shape check cannot see is cut off by a time budget at run time."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli, yaml_strings

from etiquette_lint import api, regex_safety
from etiquette_lint.config import Config
from etiquette_lint.regex_safety import backtracking_risk
from etiquette_lint.ruleset import load_ruleset

GOOD_RULE = """\
rules:
  - id: custom.demo
    severity: warning
    message: Demo finding
    explain: A rule for these tests.
    detector:
      kind: regex
      patterns:
        - 'zzz+'
    examples:
      fire: ["zzz here"]
      pass: ["nothing here"]
"""


def swap(old: str, new: str) -> str:
    assert old in GOOD_RULE
    return GOOD_RULE.replace(old, new)


# name: (pack text, line, field (or None), words the message must contain)
CASES = {
    "malformed-yaml": ("rules:\n  - id: [custom.demo\n", 3, None, "invalid YAML"),
    "tabs-yaml": ("rules:\n\t- id: x\n", 2, None, "invalid YAML"),
    "not-a-mapping": ("- just\n- a list\n", 1, None, "a rule pack must be a mapping"),
    "unknown-pack-key": (GOOD_RULE + "extras: 1\n", 13, "extras", "unknown key"),
    "missing-field": (swap("    message: Demo finding\n", ""), 2, "custom.demo", "missing required field 'message'"),
    "unknown-key": (swap("    message: Demo finding\n", "    message: Demo finding\n    colour: red\n"), 5, "custom.demo: colour", "unknown key"),
    "bad-severity": (swap("severity: warning", "severity: fatal"), 3, "custom.demo: severity", "unknown severity 'fatal'"),
    "bad-id": (swap("id: custom.demo", "id: Custom Demo"), 2, "Custom Demo: id", "should look like"),
    "no-examples": (swap('      fire: ["zzz here"]\n', ""), 10, "custom.demo: examples", "needs at least one 'fire' example"),
    "bad-matcher-pattern": (swap("kind: regex\n      patterns:\n        - 'zzz+'", "kind: tokens\n      patterns:\n        - [{LOWER: zzz, BOGUS: 1}]"),
                            9, "custom.demo: detector.patterns[0]", "spaCy rejects this pattern"),
    "bad-matcher-value": (swap("kind: regex\n      patterns:\n        - 'zzz+'", "kind: tokens\n      patterns:\n        - [{LOWER: zzz, LENGTH: {'>>': 3}}]"),
                          9, "custom.demo: detector.patterns[0]", "spaCy rejects this pattern"),
    "regex-does-not-compile": (swap("'zzz+'", "'(zzz'"), 7, "custom.demo: detector.patterns[0]", "does not compile"),
    "catastrophic-regex": (swap("'zzz+'", "'(a+)+$'"), 7, "custom.demo: detector.patterns[0]", "exponential time"),
    "catastrophic-alternation": (swap("'zzz+'", "'^(a|aa)*$'"), 7, "custom.demo: detector.patterns[0]", "alternatives that can match the same text"),
    "catastrophic-trigger": (swap("kind: regex\n      patterns:\n        - 'zzz+'", "kind: phrases\n      phrases: [zzz]\n      triggers: ['(\\w+\\s?)+!']"),
                             9, "custom.demo: detector.triggers[0]", "exponential time"),
    "catastrophic-condition": (swap("    examples:", "    unless:\n      - sentence: '(x+x+)+y'\n    examples:"), 2, "custom.demo: unless.sentence", "exponential time"),
    "catastrophic-signal": (GOOD_RULE + "signals:\n  offer-made:\n    - '([a-z]+)*$'\n", 15, "signals.offer-made", "exponential time"),
    "duplicate-id-across-packs": (swap("id: custom.demo", "id: personalisation.placeholder"), 2, "personalisation.placeholder: id",
                                  "duplicate rule id (also defined in"),
    "unknown-kind": (swap("kind: regex", "kind: telepathy"), 7, "custom.demo: detector", "unknown detector kind 'telepathy'"),
    "unknown-detector-param": (swap("      patterns:", "      colour: red\n      patterns:"), 8, "custom.demo: detector.colour", "unknown parameter"),
    "impossible-date": (swap("    examples:", "    when: 2026-13-45\n    examples:"), 10, "custom.demo: when", "should be a mapping"),
    "anchored-unknown-term": (swap("kind: regex\n      patterns:\n        - 'zzz+'",
                                   "kind: proximity\n      terms:\n        a: ['zzz']\n        b: ['aaa']\n      anchored:\n        c: {anchor: ['x'], patterns: ['y']}"),
                              7, "custom.demo: detector.anchored.c", "names no term"),
    "python-tag": (swap("'zzz+'", "!!python/object/apply:os.system ['touch EXECUTED']"), 9, None, "could not determine a constructor"),
    "not-utf8": (b"rules: \xff\xfe\n", None, None, "cannot read rule file"),
}


def rule_folder(tmp_path: Path, text) -> Path:
    folder = tmp_path / "my-rules"
    folder.mkdir()
    if isinstance(text, bytes):
        (folder / "pack.yaml").write_bytes(text)
    else:
        (folder / "pack.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "cfg.yaml").write_text("rules: [my-rules]\n")
    (tmp_path / "draft.txt").write_text("Hi Ana,\n\nThanks for the chat about zzz and aaaa.\n")
    return folder


def assert_one_line_error(result, path: str, line: int | None, field: str | None, words: str) -> str:
    err = result.stderr.decode()
    assert result.returncode == 2, (result.returncode, result.stdout.decode(), err)
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    where = f"{path}:{line}: " if line else f"{path}: "
    assert err.startswith(f"etiquette-lint: error: {where}" + (f"{field}: " if field else "")), err
    assert words in err, err
    return err


@pytest.mark.parametrize("name", list(CASES))
def test_broken_rule_pack_through_config(tmp_path, name):
    text, line, field, words = CASES[name]
    folder = rule_folder(tmp_path, text)
    started = time.perf_counter()
    result = run_cli("--no-cache", "--config", "cfg.yaml", "draft.txt", cwd=tmp_path)
    assert time.perf_counter() - started < 30
    assert_one_line_error(result, str(folder / "pack.yaml"), line, field, words)
    assert not (tmp_path / "EXECUTED").exists()


@pytest.mark.parametrize("name", ["missing-field", "catastrophic-regex", "bad-matcher-pattern", "python-tag"])
def test_broken_rule_pack_through_test_rules(tmp_path, name):
    text, line, field, words = CASES[name]
    rule_folder(tmp_path, text)
    result = run_cli("--test-rules", "my-rules", cwd=tmp_path)
    assert_one_line_error(result, str(Path("my-rules") / "pack.yaml"), line, field, words)


def test_duplicate_ids_between_two_user_packs(tmp_path):
    folder = rule_folder(tmp_path, GOOD_RULE)
    (folder / "second.yaml").write_text(GOOD_RULE)
    result = run_cli("--no-cache", "--config", "cfg.yaml", "draft.txt", cwd=tmp_path)
    err = assert_one_line_error(result, str(folder / "second.yaml"), 2, "custom.demo: id", "duplicate rule id")
    assert f"also defined in {folder / 'pack.yaml'}:2" in err


def test_a_good_user_pack_works(tmp_path):
    rule_folder(tmp_path, GOOD_RULE)
    result = run_cli("--no-cache", "--config", "cfg.yaml", "draft.txt", cwd=tmp_path)
    assert result.returncode == 1 and "draft.txt:3:27: warning [custom.demo] Demo finding: \"zzz\"" in result.stdout.decode()
    tested = run_cli("--test-rules", "my-rules", cwd=tmp_path)
    assert tested.returncode == 0 and tested.stdout.decode().strip().endswith("2 passed, 0 failed")


CONFIG_CASES = {
    "malformed": ("select: [salary\n", 2, None, "invalid YAML"),
    "unknown-key": ("colour: red\n", 1, "colour", "unknown key"),
    "missing-rule-folder": ("rules: [nowhere]\n", None, None, "rule folder does not exist"),
    "bad-fail-on": ("fail-on: sometimes\n", 1, "fail-on", "unknown severity"),
    "impossible-date": ("fail-on: 2026-13-45\n", 1, "fail-on", "unknown severity '2026-13-45'"),
    "python-tag": ("model: !!python/object/apply:os.system ['touch EXECUTED']\n", 1, None, "could not determine a constructor"),
    "bad-size": ("max-file-size: huge\n", 1, "max-file-size", "should be a size"),
}


@pytest.mark.parametrize("name", list(CONFIG_CASES))
def test_broken_config(tmp_path, name):
    text, line, field, words = CONFIG_CASES[name]
    (tmp_path / "cfg.yaml").write_text(text)
    (tmp_path / "draft.txt").write_text("Hi Ana, thanks.\n")
    result = run_cli("--no-cache", "--config", "cfg.yaml", "draft.txt", cwd=tmp_path)
    path = str(tmp_path / "nowhere") if name == "missing-rule-folder" else "cfg.yaml"
    assert_one_line_error(result, path, line, field if name != "missing-rule-folder" else "rules", words)
    assert not (tmp_path / "EXECUTED").exists()


# -- the shape check ------------------------------------------------------------------------

REFUSED = [
    r"(a+)+$", r"(a*)*b", r"(\w+\s?)+$", r"([a-z]{2,3})+$", r"(a|aa)+c", r"(a|a?)+$", r"(x+x+)+y",
    r"(.*a){20}", r"(?:a?a?)+b", r"((a+)b?)+c", r"(\s*\S+\s*)+$", r"^(\d+)*$", r"(?:[\w.]+\.?)+@",
    r"(?:\w+|\d)+$", r"(?i)(?:ab|AB)+$", r"(?=(a+)+$)", r"(?>(a+)+$)",
    # the shipped criticism trigger before f3d8e47: a space could be '[- ]?' or '\s*'
    r"\b(my|our)\s+((current|former|ex|existing)[- ]?\s*)*(boss|manager)\b",
]
ACCEPTED = [
    r"(?:\w+\s+){0,3}x", r"(?:\d{3})+", r"(a+b)+", r"(?:a++)+$", r"(?>a+)+$", r"(?:a|b)+", r"\w+@",
    r"^.*wrote:$", r"(?:\s*,)+", r"[a-z]+(?:-[a-z]+)*", r"(?:Mr|Ms|Dr)\.? \w+", r"(a|ab)+c",
    r"(\w|\d)*x", r"\b(my|our)\s+((current|former|ex|existing)-?\s*)*(boss|manager)\b",
    r"\{\{\s*[\w .\-]{1,40}\s*\}\}", r"(?<![\w/.-])(?P<hit>X{3,}|x{3,})(?![\w/-]|\.\w)",
]


@pytest.mark.parametrize("pattern", REFUSED)
def test_shape_check_refuses_catastrophic_patterns(pattern):
    assert backtracking_risk(pattern) is not None


@pytest.mark.parametrize("pattern", ACCEPTED)
def test_shape_check_accepts_linear_patterns(pattern):
    assert backtracking_risk(pattern) is None


def test_every_shipped_regex_passes_the_shape_check(ruleset):
    # load_ruleset() refuses them otherwise; this names the culprit if one slips in.
    for path in sorted((ROOT / "rules").glob("*.yaml")):
        for _, text in yaml_strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            try:
                re.compile(text)
            except re.error:
                continue
            assert backtracking_risk(text) is None, (path.name, text)


def test_shape_check_is_fast_on_long_patterns():
    pattern = "|".join(f"(?:word{i}\\s+(?:extra|more)?\\s*)+" for i in range(150))
    started = time.perf_counter()
    backtracking_risk(pattern)
    assert time.perf_counter() - started < 5


def test_run_time_budget_stops_a_slow_rule_and_the_run_goes_on(tmp_path, monkeypatch):
    # `\w+@` has a safe shape but is quadratic on a long run of letters with no '@'.
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "slow.yaml").write_text(swap("'zzz+'", "'\\w+@'").replace("custom.demo", "custom.slow")
                                      .replace('"zzz here"', '"a@b"'))
    ruleset = load_ruleset([str(folder)])
    engine = api.build_engine(Config(), api.LintOptions(), ruleset)
    monkeypatch.setattr(regex_safety, "RUN_BUDGET_SECONDS", 0.5)
    draft = tmp_path / "long.txt"
    draft.write_text("Dear [Name], @ " + "a" * 300_000 + "\n")  # an '@' to get past the prefilter
    started = time.perf_counter()
    result = api.lint([str(draft)], Config(), engine=engine)
    assert time.perf_counter() - started < 30
    assert any("rule custom.slow took longer than 0.5s on this draft; skipped" in p.message for p in result.problems)
    assert "personalisation.placeholder" in {f.rule for f in result.findings}  # the other rules still ran


# -- YAML is only ever loaded safely ----------------------------------------------------------

_UNSAFE_NAMES = {"unsafe_load", "unsafe_load_all", "full_load", "full_load_all", "Loader", "UnsafeLoader",
                 "FullLoader", "CLoader", "CUnsafeLoader", "CFullLoader", "UnsafeConstructor", "FullConstructor"}


def _safe_loader(cls) -> bool:
    """Builds only plain data: a SafeConstructor that is not a Full/Unsafe one and knows no python tags."""
    tags = list(getattr(cls, "yaml_constructors", {})) + list(getattr(cls, "yaml_multi_constructors", {}))
    return (isinstance(cls, type) and issubclass(cls, yaml.constructor.SafeConstructor)
            and not issubclass(cls, yaml.constructor.FullConstructor)
            and not any(str(tag).startswith("tag:yaml.org,2002:python/") for tag in tags if tag))


def test_yaml_is_loaded_only_with_safe_loaders():
    import ast
    import importlib

    checked = 0
    for path in sorted((ROOT / "src" / "etiquette_lint").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        module = None
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "yaml":
                assert not {a.name for a in node.names} & (_UNSAFE_NAMES | {"load", "load_all"}), where
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "yaml":
                assert node.attr not in _UNSAFE_NAMES, f"{where}: yaml.{node.attr}"
            yaml_load = (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
                         and node.func.value.id == "yaml" and node.func.attr in ("load", "load_all"))
            # yamlsource.load_bounded(text, Loader): composes with the loader given, counts aliases, then builds
            bounded = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "load_bounded"
            if yaml_load or bounded:
                loader = next((k.value for k in node.keywords if k.arg in ("Loader", "loader_class")),
                              node.args[1] if len(node.args) > 1 else None)
                assert isinstance(loader, ast.Name), f"{where}: YAML loaded without a named Loader"
                if module is None:
                    name = ".".join(path.relative_to(ROOT / "src").with_suffix("").parts)
                    module = importlib.import_module(name)
                assert _safe_loader(getattr(module, loader.id)), f"{where}: {loader.id} is not a safe loader"
                checked += 1
    assert checked >= 2  # yamlsource (rules, config) and frontmatter (drafts) at least


def test_a_paragraph_condition_reads_the_hits_paragraph_only(tmp_path):
    """`paragraph:` looks from the blank line before the hit to the blank line after it."""
    from etiquette_lint.api import LintOptions, lint
    from etiquette_lint.config import Config

    pack = tmp_path / "rules"
    pack.mkdir()
    (pack / "own.yaml").write_text(
        "rules:\n"
        "  - id: style.rota\n"
        "    severity: info\n"
        "    message: The rota\n"
        "    explain: A test rule.\n"
        "    detector: {kind: regex, patterns: ['\\brota\\b']}\n"
        "    require:\n"
        "      - paragraph: '\\bmy current (job|shop)\\b'\n"
        "    examples:\n"
        "      fire: [\"At my current shop, fine.\\nThe <marker>rota</marker> changes daily.\"]\n"
        "      pass: [\"At my current shop, fine.\\n\\nThe rota changes daily.\"]\n", encoding="utf-8")
    draft = tmp_path / "d.txt"
    draft.write_text("Dear Ana,\n\nAt my current job the rota is set weekly.\n\nThe rota here is posted on Fridays.\n", encoding="utf-8")
    found = lint([str(draft)], Config(rules=[str(pack)]), LintOptions(select=["style.rota"])).findings
    assert [f.line for f in found] == [3]
