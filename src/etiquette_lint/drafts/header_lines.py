"""Header-style lines at the top of a .txt/.md draft: `Subject:`, `To:`, `From:`, `Date:`, `Cc:`.

People paste a draft as they would send it, subject line first. Those lines are read the way
an .eml's headers are (To, Date and Subject give context; From and Cc none) and are not the
writer's prose: the loader blanks them in place, so no later position moves."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from .frontmatter import first_address
from .model import DraftContext

# One header line, case-insensitive: "Subject: Thank you", "to:ana@b.example", "CC:".
_HEADER = re.compile(r"(subject|to|from|date|cc)[ \t]*:[ \t]*(.*?)[ \t]*\Z", re.IGNORECASE)
# Dates as written by hand, after ISO (2026-11-03) and RFC 2822 (Tue, 3 Nov 2026 09:30 +0000).
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y")


@dataclass
class HeaderLines:
    end: int  # offset just past the last header line (the start offset when there is none)
    values: dict[str, tuple[int, str]] = field(default_factory=dict)  # name -> (file line, whole line); first wins

    def value(self, name: str) -> str | None:
        if name not in self.values:
            return None
        return _HEADER.match(self.values[name][1].strip()).group(2) or None

    def context(self, front: DraftContext) -> tuple[DraftContext, list[tuple[int, str]]]:
        """`front` (the front matter's context) with what these lines add, front matter
        winning, and the problems as (file line, message)."""
        changes: dict = {}
        problems: list[tuple[int, str]] = []
        to = self.value("to")
        if front.to is None and to:
            changes.update(to=to, to_address=first_address(to))
        subject = self.value("subject")
        if front.subject is None and subject:
            changes["subject"] = subject
        if front.date is None and "date" in self.values:
            line, whole = self.values["date"]
            written = self.value("date")
            date = parse_date(written) if written else None
            if date is not None:
                changes.update(date=date, date_line=line, date_line_length=len(whole.rstrip()))
            elif written:
                problems.append((line, f"unreadable Date line {written[:60]!r}; cadence ignores this message"))
        return (replace(front, **changes) if changes else front), problems


def read_header_lines(text: str, start: int = 0, first_line: int = 1) -> HeaderLines:
    """The header lines from `start` (the end of any front matter; `first_line` is its file
    line): consecutive lines each a header, after any blank lines, up to the first line that is
    not one (a blank line, the greeting). Only the top is read: a `Subject:` under the greeting
    is prose."""
    found = HeaderLines(start)
    position, line_number = start, first_line
    seen = False
    while position < len(text):
        newline = text.find("\n", position)
        stop = len(text) if newline == -1 else newline
        line = text[position:stop].rstrip("\r")
        if not line.strip() and not seen:
            pass  # blank lines before the first header
        else:
            match = _HEADER.match(line)
            if match is None or line[:1] in (" ", "\t"):
                break
            seen = True
            found.values.setdefault(match.group(1).lower(), (line_number, line))
            found.end = stop
        if newline == -1:
            break
        position, line_number = newline + 1, line_number + 1
    return found


def parse_date(value: str) -> dt.date | None:
    value = value.strip()
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        pass
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    # "Tuesday, 3 November 2026", "3rd November 2026": the weekday and ordinal add nothing.
    plain = re.sub(r"^[A-Za-z]+day,?\s+", "", value)
    plain = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", plain)
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(plain, pattern).date()
        except ValueError:
            continue
    return None
