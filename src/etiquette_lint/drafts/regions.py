"""Find the parts of a draft that are not the writer's own prose, so rules can skip them.

Everything here returns character ranges over the text; `blank` replaces them with spaces
while keeping newlines, so offsets (and so line:column) never move."""
from __future__ import annotations

import re

Range = tuple[int, int]

_ATTRIBUTION = re.compile(r"^[ \t>]*(On\b.{0,300}\bwrote:|Le\b.{0,300}\ba écrit ?:)[ \t]*$", re.MULTILINE)
_ORIGINAL_MESSAGE = re.compile(
    r"^[ \t]*(-{2,}\s*(Original|Forwarded) Message\s*-{2,}|_{10,}[ \t]*\n[ \t]*From:|From:[^\n]*\n[ \t]*(Sent|Date):)",
    re.MULTILINE | re.IGNORECASE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>[^\n]*$", re.MULTILINE)
_SIGNATURE_DELIMITER = re.compile(r"^-- ?$|^—[ \t]*$|^--$", re.MULTILINE)
_VALEDICTION = re.compile(
    r"^[ \t]*(best( wishes| regards)?|kind(est)? regards|warm(est)? regards|regards|many thanks|thanks( again)?|thank you( again)?|"
    r"sincerely|yours (sincerely|faithfully|truly)|cheers|all the best|with (thanks|gratitude|appreciation)|respectfully|"
    r"warmly|cordially|take care|talk soon|speak soon)[ \t]*[,.!]?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_FENCED_CODE = re.compile(r"^[ \t]{0,3}(```|~~~)[^\n]*\n.*?(^[ \t]{0,3}\1[^\n]*$|\Z)", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_BULLET = re.compile(r"^\s*([-*+]|\d+[.)])\s")  # an indented list item is prose, not code
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def blank(text: str, ranges: list[Range]) -> str:
    """Replace each range with spaces, keeping line breaks."""
    if not ranges:
        return text
    chars = list(text)
    for start, end in ranges:
        for index in range(max(start, 0), min(end, len(chars))):
            if chars[index] != "\n":
                chars[index] = " "
    return "".join(chars)


def quoted_mail_ranges(text: str, start: int = 0) -> list[Range]:
    """Earlier mail under an "On ... wrote:" line or an "Original Message" header, and `>` lines."""
    ranges: list[Range] = []
    cut = len(text)
    for pattern in (_ATTRIBUTION, _ORIGINAL_MESSAGE):
        match = pattern.search(text, start)
        if match:
            cut = min(cut, match.start())
    if cut < len(text):
        ranges.append((cut, len(text)))
    ranges.extend((m.start(), m.end()) for m in _QUOTED_LINE.finditer(text, start, cut))
    return ranges


def signature_start(text: str, start: int = 0) -> int | None:
    """Where the sign-off begins: a `-- ` delimiter, or the last valediction line ("Best,",
    "Kind regards,") followed only by a few short lines (name, title, contact details)."""
    delimiter = _SIGNATURE_DELIMITER.search(text, start)
    if delimiter:
        return delimiter.start()
    last = None
    for match in _VALEDICTION.finditer(text, start):
        last = match
    if last is None:
        return None
    tail = [line for line in text[last.end():].split("\n") if line.strip()]
    if len(tail) <= 6 and all(len(line.strip()) <= 80 for line in tail):
        return last.start()
    return None


def indented_code_ranges(text: str) -> list[Range]:
    """Blocks indented by four or more spaces (or a tab) after a blank line: code, not prose."""
    ranges: list[Range] = []
    offset = 0
    previous_blank = True
    in_block = False
    for line in text.split("\n"):
        end = offset + len(line)
        indented = line.startswith(("    ", "\t")) and line.strip() != ""
        if indented and _BULLET.match(line) is None and (previous_blank or in_block):
            ranges.append((offset, end))
            in_block = True
        elif line.strip():
            in_block = False
        previous_blank = line.strip() == ""
        offset = end + 1
    return ranges


def code_ranges(text: str) -> list[Range]:
    ranges = [(m.start(), m.end()) for m in _FENCED_CODE.finditer(text)]
    ranges += indented_code_ranges(text)
    ranges += [(m.start(), m.end()) for m in _INLINE_CODE.finditer(text)]
    return ranges


def html_comment_ranges(text: str) -> list[Range]:
    """`<!-- ... -->`, each to the first `-->` (what `<!--.*?-->` finds), in linear time: the
    regex rescans to the end from every `<!--` when one is never closed."""
    ranges: list[Range] = []
    position = text.find("<!--")
    while position != -1:
        close = text.find("-->", position + 4)
        if close == -1:
            break
        ranges.append((position, close + 3))
        position = text.find("<!--", close + 3)
    return ranges
