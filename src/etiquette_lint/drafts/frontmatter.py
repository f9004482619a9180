"""YAML front matter: the context a .txt/.md draft declares about itself."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import yaml

from ..yamlsource import AliasBudgetError, load_bounded
from .model import MESSAGE_TYPES, DraftContext

# What people write for the message types: "Thank you", "follow_up", "offer acceptance".
_TYPE_ALIASES = {
    "thanks": "thank-you", "thank-you-note": "thank-you", "thankyou": "thank-you",
    "followup": "follow-up", "chaser": "follow-up",
    "info": "info-response", "information-response": "info-response", "info-reply": "info-response",
    "offer": "offer-response", "offer-reply": "offer-response", "offer-acceptance": "offer-response",
    "offer-accepted": "offer-response", "offer-negotiation": "offer-response", "offer-decline": "offer-response",
    "network": "networking",
}


def normalised_type(value: str) -> str:
    """A front-matter `type` as one of MESSAGE_TYPES where it plainly means one: case, spaces
    and underscores aside ("Thank you"), a common alias ("offer acceptance"), or a longer name
    that contains exactly one type ("panel thank-you"). Anything else is returned as written
    (lower-cased), for the caller to report."""
    key = re.sub(r"[\s_]+", "-", value.strip().lower())
    key = _TYPE_ALIASES.get(key, key)
    if key in MESSAGE_TYPES:
        return key
    contained = [t for t in MESSAGE_TYPES if re.search(rf"(^|-){re.escape(t)}(-|$)", key)]
    contained += [t for a, t in _TYPE_ALIASES.items() if re.search(rf"(^|-){re.escape(a)}(-|$)", key) and t not in contained]
    return contained[0] if len(contained) == 1 else value.strip().lower()

KNOWN_KEYS = {"to", "company", "role", "type", "interview_date", "date", "offer", "etiquette-lint"}
_FENCE = re.compile(r"^---[ \t]*$")


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that keeps a timestamp or integer it cannot build (`2026-13-45`, 5,000 digits)
    as its text, so the key's own check reports it on the right line instead of the whole block failing."""


def _lenient(construct):
    def build(loader: yaml.SafeLoader, node: yaml.ScalarNode):
        try:
            return construct(loader, node)
        except (ValueError, OverflowError):
            return loader.construct_scalar(node)

    return build


class _FastFrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same, on libyaml's parser when installed (about 9x faster)."""


for _loader in (_FrontMatterLoader, _FastFrontMatterLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient(yaml.SafeLoader.construct_yaml_timestamp))
    _loader.add_constructor("tag:yaml.org,2002:int", _lenient(yaml.SafeLoader.construct_yaml_int))

_MAX_FAST_DEPTH = 20


def _load_yaml(source: str):
    """Front matter as data. libyaml first; anything unusual (an error, deep nesting) is parsed
    again by the pure-Python loader, whose errors name the line and reason and whose
    recursion limit is what refuses absurd nesting: the result is the same either way."""
    try:
        data = load_bounded(source, _FastFrontMatterLoader)  # a (C)SafeLoader; aliases counted first
        if not _deeper_than(data, _MAX_FAST_DEPTH):
            return data
    except AliasBudgetError:
        raise
    except Exception:  # noqa: BLE001 - the slow path below raises the error worth reporting
        pass
    return load_bounded(source, _FrontMatterLoader)  # a SafeLoader: `!!python/...` is refused, never run


def _deeper_than(data, limit: int) -> bool:
    """Nesting beyond `limit`; each container is visited once (aliases share them)."""
    stack, seen = [(data, 0)], set()
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)) and id(node) not in seen:
            if depth >= limit:
                return True
            seen.add(id(node))
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return False


@dataclass
class FrontMatter:
    context: DraftContext
    end: int  # offset just past the closing fence (0 when there is none)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (file line, message)


def split_front_matter(text: str) -> tuple[str, int, int] | None:
    """The YAML source, its end offset and the closing fence's line, or None if there is no block.

    Raises ValueError for an opening fence that is never closed."""
    if not text.startswith("---"):
        return None
    lines = text.split("\n")
    if not _FENCE.match(lines[0]):
        return None
    offset = len(lines[0]) + 1
    for index, line in enumerate(lines[1:], start=1):
        if _FENCE.match(line) or line.rstrip() == "...":
            source = "\n".join(lines[1:index])
            return source, offset + len(line) + (1 if index < len(lines) - 1 else 0), index + 1
        offset += len(line) + 1
    raise ValueError("front matter starts with '---' but is never closed")


def parse_front_matter(text: str) -> FrontMatter:
    try:
        block = split_front_matter(text)
    except ValueError as exc:
        return FrontMatter(DraftContext(), 0, [(1, f"{exc}; linted as plain text")])
    if block is None:
        return FrontMatter(DraftContext(), 0)
    source, end, _ = block
    try:
        data = _load_yaml(source)
    except AliasBudgetError as exc:  # a YAML bomb: refused before anything walks it (issue 14, item 4)
        return FrontMatter(DraftContext(), end, [(exc.line + 1, f"front matter {exc}; context ignored")])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return FrontMatter(DraftContext(), end, [(line, f"front matter is not valid YAML ({reason}); context ignored")])
    except (ValueError, OverflowError, RecursionError) as exc:
        # Well-formed YAML whose scalars cannot be built (`date: 2026-13-45`, an int of 5,000
        # digits) or that nests too deep: the draft is still linted, without its context.
        reason = _short(str(exc) or exc.__class__.__name__)
        return FrontMatter(DraftContext(), end, [(1, f"front matter has a value that cannot be read ({reason}); context ignored")])
    if data is None:
        return FrontMatter(DraftContext(), end)
    if not isinstance(data, dict):
        return FrontMatter(DraftContext(), end, [(1, "front matter must be a mapping of keys to values; context ignored")])
    key_lines, line_lengths = _key_lines(source)
    return _build(data, key_lines, line_lengths, end)


def _short(value: object, limit: int = 60) -> str:
    """A value for a message: scalars shown, anything else named by type (never str() of an
    aliased YAML structure, which can be exponentially large)."""
    if isinstance(value, (dict, list, tuple, set)):
        return f"a {type(value).__name__}"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _build(data: dict, key_lines: dict[str, int], line_lengths: dict[str, int], end: int) -> FrontMatter:
    problems: list[tuple[int, str]] = []

    def where(key: str) -> int:
        return key_lines.get(key, 1)

    for key in data:
        if str(key) not in KNOWN_KEYS:
            problems.append((where(str(key)), f"unknown front-matter key {_short(str(key))} (known: {', '.join(sorted(KNOWN_KEYS))})"))

    def text_value(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, (dict, list)):
            problems.append((where(key), f"front-matter key {key!r} should be text"))
            return None
        return str(value)

    def date_value(key: str) -> dt.date | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if not isinstance(value, (str, int, float)):
            problems.append((where(key), f"front-matter key {key!r} should be a date like 2026-11-03, got {_short(value)}"))
            return None
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            problems.append((where(key), f"front-matter key {key!r} should be a date like 2026-11-03, got {_short(value)}"))
            return None

    message_type = text_value("type")
    if message_type is not None:
        message_type = normalised_type(message_type)
        if message_type not in MESSAGE_TYPES:
            problems.append((where("type"), f"unknown message type {message_type!r} (expected one of {', '.join(MESSAGE_TYPES)})"))
            message_type = None

    offer = data.get("offer")
    if offer is not None and not isinstance(offer, bool):
        problems.append((where("offer"), f"front-matter key 'offer' should be true or false, got {_short(offer)}"))
        offer = None

    to = text_value("to")
    to_address = first_address(to) if to else None

    suppressed: tuple[str, ...] = ()
    settings = data.get("etiquette-lint")
    if settings is not None:
        disable = settings.get("disable") if isinstance(settings, dict) else None
        if isinstance(disable, str):
            disable = [disable]
        if not isinstance(disable, list) or not all(isinstance(item, str) for item in disable):
            problems.append((where("etiquette-lint"), "front-matter 'etiquette-lint' should be {disable: [rule or category, ...]}"))
        else:
            suppressed = tuple(disable)

    context = DraftContext(
        to=to,
        to_address=to_address,
        company=text_value("company"),
        role=text_value("role"),
        type=message_type,
        interview_date=date_value("interview_date"),
        date=date_value("date"),
        offer=offer,
        date_line=key_lines.get("date"),
        date_line_length=line_lengths.get("date", 0),
        suppressed=suppressed,
    )
    return FrontMatter(context, end, problems)


def _key_lines(source: str) -> tuple[dict[str, int], dict[str, int]]:
    """File line (1-based, counting the opening fence as line 1) and length of each top-level key's line."""
    lines: dict[str, int] = {}
    lengths: dict[str, int] = {}
    for index, line in enumerate(source.split("\n")):
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if match and match.group(1) not in lines:
            lines[match.group(1)] = index + 2
            lengths[match.group(1)] = len(line.rstrip())
    return lines, lengths


def first_address(to: str) -> str | None:
    """The first e-mail address in a To value, lower case (front matter or a To: line)."""
    from email.utils import getaddresses  # only for a draft that names its recipient

    addresses = [address for _, address in getaddresses([to]) if "@" in address]
    return addresses[0].lower() if addresses else None
