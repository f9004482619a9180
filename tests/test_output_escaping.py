"""File names cannot inject output (issue 14, item 5): a name holding a newline, a terminal
escape sequence or a C1 control is shown escaped in every format and on stderr.

One real folder of drafts with hostile names, linted through the real command."""
from __future__ import annotations

import json
import re

import pytest

from conftest import run_cli
from etiquette_lint.reporters.base import printable

INJECTED = "a\n::error file=README.md,line=1::x.txt"  # a fake annotation on a line of its own
OSC = "\x1b]0;title\x07.txt"  # sets the terminal's title
C1 = "b\x9d0;title\x9c.txt"  # the same through the 8-bit OSC and ST
NAMES = [INJECTED, OSC, C1]
DRAFT = "Dear [Name],\n\nThank you for the interview about the dashboard.\n"
FAST = ["--select", "personalisation.placeholder"]
# What a terminal or a line-based log must never receive from a file name.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def hostile(tmp_path):
    for name in NAMES:
        (tmp_path / name).write_text(DRAFT, encoding="utf-8")
    return tmp_path


def _lint(folder, fmt, *names):
    run = run_cli("--format", fmt, *FAST, *(names or NAMES), cwd=folder)
    assert run.returncode == 1, run.stderr.decode()
    return run.stdout.decode("utf-8"), run.stderr.decode("utf-8")


def test_printable_shows_control_characters_as_escapes():
    assert printable(INJECTED) == "a\\n::error file=README.md,line=1::x.txt"
    assert printable(OSC) == "\\x1b]0;title\\x07.txt"
    assert printable(C1) == "b\\x9d0;title\\x9c.txt"
    assert printable("a\r\tb\x00\x7f") == "a\\r\\tb\\x00\\x7f"
    assert printable("x\u202egnp.txt\u2028") == "x\\u202egnp.txt\\u2028"  # bidi override, line separator
    assert printable("drafts/Zoë – thanks, v2.md") == "drafts/Zoë – thanks, v2.md"  # printable text untouched
    assert printable("a\nb", keep="\n") == "a\nb"


def test_text_format_escapes_file_names(hostile):
    out, _ = _lint(hostile, "text")
    assert not RAW_CONTROL.search(out)
    lines = [line for line in out.splitlines() if not line.startswith("  help: ")]
    assert len(lines) == len(NAMES) + 1  # one finding per draft and the summary: nothing split
    assert not any(line.startswith("::") for line in lines)
    assert "a\\n::error file=README.md,line=1::x.txt:1:6: error [personalisation.placeholder]" in out
    assert "\\x1b]0;title\\x07.txt:1:6:" in out
    assert "b\\x9d0;title\\x9c.txt:1:6:" in out


def test_github_format_encodes_file_names(hostile):
    out, _ = _lint(hostile, "github")
    assert not RAW_CONTROL.search(out)
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert len(annotations) == len(NAMES)  # the newline did not start a command of its own
    assert all(line.startswith("::error file=") for line in annotations)
    assert not any(line.startswith("::error file=README.md") for line in annotations)
    # The runner's own property encoding: the annotation names the real file.
    assert "::error file=a%0A%3A%3Aerror file=README.md%2Cline=1%3A%3Ax.txt,line=1," in out
    assert "::error file=\\x1b]0;title\\x07.txt,line=1," in out


@pytest.mark.parametrize("fmt", ["gitlab", "json"])
def test_json_formats_stay_valid_and_escape_controls(hostile, fmt):
    out, _ = _lint(hostile, fmt)
    assert not RAW_CONTROL.search(out)  # JSON escapes C0; C1 is written as \\u009d
    issues = json.loads(out)
    paths = {issue["location"]["path"] if fmt == "gitlab" else issue["path"] for issue in issues}
    assert paths == set(NAMES)  # the real names, once the JSON is read


def test_sarif_stays_valid_and_percent_encodes_names(hostile):
    out, _ = _lint(hostile, "sarif")
    assert not RAW_CONTROL.search(out)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in json.loads(out)["runs"][0]["results"]}
    assert "a%0A%3A%3Aerror%20file%3DREADME.md%2Cline%3D1%3A%3Ax.txt" in uris
    assert "%1B%5D0%3Btitle%07.txt" in uris


def test_problems_on_stderr_escape_file_names(tmp_path):
    binary = "c\n::error file=README.md::\x1b]0;t\x07.txt"
    (tmp_path / binary).write_bytes(b"\x00\x01\x02\xff" * 50)
    run = run_cli(*FAST, binary, cwd=tmp_path)
    err = run.stderr.decode("utf-8")
    assert run.returncode == 1
    assert not RAW_CONTROL.search(err)
    assert len(err.splitlines()) == 1
    assert err.startswith("c\\n::error file=README.md::\\x1b]0;t\\x07.txt: error: ")


def test_a_missing_path_is_named_escaped(tmp_path):
    run = run_cli(*FAST, "gone\n::error file=README.md::\x1b]0;t\x07.txt", cwd=tmp_path)
    err = run.stderr.decode("utf-8")
    assert run.returncode == 2
    assert err == "etiquette-lint: error: no such file or directory: gone\\n::error file=README.md::\\x1b]0;t\\x07.txt\n"
