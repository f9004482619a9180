"""`.eml` drafts: headers give the context, the text/plain part is linted, lines map back to the file."""
from __future__ import annotations

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
    line_map: LineMap
    warnings: list[str]


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
    """Match each body line to the raw file line it came from, searching forward.

    Plain bodies appear verbatim; quoted-printable lines are decoded one by one before
    comparing; a line that cannot be found (base64, HTML) maps to the first body line."""
    raw_lines = raw_text.split("\n")
    body_index = _body_start(raw_lines)
    header_end = body_index - 1
    first_body_line = min(body_index + 1, len(raw_lines))
    probes = [_probe(line, encoding) for line in raw_lines]
    entry_starts: list[int] = []
    file_lines: list[int] = []
    shifts: list[int] = []
    found_any = False
    cursor = header_end + 1
    for start in line_starts(body):
        end = body.find("\n", start)
        line = body[start:] if end == -1 else body[start:end]
        found = None
        key = line.strip()
        if key and not is_html:
            # The first line may follow a long attachment; later ones are near the previous.
            stop = len(raw_lines) if not found_any else min(len(raw_lines), cursor + _SEARCH_WINDOW)
            for index in range(cursor, stop):
                probe = probes[index]
                if probe and (key.startswith(probe.strip()[:60]) or probe.strip().startswith(key[:60])):
                    found = index
                    break
        if found is None:  # not verbatim (base64, HTML, another charset): the next line with text
            entry_starts.append(start)
            file_lines.append(_line_with_text(raw_lines, cursor, file_lines[-1] if file_lines else first_body_line))
            shifts.append(0)
            continue
        found_any = True
        # A quoted-printable line soft-wrapped over several raw lines: one entry per raw line.
        position = start
        index = found
        while True:
            entry_starts.append(position)
            file_lines.append(index + 1)
            shifts.append(0)
            cursor = index + 1
            soft_break = encoding == "quoted-printable" and raw_lines[index].rstrip("\r").endswith("=")
            if not soft_break or index + 1 >= len(raw_lines):
                break
            position += len(probes[index])
            index += 1
    widths = tuple(len(raw_lines[line - 1].rstrip("\r")) if line <= len(raw_lines) else 0 for line in file_lines)
    return LineMap(tuple(entry_starts), tuple(file_lines), tuple(shifts), widths)


def _line_with_text(raw_lines: list[str], start: int, default: int) -> int:
    """1-based number of the first non-blank raw line at or after index `start` (else the last
    non-blank one, else `default`), so a clamped column always has a character to point at."""
    stop = min(len(raw_lines), start + _SEARCH_WINDOW)
    for index in range(start, stop):
        if raw_lines[index].strip():
            return index + 1
    for index in range(min(start, len(raw_lines)) - 1, -1, -1):
        if raw_lines[index].strip():
            return index + 1
    return default


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


def parse_email(data: bytes, raw_text: str) -> ParsedEmail:
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
    return ParsedEmail(body, context, _body_line_map(body, raw_text, encoding, is_html), warnings)
