"""Parse YAML text and keep where every value came from, so errors can name a line.

`parse_yaml` returns the plain Python data (as ``yaml.safe_load`` would) together with a
`LineMap` built from the composed node tree (``yaml.compose``), which maps a field location such
as ``("tasks", 2, "id")`` to the 1-based line of that field in the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml


class YamlSyntaxError(ValueError):
    """The text is not YAML (or has a duplicate key); ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None) -> None:
        self.message = message
        self.line = line
        super().__init__(message)


@dataclass(frozen=True)
class LineMap:
    """Field locations -> 1-based line numbers, from a composed YAML node tree."""

    root: yaml.Node | None

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """Line of the deepest node on `loc` that exists in the file.

        A mapping key's own line is used for fields (so a missing or wrong value under
        ``field_spec:`` points at ``field_spec:``); a missing field points at its parent.

        Example:
            >>> data, lines = parse_yaml("a:\\n  b: [1, 2]\\n")
            >>> lines.line_of(("a", "b", 1))
            2
        """
        node = self.root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for part in loc:
            child = _child(node, part)
            if child is None:
                break
            key_node, node = child
            line = (key_node or node).start_mark.line + 1
        return line


def parse_yaml(text: str) -> tuple[Any, LineMap]:
    """Parse YAML text into Python data and a `LineMap`.

    Raises:
        YamlSyntaxError: On a syntax error or a key repeated in one mapping (PyYAML would keep
            the last one silently).

    Example:
        >>> parse_yaml("name: FFASR\\n")[0]
        {'name': 'FFASR'}
    """
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        raise YamlSyntaxError(f"not valid YAML: {problem}", mark.line + 1 if mark else None) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"not valid YAML: {exc}", None) from exc
    finally:
        loader.dispose()
    if root is not None:
        _check_duplicate_keys(root)
    return data, LineMap(root)


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == part:
                return key_node, value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def _check_duplicate_keys(node: yaml.Node) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise YamlSyntaxError(
                        f"key {key_node.value!r} appears twice in the same mapping; keep one",
                        key_node.start_mark.line + 1,
                    )
                seen.add(key_node.value)
            _check_duplicate_keys(value_node)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicate_keys(item)
