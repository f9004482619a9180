"""Word drafts (.docx), read with python-docx: each paragraph of the body is one line, so a
finding's position is paragraph:column (1-based, counting every paragraph, empty ones too).
A line break inside a paragraph starts a new linted line that still reports that paragraph,
its columns counted from the paragraph's start. Tables, headers and footers are not read."""
from __future__ import annotations

import io
import zipfile

from .model import LineMap

# The unpacked document.xml python-docx would parse: a small .docx that inflates past this
# (a zip bomb) is refused before parsing.
MAX_DOCUMENT_XML = 50_000_000


class UnreadableDocx(Exception):
    pass


def read_docx(data: bytes) -> tuple[str, LineMap]:
    """The body text (paragraphs as lines) and the map from it to paragraph:column."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = archive.getinfo("word/document.xml").file_size
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise UnreadableDocx(f"not a .docx package ({exc})") from None
    if size > MAX_DOCUMENT_XML:
        raise UnreadableDocx(f"its document.xml unpacks to {size:,} bytes")
    import docx  # python-docx, loaded only for Word drafts

    try:
        paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise UnreadableDocx(f"{exc.__class__.__name__}: {str(exc)[:200]}") from None
    lines, file_lines, shifts = [], [], []
    for number, paragraph in enumerate(paragraphs, start=1):
        column = 0
        for piece in paragraph.split("\n"):
            lines.append(piece)
            file_lines.append(number)
            shifts.append(column)
            column += len(piece) + 1
    text = "\n".join(lines)
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return text, LineMap(tuple(starts) or (0,), tuple(file_lines) or (1,), tuple(shifts) or (0,))
