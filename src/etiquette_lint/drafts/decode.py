"""Bytes to text without losing anything silently: BOMs, UTF-16, lossy fallback, binary sniffing."""
from __future__ import annotations

import codecs
from dataclasses import dataclass

_BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x7fELF")


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


def decode_bytes(data: bytes) -> Decoded:
    if looks_binary(data):
        return Decoded(None, "looks like a binary file; skipped")
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return Decoded(normalise_newlines(data.decode(encoding)))
            except UnicodeDecodeError as exc:
                text = data.decode(encoding, errors="replace")
                return Decoded(normalise_newlines(text), f"invalid {encoding} at byte {exc.start}; decoded lossily")
    try:
        return Decoded(normalise_newlines(data.decode("utf-8")))
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        return Decoded(
            normalise_newlines(text),
            f"not valid UTF-8 (first bad byte at offset {exc.start}); undecodable bytes shown as U+FFFD",
        )
