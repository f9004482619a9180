"""Header-style lines at the top of a .txt/.md draft (`Subject:`, `To:`, `From:`, `Date:`,
`Cc:`) are read as headers, the way an .eml's are: they give context (To, Date, Subject) and
are not linted as prose, and every later finding keeps its line and column.

Issue 13, item 4: a draft starting `Subject: Thank you`, then `Dear Hiring Manager,` and a
thank-you gave "No problems"; without that line it gave the generic-greeting and
no-specifics warnings."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from etiquette_lint.api import LintOptions, lint
from etiquette_lint.config import Config
from etiquette_lint.context import message_type
from etiquette_lint.drafts.loader import load_draft

from conftest import run_cli

THANKS = (
    "Dear Hiring Manager,\n\n"
    "Thank you for the interview today. I enjoyed our conversation and learning more about the position.\n\n"
    "Best regards,\nJon\n"
)


def findings(engine, path):
    result = lint([str(path)], Config(), LintOptions(), engine=engine)
    return sorted((f.rule, f.line, f.column, f.end_line, f.end_column) for f in result.findings), result


def shifted(found, lines):
    return sorted((rule, line + lines, col, end_line + lines, end_col) for rule, line, col, end_line, end_col in found)


def test_a_subject_line_no_longer_silences_personalisation(write):
    """What the user ran: the same note with and without a `Subject:` first line."""
    bare = write("bare.txt", THANKS)
    with_subject = write("subject.txt", "Subject: Thank you\n" + THANKS)
    out = run_cli("--no-cache", "--format", "text", str(bare), str(with_subject)).stdout.decode()
    assert "bare.txt:1:1: warning [personalisation.generic-greeting]" in out
    assert "bare.txt:1:1: warning [personalisation.no-specifics]" in out
    assert "subject.txt:2:1: warning [personalisation.generic-greeting]" in out
    assert "subject.txt:2:1: warning [personalisation.no-specifics]" in out


def test_header_block_gives_the_same_findings_one_line_down_per_header(engine, write):
    bare, _ = findings(engine, write("bare.txt", THANKS))
    assert {f[0] for f in bare} >= {"personalisation.generic-greeting", "personalisation.no-specifics"}
    for header in ("Subject: Thank you\n", "SUBJECT: Thank you\n", "subject:Thank you\n",
                   "To: hiring@northwind.example\nCc: hr@northwind.example\nSubject: Thanks\n",
                   "From: Jon Park <jon@mail.example>\nDate: 2026-11-03\n",
                   "Subject: Thank you\n\n"):
        got, _ = findings(engine, write("headed.txt", header + THANKS))
        assert got == shifted(bare, header.count("\n")), header


def test_in_markdown_and_after_front_matter(engine, write):
    bare, _ = findings(engine, write("bare.md", THANKS))
    got, _ = findings(engine, write("headed.md", "Subject: Thank you\n" + THANKS))
    assert got == shifted(bare, 1)
    front = "---\ntype: thank-you\n---\n"
    bare, _ = findings(engine, write("front.txt", front + THANKS))
    got, _ = findings(engine, write("front-headed.txt", front + "Subject: Thank you\n" + THANKS))
    assert got == shifted(bare, 1)
    assert {f[0] for f in got} >= {"personalisation.generic-greeting", "personalisation.no-specifics"}


def test_header_lines_give_context_and_are_not_prose(write):
    text = ("To: Maria Lopez <Maria.Lopez@Northwind.example>\nFrom: Jon <jon@mail.example>\n"
            "Date: Tue, 3 Nov 2026 09:30:00 +0000\nCc: hr@northwind.example\nSubject: Following up - analyst role\n\n"
            "Hi Maria,\n\nI hope you are well.\n")
    path = write("headed.txt", text)
    draft, problems = load_draft(str(path), path.read_bytes())
    assert problems == []
    assert draft.context.to == "Maria Lopez <Maria.Lopez@Northwind.example>"
    assert draft.context.to_address == "maria.lopez@northwind.example"
    assert draft.context.subject == "Following up - analyst role"
    assert draft.context.date == dt.date(2026, 11, 3)
    assert draft.context.date_line == 3
    assert draft.context.date_line_length == len("Date: Tue, 3 Nov 2026 09:30:00 +0000")
    head, body = draft.text.split("Hi Maria", 1)
    assert head.strip() == ""  # the header lines are blanked ...
    assert len(draft.text) == len(text) and [i for i, c in enumerate(draft.text) if c == "\n"] == \
        [i for i, c in enumerate(text) if c == "\n"]  # ... in place: offsets and lines do not move
    assert draft.locate(draft.text.index("Hi Maria")) == (7, 1)


def test_front_matter_wins_over_a_header_line(write):
    path = write("both.txt", "---\nto: ana@a.example\ndate: 2026-11-10\n---\nTo: bo@b.example\nDate: 2026-11-03\n"
                             "Subject: Thanks\n\nHi Ana,\n")
    draft, _ = load_draft(str(path), path.read_bytes())
    assert draft.context.to_address == "ana@a.example"
    assert draft.context.date == dt.date(2026, 11, 10) and draft.context.date_line == 3
    assert draft.context.subject == "Thanks"
    path = write("fm.txt", "---\ntype: follow-up\n---\nDate: 2026-11-03\n\nHi Ana,\n")
    draft, _ = load_draft(str(path), path.read_bytes())
    assert (draft.context.type, draft.context.date, draft.context.date_line) == ("follow-up", dt.date(2026, 11, 3), 4)


def test_dates_people_write_and_one_that_is_not_a_date(write):
    for value in ("2026-11-03", "3 November 2026", "November 3, 2026", "Tuesday, 3 November 2026", "3 Nov 2026"):
        path = write("d.txt", f"Date: {value}\n\nHi Ana,\n")
        draft, problems = load_draft(str(path), path.read_bytes())
        assert draft.context.date == dt.date(2026, 11, 3), value
        assert problems == []
    path = write("d.txt", "Date: next Tuesday\n\nHi Ana,\n")
    draft, problems = load_draft(str(path), path.read_bytes())
    assert draft.context.date is None
    assert [(p.line, p.level) for p in problems] == [(1, "warning")] and "next Tuesday" in problems[0].message


def test_a_leading_from_and_date_is_not_read_as_quoted_mail(engine, write):
    """`From:` then `Date:` looks like the header of a quoted reply; at the top of the draft it
    is the draft's own header, so the note under it is still linted."""
    bare, _ = findings(engine, write("bare.txt", THANKS))
    got, _ = findings(engine, write("from.txt", "From: Jon Park\nDate: 3 November 2026\n\n" + THANKS))
    assert got == shifted(bare, 3)


def test_the_subject_is_context_like_an_eml_subject(engine, write):
    """A follow-up's subject says it is one: the message type comes from it, as from an .eml's."""
    body = "Dear Ms. Varga,\n\nThank you again for your time on Tuesday.\n\nBest,\nJon\n"
    bare = write("b.txt", body)
    headed = write("s.txt", "Subject: Checking in - analyst role\n\n" + body)
    assert message_type(load_draft(str(bare), bare.read_bytes())[0], engine.signals) == "thank-you"
    draft, _ = load_draft(str(headed), headed.read_bytes())
    assert message_type(draft, engine.signals) == "follow-up"


def test_lines_that_are_not_a_leading_header_block_stay_prose(write):
    for text in ("Dear Ana,\nSubject: the budget\n",          # not at the top
                 "Re: Thank you\nDear Ana,\n",                 # not a header this reads
                 "Dear Ana,\n\nTo: whom it may concern\n",     # after the greeting
                 "Thanks: for the tour\nDear Ana,\n"):
        path = write("p.txt", text)
        draft, _ = load_draft(str(path), path.read_bytes())
        assert draft.text == text, text
        assert draft.context.subject is None and draft.context.to is None


_LINE = st.one_of(
    st.sampled_from(["Subject: Thanks", "to: a@b.example", "DATE: 2026-11-03", "Cc:", "From: x", "", "Dear Ana,",
                     "---", "> quoted", "Date: soon", "Subject:\tTab", "  To: indented"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff\x85"), max_size=30),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINE, max_size=12))
def test_reading_headers_never_moves_the_text(lines):
    """Whatever the top of a draft holds, header lines are blanked in place: the linted text
    keeps the file's length and line breaks, and nothing is read as a header after prose."""
    text = "\n".join(lines)
    draft, _ = load_draft("x.txt", text.encode("utf-8"))
    assert draft is not None
    assert len(draft.text) == len(text)
    assert [i for i, c in enumerate(draft.text) if c == "\n"] == [i for i, c in enumerate(text) if c == "\n"]
