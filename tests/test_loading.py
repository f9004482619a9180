"""Reading drafts: each format, encodings, and positions that map back to the original file."""
from __future__ import annotations

import datetime as dt

from etiquette_lint.api import LintOptions, lint
from etiquette_lint.config import Config
from etiquette_lint.drafts import load_draft


def _findings(path, engine, rule=None):
    result = lint([str(path)], Config(), LintOptions(), engine=engine)
    return [f for f in result.findings if rule is None or f.rule == rule]


def _position_of(text: str, needle: str) -> tuple[int, int]:
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def test_front_matter_gives_context_and_keeps_positions(write, engine):
    text = (
        "---\nto: Priya Raman <priya.raman@northwind.example>\ncompany: Northwind\ntype: thank-you\n"
        "interview_date: 2026-11-02\ndate: 2026-11-03\noffer: false\n---\n"
        "Dear Priya,\n\nThanks for the chat about the churn model. What is the salary range?\n"
    )
    path = write("note.txt", text)
    draft, problems = load_draft(str(path), path.read_bytes())
    assert problems == []
    assert draft.context.to_address == "priya.raman@northwind.example"
    assert draft.context.type == "thank-you"
    assert draft.context.date == dt.date(2026, 11, 3)
    assert draft.context.offer is False
    assert draft.context.date_line == 6
    assert "Northwind" not in draft.text  # front matter is not linted
    [finding] = _findings(path, engine, "salary.before-offer")
    assert (finding.line, finding.column) == _position_of(text, "salary range")
    assert finding.end_column == finding.column + len("salary range")


def test_bom_and_crlf(write, engine):
    text = "Hi Ana,\r\n\r\nThanks for today. Dear [Name], what a day.\r\n"
    path = write("bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))
    [finding] = _findings(path, engine, "personalisation.placeholder")
    assert (finding.line, finding.column) == (3, 24)


def test_utf16_with_bom(write, engine):
    path = write("utf16.txt", "Hi Ana,\n\nThanks! See you on XXX.\n".encode("utf-16"))
    [finding] = _findings(path, engine, "personalisation.placeholder")
    assert (finding.line, finding.column) == (3, 20)


def test_invalid_utf8_is_a_warning_and_still_linted(write, engine):
    path = write("latin.txt", "Hi Zoë,\n\nWhat is the salary range?\n".encode("latin-1"))
    result = lint([str(path)], Config(), LintOptions(), engine=engine)
    assert any("UTF-8" in p.message for p in result.problems)
    assert [f.rule for f in result.findings] == ["salary.before-offer"]


def test_markdown_markup_does_not_shift_columns(write, engine):
    text = "Hi **Renee**,\n\nThanks for the [write-up](https://x.example/a) on *XXX* today.\n"
    path = write("note.md", text)
    [finding] = _findings(path, engine, "personalisation.placeholder")
    assert (finding.line, finding.column) == _position_of(text, "XXX")


def test_markdown_code_and_blockquotes_are_not_linted(write, engine):
    text = (
        "Hi Tomás,\n\nThanks for the talk about templating.\n\n"
        "```\nHello {{name}}, XXX\n```\n\n"
        "> \"Honestly, my boss is clueless,\" you joked.\n\n"
        "Inline `{{company}}` too.\n"
    )
    path = write("code.md", text)
    assert _findings(path, engine) == []


def test_quoted_mail_and_signature_are_not_linted(write, engine):
    text = (
        "Hi Bianca,\n\nThursday works - thanks for arranging it and the chat about the fraud model.\n\n"
        "Best,\nKofi\n\n"
        "> On Mon, 9 Nov 2026 at 10:14, Bianca <b@verdant.example> wrote:\n"
        "> Dear {{candidate_first_name}}, the salary band is $120,000 and my boss is useless!!!\n"
    )
    path = write("reply.txt", text)
    assert _findings(path, engine) == []


def test_eml_plain_headers_and_positions(write, engine):
    raw = (
        "From: Sam <sam@mail.example>\nTo: =?utf-8?q?Zo=C3=AB_Lef=C3=A8vre?= <zoe@atelier.example>\n"
        "Subject: Thanks\nDate: Wed, 04 Nov 2026 18:22:10 +0000\nContent-Type: text/plain; charset=utf-8\n\n"
        "Hi Zoë,\n\nThanks for the tour of the lighting lab. What is the salary range?\n"
    )
    path = write("mail.eml", raw)
    draft, _ = load_draft(str(path), path.read_bytes())
    assert draft.context.to_address == "zoe@atelier.example"
    assert draft.context.date == dt.date(2026, 11, 4)
    assert draft.context.date_line == 4
    [finding] = _findings(path, engine, "salary.before-offer")
    assert (finding.line, finding.column) == _position_of(raw, "salary range")


def test_eml_quoted_printable_maps_to_raw_lines(write, engine):
    raw = (
        "To: Claire <claire@orbital.example>\nDate: Wed, 04 Nov 2026 18:22:10 +0000\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\n\n"
        "Hi Claire,\n\nThank you for today=E2=80=99s interview about the attitude-control sim=\n"
        "ulator. Could you tell me whether relocation comes with a housing allowance?\n"
    )
    path = write("qp.eml", raw)
    [finding] = _findings(path, engine, "salary.before-offer")
    assert finding.line == raw[: raw.index("housing allowance")].count("\n") + 1


def test_eml_multipart_prefers_plain_and_html_only_is_read(write, engine):
    multipart = (
        "To: a@b.example\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=XX\n\n"
        "--XX\nContent-Type: text/plain; charset=utf-8\n\nHi Ana,\n\nThanks for the chat about Kafka. Dear [Name]\n"
        "--XX\nContent-Type: text/html; charset=utf-8\n\n<p>Hi Ana,</p><p>Thanks <b>[Other]</b></p>\n--XX--\n"
    )
    path = write("multi.eml", multipart)
    findings = _findings(path, engine, "personalisation.placeholder")
    assert [f.message.split(": ", 1)[1] for f in findings] == ['"[Name]"']
    html_only = (
        "To: a@b.example\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
        "<html><body><p>Hi Ana,</p><p>Thanks for the chat. What is the salary range?</p></body></html>\n"
    )
    path = write("html.eml", html_only)
    assert [f.rule for f in _findings(path, engine)] == ["salary.before-offer"]


def test_bad_front_matter_is_reported_and_draft_still_linted(write, engine):
    path = write("bad.txt", "---\ntype: [thank-you\n---\nHi Ana,\n\nWhat is the salary range?\n")
    result = lint([str(path)], Config(), LintOptions(), engine=engine)
    assert any(p.line and "front matter" in p.message for p in result.problems)
    assert [f.rule for f in result.findings] == ["salary.before-offer"]


def test_folder_walk_skips_hidden_and_other_files(write, engine, tmp_path):
    write("drafts/a.txt", "Hi Ana, what is the salary range?")
    write("drafts/sub/b.md", "Hi Bo, I'm begging you.")
    write("drafts/.hidden/c.txt", "XXX")
    write("drafts/notes.pdf", b"%PDF-1.4")
    result = lint([str(tmp_path / "drafts")], Config(), LintOptions(), engine=engine)
    assert result.files == 2
    assert sorted({f.path.rsplit("/", 1)[-1] for f in result.findings}) == ["a.txt", "b.md"]


def test_message_types_as_people_write_them(write):
    """`type:` is read for what it plainly means; only an unknown or ambiguous one is reported."""
    expected = {
        "Thank You": "thank-you", "follow_up": "follow-up", "offer acceptance": "offer-response",
        "panel thank-you": "thank-you", "timeline follow-up": "follow-up", "Info": "info-response",
    }
    for written, meant in expected.items():
        path = write("typed.txt", f"---\ntype: {written}\n---\nHi Ana,\n\nThanks for Monday.\n")
        draft, problems = load_draft(str(path), path.read_bytes())
        assert (draft.context.type, problems) == (meant, []), written
    for unclear in ("networking thank-you", "love-letter"):
        path = write("typed.txt", f"---\ntype: {unclear}\n---\nHi Ana,\n\nThanks for Monday.\n")
        draft, problems = load_draft(str(path), path.read_bytes())
        assert draft.context.type is None and "unknown message type" in problems[0].message, unclear
