"""Issue 5: any input gets a clear answer, no traceback, nothing lost.

Each hostile input is linted through the API (with the session engine, fast) and the ones
where the command's contract matters (exit status, stderr, other drafts still reported) run
through the real command in a subprocess. The contract checked everywhere:
- exit 0/1 for findings, 2 for usage or configuration errors;
- no Python traceback on stderr (only with --debug);
- every stderr line names the file it is about (or is the tool's own one-line error);
- other drafts in the same run are still linted and reported.
"""
from __future__ import annotations

import base64
import codecs
import json
import os
import time
from pathlib import Path

import pytest
from conftest import run_cli

from etiquette_lint import api
from etiquette_lint.config import Config
from etiquette_lint.drafts import Source, discover
from etiquette_lint.drafts.decode import decode_bytes
from etiquette_lint.drafts.email_draft import parse_email
from etiquette_lint.drafts.limits import EML_MAX_BYTES, MAX_FILE_BYTES
from etiquette_lint.drafts.loader import load_draft
from etiquette_lint.reporters import REPORTERS

GOOD = "Hi Ana,\n\nThanks for the call on Tuesday about the data platform migration.\n\nBest,\nSam\n"
PLACEHOLDER = "Dear [Name],\n\nThank you for the interview.\n"


# -- helpers ---------------------------------------------------------------------------


def lint_bytes(engine, tmp_path: Path, name: str, data: bytes, **options) -> api.LintResult:
    path = tmp_path / name
    path.write_bytes(data)
    return api.lint([str(path)], Config(), api.LintOptions(**options), engine=engine)


def rules_of(result) -> list[str]:
    return [f.rule for f in result.findings]


def messages(result) -> str:
    return "\n".join(str(p) for p in result.problems)


def file_lines(data: bytes) -> list[str]:
    """The file's lines as the linter counts them (decoded characters, LF/CRLF/CR)."""
    text = decode_bytes(data).text
    return text.split("\n") if text is not None else []


def assert_inside(result, contents: dict[str, bytes]) -> None:
    """Every finding's start and end lie inside its file (1-based, columns in characters)."""
    for finding in result.findings:
        lines = file_lines(contents[finding.path])
        assert 1 <= finding.line <= len(lines), finding
        assert 1 <= finding.end_line <= len(lines), finding
        assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1, finding
        assert 1 <= finding.end_column <= len(lines[finding.end_line - 1]) + 1, finding
        assert (finding.end_line, finding.end_column) >= (finding.line, finding.column), finding


def checked(result, codes=(0, 1), names: list[str] = ()) -> tuple[str, str]:
    """stdout, stderr of a CLI run that kept the contract."""
    out = result.stdout.decode("utf-8", "replace")
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "Traceback" not in out, err
    assert result.returncode in codes, (result.returncode, out, err)
    for line in filter(None, err.splitlines()):
        assert line.startswith("etiquette-lint:") or any(line.startswith(n) for n in names), line
    return out, err


# -- bytes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\t\n  \r\n", b"\n" * 500], ids=["empty", "whitespace", "newlines"])
def test_empty_and_whitespace_drafts_are_linted_quietly(engine, tmp_path, data):
    result = lint_bytes(engine, tmp_path, "blank.txt", data)
    assert result.files == 1 and result.problems == [] and result.findings == []


@pytest.mark.parametrize("data", [
    b"Dear Ana,\x00\x00\x01 thanks",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    b"GIF89a\x01\x00\x01\x00",
    b"PK\x03\x04\x14\x00\x06\x00",
], ids=["nul", "png", "pdf-renamed", "gif", "zip"])
def test_binary_files_are_skipped_with_a_reason(engine, tmp_path, data):
    result = lint_bytes(engine, tmp_path, "not-text.txt", data)
    assert result.files == 0 and result.findings == []
    [problem] = result.problems
    assert problem.level == "error" and "binary" in problem.message and problem.path.endswith("not-text.txt")


def test_invalid_utf8_is_a_warning_and_columns_count_replacement_characters(engine, tmp_path):
    # "é" in UTF-8 makes the file UTF-8; the lone \xff is one U+FFFD, so [Name] is at column 11.
    data = "Café \xff ok [Name] there.\n".encode("utf-8").replace(b"\xc3\xbf", b"\xff")
    result = lint_bytes(engine, tmp_path, "bad.txt", data)
    assert "not valid UTF-8" in messages(result) and "U+FFFD" in messages(result)
    [finding] = [f for f in result.findings if f.rule == "personalisation.placeholder"]
    assert (finding.line, finding.column, finding.end_column) == (1, 11, 17)


def test_latin1_draft_is_read_as_latin1(engine, tmp_path):
    data = "Chère Zoë, [Name] was naïve.\n".encode("latin-1")
    result = lint_bytes(engine, tmp_path, "latin1.txt", data)
    assert "Windows-1252/Latin-1" in messages(result)
    [finding] = [f for f in result.findings if f.rule == "personalisation.placeholder"]
    assert (finding.line, finding.column) == (1, 12)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-8-sig", "utf-32-le"])
def test_bom_encodings_are_decoded(engine, tmp_path, encoding):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE, "utf-8-sig": b"", "utf-32-le": codecs.BOM_UTF32_LE}
    data = bom[encoding] + "Hello Ana\r\nthanks, Zoë. [Name] here.\r\n".encode(encoding)
    result = lint_bytes(engine, tmp_path, "bom.txt", data)
    assert result.problems == []
    [finding] = [f for f in result.findings if f.rule == "personalisation.placeholder"]
    assert (finding.line, finding.column) == (2, 14)


def test_mixed_line_endings_count_lines_like_an_editor(engine, tmp_path):
    data = b"Hello Ana\r\nline two\rline three\nthe [Name] line\r\n"
    result = lint_bytes(engine, tmp_path, "mixed.txt", data)
    [finding] = [f for f in result.findings if f.rule == "personalisation.placeholder"]
    assert (finding.line, finding.column) == (4, 5)


def test_control_characters_cannot_reach_the_terminal(engine, tmp_path):
    data = b"Hi {{first\x1bname}},\x07\n\nThanks.\n"
    result = lint_bytes(engine, tmp_path, "ansi.txt", data)
    assert "2 control characters (NUL, ESC, ...) read as spaces" in messages(result)
    [finding] = [f for f in result.findings if f.rule == "personalisation.placeholder"]
    assert (finding.column, finding.end_column) == (4, 18)  # one space per control character
    assert '"{{first name}}"' in finding.message and "\x1b" not in finding.message


def test_emoji_combining_marks_and_rtl_keep_character_columns(engine, tmp_path):
    text = "😀😀 Dear [Name],\nZoe\u0301 [Name]\nשלום [Name] مرحبا\n👩‍💻 <Company>\n"
    result = lint_bytes(engine, tmp_path, "unicode.txt", text.encode("utf-8"))
    found = sorted((f.line, f.column, f.end_column) for f in result.findings if f.rule == "personalisation.placeholder")
    # columns count code points: 😀 is one, e + combining acute is two, 👩‍💻 is three
    assert found == [(1, 9, 15), (2, 6, 12), (3, 6, 12), (4, 5, 14)]


def test_emoji_columns_through_the_command(tmp_path):
    (tmp_path / "emoji.txt").write_text("🎉🎉🎉 Thanks {{first_name}}!\n", encoding="utf-8")
    out, _ = checked(run_cli("--format", "json", "--no-cache", "emoji.txt", cwd=tmp_path), codes=(1,))
    [finding] = [f for f in json.loads(out) if f["rule"] == "personalisation.placeholder"]
    assert (finding["line"], finding["column"], finding["end_column"]) == (1, 12, 26)


def test_very_long_words_are_linted(engine, tmp_path):
    data = ("Dear [Name], " + "a" * 200_000 + " " + "supercalifragilistic" * 2_000 + "\n").encode()
    started = time.perf_counter()
    result = lint_bytes(engine, tmp_path, "long-words.txt", data)
    assert time.perf_counter() - started < 30
    assert "personalisation.placeholder" in rules_of(result)
    assert_inside(result, {str(tmp_path / "long-words.txt"): data})


def test_a_single_line_just_under_the_limit_is_linted(engine, tmp_path):
    words = "the quick brown fox jumps over a lazy dog and then some more words".split()
    line = " ".join(words[i % len(words)] for i in range(200_000))[: MAX_FILE_BYTES - 20]
    data = (line + " [Name]\n").encode()
    started = time.perf_counter()
    result = lint_bytes(engine, tmp_path, "one-line.txt", data)
    # 45 s on a 2-vCPU VM before round 15's lists, 62-70 s after: three derived triggers of 23-33 KB
    # are searched over the whole megabyte (issue 10's open speed work; docs/speed.md). Bounded and
    # linear still; the bound says "about a minute", not a target.
    assert time.perf_counter() - started < 100
    assert result.files == 1
    [finding] = [f for f in result.findings if f.rule == "personalisation.placeholder"]
    assert finding.line == 1 and finding.column == len(line) + 2
    assert_inside(result, {str(tmp_path / "one-line.txt"): data})


def test_oversized_drafts_are_skipped_quickly_and_the_rest_still_linted(tmp_path):
    (tmp_path / "huge.txt").write_bytes(b"word " * 2_000_001)  # 10 MB
    (tmp_path / "one-mib-line.md").write_bytes(b"x" * (1024 * 1024))  # a single 1 MiB line
    (tmp_path / "note.txt").write_text(PLACEHOLDER)
    started = time.perf_counter()
    out, err = checked(run_cli("--no-cache", ".", cwd=tmp_path), codes=(1,), names=["huge.txt", "one-mib-line.md"])
    assert time.perf_counter() - started < 20
    assert "huge.txt: error: larger than 1,000,000 bytes (10,000,005); skipped" in err
    assert "one-mib-line.md: error: larger than 1,000,000 bytes" in err
    assert "note.txt:1:6: error [personalisation.placeholder]" in out


def test_size_limit_from_the_option_and_the_config(tmp_path):
    (tmp_path / "big.txt").write_text("Dear [Name], " + "okay " * 300_000)  # 1.5 MB
    _, err = checked(run_cli("--no-cache", "big.txt", cwd=tmp_path), codes=(1,), names=["big.txt"])
    assert "larger than 1,000,000 bytes" in err
    out, err = checked(run_cli("--no-cache", "--max-file-size", "2MB", "big.txt", cwd=tmp_path), codes=(1,), names=["big.txt"])
    assert "larger than" not in err and "big.txt:1:6: error [personalisation.placeholder]" in out
    (tmp_path / "cfg.yaml").write_text("max-file-size: 500KB\n")
    (tmp_path / "small.txt").write_text("Dear [Name], " + "okay " * 140_000)  # 700 KB
    _, err = checked(run_cli("--no-cache", "--config", "cfg.yaml", "small.txt", cwd=tmp_path), codes=(1,), names=["small.txt"])
    assert "larger than 500,000 bytes" in err
    out, _ = checked(run_cli("--no-cache", "--config", "cfg.yaml", "--max-file-size", "1MB", "small.txt", cwd=tmp_path), codes=(1,))
    assert "small.txt:1:6" in out  # the option wins over the config


def test_bad_size_settings_are_usage_errors(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    _, err = checked(run_cli("--max-file-size", "lots", "a.txt", cwd=tmp_path), codes=(2,), names=["Usage:", "Try ", "Error:"])
    assert "--max-file-size" in err
    (tmp_path / "cfg.yaml").write_text("max-file-size: -3\n")
    _, err = checked(run_cli("--config", "cfg.yaml", "a.txt", cwd=tmp_path), codes=(2,))
    assert "cfg.yaml:1: max-file-size:" in err


# -- front matter ----------------------------------------------------------------------------

FRONT_MATTER_CASES = {
    "unterminated": ("---\nto: Ana\ntype: thank-you\n\nDear [Name],\n", 1, "never closed"),
    "invalid-yaml": ("---\nto: [Ana\n---\nDear [Name],\n", 2, "not valid YAML"),
    "a-list": ("---\n- to\n- Ana\n---\nDear [Name],\n", 1, "must be a mapping"),
    "a-scalar": ("---\njust some words\n---\nDear [Name],\n", 1, "must be a mapping"),
    "offer-maybe": ("---\noffer: maybe\n---\nDear [Name],\n", 2, "'offer' should be true or false, got 'maybe'"),
    "date-yesterday": ("---\nto: Ana\ndate: yesterday\n---\nDear [Name],\n", 3, "'date' should be a date like 2026-11-03, got 'yesterday'"),
    "date-impossible": ("---\ndate: 2026-13-45\n---\nDear [Name],\n", 2, "got '2026-13-45'"),
    "date-year-zero": ("---\ninterview_date: 0000-01-01\n---\nDear [Name],\n", 2, "'interview_date' should be a date"),
    "date-a-list": ("---\ndate: [1, 2]\n---\nDear [Name],\n", 2, "should be a date like 2026-11-03, got a list"),
    "huge-int": ("---\nto: " + "9" * 5000 + "\n---\nDear [Name],\n", None, None),
    "deep-nesting": ("---\nto: " + "[" * 2000 + "]" * 2000 + "\n---\nDear [Name],\n", 1, "cannot be read"),
    "unknown-key": ("---\nto: Ana\nmood: hopeful\n---\nDear [Name],\n", 3, "unknown front-matter key 'mood'"),
    "type-unknown": ("---\ntype: love-letter\n---\nDear [Name],\n", 2, "unknown message type 'love-letter'"),
}


@pytest.mark.parametrize("name", list(FRONT_MATTER_CASES))
def test_bad_front_matter_is_a_warning_and_the_draft_is_still_linted(engine, tmp_path, name):
    text, line, expected = FRONT_MATTER_CASES[name]
    result = lint_bytes(engine, tmp_path, f"{name}.md", text.encode())
    assert result.files == 1
    assert "personalisation.placeholder" in rules_of(result)
    if expected is None:
        assert all(p.level == "warning" for p in result.problems)
        return
    [problem] = [p for p in result.problems if expected in p.message]
    assert problem.level == "warning" and problem.line == line, problem


def test_aliases_in_front_matter_are_not_expanded_into_messages(engine, tmp_path):
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for index in range(1, 12):  # 10**12 elements if expanded
        lines.append(f"{'b' * index}: &{'b' * index} [{', '.join(['*' + ('b' * (index - 1) if index > 1 else 'a')] * 10)}]")
    lines += ["date: *bbbbbbbbbbb", "to: *bbbbbbbbbbb", "offer: *bbbbbbbbbbb", "---", "Dear [Name],", ""]
    started = time.perf_counter()
    result = lint_bytes(engine, tmp_path, "laughs.md", "\n".join(lines).encode())
    assert time.perf_counter() - started < 10
    # Issue 14, item 4: the aliases are counted before use and the front matter is refused on the anchor's line.
    assert "laughs.md:2: warning: front matter aliases expand past 10,000 nodes" in messages(result)
    assert len(messages(result)) < 5000


def test_yaml_tags_in_front_matter_are_refused_never_run(tmp_path):
    marker = tmp_path / "EXECUTED"
    payloads = [
        f"!!python/object/apply:os.system ['touch {marker}']",
        f"!!python/object/new:os.system ['touch {marker}']",
        f"!!python/object/apply:subprocess.check_output [['touch', '{marker}']]",
        "!!python/name:os.system",
    ]
    for index, payload in enumerate(payloads):
        (tmp_path / f"tag{index}.md").write_text(f"---\nto: {payload}\n---\nDear [Name],\n")
    names = [f"tag{i}.md" for i in range(len(payloads))]
    out, err = checked(run_cli("--no-cache", *names, cwd=tmp_path), codes=(1,), names=names)
    assert not marker.exists()
    assert err.count("not valid YAML (could not determine a constructor") == len(payloads)
    assert out.count("[personalisation.placeholder]") == len(payloads)


def test_a_sibling_with_broken_front_matter_does_not_break_the_run(tmp_path):
    # The cadence rule reads other drafts in the folder as history: a crash there used to stop the run.
    (tmp_path / "sent.md").write_text("---\ndate: 2026-13-45\nto: ana@corp.example\n---\nHi Ana, following up.\n")
    (tmp_path / "draft.txt").write_text(PLACEHOLDER)
    out, _ = checked(run_cli("--no-cache", "draft.txt", cwd=tmp_path), codes=(1,))
    assert "draft.txt:1:6: error [personalisation.placeholder]" in out


# -- .eml ------------------------------------------------------------------------------------


def eml(headers: str, body: str = "") -> bytes:
    return (headers.strip("\n") + "\n\n" + body).encode("utf-8")


PLAIN = "To: Ana <ana@corp.example>\nSubject: Thank you\nDate: Tue, 3 Nov 2026 10:00:00 +0000\n"


def test_eml_without_headers_maps_lines_from_the_top(engine, tmp_path):
    data = b"Dear [Name],\nthanks for the chat.\n"
    result = lint_bytes(engine, tmp_path, "noheaders.eml", data)
    [finding] = [f for f in result.findings if f.rule == "personalisation.placeholder"]
    assert (finding.line, finding.column) == (1, 6)
    assert_inside(result, {str(tmp_path / "noheaders.eml"): data})


def test_eml_headers_only(engine, tmp_path):
    result = lint_bytes(engine, tmp_path, "headers.eml", PLAIN.encode())
    assert result.files == 1 and result.findings == []


def test_eml_malformed_date_is_a_warning(engine, tmp_path):
    data = eml(PLAIN.replace("Tue, 3 Nov 2026 10:00:00 +0000", "the day after tomorrow"), "Dear [Name],\n")
    result = lint_bytes(engine, tmp_path, "date.eml", data)
    assert "unreadable Date header 'the day after tomorrow'" in messages(result)
    assert "personalisation.placeholder" in rules_of(result)


def test_eml_unknown_charset_falls_back_to_utf8(engine, tmp_path):
    data = eml(PLAIN + "Content-Type: text/plain; charset=x-klingon\n", "Dear [Name], qapla’\n")
    result = lint_bytes(engine, tmp_path, "charset.eml", data)
    assert "unknown charset 'x-klingon'" in messages(result)
    [finding] = [f for f in result.findings if f.rule == "personalisation.placeholder"]
    assert (finding.line, finding.column) == (6, 6)


def test_eml_broken_base64_is_reported_and_linted(engine, tmp_path):
    body = base64.b64encode("Dear [Name], thank you for your time.\n".encode()).decode()
    body = body[:8] + "!*!" + body[8:]  # characters base64 does not have
    data = eml(PLAIN + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n", body + "\n")
    result = lint_bytes(engine, tmp_path, "b64.eml", data)
    assert "malformed text part" in messages(result)
    assert "personalisation.placeholder" in rules_of(result)
    assert_inside(result, {str(tmp_path / "b64.eml"): data})


def test_eml_broken_quoted_printable_is_linted(engine, tmp_path):
    body = "Dear =ZZ [Name]=\n, thanks =E2=80 for the time=\n"
    data = eml(PLAIN + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n", body)
    result = lint_bytes(engine, tmp_path, "qp.eml", data)
    assert "personalisation.placeholder" in rules_of(result)
    assert_inside(result, {str(tmp_path / "qp.eml"): data})


def test_eml_deeply_nested_multipart_stops_with_a_warning(engine, tmp_path):
    def part(depth: int) -> str:
        if depth == 0:
            return "Content-Type: text/plain\n\nDear [Name], deep inside.\n"
        return f'Content-Type: multipart/mixed; boundary="b{depth}"\n\n--b{depth}\n{part(depth - 1)}\n--b{depth}--\n'

    data = ("To: ana@corp.example\nMIME-Version: 1.0\n" + part(300)).encode()
    started = time.perf_counter()
    result = lint_bytes(engine, tmp_path, "nested.eml", data)
    assert time.perf_counter() - started < 10
    assert "nested deeper than" in messages(result) and result.files == 1


def test_eml_html_only_is_linted_as_text(engine, tmp_path):
    html = "<html><head><style>p {color: red}</style><script>alert('[X]')</script></head><body><p>Dear [Name],</p><p>Thanks!</p></body></html>\n"
    data = eml(PLAIN + "Content-Type: text/html; charset=utf-8\n", html)
    result = lint_bytes(engine, tmp_path, "html.eml", data)
    assert rules_of(result).count("personalisation.placeholder") == 1
    assert_inside(result, {str(tmp_path / "html.eml"): data})


def attachment_mail(text: str | None, attachment: bytes) -> bytes:
    parts = []
    if text is not None:
        parts.append(f"--XX\nContent-Type: text/plain; charset=utf-8\n\n{text}\n")
    encoded = base64.encodebytes(attachment).decode()
    parts.append("--XX\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"cv.pdf\"\n"
                 f"Content-Transfer-Encoding: base64\n\n{encoded}")
    return (PLAIN + 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="XX"\n\n' + "".join(parts) + "--XX--\n").encode()


def test_eml_with_attachments_only_says_so(engine, tmp_path):
    result = lint_bytes(engine, tmp_path, "att.eml", attachment_mail(None, b"%PDF-1.4 tiny"))
    assert "no text part to lint" in messages(result) and result.findings == []


def test_eml_with_a_5mb_attachment_lints_its_text_part_quickly(tmp_path):
    # Decision (README): attachments do not count toward max-file-size; the text part does.
    data = attachment_mail("Dear [Name],\n\nThanks for the interview.", os.urandom(5 * 1024 * 1024))
    (tmp_path / "cv.eml").write_bytes(data)
    started = time.perf_counter()
    out, _ = checked(run_cli("--no-cache", "cv.eml", cwd=tmp_path), codes=(1,))
    assert time.perf_counter() - started < 20
    assert "cv.eml:10:6: error [personalisation.placeholder]" in out


def test_eml_text_part_over_the_limit_and_huge_messages_are_skipped(engine, tmp_path):
    big_text = attachment_mail("Dear [Name], " + "thanks " * 200_000, b"x")
    result = lint_bytes(engine, tmp_path, "long.eml", big_text)
    assert "text part larger than 1,000,000 bytes" in messages(result) and result.files == 0
    path = tmp_path / "huge.eml"
    with open(path, "wb") as handle:
        handle.write(PLAIN.encode() + b"\n")
        handle.truncate(EML_MAX_BYTES + 10)
    result = api.lint([str(path)], Config(), engine=engine)
    assert f"larger than {EML_MAX_BYTES:,} bytes" in messages(result)


def base64_mail(text: str, charset: str = "utf-8") -> bytes:
    encoded = base64.encodebytes(text.encode(charset)).decode()
    return eml(PLAIN + f"Content-Type: text/plain; charset={charset}\nContent-Transfer-Encoding: base64\n", encoded)


def test_eml_base64_body_of_100k_short_lines_maps_each_line():
    # Issue 14, item 3: every decoded line searched the whole file for itself (11.1 s for this
    # 270 KB file); each line now maps to the first line of the encoded body, at its own column.
    data = base64_mail("Hello,\n" + "ok\n" * 100_000 + "Dear [Name], thanks.\n")
    draft, problems = load_draft("short-lines.eml", data)
    assert problems == [] and len(draft.line_map.starts) == 100_003
    assert draft.locate(draft.text.index("[Name]")) == (7, 6)


def test_eml_latin1_body_that_never_matches_the_file_is_mapped_line_by_line():
    # The file reads as UTF-8 (the subject) with U+FFFD for each Latin-1 byte, so no body line is
    # found verbatim: each one used to search the whole file again.
    body = "café ok\n" * 50_000 + "Dear [Name],\n"
    data = (PLAIN.replace("Thank you", "Thank you ’") + "Content-Type: text/plain; charset=latin-1\n\n").encode()
    draft, _ = load_draft("latin1.eml", data + body.encode("latin-1"))
    assert draft.locate(draft.text.index("[Name]"))[1] == 6
    assert draft.locate(draft.text.index("café"))[0] == 6


def test_eml_quoted_printable_soft_breaks_map_to_each_raw_line():
    qp = "Dear Ana,\n" + "line=\n continued\n" * 3 + "Dear [Name], cafe=\n thanks, caf=C3=\n=A9 talk\n"
    data = eml(PLAIN + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n", qp)
    draft, _ = load_draft("qp.eml", data)
    assert draft.locate(draft.text.index("[Name]")) == (14, 6)
    assert draft.locate(draft.text.index("continued")) == (9, 2)
    assert draft.locate(draft.text.index("thanks")) == (15, 2)
    assert draft.locate(draft.text.index("talk"))[0] == 16  # a character split over two raw lines


def test_eml_of_24mb_is_measured_before_its_lines_are_mapped():
    # Issue 14, item 3: a 24 MB message (under the 25 MB allowance) ran over 300 s before the
    # text-part limit was applied; the part is now measured before it is mapped.
    data = base64_mail("Dear [Name],\n" + "ok\n" * 6_000_000)
    assert 23_000_000 < len(data) < EML_MAX_BYTES
    started = time.perf_counter()
    parsed = parse_email(data, decode_bytes(data).text, max_text_bytes=MAX_FILE_BYTES)
    elapsed = time.perf_counter() - started
    assert parsed.line_map is None and parsed.text_bytes == 18_000_013
    assert elapsed < 10, f"{elapsed:.1f} s"


@pytest.mark.slow
def test_eml_of_24mb_with_a_huge_text_part_is_skipped(engine, tmp_path):
    data = base64_mail("Dear [Name],\n" + "ok\n" * 6_000_000)
    result = lint_bytes(engine, tmp_path, "big.eml", data)
    assert "text part larger than 1,000,000 bytes" in messages(result) and result.files == 0


# -- paths ------------------------------------------------------------------------------------


def test_missing_path_is_a_usage_error_naming_it(tmp_path):
    (tmp_path / "real.txt").write_text(GOOD)
    _, err = checked(run_cli("real.txt", "nope.txt", "gone/", cwd=tmp_path), codes=(2,))
    assert err.strip() == "etiquette-lint: error: no such file or directory: nope.txt, gone/"


def test_a_folder_of_10000_drafts(tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir()
    for index in range(10_000):  # no trigger words: this measures reading and the run, not spaCy
        (folder / f"note-{index:05d}.txt").write_text(f"Hi Ana,\n\nThanks for the call on Tuesday, item {index}.\n\nBest,\nSam\n")
    (folder / "note-05000.txt").write_text(PLACEHOLDER)
    started = time.perf_counter()
    out, _ = checked(run_cli("--no-cache", "--format", "json", "drafts", cwd=tmp_path), codes=(1,))
    assert time.perf_counter() - started < 120
    findings = json.loads(out)
    assert {(f["path"], f["rule"]) for f in findings} >= {(os.path.join("drafts", "note-05000.txt"), "personalisation.placeholder")}
    assert {f["path"] for f in findings} == {os.path.join("drafts", "note-05000.txt")}


def test_symlink_loops_end(tmp_path):
    folder = tmp_path / "drafts"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "note.txt").write_text(PLACEHOLDER)
    os.symlink("..", folder / "sub" / "up")  # a folder loop
    os.symlink("self.txt", folder / "self.txt")  # a file that links to itself
    os.symlink("nowhere.txt", folder / "dangling.txt")
    out, err = checked(run_cli("--no-cache", "drafts", cwd=tmp_path), codes=(1,), names=["drafts"])
    assert out.count("[personalisation.placeholder]") == 1
    assert "self.txt: error: cannot read: Too many levels of symbolic links" in err
    assert "dangling.txt: error: cannot read: No such file or directory" in err


def test_unreadable_file_is_reported_and_the_rest_linted(tmp_path):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop reading (see the FIFO and folder tests)")
    (tmp_path / "secret.txt").write_text(GOOD)
    (tmp_path / "secret.txt").chmod(0)
    (tmp_path / "note.txt").write_text(PLACEHOLDER)
    try:
        out, err = checked(run_cli("--no-cache", ".", cwd=tmp_path), codes=(1,), names=["secret.txt"])
    finally:
        (tmp_path / "secret.txt").chmod(0o644)
    assert "secret.txt: error: cannot read: Permission denied" in err
    assert "note.txt:1:6" in out


def test_a_fifo_named_like_a_draft_does_not_hang_the_run(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # open() would block forever waiting for a writer
    (tmp_path / "note.txt").write_text(PLACEHOLDER)
    out, err = checked(run_cli("--no-cache", ".", cwd=tmp_path), codes=(1,), names=["pipe.txt"])
    assert "pipe.txt: error: cannot read: not a regular file (FIFO, socket or device); skipped" in err
    assert "note.txt:1:6" in out


def test_a_folder_where_a_draft_was_expected(engine, tmp_path):
    (tmp_path / "looks-like.txt").mkdir()  # e.g. replaced by a folder after the walk
    draft, problems = api.read_source(Source(str(tmp_path / "looks-like.txt")))
    assert draft is None and problems[0].message == "cannot read: a folder; skipped"


def test_a_draft_that_disappears_during_the_run(engine, tmp_path):
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(PLACEHOLDER)
    sources = discover([str(tmp_path)])
    (tmp_path / "b.txt").unlink()  # gone between the walk and the read
    result = api.lint_drafts((api.read_source(s) for s in sources), engine, Config())
    assert result.files == 2 and len({f.path for f in result.findings}) == 2
    [problem] = result.problems
    assert problem.path.endswith("b.txt") and problem.message == "cannot read: No such file or directory"


def test_names_with_spaces_and_non_ascii(tmp_path):
    names = ["thank you note.txt", "Zoë – follow-up.md", "面试 感谢.eml", "-dash-first.txt"]
    for name in names:
        data = eml("To: ana@corp.example", PLACEHOLDER) if name.endswith(".eml") else PLACEHOLDER.encode()
        (tmp_path / name).write_bytes(data)
    out, _ = checked(run_cli("--no-cache", "--format", "json", "--", *names, cwd=tmp_path), codes=(1,))
    assert {f["path"] for f in json.loads(out)} == set(names)
    out, _ = checked(run_cli("--no-cache", ".", cwd=tmp_path), codes=(1,))
    for name in names:
        assert f"{name}:" in out


def test_stdin_empty_and_hostile(tmp_path):
    out, _ = checked(run_cli("-", stdin=b"", cwd=tmp_path), codes=(0,))
    assert out.strip() == "No problems in 1 draft."
    _, err = checked(run_cli("-", stdin=b"\x89PNG\r\n\x1a\n\x00", cwd=tmp_path), codes=(1,), names=["-:"])
    assert err.startswith("-: error: looks like a binary file")
    _, err = checked(run_cli("--max-file-size", "1KB", "-", stdin=b"x" * 5000, cwd=tmp_path), codes=(1,), names=["-:"])
    assert "larger than 1,000 bytes" in err
    out, _ = checked(run_cli("--stdin-kind", "eml", "-", stdin=b"Dear [Name],\n", cwd=tmp_path), codes=(1,), names=["-:"])
    assert out.startswith("-:1:6: error [personalisation.placeholder]")


# -- everything at once -------------------------------------------------------------------------


def hostile_folder(folder: Path) -> dict[str, bytes]:
    files = {
        "empty.txt": b"",
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00",
        "latin1.txt": "Chère Zoë, [Name]\n".encode("latin-1"),
        "utf16.txt": codecs.BOM_UTF16_LE + "Hi [Name]\r\n".encode("utf-16-le"),
        "crlf.md": b"# Hi\r\n\r\nThanks [Name]\rok\n",
        "front.md": b"---\ndate: 2026-13-45\noffer: maybe\nmood: 1\n---\nDear [Name],\n",
        "unterminated.md": b"---\nto: x\nDear [Name],\n",
        "noheaders.eml": b"Dear [Name],\n",
        "html.eml": eml(PLAIN + "Content-Type: text/html\n", "<p>Dear [Name],</p>"),
        "good.txt": GOOD.encode(),
        "sub/nested note.txt": PLACEHOLDER.encode(),
    }
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return files


def test_a_folder_of_hostile_drafts_in_one_run(tmp_path):
    files = hostile_folder(tmp_path)
    out, err = checked(run_cli("--format", "json", "--no-cache", ".", cwd=tmp_path), codes=(1,), names=list(files))
    findings = json.loads(out)
    linted = {f["path"] for f in findings}
    for name in files:
        if name not in ("empty.txt", "binary.txt", "good.txt"):
            assert os.path.normpath(name) in linted, name
    assert "binary.txt: error: looks like a binary file" in err
    assert "front.md:2: warning:" in err and "front.md:3: warning:" in err and "front.md:4: warning:" in err
    for finding in findings:
        lines = file_lines(files[finding["path"].replace(os.sep, "/")])
        assert finding["line"] <= len(lines) and finding["column"] <= len(lines[finding["line"] - 1]) + 1


def test_debug_shows_tracebacks_only_when_asked(tmp_path, monkeypatch):
    # An internal error that escapes the run: one line without --debug, the traceback with it.
    from click.testing import CliRunner

    from etiquette_lint import cli

    def broken(*args, **kwargs):
        raise RuntimeError("simulated reader bug\nsecond line")

    monkeypatch.setattr(api, "lint", broken)
    (tmp_path / "a.txt").write_text(GOOD)
    runner = CliRunner()
    quiet = runner.invoke(cli.main, ["--no-cache", str(tmp_path / "a.txt")])
    assert quiet.exit_code == 2 and quiet.exc_info[0] is SystemExit
    assert "etiquette-lint: internal error: RuntimeError: simulated reader bug (run with --debug" in quiet.output
    loud = runner.invoke(cli.main, ["--debug", "--no-cache", str(tmp_path / "a.txt")])
    assert isinstance(loud.exception, RuntimeError)


# -- nothing lost -------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink() and ".etiquette-lint-cache" not in path.parts
    }


def test_nothing_lost_inputs_are_never_modified(tmp_path):
    drafts = tmp_path / "drafts"
    files = hostile_folder(drafts)
    (drafts / "cfg.yaml").write_text("max-file-size: 2MB\nignore: [readability]\n")
    os.utime(drafts / "good.txt", ns=(1_000_000_000, 1_000_000_000))  # an old mtime must stay old
    before = snapshot(drafts)
    assert len(before) == len(files) + 1
    for output_format in REPORTERS:
        for cache in ([], ["--no-cache"]):  # the cache (when on) lives in .etiquette-lint-cache/
            for _ in range(2):  # a warm cache too
                checked(run_cli("--format", output_format, "--config", "drafts/cfg.yaml", *cache, "drafts", cwd=tmp_path),
                        codes=(1,), names=["drafts"])
    checked(run_cli("-", cwd=tmp_path, stdin=(drafts / "front.md").read_bytes()), codes=(1,), names=["-:"])
    assert snapshot(drafts) == before
    assert not any(p.name.endswith((".bak", ".orig", ".tmp", "~")) for p in tmp_path.rglob("*") if ".etiquette-lint-cache" not in p.parts)


# -- pathological lines -------------------------------------------------------------------------

PATHOLOGICAL = ["!", ".", "?!", "\n", "\n \n", "[a", "![", "](", "[^", "<!--", "<a", "```\n", "    a\n",
                "my current ", "1", "a@", "**", "Dear ", "On ", "bump\n", "[Name] "]


@pytest.mark.parametrize("unit", PATHOLOGICAL)
def test_pathological_lines_stay_linear(engine, unit):
    # Each of these was (or could be) quadratic somewhere: sentence splitting on '!!!!', Markdown
    # bracket scans, unclosed comments, '^\s*bump' over blank lines. At 100 KB quadratic code
    # takes a minute or more; linear code a second or two.
    data = (unit * (100_000 // len(unit) + 1))[:100_000].encode()
    started = time.perf_counter()
    for kind in ("md", "txt"):
        result = api.lint_drafts([api.load_draft(f"/nonexistent/x.{kind}", data, kind)], engine, Config())
        assert result.files == 1
        assert not [p for p in result.problems if "took longer than" in p.message]
    assert time.perf_counter() - started < 15, unit
