"""Reading YAML safely: every file the tool reads (manifests, outlet registries, codebooks).

Refused, as one ``file: invalid YAML at line L column C: what`` line:

* aliases (``*name``) that repeat values more than 100,000 times beyond those written
  out (an alias "bomb": a value repeated a billion times through nested aliases would
  otherwise eat memory and time), and an alias inside the value it names;
* a key written twice in one mapping (the last would silently win);
* a file that is not a regular file (a pipe would block forever), or not UTF-8.

Dates are kept as the text written (``2022-02-30`` stays a string that date checks
then reject with the field's name), never turned into Python dates, so an impossible
date is never an error of the YAML reader.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import InputError
from .files import read_regular_text
from .paths import display_path

_MERGE_TAG = "tag:yaml.org,2002:merge"


ALIAS_EXPANSION_LIMIT = 100_000  # values aliases may add, beyond those written out


class _Strict:
    """Constructor rules shared by the C and the pure-Python loaders."""

    def construct_document(self, node):  # type: ignore[no-untyped-def]
        written, expanded, sizes = _node_counts(node)
        if expanded > written + ALIAS_EXPANSION_LIMIT:
            # named at the top-level value that grows the most (where the "bomb" is written)
            biggest = max(_children(node), key=lambda child: sizes[id(child)], default=node)
            raise ConstructorError(None, None, f"aliases (*name) would repeat values {expanded:,} times "
                                   f"(at most {ALIAS_EXPANSION_LIMIT:,} more than written are accepted)",
                                   biggest.start_mark)
        return super().construct_document(node)  # type: ignore[misc]

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        seen: dict[tuple[str, str], int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag != _MERGE_TAG:
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise ConstructorError(None, None, f"duplicate key {key_node.value[:80]!r} (first at line "
                                           f"{seen[key]})", key_node.start_mark)
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)  # type: ignore[misc]

    def construct_timestamp_text(self, node):  # type: ignore[no-untyped-def]
        return self.construct_scalar(node)  # type: ignore[attr-defined]


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return node.value if isinstance(node, SequenceNode) else []


def _node_counts(root: Node) -> tuple[int, int, dict[int, int]]:
    """(values written, values once every alias is expanded, each node's expanded size by id) of a
    composed document, without expanding anything (each node is visited once); a value that holds
    itself is refused."""
    sizes: dict[int, int] = {}
    entered: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        if finished:
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in _children(node))
            entered.discard(id(node))
            continue
        if id(node) in sizes:
            continue
        entered.add(id(node))
        stack.append((node, True))
        for child in _children(node):
            if id(child) in entered:
                raise ConstructorError(None, None, "an alias (*name) refers to a value that holds it",
                                       child.start_mark)
            if id(child) not in sizes:
                stack.append((child, False))
    return len(sizes), sizes[id(root)], sizes


class _PureLoader(_Strict, yaml.SafeLoader):
    pass


_PureLoader.add_constructor("tag:yaml.org,2002:timestamp", _Strict.construct_timestamp_text)

if hasattr(yaml, "CSafeLoader"):  # libyaml when present: much faster (bench/notes.md)
    class _FastLoader(_Strict, yaml.CSafeLoader):  # type: ignore[misc]
        pass

    _FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _Strict.construct_timestamp_text)
else:  # pragma: no cover
    _FastLoader = _PureLoader  # type: ignore[misc]


def parse_yaml(text: str, name: str) -> object:
    """Parse YAML ``text`` (from the file shown as ``name``); every failure is one :class:`InputError`."""
    try:
        try:
            return yaml.load(text, Loader=_FastLoader)
        except yaml.YAMLError:
            return yaml.load(text, Loader=_PureLoader)  # the pure-Python parser words its errors more clearly
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{name}: invalid YAML{where}: {problem}") from None
    except RecursionError:
        raise InputError(f"{name}: invalid YAML: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise InputError(f"{name}: invalid YAML: {str(exc).split(';')[0][:200]}") from None


def load_yaml(path: Path) -> object:
    """Read and parse a YAML file (see the module docstring); every failure is one :class:`InputError`."""
    return parse_yaml(read_regular_text(path), display_path(path))
