"""A YAML file -> plain Python data plus the line and column of every value.

Validation errors are reported against the author's text, so we keep, for each path
into the data (("blocks", 3, "caption")), where it was written. Only the safe
loader's node types are built: no tag can run code. Aliases are expanded with a
budget so that an alias bomb ends in an error instead of exhausting memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .files import Refused, read_bounded

MAX_NODES = 200_000  # generous for any real book, small enough to stop alias bombs quickly
MAX_DEPTH = 64  # real manuscripts nest 5 deep; this stops recursive anchors (&a [*a]) and [[[[...]]]]
MAX_FILE_BYTES = 5 * 1024 * 1024
# The only tags a collection may carry: plain mappings and lists (no !!set, !!omap or language tags).
COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
SYNTAX_HINT = "check indentation, colons and quotes on this line"

Path_ = tuple  # a path into the data: keys and list indexes


class YamlProblem(Exception):
    def __init__(self, message: str, line: int = 0, column: int = 0, hint: str | None = None):
        super().__init__(message)
        self.message, self.line, self.column, self.hint = message, line, column, hint


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a document was written."""

    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    empty: set[Path_] = field(default_factory=set)  # keys written with no value ('format:')

    def where(self, path: Path_) -> tuple[int, int]:
        """The nearest known position for `path`, walking up to its parents."""
        path = tuple(path)
        while path:
            if path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def value_at(self, path: Path_) -> tuple[int, int]:
        """Where the value at `path` begins, for a problem with the value itself; where(path) if none was written."""
        path = tuple(path)
        return self.values[path] if path in self.values and path not in self.empty else self.where(path)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _shown(text: str, limit: int = 30) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _tag_name(node: yaml.Node) -> str:
    """The tag as the author wrote it: '!!python/object' rather than 'tag:yaml.org,2002:python/object'."""
    return node.tag.replace("tag:yaml.org,2002:", "!!", 1)


class _Builder:
    def __init__(self) -> None:
        self.count = 0
        self.map = SourceMap()
        self.constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlProblem(
                f"the document expands to more than {MAX_NODES} values",
                *_mark(node),
                hint="remove recursive or repeated aliases such as *name",
            )
        if len(path) > MAX_DEPTH:
            raise YamlProblem(f"the document nests more than {MAX_DEPTH} levels deep", *_mark(node),
                              hint="an alias (*name) may refer to the list or mapping that holds it; remove it")
        self.map.values[path] = _mark(node)
        if isinstance(node, yaml.ScalarNode):
            if node.value == "" and not node.style:  # plain (not quoted); libyaml says "", PyYAML None
                self.map.empty.add(path)
            return self._scalar(node)
        if node.tag not in COLLECTION_TAGS:
            raise YamlProblem(f"unsupported YAML tag {_tag_name(node)}", *_mark(node),
                              hint="remove the tag: a manuscript holds only text, numbers, lists and mappings")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = self.build(value_node, path)
                for source in merged if isinstance(merged, list) else [merged]:
                    if isinstance(source, dict):
                        for k, v in source.items():
                            result.setdefault(k, v)
                continue
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise YamlProblem("a mapping key must be a plain word", *_mark(key_node),
                                  hint="write the key as a word followed by a colon, like 'caption:'")
            key = str(key)
            if key in result:
                raise YamlProblem(f"key '{key}' is given twice", *_mark(key_node), hint="keep one of them")
            self.map.keys[path + (key,)] = _mark(key_node)
            result[key] = self.build(value_node, path + (key,))
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        constructor = yaml.SafeLoader.yaml_constructors.get(node.tag)
        if constructor is None:
            raise YamlProblem(f"unsupported YAML tag {_tag_name(node)}", *_mark(node),
                              hint="remove the tag: a manuscript holds only text, numbers, lists and mappings")
        try:
            value = constructor(self.constructor, node)
        except Exception as exc:  # noqa: BLE001 - PyYAML's constructors fail in many ways on a value that does
            # not fit its tag: '!!int abc' (ValueError), '!!bool maybe' (KeyError), an empty '!!int' (IndexError),
            # '!!timestamp not-a-date' (AttributeError). Each is the author's value, reported at its place.
            raise YamlProblem(f"the value {_shown(node.value)} does not match its tag {_tag_name(node)}",
                              *_mark(node), hint="remove the tag, or write a value of that kind") from exc
        # Dates and timestamps: keep the text as written (a year or an edition is text to us).
        if not isinstance(value, (str, int, float, bool, type(None))):
            return str(node.value)
        return value


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)  # None where PyYAML was built without libyaml


def _shallow(text: str) -> bool:
    """True when no node of `text` can be nested deeper than MAX_DEPTH.

    A bound, not a measure: each flow collection needs a '[' or '{', and a block collection
    needs more indentation than its parent (a list under a key once at the same), or a
    compact '- ' or '? ' before it on the line; all of those lie in a line's leading prefix.
    """
    flows = text.count("[") + text.count("{")
    if flows > MAX_DEPTH:
        return False
    prefix = max((len(line) - len(line.lstrip(" \t-?")) for line in text.splitlines()), default=0)
    return 2 * (prefix + 1) + flows <= MAX_DEPTH


def load_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Parse one YAML file; raises YamlProblem with a line for anything unreadable."""
    try:
        raw = read_bounded(path, MAX_FILE_BYTES)  # its size is known before a byte is read
    except Refused as exc:
        raise YamlProblem(f"the file {exc.message}", hint=exc.hint) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem("the file is not UTF-8 text", line, 1, hint="save it as UTF-8") from exc
    if not text.strip():
        raise YamlProblem("the file is empty", 1, 1, hint="see the manuscript format in the README")
    nodes = [n for n in _compose(text) if n is not None]
    if not nodes:
        raise YamlProblem("the file is empty", 1, 1, hint="see the manuscript format in the README")
    if len(nodes) > 1:
        raise YamlProblem("the file holds more than one YAML document", *_mark(nodes[1]),
                          hint="remove the '---' separator")
    builder = _Builder()
    data = builder.build(nodes[0], ())
    return data, builder.map


def _compose(text: str) -> list[yaml.Node]:
    """The documents' node trees (nothing constructed yet), or a YamlProblem saying where the syntax breaks.

    libyaml's composer (ten times faster) builds the same nodes, with the same lines and columns;
    it is asked first when the text cannot nest deep (it recurses on the C stack, with no limit).
    Anything it rejects is parsed again by PyYAML's own, whose messages and limits are the ones reported.
    """
    shallow = _shallow(text)
    if _FAST_LOADER is not None and shallow:
        try:
            return list(yaml.compose_all(text, Loader=_FAST_LOADER))
        except (yaml.YAMLError, ValueError, UnicodeError):
            pass
    if not shallow:
        _check_depth(text)
    try:
        return list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        hint = "indent with spaces: YAML does not allow tabs" if "'\\t'" in problem else SYNTAX_HINT
        raise YamlProblem(f"invalid YAML: {problem}", line, column, hint=hint) from exc
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        raise YamlProblem(f"the file holds a control character (U+{exc.character:04X}) that YAML does not allow",
                          line, column, hint="delete it: it is invisible in most editors") from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}", hint=SYNTAX_HINT) from exc
    except RecursionError as exc:  # _check_depth stops any nesting deep enough for this; kept as a last guard
        raise YamlProblem(f"the document nests more than {MAX_DEPTH} levels deep",
                          hint="close the brackets ] and } you opened") from exc


def _check_depth(text: str) -> None:
    """A YamlProblem at the first list or mapping that opens deeper than MAX_DEPTH.

    The composer recurses once per level, so it is never given such a text: the parser's
    events come from a loop, and counting their starts and ends finds the place in one pass.
    Syntax errors are left to the composer, which reports them with its own message.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):  # libyaml gives up at 1000 levels, before any event
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise YamlProblem(f"the document nests more than {MAX_DEPTH} levels deep",
                                      mark.line + 1, mark.column + 1,
                                      hint="close the brackets ] and } you opened, or indent less")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except (yaml.YAMLError, ValueError, UnicodeError):
        return
