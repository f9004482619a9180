"""What a draft is once read: its linted text, its context, and the map back to the file."""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from ..findings import Problem

MESSAGE_TYPES = ("thank-you", "follow-up", "info-response", "offer-response", "networking", "other")


@dataclass(frozen=True)
class DraftContext:
    """Facts about a message that are not in its prose: front matter or e-mail headers."""

    to: str | None = None
    to_address: str | None = None
    company: str | None = None
    role: str | None = None
    type: str | None = None
    interview_date: dt.date | None = None
    date: dt.date | None = None
    offer: bool | None = None
    subject: str | None = None
    date_line: int | None = None  # file line where the date is declared (front matter or Date header)
    date_line_length: int = 0  # its length in characters, so a finding can span it
    suppressed: tuple[str, ...] = ()  # rule ids / categories disabled in front matter


@dataclass(frozen=True)
class LineMap:
    """Maps an offset in the linted text to a 1-based (line, column) in the original file.

    Each line of the linted text starts at `starts[i]` and lies at file line `file_lines[i]`,
    shifted right by `column_shifts[i]` characters. When the linted text is not the file's
    text verbatim (a base64 or HTML e-mail body), `widths[i]` is that file line's length and
    columns are clamped to it, so a position never points past the end of its line."""

    starts: tuple[int, ...]
    file_lines: tuple[int, ...]
    column_shifts: tuple[int, ...]
    widths: tuple[int, ...] = ()

    @classmethod
    def identity(cls, text: str) -> "LineMap":
        starts = line_starts(text)
        return cls(tuple(starts), tuple(range(1, len(starts) + 1)), tuple(0 for _ in starts))

    def locate(self, offset: int) -> tuple[int, int]:
        index = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        column = offset - self.starts[index] + 1 + self.column_shifts[index]
        if self.widths:
            column = min(column, max(self.widths[index], 1))
        return self.file_lines[index], column


def line_starts(text: str) -> list[int]:
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


@dataclass
class Draft:
    """A message ready to lint.

    `text` holds only the writer's own words at their original offsets: front matter, markup,
    code and quoted mail are blanked to spaces (newlines kept), so every offset maps back to the
    file through `line_map`. `signature_start` marks where the sign-off block begins: tone rules
    ignore it, template rules do not."""

    path: str
    kind: str  # "txt" | "md" | "eml"
    text: str
    line_map: LineMap
    context: DraftContext = field(default_factory=DraftContext)
    signature_start: int | None = None
    problems: list[Problem] = field(default_factory=list)
    directives: tuple = ()  # inline suppression directives (see suppression.py)
    folder: str = ""

    def locate(self, offset: int) -> tuple[int, int]:
        return self.line_map.locate(offset)

    @property
    def body_end(self) -> int:
        """End of the writer's message proper (before the signature)."""
        return self.signature_start if self.signature_start is not None else len(self.text)
