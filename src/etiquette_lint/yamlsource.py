"""Safe YAML loading that remembers where each key came from, so errors can name file and line."""
from __future__ import annotations

from typing import Any

import yaml

from .errors import ConfigError


class Located(dict):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    line: int = 0
    item_lines: list


class _LineLoader(yaml.SafeLoader):
    pass


class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser: ~9x faster
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    mapping = Located()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(None, None, "found an unhashable key", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LocatedList:
    items = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    items.line = node.start_mark.line + 1
    items.item_lines = [child.start_mark.line + 1 for child in node.value]
    return items


def _lenient(construct):
    """A timestamp or integer that cannot be built (`2026-13-45`, 5,000 digits) stays text, so the
    field's own validation names it instead of the load failing with no line."""

    def build(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, OverflowError):
            return loader.construct_scalar(node)

    return build


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient(yaml.SafeLoader.construct_yaml_timestamp))
    _loader.add_constructor("tag:yaml.org,2002:int", _lenient(yaml.SafeLoader.construct_yaml_int))


# -- aliases are counted before use (issue 14, item 4) --------------------------------------
NODE_BUDGET = 10_000  # nodes that aliases may add to a document, beyond its own


class AliasBudgetError(Exception):
    """A document whose aliases expand past the budget (or into themselves); `line` is the
    anchor's (1-based, in the YAML source)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def check_aliases(root: yaml.Node, budget: int = NODE_BUDGET) -> None:
    """Raise AliasBudgetError if expanding every alias would add more than `budget` nodes.

    A composed document shares one node object per anchor, so the expanded size is counted
    once per distinct node (size = 1 + children's sizes), without building anything; the walk
    is a loop, so depth is no limit. A document without aliases costs one visit per node."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    shared: yaml.Node | None = None  # the first node reached twice: an anchor
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if shared is not None and sizes[key] > len(sizes) + budget:
                raise AliasBudgetError(shared.start_mark.line + 1, f"aliases expand past {budget:,} nodes (a YAML bomb?)")
            continue
        if key in on_path:
            raise AliasBudgetError(node.start_mark.line + 1, "an alias inside itself expands without end")
        if key in sizes:
            shared = shared or node
            continue
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))


def load_bounded(text: str, loader_class: type, budget: int | None = NODE_BUDGET) -> Any:
    """`yaml.load` in two steps: compose the nodes, count what the aliases expand to (when a
    `budget` is given), and only then build the data."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if budget is not None:
            check_aliases(node, budget)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def load_located(text: str, path: str, node_budget: int | None = None) -> Any:
    """Parse YAML (safe tags only) into Located/LocatedList; syntax errors become ConfigError,
    and so do aliases that expand past `node_budget` nodes (None: not counted)."""
    try:
        return load_bounded(text, _FastLineLoader, node_budget)
    except AliasBudgetError as exc:
        raise ConfigError(path, exc.line, None, f"invalid YAML: {exc}") from None
    except (yaml.YAMLError, ValueError, RecursionError):
        pass  # parse again with the pure-Python loader: same lines, the error wording users know
    try:
        return load_bounded(text, _LineLoader, node_budget)
    except AliasBudgetError as exc:
        raise ConfigError(path, exc.line, None, f"invalid YAML: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(path, mark.line + 1 if mark else None, None, f"invalid YAML: {problem}") from None
    except (ValueError, RecursionError) as exc:  # nested too deep, or a value no constructor can build
        raise ConfigError(path, None, None, f"invalid YAML: {exc.__class__.__name__}: {str(exc)[:200]}") from None


def line_of(node: Any, key: str | None = None, default: int | None = None) -> int | None:
    if isinstance(node, Located):
        return node.line_of(key) if key is not None else node.line
    if isinstance(node, LocatedList):
        return node.line
    return default


def load_located_file(path, what: str) -> Any:
    """A YAML file (`what`: "rule file", "lexicon" ...) read and parsed as load_located does,
    aliases counted; a file that cannot be read is a ConfigError naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), None, None, f"cannot read {what}: {exc}") from None
    return load_located(text, str(path), node_budget=NODE_BUDGET)
