"""The grammar of data-model element names, and matching a concrete name
against the patterns of an element table.

A name is a run of segments joined by dots: "cmi.interactions.0.objectives.2.id".
A segment of ASCII digits is an array index and must be written canonically
(no leading zero, at most nine digits: far beyond any real array), so that
one item has one name. A keyed
segment carries a key and a value in braces, "{target=intro_1}", and may
contain dots, because the identifiers it carries may.

Patterns write "n" for an index and "{target}" for a keyed segment:
"adl.nav.request_valid.choice.{target}" matches
"adl.nav.request_valid.choice.{target=intro_1}". Braces are read as a keyed
segment only where a pattern has one, so a brace elsewhere is plain text, as
SCORM 1.2 has always read it. Braces inside values ("{lang=en}Hello") are no
business of the grammar: only names are parsed here.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .outcomes import Outcome

INDEX = "n"  # stands for an array index in element patterns
CANONICAL_INDEX = re.compile(r"0|[1-9][0-9]{0,8}")
KEY_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_ANY_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class NameMatch:
    """A concrete name matched to a pattern.

    `arrays` pairs each index with the concrete name of the array it indexes,
    outermost first ("cmi.interactions.2.objectives.0.id" gives
    (("cmi.interactions", 2), ("cmi.interactions.2.objectives", 0))), and
    `array_patterns` holds the pattern of each of those arrays.
    """

    pattern: str
    indexes: tuple[int, ...] = ()
    keys: tuple[tuple[str, str], ...] = ()
    arrays: tuple[tuple[str, int], ...] = ()
    array_patterns: tuple[str, ...] = ()


@dataclass(eq=False)
class _Node:
    """A pattern or a prefix of one ("cmi", "cmi.interactions.n")."""

    pattern: str
    is_pattern: bool = False
    literals: dict[str, "_Node"] = field(default_factory=dict)
    index: "_Node | None" = None
    key: str | None = None
    keyed: "_Node | None" = None

    def grow(self, part: str) -> "_Node":
        """The child for one segment of a pattern, created when new."""
        path = f"{self.pattern}.{part}" if self.pattern else part
        placeholder = KEY_PLACEHOLDER.fullmatch(part)
        if part == INDEX:
            self.index = self.index or _Node(path)
            return self.index
        if placeholder is not None:
            if self.key not in (None, placeholder[1]):
                raise ValueError(f"two keys under one element: {path!r}")
            self.key, self.keyed = placeholder[1], self.keyed or _Node(path)
            return self.keyed
        if _ANY_DIGITS.fullmatch(part):
            raise ValueError(f"a digit segment is always an index: {path!r}")
        return self.literals.setdefault(part, _Node(path))


def _read_keyed(name: str, start: int, key: str) -> tuple[str, int] | None:
    """The value of a "{key=value}" segment at `start` and where the next
    segment starts, or None when there is none. The value runs to the first
    "}", which must end the segment."""
    opening = "{" + key + "="
    if not name.startswith(opening, start):
        return None
    close = name.find("}", start)
    ends_segment = close + 1 == len(name) or name.startswith(".", close + 1)
    if close <= start + len(opening) or not ends_segment:
        return None
    return name[start + len(opening) : close], close + 2


def _read_plain(name: str, start: int) -> tuple[str, int]:
    end = name.find(".", start)
    end = len(name) if end < 0 else end
    return name[start:end], end + 1


def _unmatched(parent: _Node | None, leaf: str, depth: int) -> Outcome:
    """Why a well-formed name matches no pattern.

    A keyword asked of an element that lacks it is NO_CHILDREN (`_children`),
    NOT_AN_ARRAY (`_count`) or, below the root, NO_VERSION. Any other unknown name whose parent is an
    element below the root ("cmi.core.foo", "cmi.interactions.x",
    "cmi.interactions.0") is UNKNOWN_CHILD; everything else ("cmi.foo",
    "cmi.core" used as a leaf, a literal "n" where an index belongs) is
    UNDEFINED.
    """
    if parent is None:
        return Outcome.UNDEFINED
    if leaf == "_children":
        return Outcome.NO_CHILDREN
    if leaf == "_count":
        return Outcome.NOT_AN_ARRAY
    if leaf == "_version" and depth > 2:
        return Outcome.NO_VERSION
    return Outcome.UNKNOWN_CHILD if depth > 2 else Outcome.UNDEFINED


@dataclass
class _Walk:
    """A name being matched one segment at a time; `node` becomes None once
    the name leaves the tree (the rest is still read for malformed indexes)."""

    name: str
    node: _Node | None
    parent: _Node | None = None
    leaf: str = ""
    depth: int = 0
    indexes: list[int] = field(default_factory=list)
    keys: list[tuple[str, str]] = field(default_factory=list)
    arrays: list[tuple[str, int]] = field(default_factory=list)
    array_patterns: list[str] = field(default_factory=list)

    def advance(self, start: int) -> int | None:
        """Read the segment at `start`; where the next one starts, or None
        for a malformed index."""
        stepped = self._keyed(start) or self._plain(start)
        if stepped is None:
            return None
        child, following = stepped
        self.parent, self.node = self.node, child
        self.leaf, self.depth = self.name[start : following - 1], self.depth + 1
        return following

    def _keyed(self, start: int) -> tuple[_Node | None, int] | None:
        node = self.node
        if node is None or node.key is None:
            return None
        read = _read_keyed(self.name, start, node.key)
        if read is None:
            return None
        self.keys.append((node.key, read[0]))
        return node.keyed, read[1]

    def _plain(self, start: int) -> tuple[_Node | None, int] | None:
        segment, following = _read_plain(self.name, start)
        if _ANY_DIGITS.fullmatch(segment) is None:
            return (None if self.node is None else self.node.literals.get(segment)), following
        if CANONICAL_INDEX.fullmatch(segment) is None:
            return None
        return self._index(start, int(segment)), following

    def _index(self, start: int, index: int) -> _Node | None:
        if self.node is None or self.node.index is None:
            return None
        self.indexes.append(index)
        self.arrays.append((self.name[: start - 1], index))
        self.array_patterns.append(self.node.pattern)
        return self.node.index

    def result(self, containers: bool) -> NameMatch | Outcome:
        if self.node is not None and not self.node.is_pattern and self.node.keyed is not None and not containers:
            # "adl.nav.request_valid.choice": its elements are all keyed.
            return Outcome.MISSING_KEY
        if self.node is None or not (self.node.is_pattern or containers):
            return _unmatched(self.parent, self.leaf, self.depth)
        return NameMatch(
            self.node.pattern,
            tuple(self.indexes),
            tuple(self.keys),
            tuple(self.arrays),
            tuple(self.array_patterns),
        )


class PatternTree:
    """The patterns of one element table, for matching concrete names."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self._root = _Node("")
        for pattern in patterns:
            node = self._root
            for part in pattern.split("."):
                node = node.grow(part)
            if node.is_pattern:
                raise ValueError(f"pattern listed twice: {pattern!r}")
            node.is_pattern = True

    def match(self, name: object, *, containers: bool = False) -> NameMatch | Outcome:
        """The pattern `name` matches, or the Outcome saying why none does
        (MALFORMED_INDEX or one of `_unmatched`'s).

        A name whose first segment is no root of the table is UNDEFINED
        before anything else in it is read. `containers` also matches a
        prefix of a pattern ("cmi.interactions.0.objectives"), for questions
        about an array itself.
        """
        if not isinstance(name, str) or _read_plain(name, 0)[0] not in self._root.literals:
            return Outcome.UNDEFINED
        walk, start = _Walk(name, self._root), 0
        while start <= len(name):
            following = walk.advance(start)
            if following is None:
                return Outcome.MALFORMED_INDEX
            start = following
        return walk.result(containers)


def concrete(pattern: str, indexes: Iterable[int] = (), keys: Iterable[tuple[str, str]] = ()) -> str:
    """`pattern` with its placeholders filled in order: the first "n" with
    the first index and so on, each "{key}" with the value given for it."""
    numbers, values = iter(indexes), dict(keys)

    def fill(part: str) -> str:
        if part == INDEX:
            return str(next(numbers))
        placeholder = KEY_PLACEHOLDER.fullmatch(part)
        return part if placeholder is None else f"{{{placeholder[1]}={values[placeholder[1]]}}}"

    return ".".join(fill(part) for part in pattern.split("."))
