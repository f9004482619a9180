"""Bytes to text without losing anything silently: BOMs, UTF-16, Latin-1, binary sniffing.

Every decision that changes what is linted comes back as a warning:
- a UTF-8/16/32 byte-order mark picks the encoding;
- text that is not UTF-8 and holds no valid multi-byte UTF-8 sequence at all is a legacy
  single-byte file and is read as Windows-1252 (Latin-1 with curly quotes), so "Café" stays
  "Café" and each byte is one character, as an editor would show it;
- otherwise invalid bytes become U+FFFD (one character per bad sequence);
- control characters other than tab and line breaks (NUL, ESC, ...) become spaces, so they
  keep their column but cannot reach a terminal through a finding's quoted evidence;
- a NUL byte in the first 8 KiB or a known binary signature (PNG, PDF, ...) means the file is
  not text: it is skipped with a reason.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x7fELF")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Decoded:
    text: str | None  # None when the file is binary and was not decoded
    warning: str | None = None


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return False
    if head.startswith(_BINARY_SIGNATURES):
        return True
    return b"\x00" in head


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so lines are counted the way editors count them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def blank_controls(text: str) -> tuple[str, int]:
    """Control characters (not tab or newline) replaced by spaces, one for one; and how many."""
    count = len(_CONTROL.findall(text))
    return (_CONTROL.sub(" ", text), count) if count else (text, 0)


def decode_bytes(data: bytes) -> Decoded:
    if looks_binary(data):
        return Decoded(None, "looks like a binary file (NUL bytes or a binary signature); skipped")
    text, warning = _decode(data)
    text, controls = blank_controls(normalise_newlines(text))
    if controls:
        note = f"{controls:,} control character{'s' if controls != 1 else ''} (NUL, ESC, ...) read as spaces"
        warning = f"{warning}; {note}" if warning else note
    return Decoded(text, warning)


def _decode(data: bytes) -> tuple[str, str | None]:
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError as exc:
                return data.decode(encoding, errors="replace"), f"invalid {encoding} at byte {exc.start}; decoded lossily"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        lossy = data.decode("utf-8", errors="replace")
        if not any(ord(ch) > 0x7F and ch != "\ufffd" for ch in lossy):
            # No valid multi-byte sequence anywhere: a single-byte legacy encoding.
            return (
                data.decode("cp1252", errors="replace"),
                f"not valid UTF-8 (first bad byte at offset {exc.start}); read as Windows-1252/Latin-1",
            )
        return lossy, f"not valid UTF-8 (first bad byte at offset {exc.start}); undecodable bytes shown as U+FFFD"
