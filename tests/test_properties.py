"""Property-based tests for everything that reads user input (hypothesis).

For any bytes as a .txt/.md/.eml draft, any front matter and any text, the linter returns a
result; every finding lies inside the file (line <= number of lines, column <= line length
+ 1, counted in characters as the linter decodes the file) and ends no earlier than it
starts; every reporter renders it and the JSON ones parse; the same input twice gives the
same output. Examples hypothesis found are kept as explicit @example cases."""
from __future__ import annotations

import datetime as dt
import json

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from etiquette_lint import api
from etiquette_lint.config import Config
from etiquette_lint.drafts import load_draft
from etiquette_lint.drafts.decode import decode_bytes
from etiquette_lint.reporters import REPORTERS

FOLDER = "/nonexistent-etiquette-lint-properties"  # no siblings to read as cadence history
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces that reach the interesting code paths: placeholders, trigger words, quoting,
# signatures, Markdown, e-mail structure, odd characters and line breaks.
FRAGMENTS = [
    "[Name]", "{{company}}", "<Position>", "XXX", "%FIRST_NAME%", "Dear ,", "Hi Ana,", "Dear Sir/Madam,",
    "salary", "compensation", "my boss is an idiot", "I really need this job", "please please", "!!!",
    "following up again", "thank you for the interview", "offer", "benefits", "I would never",
    "> quoted line", "On Mon, 2 Nov 2026, Ana wrote:", "-- ", "Best,", "Sam", "```", "`code`", "<!--", "-->",
    "# Heading", "**bold**", "*em*", "[link](http://x.example)", "- [ ] task", "    indented",
    "---", "...", "to: Ana", "type: thank-you", "offer: true", "date: 2026-11-03",
    "To: ana@corp.example", "Date: Tue, 3 Nov 2026 10:00:00 +0000", "Subject: Thanks",
    "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable",
    "Content-Transfer-Encoding: base64", 'Content-Type: multipart/mixed; boundary="B"', "--B", "--B--",
    "=E2=80=99", "=\n", "<p>", "</p>", "<html>",
    "😀", "👩‍💻", "e\u0301", "שלום", "مرحبا", "\u200f", "\u202e", "\ufeff", "\u2028", "\x00", "\x1b[31m", "\t",
    "\r\n", "\r", "\n", "\n\n", " ", ".", "?", "a" * 300,
]

texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=40).map("".join)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1", "cp1252"])


@st.composite
def draft_bytes(draw) -> bytes:
    """Arbitrary bytes, or text in some encoding (lossy where it cannot be encoded)."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=3000))
    return draw(texts).encode(draw(encodings), errors="replace")


def lint_data(engine, data: bytes, kind: str) -> tuple[api.LintResult, str]:
    path = f"{FOLDER}/draft.{kind}"
    return api.lint_drafts([load_draft(path, data, kind)], engine, Config()), path


def assert_inside(result: api.LintResult, data: bytes) -> None:
    text = decode_bytes(data).text
    if text is None:
        assert result.findings == []
        return
    lines = text.split("\n")
    for f in result.findings:
        assert 1 <= f.line <= len(lines), f
        assert 1 <= f.end_line <= len(lines), f
        assert 1 <= f.column <= len(lines[f.line - 1]) + 1, (f, lines[f.line - 1])
        assert 1 <= f.end_column <= len(lines[f.end_line - 1]) + 1, (f, lines[f.end_line - 1])
        assert (f.end_line, f.end_column) >= (f.line, f.column), f


def rendered(result: api.LintResult) -> dict[str, str]:
    out = {}
    for name, reporter in REPORTERS.items():
        out[name] = reporter(color=False, rules=result.rules).render(result)
        if name in ("json", "sarif", "gitlab"):
            json.loads(out[name])
    return out


def fingerprint(result: api.LintResult) -> tuple:
    return ([f.as_dict() for f in result.findings], [str(p) for p in result.problems], result.files)


def check(engine, data: bytes, kind: str) -> None:
    result, _ = lint_data(engine, data, kind)
    assert result.files + sum(p.level == "error" for p in result.problems) >= 1  # linted, or said why not
    assert_inside(result, data)
    first = rendered(result)
    again, _ = lint_data(engine, data, kind)
    assert fingerprint(again) == fingerprint(result)
    assert rendered(again) == first


@SETTINGS
@given(data=draft_bytes())
@example(data="Dear [Name],\r\n\x85\u2028 [Name]".encode("utf-8"))
@example(data=b"\xff\xfe" + "[Name]".encode("utf-16-le"))
@example(data=b"---\ndate: 2026-13-45\n---\n[Name]")
def test_any_bytes_as_txt(engine, data):
    check(engine, data, "txt")


@SETTINGS
@given(data=draft_bytes())
@example(data=b"**[Name]**\n> [Name]\n```\n[Name]\n```\n<!-- [Name] -->")
def test_any_bytes_as_md(engine, data):
    check(engine, data, "md")


@SETTINGS
@given(data=draft_bytes())
@example(data=b"Dear [Name],\nthanks")  # no headers: the body starts at line 1 (was line 3)
@example(data=b"\n\n\x80[Name]")  # body read as UTF-8, file as cp1252: mapped to a blank line, end past it
@example(data=b'To: a@b.example\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\nRGVhciBbTmFtZV0sIHRoYW5rcyBmb3IgdGhlIGxvbmcgbG9uZyBsb25nIGNoYXQ=\n')
@example(data=b"To: a@b.example\nContent-Type: text/html\n\n<p>x</p><p>Dear [Name], and a much longer line of text here</p>\n")
def test_any_bytes_as_eml(engine, data):
    check(engine, data, "eml")


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
    st.dates(min_value=dt.date(1, 1, 1)), st.sampled_from(["maybe", "yesterday", "2026-13-45", "thank-you", "follow-up"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)
keys = st.one_of(st.sampled_from(["to", "company", "role", "type", "interview_date", "date", "offer", "etiquette-lint"]), st.text(max_size=12))


@SETTINGS
@given(front=st.dictionaries(keys, values, max_size=8), body=texts, kind=st.sampled_from(["txt", "md"]))
@example(front={"etiquette-lint": {"disable": 5}}, body="[Name]", kind="md")
@example(front={"date": [1, 2], "offer": "maybe"}, body="[Name]", kind="txt")
def test_any_front_matter(engine, front, body, kind):
    data = ("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body).encode("utf-8", errors="replace")
    check(engine, data, kind)


@SETTINGS
@given(block=texts, body=texts)
@example(block="date: 0000-01-01", body="[Name]")
@example(block="a: &a [x, x]\nb: &b [*a, *a]\nto: *b", body="[Name]")
@example(block="to: !!python/object/apply:os.system ['true']", body="[Name]")
@example(block="[" * 500, body="x")
def test_any_text_between_fences(engine, block, body):
    check(engine, ("---\n" + block + "\n---\n" + body).encode("utf-8", errors="replace"), "md")


@SETTINGS
@given(text=st.text(max_size=2000) | texts)
@example(text="\ud800[Name]")  # a lone surrogate: lint_text used to raise UnicodeEncodeError
def test_any_text_through_lint_text(engine, text):
    path = f"{FOLDER}/text.txt"
    result = api.lint_text(text, path=path, engine=engine)
    assert_inside(result, text.encode("utf-8", errors="replace"))
    rendered(result)
    assert fingerprint(api.lint_text(text, path=path, engine=engine)) == fingerprint(result)
