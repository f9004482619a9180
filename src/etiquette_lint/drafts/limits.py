"""How much a draft may weigh before it is skipped, and how a size is written in config.

A post-interview message is a few kilobytes; a megabyte of text is a wrong file (a log, an
export, a base64 blob). Such a draft is skipped with a notice before it is read, so one
mistake cannot make a run slow.

`.eml` files are measured differently: attachments are part of the file but never linted, so
the limit applies to the text part that is linted, and the whole message may be up to
`EML_MAX_BYTES` (a common mail size limit) or the configured limit, whichever is larger.
"""
from __future__ import annotations

import re

MAX_FILE_BYTES = 1_000_000  # default `max-file-size`
EML_MAX_BYTES = 25_000_000  # an .eml may carry attachments up to this size

_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000**2, "mb": 1000**2, "mib": 1024**2,
          "g": 1000**3, "gb": 1000**3, "gib": 1024**3}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$", re.IGNORECASE)


def parse_size(value: object) -> int:
    """Bytes from 1000000, "1MB", "512 KiB", "2.5mb". Raises ValueError with a reason."""
    if isinstance(value, bool):
        raise ValueError("should be a size such as 1000000 or 2MB")
    if isinstance(value, int):
        number, unit = value, ""
    else:
        match = _SIZE.match(str(value))
        if not match or match.group(2).lower() not in _UNITS:
            raise ValueError(f"should be a size such as 1000000, 500KB or 2MB, got {str(value)[:40]!r}")
        number, unit = float(match.group(1)), match.group(2).lower()
    size = int(number * _UNITS[unit])
    if size <= 0:
        raise ValueError("should be more than 0 bytes")
    return size


def eml_limit(max_bytes: int) -> int:
    return max(EML_MAX_BYTES, max_bytes)


def describe(size: int) -> str:
    return f"{size:,} bytes"
