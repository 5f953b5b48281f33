"""Safe YAML reading that remembers where every value came from.

Records are written by hand, often in a hurry, so an error has to point at the line and column
the author typed. PyYAML's composer is recursive (libyaml's crashes the process on input nested a
hundred thousand levels deep) and expands aliases without limit, so this module builds plain
Python values straight from the parser's event stream with an explicit stack: nesting depth and
the number of values (aliases counted as often as they are used) are bounded, and tags never
construct objects.

Keys are always kept as the text the author wrote. Scalars resolve as YAML 1.1 resolves them,
except timestamps, which stay text so that the models can insist on a full date-time with an
offset; the source text of every unquoted scalar that YAML typed as something other than a
string is kept, so a validation error can explain the surprise (``no`` read as false).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from generator.errors import Position

# libyaml's parser is much faster; the pure-Python one is used where PyYAML was built without it.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The fast reader's: libyaml composing without resolving, so that keys stay text unexamined and
# only plain values are resolved, here, as the careful reader resolves them.
_NodeLoader = getattr(yaml, "CBaseLoader", None)

MAX_FILE_BYTES = 1024 * 1024
_BOM = b"\xef\xbb\xbf"
MAX_DEPTH = 50
MAX_VALUES = 100_000

Path_ = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_CONSTRUCTED_SCALARS = {
    "tag:yaml.org,2002:bool": "boolean",
    "tag:yaml.org,2002:int": "number",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:null": "null",
}
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}

_resolver = Resolver()
_constructor = SafeConstructor()


@dataclass(frozen=True)
class PlainScalar:
    """An unquoted scalar that YAML did not read as text, kept for error hints."""

    text: str
    read_as: str  # "boolean", "number", "null" or "timestamp"


@dataclass
class YamlDocument:
    """The value of one YAML file and where everything in it starts.

    Starts are kept as the character's index in the text and turned into a line and a column
    only when asked (an error, a warning): most records have nothing to report.
    """

    value: Any
    lines: _Lines
    starts: dict[Path_, int] = field(default_factory=dict)
    key_starts: dict[Path_, int] = field(default_factory=dict)
    plain_scalars: dict[Path_, PlainScalar] = field(default_factory=dict)

    def position_of(self, path: Path_, *, key: bool = False) -> Position:
        """Where ``path`` starts (its key, with ``key``), or its nearest ancestor that exists."""
        path = tuple(path)
        if key and path in self.key_starts:
            return self.lines.position(self.key_starts[path])
        while path:
            if path in self.starts:
                return self.lines.position(self.starts[path])
            if path in self.key_starts:
                return self.lines.position(self.key_starts[path])
            path = path[:-1]
        return self.lines.position(self.starts[()]) if () in self.starts else Position(1, 1)


class YamlError(Exception):
    """A file that is not a readable, safe YAML document."""

    def __init__(self, message: str, position: Position | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


class KnownDocument(YamlDocument):
    """A document whose value is already known (read before, kept by content): where its
    values start is found by parsing the text again, only if something asks (an error, a
    warning), as most records are never asked."""

    def __init__(self, value: Any, text: str) -> None:  # noqa: D107 - the dataclass's fields wait
        self.value = value
        self._text = text

    def __getattr__(self, name: str) -> Any:
        if name not in ("lines", "starts", "key_starts", "plain_scalars"):
            raise AttributeError(name)
        parsed = parse_yaml_text(self._text)
        self.lines, self.starts = parsed.lines, parsed.starts
        self.key_starts, self.plain_scalars = parsed.key_starts, parsed.plain_scalars
        return getattr(self, name)


def read_yaml_file(path: Path, *, allow_unknown_tags: bool = False) -> YamlDocument:
    """Read ``path`` as UTF-8 YAML; raise YamlError for anything unsafe or unreadable."""
    return parse_yaml_bytes(read_file_bytes(path), allow_unknown_tags=allow_unknown_tags)


def read_file_bytes(path: Path) -> bytes:
    """The bytes of a file to parse; YamlError for one too big or unreadable."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlError(
                f"the file is {size:,} bytes; Flare reads files of at most "
                f"{MAX_FILE_BYTES:,} bytes (1 MiB)"
            )
        return path.read_bytes()
    except OSError as error:
        raise YamlError(f"cannot read the file: {error.strerror or error}") from None


def parse_yaml_bytes(data: bytes, *, allow_unknown_tags: bool = False) -> YamlDocument:
    """Decode ``data`` as UTF-8 (a byte-order mark is allowed) and parse it."""
    return parse_yaml_text(decode_text(data), allow_unknown_tags=allow_unknown_tags)


def decode_text(data: bytes) -> str:
    """``data`` as UTF-8 text (a byte-order mark is allowed); YamlError for anything else."""
    data = data.removeprefix(_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        readable = data.decode("utf-8", errors="replace")
        before = data[: error.start].decode("utf-8", errors="replace")
        raise YamlError(
            f"the file is not UTF-8 text ({error.reason}: byte 0x{data[error.start]:02x}); "
            "save it as UTF-8",
            _Lines(readable).position(len(before)),
        ) from None
    return text


def parse_yaml_text(text: str, *, allow_unknown_tags: bool = False) -> YamlDocument:
    """Build the value of a one-document YAML text without running any constructor by tag.

    ``allow_unknown_tags`` keeps a value with an application tag (MkDocs configurations use
    ``!!python/name:``) as its plain text or collection instead of refusing it.

    An ordinary record is read from libyaml's node tree (:func:`_read_nodes`), several times
    faster; anything out of the ordinary, from an anchor to a syntax error, is read again event
    by event (:func:`_read_events`), which holds every limit and explains every refusal.
    """
    lines = _Lines(text)
    if _NodeLoader is not None and _openings(text) <= MAX_OPENINGS:
        document = _read_nodes(text, lines)
        if document is not None:
            return document
    return _read_events(text, lines, allow_unknown_tags)


def _read_events(text: str, lines: _Lines, allow_unknown_tags: bool) -> YamlDocument:
    """The careful reader: the parser's events one by one, within every limit."""
    builder = _Builder(allow_unknown_tags, lines)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = lines.position(mark.index) if mark else None
        problem = error.problem or error.context or "invalid YAML"
        if error.context and error.problem:
            context = error.context
            if error.context_mark is not None and error.context_mark is not error.problem_mark:
                started = lines.position(error.context_mark.index)
                context += f" started at line {started.line}, column {started.column}"
            problem = f"{error.problem} ({context})"
        raise YamlError(f"invalid YAML: {problem}", position) from None
    except yaml.reader.ReaderError as error:
        before = text[: error.position]
        if _Loader is not yaml.SafeLoader:  # libyaml counts the offset in UTF-8 bytes
            before = text.encode("utf-8")[: error.position].decode("utf-8", errors="ignore")
        position = lines.position(len(before))
        code = ord(error.character) if isinstance(error.character, str) else error.character
        raise YamlError(
            f"invalid YAML: the text holds a control character (U+{code:04X}) YAML forbids",
            position,
        ) from None
    except yaml.YAMLError as error:  # pragma: no cover - every parser error above is marked
        raise YamlError(f"invalid YAML: {error}") from None
    return builder.document


# -- the fast reader: libyaml's node tree ---------------------------------------------------------
# libyaml composes nested collections by recursing in C, which a deep enough text ("[[[[...",
# "- - - - ...") turns into a crash (at about 100,000 levels here; 20,000 are fine). Every level
# opens with one of the characters "[{-:?", so a text with fewer of them than this cannot nest
# deeper; a text with more is read by events only.
MAX_OPENINGS = 5000
_OPENINGS = "[{-:?"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_PROPERTIES = ("&", "!", "*")  # an anchor, a tag, an alias: for the careful reader


def _openings(text: str) -> int:
    """How many collections the text could open at most: a bound on its depth."""
    return sum(text.count(character) for character in _OPENINGS)


class _Unusual(Exception):
    """Something only the careful reader handles (and explains, when it is an error)."""


def _read_nodes(text: str, lines: _Lines) -> YamlDocument | None:
    """The document from libyaml's node tree, or None when the text is anything but ordinary:
    an anchor, alias or tag, a merge or duplicate key, a limit reached, a syntax error. The
    result is the careful reader's, value for value and position for position."""
    try:
        node = yaml.compose(text, Loader=_NodeLoader)
    except yaml.YAMLError:
        return None
    document = YamlDocument(value=None, lines=lines)
    if node is None:
        return document
    try:
        document.value = _NodeReader(text, document).read(node, (), 0)
    except _Unusual:
        return None
    return document


class _NodeReader:
    def __init__(self, text: str, document: YamlDocument) -> None:
        self.text = text
        self.document = document
        self.values = 0

    def read(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.values += 1
        start = node.start_mark.index
        if (
            self.values > MAX_VALUES
            or depth >= MAX_DEPTH
            or self.text.startswith(_PROPERTIES, start)
        ):
            raise _Unusual
        self.document.starts[path] = start
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            return [
                self.read(item, (*path, index), depth + 1) for index, item in enumerate(node.value)
            ]
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            mapping: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key_start = key_node.start_mark.index
                if (
                    not isinstance(key_node, yaml.ScalarNode)
                    or self.text.startswith(_PROPERTIES, key_start)
                    or key_node.value in mapping
                    or (key_node.value == "<<" and not key_node.style)  # a merge key
                ):
                    raise _Unusual
                key = key_node.value
                self.document.key_starts[(*path, key)] = key_start
                mapping[key] = self.read(value_node, (*path, key), depth + 1)
            return mapping
        raise _Unusual

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        tag = node.tag
        if not node.style:  # plain: YAML 1.1 may read it as something other than text
            tag = _resolver.resolve(yaml.ScalarNode, node.value, (True, False))
        if tag == _STR:
            return node.value
        if tag == _TIMESTAMP:
            self.document.plain_scalars[path] = PlainScalar(node.value, "timestamp")
            return node.value
        if tag not in _CONSTRUCTED_SCALARS:
            raise _Unusual
        try:
            value = _constructor.construct_object(yaml.ScalarNode(tag, node.value), deep=True)
        except (yaml.constructor.ConstructorError, ValueError):
            raise _Unusual from None
        self.document.plain_scalars[path] = PlainScalar(node.value, _CONSTRUCTED_SCALARS[tag])
        return value


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class _Lines:
    """Lines and columns as editors and GitHub count them, from a character's index.

    A line ends at "\n", "\r\n" or a lone "\r". The parser's own line numbers are not used: it
    also ends lines at U+0085, U+2028 and U+2029, which editors show inside a line, and it puts
    the end of the text on a line after the last one, which no editor shows.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.length = len(text)
        self.starts: list[int] = []
        self.ends: list[int] = []

    def position(self, index: int) -> Position:
        """Where the character at ``index`` is; the end of the text is the end of its last line."""
        if not self.starts:  # found on the first question: most texts are never asked one
            breaks = list(_LINE_BREAK.finditer(self.text))
            self.starts = [0, *(found.end() for found in breaks)]
            self.ends = [*(found.start() for found in breaks), self.length]
        index = max(0, min(index, self.length))
        line = bisect.bisect_right(self.starts, index) - 1
        if line > 0 and index == self.starts[line] == self.length:
            line -= 1
            index = self.ends[line]
        return Position(line + 1, index - self.starts[line] + 1)


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: Path_
    anchor: str | None
    values: int = 1
    key: str | None = None  # in a mapping: the key waiting for its value
    keys_seen: dict[str, int] = field(default_factory=dict)  # key -> where it starts


class _Builder:
    """Turns parser events into values, positions and hints, within the limits above."""

    def __init__(self, allow_unknown_tags: bool, lines: _Lines) -> None:
        self.allow_unknown_tags = allow_unknown_tags
        self.lines = lines
        self.document = YamlDocument(value=None, lines=lines)
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.values = 0
        self.documents = 0

    def _position(self, event: yaml.Event) -> Position:
        return self.lines.position(event.start_mark.index)

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlError(
                    "the file holds more than one YAML document (a second '---'); "
                    "put each record in a file of its own",
                    self._position(event),
                )
        elif isinstance(event, yaml.ScalarEvent):
            self._on_scalar(event)
        elif isinstance(event, yaml.AliasEvent):
            self._on_alias(event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._on_collection_start(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self._on_collection_end(event)

    # -- where the next value goes ---------------------------------------------------------
    def _next_path(self, event: yaml.Event) -> Path_ | None:
        """The path of the value about to be added, or None when the event is a mapping key."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        if frame.key is None:
            return None
        return (*frame.path, frame.key)

    def _count(self, values: int, event: yaml.Event) -> None:
        self.values += values
        if self.values > MAX_VALUES:
            raise YamlError(
                f"the file expands to more than {MAX_VALUES:,} values (aliases count each "
                "time they are used); a record is far smaller than that",
                self._position(event),
            )

    def _add(self, value: Any, path: Path_, values: int) -> None:
        if not self.stack:
            self.document.value = value
            return
        frame = self.stack[-1]
        frame.values += values
        if isinstance(frame.container, list):
            frame.container.append(value)
        else:
            assert frame.key is not None
            frame.container[frame.key] = value
            frame.key = None

    def _remember_anchor(self, anchor: str | None, value: Any, values: int) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, values)
            self.open_anchors.discard(anchor)

    # -- events ------------------------------------------------------------------------------
    def _on_scalar(self, event: yaml.ScalarEvent) -> None:
        path = self._next_path(event)
        if path is None:
            self._on_key(event)
            return
        self._count(1, event)
        value = self._scalar_value(event, path)
        self.document.starts[path] = event.start_mark.index
        self._add(value, path, 1)
        self._remember_anchor(event.anchor, value, 1)

    def _on_key(self, event: yaml.ScalarEvent) -> None:
        frame = self.stack[-1]
        key = event.value
        if key == "<<" and event.implicit[0]:
            raise YamlError(
                "merge keys ('<<') are not supported in records; write the fields out",
                self._position(event),
            )
        if key in frame.keys_seen:
            first = self.lines.position(frame.keys_seen[key])
            raise YamlError(
                f"duplicate key '{key}' (first at line {first.line}); a key may appear once "
                "in a mapping",
                self._position(event),
            )
        frame.keys_seen[key] = event.start_mark.index
        frame.key = key
        self.document.key_starts[(*frame.path, key)] = event.start_mark.index

    def _scalar_value(self, event: yaml.ScalarEvent, path: Path_) -> Any:
        tag = event.tag
        if tag in (None, "!"):
            tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR:
            return event.value
        if tag == _TIMESTAMP:
            self.document.plain_scalars[path] = PlainScalar(event.value, "timestamp")
            return event.value
        if tag in _CONSTRUCTED_SCALARS:
            node = yaml.ScalarNode(tag, event.value)
            try:
                value = _constructor.construct_object(node, deep=True)
            except (yaml.constructor.ConstructorError, ValueError):
                raise YamlError(
                    f"'{event.value}' cannot be read as a {_CONSTRUCTED_SCALARS[tag]}",
                    self._position(event),
                ) from None
            if event.tag in (None, "!"):
                self.document.plain_scalars[path] = PlainScalar(
                    event.value, _CONSTRUCTED_SCALARS[tag]
                )
            return value
        if self.allow_unknown_tags:
            return event.value
        raise YamlError(
            f"the tag {_short_tag(tag)} is not allowed in a record; remove it",
            self._position(event),
        )

    def _on_alias(self, event: yaml.AliasEvent) -> None:
        path = self._next_path(event)
        if path is None:
            raise YamlError(
                "an alias cannot be a mapping key; write the key out", self._position(event)
            )
        if event.anchor in self.open_anchors:
            raise YamlError(
                f"the alias *{event.anchor} refers to a value that contains it",
                self._position(event),
            )
        if event.anchor not in self.anchors:
            raise YamlError(
                f"the alias *{event.anchor} has no anchor &{event.anchor} before it",
                self._position(event),
            )
        value, values = self.anchors[event.anchor]
        self._count(values, event)
        self.document.starts[path] = event.start_mark.index
        self._add(value, path, values)

    def _on_collection_start(self, event: yaml.CollectionStartEvent) -> None:
        path = self._next_path(event)
        if path is None:
            raise YamlError(
                "a mapping key must be plain text, not a list or a mapping", self._position(event)
            )
        if len(self.stack) >= MAX_DEPTH:
            raise YamlError(
                f"values are nested more than {MAX_DEPTH} levels deep; a record needs a handful",
                self._position(event),
            )
        if event.tag not in (None, "!") and event.tag not in _COLLECTION_TAGS:
            if not self.allow_unknown_tags:
                raise YamlError(
                    f"the tag {_short_tag(event.tag)} is not allowed in a record; remove it",
                    self._position(event),
                )
        self._count(1, event)
        self.document.starts[path] = event.start_mark.index
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else []
        )
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        self.stack.append(_Frame(container=container, path=path, anchor=event.anchor))

    def _on_collection_end(self, event: yaml.Event) -> None:
        frame = self.stack.pop()
        self._add(frame.container, frame.path, frame.values)
        self._remember_anchor(frame.anchor, frame.container, frame.values)
