"""Word and HTML drafts (issue 13, item 6): a folder of .docx and .html drafts gave
"No problems in 0 drafts." and exit 0. Now .docx is read with python-docx (a paragraph is a
line: positions are paragraph:column) and .html with html.parser (the text as shown, on the
source's line numbers); a file type that cannot be read is named on stderr, and a run that
found no draft at all says so and exits 2. The .docx files are built with python-docx itself."""
from __future__ import annotations

import docx

from conftest import run_cli

FAST = ["--select", "personalisation.placeholder", "--no-cache"]


def _docx(path, paragraphs: list[str]) -> None:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))


def test_a_word_draft_is_linted_at_paragraph_and_column(tmp_path):
    _docx(tmp_path / "thanks.docx", ["Dear Priya,", "", "Thank you for the interview about the {{role}} role.", "Best, Sam"])
    run = run_cli(*FAST, ".", cwd=tmp_path)
    out = run.stdout.decode()
    assert run.returncode == 1, run.stderr.decode()
    assert out.startswith('thanks.docx:3:39: error [personalisation.placeholder] Unfilled template placeholder: "{{role}}"'), out
    assert "in 1 file" in out


def test_a_line_break_inside_a_word_paragraph_keeps_the_paragraph_number(tmp_path):
    document = docx.Document()
    document.add_paragraph("Dear Priya,")
    paragraph = document.add_paragraph("Thank you.")
    paragraph.add_run().add_break()
    paragraph.add_run("I enjoyed the {{company}} demo.")
    document.save(str(tmp_path / "thanks.docx"))
    out = run_cli(*FAST, "thanks.docx", cwd=tmp_path).stdout.decode()
    assert out.startswith("thanks.docx:2:26: error [personalisation.placeholder]"), out  # 10 + 1 (the break) + 14, then 1-based


HTML = """<html><head><title>Re: [Name]</title><style>p { color: red }</style></head>
<body><div dir="ltr">Dear Priya,<div><br></div>
<div>Thank you for showing me the {{team}} dashboard &amp; the roadmap.</div>
<script>var x = "[Name]";</script></div></body></html>
"""


def test_an_html_draft_is_linted_as_shown_on_source_lines(tmp_path):
    (tmp_path / "thanks.html").write_text(HTML, encoding="utf-8")
    run = run_cli(*FAST, ".", cwd=tmp_path)
    out = run.stdout.decode()
    assert run.returncode == 1, run.stderr.decode()
    findings = [line for line in out.splitlines() if line.startswith("thanks.html:")]
    # Only the visible placeholder: not the one in <title> or <script>.
    assert findings == ['thanks.html:3:35: error [personalisation.placeholder] Unfilled template placeholder: "{{team}}"'], out


def test_a_file_type_that_cannot_be_read_is_named(tmp_path):
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "old-thanks.doc").write_bytes(b"\xd0\xcf\x11\xe0 not really Word")
    (tmp_path / "drafts" / "offer.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "drafts" / "ok.txt").write_text("Dear Priya,\n\nThank you for the tour.\n", encoding="utf-8")
    run = run_cli(*FAST, "drafts", cwd=tmp_path)
    err = run.stderr.decode()
    assert run.returncode == 0, err  # a warning: the readable drafts pass
    assert "drafts/old-thanks.doc: warning: cannot read .doc files (save it as .docx); skipped" in err
    assert "drafts/offer.pdf: warning: cannot read .pdf files" in err


def test_a_broken_docx_is_an_error_naming_it(tmp_path):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 this is not a zip")
    run = run_cli(*FAST, "broken.docx", cwd=tmp_path)
    assert run.returncode == 1
    assert "broken.docx: error: cannot be read as a Word document" in run.stderr.decode()


def test_a_run_that_finds_no_draft_says_so_and_exits_2(tmp_path):
    """What the user saw: a folder of unreadable drafts passed with "No problems in 0 drafts"."""
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "thanks.pages").write_bytes(b"PK\x03\x04")
    for extra in ([], ["--exit-zero"], ["--format", "sarif"]):
        run = run_cli(*FAST, *extra, "drafts", cwd=tmp_path)
        assert run.returncode == 2, (extra, run.stderr.decode())
        assert "etiquette-lint: error: no drafts found in drafts" in run.stderr.decode()
        assert "No problems" not in run.stdout.decode()


# Properties: the readers take any input, and every position maps back into the file.

from hypothesis import given, settings, strategies as st  # noqa: E402

from etiquette_lint.drafts.docx_reader import read_docx  # noqa: E402
from etiquette_lint.drafts.html_reader import read_html  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/&;#ab \n\tpdivbrscript=\"'!-é")), max_size=200))
def test_any_html_reads_and_every_offset_is_on_a_source_line(source):
    shown, line_map = read_html(source)
    lines = source.count("\n") + 1
    for offset in range(len(shown) + 1):
        line, column = line_map.locate(offset)
        assert 1 <= line <= lines and column >= 1


_XML_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=25, deadline=None)
@given(st.lists(_XML_TEXT, max_size=6))
def test_a_docx_reads_back_its_paragraphs_each_on_its_own_number(tmp_path_factory, paragraphs):
    path = tmp_path_factory.mktemp("docx") / "d.docx"
    _docx(path, paragraphs)
    text, line_map = read_docx(path.read_bytes())
    assert text.split("\n") == (paragraphs or [""])
    offset = 0
    for number, paragraph in enumerate(paragraphs, start=1):
        assert line_map.locate(offset) == (number, 1)
        offset += len(paragraph) + 1
