"""`.eml` drafts: headers give the context, the text/plain part is linted, lines map back to the file."""
from __future__ import annotations

import bisect
import quopri
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

from .decode import blank_controls, normalise_newlines
from .model import DraftContext, LineMap, line_starts

_MAX_PART_DEPTH = 20
_SEARCH_WINDOW = 400  # raw lines searched for the next body line once the body is located
_HEADER_LINE = re.compile(r"^[\x21-\x39\x3b-\x7e]+:")


@dataclass
class ParsedEmail:
    body: str
    context: DraftContext
    line_map: LineMap | None  # None: the text part is over `max_text_bytes` and was not mapped
    warnings: list[str]
    text_bytes: int = 0  # the text part's size in UTF-8, what max-file-size limits


class _HTMLText(HTMLParser):
    """The visible text of an HTML part, with block elements as line breaks."""

    _BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in self._BLOCKS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip("\n")


def _text_part(message: EmailMessage, warnings: list[str]) -> tuple[str, EmailMessage | None, bool]:
    """(text, part, is_html): the first text/plain part that is not an attachment, else HTML."""
    html_part = None
    for depth, part in _walk(message):
        if depth > _MAX_PART_DEPTH:
            warnings.append(f"MIME parts nested deeper than {_MAX_PART_DEPTH}; the rest ignored")
            break
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        content_type = part.get_content_type()
        if content_type == "text/plain":
            return _part_text(part, warnings), part, False
        if content_type == "text/html" and html_part is None:
            html_part = part
    if html_part is not None:
        return html_to_text(_part_text(html_part, warnings)), html_part, True
    warnings.append("no text part to lint (attachments or non-text content only)")
    return "", None, False


def _walk(message: EmailMessage, depth: int = 0):
    yield depth, message
    if message.is_multipart():
        payload = message.get_payload()
        if isinstance(payload, list):
            for part in payload:
                yield from _walk(part, depth + 1)


def _part_text(part: EmailMessage, warnings: list[str]) -> str:
    known = len(getattr(part, "defects", []))
    data = part.get_payload(decode=True) or b""
    for defect in getattr(part, "defects", [])[known:known + 3]:  # broken base64 / quoted-printable
        warnings.append(f"malformed text part: {defect.__class__.__name__}")
    charset = part.get_content_charset() or "utf-8"
    try:
        return data.decode(charset)
    except LookupError:
        warnings.append(f"unknown charset {charset!r}; decoded as UTF-8")
    except UnicodeDecodeError:
        warnings.append(f"body is not valid {charset}; undecodable bytes shown as U+FFFD")
        return data.decode(charset, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace")


def _header(message: EmailMessage, name: str, warnings: list[str]) -> str | None:
    try:
        value = message.get(name)
    except Exception as exc:  # the email package raises assorted errors on malformed headers
        warnings.append(f"unreadable {name} header ({exc})")
        return None
    return str(value) if value is not None else None


def _header_line(raw_lines: list[str], name: str) -> int | None:
    prefix = name.lower() + ":"
    for index, line in enumerate(raw_lines):
        if not line.strip():
            return None
        if line.lower().startswith(prefix):
            return index + 1
    return None


def _body_line_map(body: str, raw_text: str, encoding: str, is_html: bool) -> LineMap:
    """Match each body line to the raw file line it came from, in one pass over both.

    Plain bodies appear verbatim and quoted-printable ones once decoded (a soft-wrapped line
    gets one entry per raw line). Each body line is looked up in an index of the raw lines, so
    the cost is linear in the file: searching the file for every line was quadratic (issue 14,
    item 3). A line that is not found (base64, HTML, another charset) maps to the next raw line
    with text."""
    raw = _RawBody(raw_text.split("\n"), encoding, verbatim=not is_html and encoding != "base64")
    if not raw.verbatim:
        return _one_line_map(body, raw)
    entry_starts: list[int] = []
    file_lines: list[int] = []
    cursor, found_any = raw.start, False
    for start in line_starts(body):
        end = body.find("\n", start)
        found = raw.find(body[start:] if end == -1 else body[start:end], cursor, anywhere=not found_any)
        if found is None:
            entry_starts.append(start)
            file_lines.append(raw.line_with_text(cursor, file_lines[-1] if file_lines else raw.first_line))
            continue
        found_any, position = True, start
        for index in found:  # one entry per raw line of a soft-wrapped quoted-printable line
            entry_starts.append(position)
            file_lines.append(index + 1)
            position += len(raw.segments[index])
        cursor = found[-1] + 1
    widths = tuple(raw.width(line) for line in file_lines)
    return LineMap(tuple(entry_starts), tuple(file_lines), tuple(0 for _ in file_lines), widths)


def _one_line_map(body: str, raw: "_RawBody") -> LineMap:
    """Every line of a body that is not in the file verbatim (base64, HTML) at the first raw
    body line with text, each at its own column (clamped to that line's width)."""
    starts = line_starts(body)
    line = raw.line_with_text(raw.start, raw.first_line)
    count = len(starts)
    return LineMap(tuple(starts), (line,) * count, (0,) * count, (raw.width(line),) * count)


class _RawBody:
    """The raw lines of a message body, indexed once by their decoded text.

    A logical line is a raw line plus the ones it soft-wraps onto (quoted-printable `=` at
    the end); the index maps the first 60 characters of its stripped text to the raw indices
    where such lines start, in order, so the next match after a cursor is one bisect away."""

    def __init__(self, lines: list[str], encoding: str, verbatim: bool) -> None:
        self.lines = lines
        self.start = _body_start(lines)
        self.first_line = min(self.start + 1, len(lines))
        self.verbatim = verbatim
        self.segments = [_probe(line, encoding) for line in lines] if verbatim else []
        self._spans: dict[int, range] = {}
        self._index: dict[str, list[int]] = {}
        if verbatim:
            self._build_index(encoding)
        self._next_text, self._previous_text = _text_neighbours(lines)

    def _build_index(self, encoding: str) -> None:
        index = self.start
        while index < len(self.lines):
            end = index
            while encoding == "quoted-printable" and self.lines[end].rstrip("\r").endswith("=") and end + 1 < len(self.lines):
                end += 1
            span = range(index, end + 1)
            text = _logical_text(self.lines, span, encoding) if len(span) > 1 else self.segments[index]
            self._spans[index] = span
            self._index.setdefault(_key(text), []).append(index)
            index = end + 1

    def find(self, line: str, cursor: int, anywhere: bool) -> range | None:
        """The raw lines of the first logical line at or after `cursor` that reads as `line`:
        anywhere in the file for the first line found (it may follow a long attachment), else
        within `_SEARCH_WINDOW` lines of the previous one."""
        key = _key(line)
        starts = self._index.get(key) if key else None
        if not starts:
            return None
        position = bisect.bisect_left(starts, cursor)
        if position == len(starts) or not anywhere and starts[position] >= cursor + _SEARCH_WINDOW:
            return None
        return self._spans[starts[position]]

    def line_with_text(self, start: int, default: int) -> int:
        """1-based number of the first non-blank raw line at or after index `start` (within the
        search window, else the last non-blank one before it, else `default`), so a clamped
        column always has a character to point at."""
        start = min(start, len(self.lines))
        following = self._next_text[start]
        if following < min(len(self.lines), start + _SEARCH_WINDOW):
            return following + 1
        previous = self._previous_text[start]
        return previous + 1 if previous >= 0 else default

    def width(self, line: int) -> int:
        return len(self.lines[line - 1].rstrip("\r")) if line <= len(self.lines) else 0


def _key(text: str) -> str:
    return text.strip()[:60]


def _logical_text(lines: list[str], span: range, encoding: str) -> str:
    """A soft-wrapped quoted-printable line decoded whole (a character may be split over two raw lines)."""
    data = "".join(lines[index].rstrip("\r").removesuffix("=") for index in span)
    return _probe(data, encoding)


def _text_neighbours(lines: list[str]) -> tuple[list[int], list[int]]:
    """For each index 0..len(lines): the next non-blank line at or after it (len(lines) if
    none) and the last non-blank line before it (-1 if none)."""
    following = [len(lines)] * (len(lines) + 1)
    for index in range(len(lines) - 1, -1, -1):
        following[index] = index if lines[index].strip() else following[index + 1]
    previous = [-1] * (len(lines) + 1)
    for index in range(1, len(lines) + 1):
        previous[index] = index - 1 if lines[index - 1].strip() else previous[index - 1]
    return following, previous


def _body_start(raw_lines: list[str]) -> int:
    """Index of the first body line: after the blank line that ends the headers, or, in a file
    without one, at the first line that is not a header (the parser reads it as body)."""
    for index, line in enumerate(raw_lines):
        if not line.strip():
            return index + 1
        if _HEADER_LINE.match(line) or (index > 0 and line[:1] in (" ", "\t")):
            continue
        return index
    return len(raw_lines)


def _probe(raw_line: str, encoding: str) -> str:
    if encoding == "quoted-printable":
        data = raw_line.rstrip("\r").removesuffix("=").encode("latin-1", errors="replace")
        return quopri.decodestring(data).decode("utf-8", errors="replace")
    if encoding == "base64":
        return ""
    return raw_line.rstrip("\r")


def parse_email(data: bytes, raw_text: str, max_text_bytes: int | None = None) -> ParsedEmail:
    """The message's text part, context and line map. A text part over `max_text_bytes` is
    measured before it is mapped and comes back with no line map: the caller skips it, so an
    oversized part costs the decoding only (issue 14, item 3)."""
    warnings: list[str] = []
    message = BytesParser(policy=policy.default).parsebytes(data)
    for defect in getattr(message, "defects", [])[:3]:
        warnings.append(f"malformed message: {defect.__class__.__name__}")
    body, part, is_html = _text_part(message, warnings)
    body, controls = blank_controls(normalise_newlines(body))
    if controls:
        warnings.append(f"{controls:,} control character{'s' if controls != 1 else ''} in the text part read as spaces")
    encoding = (part.get("Content-Transfer-Encoding", "") or "").strip().lower() if part is not None else ""

    to = _header(message, "To", warnings)
    addresses = [addr for _, addr in getaddresses([to])] if to else []
    date = None
    date_header = _header(message, "Date", warnings)
    if date_header:
        try:
            date = parsedate_to_datetime(date_header).date()
        except (TypeError, ValueError, IndexError):
            warnings.append(f"unreadable Date header {date_header!r}; cadence ignores this message")
    raw_lines = raw_text.split("\n")
    date_line = _header_line(raw_lines, "Date")
    context = DraftContext(
        to=to,
        to_address=addresses[0].lower() if addresses and "@" in addresses[0] else None,
        subject=_header(message, "Subject", warnings),
        date=date,
        date_line=date_line,
        date_line_length=len(raw_lines[date_line - 1].rstrip()) if date_line else 0,
    )
    if not raw_text.strip() or not body.strip() and not message.keys():
        warnings.append("no headers and no body")
    text_bytes = len(body.encode("utf-8", "surrogatepass"))
    if max_text_bytes is not None and text_bytes > max_text_bytes:
        return ParsedEmail(body, context, None, warnings, text_bytes)
    return ParsedEmail(body, context, _body_line_map(body, raw_text, encoding, is_html), warnings, text_bytes)
