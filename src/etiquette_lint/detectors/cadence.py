"""`cadence`: follow-ups sent too soon or too often to one recipient, across drafts.

A thread is every draft to one recipient (the `to` address, else the company, else the
folder), ordered by date. Drafts outside the run but in the same folder count as history."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from ..drafts.model import Draft
from .base import TEXT, Analysis, Detector, Hit, Param, Where

NOT_FOLLOW_UPS = ("thank-you", "info-response", "offer-response")


@dataclass(frozen=True)
class Message:
    """What cadence needs of one draft: who, when, what kind, and whether it is being linted."""

    path: str
    thread: tuple[str, str]
    date: dt.date | None
    type: str | None
    interview_date: dt.date | None
    linted: bool


def thread_key(draft: Draft) -> tuple[str, str]:
    context = draft.context
    if context.to_address:
        return ("to", context.to_address)
    if context.company:
        return ("company", context.company.strip().lower())
    if context.to:
        return ("to", context.to.strip().lower())
    return ("folder", draft.folder)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _days(n: int) -> str:
    return "the same day" if n == 0 else f"{n} day{'s' if n != 1 else ''}"


class CadenceDetector(Detector):
    kind = "cadence"
    level = TEXT
    across_drafts = True
    params = {
        "min_gap_days": Param((int,), default=5, doc="a follow-up sooner than this after the previous message fires"),
        "window_days": Param((int,), default=21, doc="the span of days in which follow-ups are counted"),
        "max_followups": Param((int,), default=2, doc="more follow-ups than this within window_days fire"),
    }

    def __init__(self, config: dict, where: Where) -> None:
        super().__init__(config, where)
        for key in self.params:
            if self.config[key] < 0:
                raise where.error(key, "should not be negative")

    def find(self, analysis: Analysis, rule_id: str) -> Iterable[Hit]:
        return ()  # cadence is decided across drafts: see find_across

    def find_across(self, messages: list[Message]) -> dict[str, list[str]]:
        """Problems per linted path, as details for the finding's message."""
        threads: dict[tuple[str, str], list[Message]] = {}
        for message in messages:
            if message.date is not None:
                threads.setdefault(message.thread, []).append(message)
        problems: dict[str, list[str]] = {}
        for thread in threads.values():
            thread.sort(key=lambda m: (m.date, m.path))
            for index, message in enumerate(thread):
                if not message.linted or message.type in NOT_FOLLOW_UPS or message.type != "follow-up":
                    continue
                details = self._judge(message, thread[:index])
                if details:
                    problems.setdefault(message.path, []).extend(details)
        return problems

    def _judge(self, message: Message, earlier: list[Message]) -> list[str]:
        details = []
        gap_limit = self.config["min_gap_days"]
        previous = earlier[-1] if earlier else None
        follow_ups = [m for m in earlier if m.type == "follow-up"]
        number = len(follow_ups) + 1
        if previous is not None:
            gap = (message.date - previous.date).days
            if gap < gap_limit:
                kind = "follow-up" if previous.type == "follow-up" else (previous.type or "message")
                details.append(
                    f"{_ordinal(number)} follow-up {_days(gap)} after the {kind} of {previous.date.isoformat()}; "
                    f"wait at least {gap_limit} days"
                )
        elif message.interview_date is not None:
            gap = (message.date - message.interview_date).days
            if 0 <= gap < gap_limit:
                details.append(
                    f"follow-up {_days(gap)} after the interview on {message.interview_date.isoformat()}; "
                    f"wait about a week"
                )
        window_start = message.date - dt.timedelta(days=self.config["window_days"])
        recent = [m for m in follow_ups if m.date > window_start]
        if len(recent) + 1 > self.config["max_followups"]:
            dates = ", ".join(m.date.isoformat() for m in recent)
            details.append(
                f"{_ordinal(len(recent) + 1)} follow-up within {self.config['window_days']} days (earlier: {dates})"
            )
        return details
