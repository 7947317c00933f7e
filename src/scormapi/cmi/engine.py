"""The data-model engine every SCORM version runs on: a table of element
rules gives name resolution, GetValue/SetValue over a state, value
validation, and the JSON a browser validator applies the same rules from.

State is a flat dict from concrete element name to value, e.g.
{"cmi.core.lesson_status": "incomplete", "cmi.interactions.0.id": "q1"}.
Array counts are never stored: `_count` is derived from the keys present.

Every answer is an `Outcome`, never an error number: each version maps
outcomes to its own codes, and may read some outcomes differently (SCORM 1.2
reads VALUE_NOT_INITIALIZED as "" without an error).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from .datatypes import DataType
from .names import CANONICAL_INDEX, INDEX, KEY_PLACEHOLDER, NameMatch, PatternTree, concrete
from .outcomes import Outcome

# Names refused below an element the table knows: where SCORM 2004 may find
# an array gap first (`DataModel._gap_on_the_way`).
_BELOW_A_KNOWN_ELEMENT = frozenset(
    {Outcome.UNKNOWN_CHILD, Outcome.NO_CHILDREN, Outcome.NOT_AN_ARRAY, Outcome.NO_VERSION}
)

# What `Element.keyword` holds for "_children", "_count" and "_version".
KEYWORD_CHILDREN, KEYWORD_COUNT, KEYWORD_VERSION = "children", "count", "version"
_COUNT_SUFFIX = "._count"


def _number(text: str) -> float:
    """A stored number as JavaScript's Number reads it: one that is not a
    number compares as NaN (never at or above anything), so a state
    assembled by hand gets the browser's answer rather than an error."""
    try:
        return float(text)
    except ValueError:
        return float("nan")


@dataclass(frozen=True)
class Evaluation:
    """A value the LMS works out on every read rather than storing what
    content set: when `threshold` is stored, `measure` at or above it reads
    as `met`, below it as `unmet`, and unset as `unset` (SCORM 2004's
    completion_status from completion_threshold and progress_measure).
    Compared as IEEE-754 doubles, as the browser compares them."""

    threshold: str
    measure: str
    met: str
    unmet: str
    unset: str

    def value(self, state: Mapping[str, str]) -> str | None:
        """The evaluated value, or None when no threshold applies."""
        threshold = state.get(self.threshold)
        if threshold is None or threshold == "":
            return None
        measure = state.get(self.measure, "")
        if measure == "":
            return self.unset
        return self.met if _number(measure) >= _number(threshold) else self.unmet

    def to_json(self) -> dict:
        return {
            "threshold": self.threshold,
            "measure": self.measure,
            "met": self.met,
            "unmet": self.unmet,
            "unset": self.unset,
        }


@dataclass(frozen=True)
class Element:
    """One rule of a table.

    `access` is "RO", "RW" or "WO". `keyword` is one of the KEYWORD_ names
    for the keyword elements; `value` is the fixed answer of a "children" or
    "version" keyword. `content_excluded` lists values of the type that content
    may not set (only the LMS may). `operator_limit` marks an element whose
    length limit the operator may raise. `requires` is the pattern of an
    element of the same array item that must be set before this one
    (interactions.n.type before interactions.n.correct_responses.n.pattern).

    What SCORM 2004 adds:
    - `type_by`: the pattern of an element whose value picks this one's
      type, named `f"{type}.{value}"` ("pattern.choice" for a choice
      interaction's correct response);
    - `unique`: the value may not repeat in another item of the innermost
      array, and `unique_by` the values of `type_by` for which it may not;
    - `limit_by`: (value of `type_by`, most items of the innermost array);
    - `write_once`: a stored value may be set again only unchanged;
    - `clears`: patterns of the same item, removed with everything below
      them when this element's stored value changes;
    - `default`: what a read answers while nothing is stored;
    - `evaluated`: the LMS's rule that overrides the stored value on reads.
    """

    pattern: str
    type: str
    access: str
    keyword: str | None = None
    value: str | None = None
    content_excluded: tuple[str, ...] = ()
    operator_limit: bool = False
    requires: str | None = None
    type_by: str | None = None
    unique: bool = False
    unique_by: tuple[str, ...] = ()
    limit_by: tuple[tuple[str, int], ...] = ()
    write_once: bool = False
    clears: tuple[str, ...] = ()
    default: str | None = None
    evaluated: Evaluation | None = None

    def to_json(self, operator_max_length: int | None) -> dict:
        data = {
            "pattern": self.pattern,
            "type": self.type,
            "access": self.access,
            "keyword": self.keyword,
            "value": self.value,
            "content_excluded": list(self.content_excluded),
            "max_length": operator_max_length if self.operator_limit else None,
        }
        # Only where set, so a model without dependencies (SCORM 1.2) keeps
        # the shape its browser adapter reads.
        if self.requires is not None:
            data["requires"] = self.requires
        data.update(self._json_2004())
        return data

    def _json_2004(self) -> dict:
        """The rules SCORM 1.2 has no use for, only where set."""
        data: dict = {}
        for name in ("type_by", "default"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        for name in ("unique", "write_once"):
            if getattr(self, name):
                data[name] = True
        for name in ("unique_by", "clears"):
            if getattr(self, name):
                data[name] = list(getattr(self, name))
        if self.limit_by:
            data["limit_by"] = dict(self.limit_by)
        if self.evaluated is not None:
            data["evaluated"] = self.evaluated.to_json()
        return data


@dataclass(frozen=True)
class Resolved:
    """A concrete name matched to its rule.

    `arrays` pairs each index in the name with the concrete name of the array
    it indexes, outermost first: for "cmi.interactions.2.objectives.0.id",
    (("cmi.interactions", 2), ("cmi.interactions.2.objectives", 0)). `keys`
    holds the keyed segments' (key, value) pairs.
    """

    name: str
    element: Element
    indexes: tuple[int, ...]
    arrays: tuple[tuple[str, int], ...]
    keys: tuple[tuple[str, str], ...] = ()
    # The item leaves (see `_item_leaves`) of each array in `arrays`.
    item_leaves: tuple[tuple[str, ...], ...] = field(default=(), repr=False, compare=False)


def _item_leaves(elements: tuple[Element, ...]) -> dict[str, tuple[str, ...]]:
    """For each array pattern, the names relative to one of its items that
    can be stored, nested arrays at index 0: whether an item exists is a few
    dict lookups, whatever the size of the state."""
    leaves: dict[str, list[str]] = {}
    for element in elements:
        if element.keyword is not None:
            continue
        parts = element.pattern.split(".")
        for position in (i for i, part in enumerate(parts) if part == INDEX):
            below = ["0" if p == INDEX else p for p in parts[position + 1 :]]
            if any(KEY_PLACEHOLDER.fullmatch(p) for p in below):
                raise ValueError(f"a keyed segment inside an array item: {element.pattern!r}")
            leaves.setdefault(".".join(parts[:position]), []).append(".".join(below))
    return {array: tuple(names) for array, names in leaves.items()}


def _item_exists(state: Mapping[str, str], array: str, index: int, leaves: tuple[str, ...]) -> bool:
    prefix = f"{array}.{index}."
    return any(prefix + leaf in state for leaf in leaves)


def _count_items(state: Mapping[str, str], array: str, leaves: tuple[str, ...]) -> int:
    """The number of items before the first missing one, found by doubling
    then bisecting, since items are contiguous from 0."""
    if not _item_exists(state, array, 0, leaves):
        return 0
    present, missing = 0, 1
    while _item_exists(state, array, missing, leaves):
        present, missing = missing, missing * 2
    while missing - present > 1:
        middle = (present + missing) // 2
        if _item_exists(state, array, middle, leaves):
            present = middle
        else:
            missing = middle
    return missing


def _arrays_fit(
    state: Mapping[str, str],
    arrays: tuple[tuple[str, int], ...],
    item_leaves: tuple[tuple[str, ...], ...],
    *,
    appending: bool,
) -> bool:
    """Whether every (array, index) names an item that exists or, when
    `appending`, the next one (after an existing item, or at 0)."""
    for (array, index), leaves in zip(arrays, item_leaves):
        if _item_exists(state, array, index, leaves):
            continue
        if not appending or (index > 0 and not _item_exists(state, array, index - 1, leaves)):
            return False
    return True


class DataModel:
    """One version's element table and data types, and the operations on a
    state that follow from them."""

    def __init__(
        self,
        elements: tuple[Element, ...],
        types: Mapping[str, DataType],
        *,
        access_last: bool = False,
        root_keywords: bool = True,
    ) -> None:
        """`access_last` puts the read-only and keyword checks of a set after
        the array and dependency checks, as SCORM 2004 orders them (1.2
        checks access first). `root_keywords` False makes a keyword the
        table lacks right under a root ("cmi._children") an undefined name
        rather than a keyword asked of the wrong element, as SCORM 2004
        has it."""
        self.elements = elements
        self.types = types
        self.access_last = access_last
        self.root_keywords = root_keywords
        self._by_pattern = {e.pattern: e for e in elements}
        broken = [e.pattern for e in elements if not self._typed(e) or self._dangling(e)]
        if broken:
            raise ValueError(f"unknown type or dependency: {', '.join(broken)}")
        self._tree = PatternTree(e.pattern for e in elements)
        self._item_leaves = _item_leaves(elements)
        # Content asks for the same few names over and over; results are immutable.
        self._resolve_name = lru_cache(maxsize=8192)(self._resolve_uncached)

    def _typed(self, element: Element) -> bool:
        """Whether every type the element can take is in the table."""
        if element.type_by is None:
            return element.type in self.types
        selector = self._by_pattern.get(element.type_by)
        if selector is None or selector.type not in self.types:
            return False
        values = self.types[selector.type].vocabulary
        return bool(values) and all(f"{element.type}.{value}" in self.types for value in values)

    def _dangling(self, element: Element) -> bool:
        """Whether `element` depends on something no value can be set on."""
        if element.requires is None:
            return False
        required = self._by_pattern.get(element.requires)
        return required is None or required.keyword is not None

    def resolve(self, name: str) -> Resolved | Outcome:
        """The rule for a concrete element name, or the Outcome naming why
        there is none (see `names.PatternTree.match`). Array bounds need the
        state and are checked by `get_value`/`set_value`."""
        # Names come from content as sent, not always as a str.
        return self._resolve_name(name) if isinstance(name, str) else Outcome.UNDEFINED

    def _resolve_uncached(self, name: str) -> Resolved | Outcome:
        match = self._tree.match(name)
        if match in (Outcome.NO_CHILDREN, Outcome.NOT_AN_ARRAY) and not self.root_keywords and name.count(".") == 1:
            return Outcome.UNDEFINED
        if isinstance(match, Outcome):
            return match
        leaves = tuple(self._item_leaves.get(array, ()) for array in match.array_patterns)
        element = self._by_pattern[match.pattern]
        return Resolved(name, element, match.indexes, match.arrays, match.keys, leaves)

    def item_count(self, state: Mapping[str, str], array: str) -> int:
        """The `_count` of a concrete array name ("cmi.interactions",
        "cmi.interactions.0.objectives"); ValueError for a name that is not one.

        `set_value` stores items in order, so they are contiguous from index
        0: an item exists when one of its elements is stored, and the count is
        the number of items before the first missing one. (In a state
        assembled by hand with a gap the count stops at the gap; the items
        after it can still be read and written by name.)
        """
        match = self._tree.match(array, containers=True)
        if not isinstance(match, NameMatch) or match.pattern not in self._item_leaves:
            raise ValueError(f"not an array: {array!r}")
        return _count_items(state, array, self._item_leaves[match.pattern])

    def _items_fit(self, state: Mapping[str, str], resolved: Resolved, *, appending: bool) -> bool:
        """Reading needs every indexed item to exist (n < _count); writing may
        also append one after an existing item or at 0 (n == _count), at each
        level of nesting."""
        return _arrays_fit(state, resolved.arrays, resolved.item_leaves, appending=appending)

    def _gap_on_the_way(self, state: Mapping[str, str], name: str) -> bool:
        """Whether a name that matches nothing passes an array index past
        its _count first ("cmi.interactions.5.bogus" with no interactions):
        SCORM 2004 reads a name left to right, so the gap is its failure."""
        parts = name.split(".")
        for end in range(len(parts) - 1, 0, -1):
            match = self._tree.match(".".join(parts[:end]), containers=True)
            if isinstance(match, NameMatch):
                leaves = tuple(self._item_leaves.get(array, ()) for array in match.array_patterns)
                return not _arrays_fit(state, match.arrays, leaves, appending=True)
        return False

    def get_value(self, state: Mapping[str, str], name: str, *, as_lms: bool = False) -> tuple[str, Outcome]:
        """GetValue over a state: (value, OK) or ("", why not).

        Checks run in this order: the name, the array items it indexes must
        exist (NO_SUCH_ITEM), keywords answer from the table or the state,
        write-only elements refuse content (the LMS reads everything it
        stores), an element never set is VALUE_NOT_INITIALIZED.
        """
        resolved = self.resolve(name)
        if isinstance(resolved, Outcome):
            return "", resolved
        if not self._items_fit(state, resolved, appending=False):
            return "", Outcome.NO_SUCH_ITEM
        element = resolved.element
        if element.keyword == KEYWORD_COUNT:
            array = resolved.name.removesuffix(_COUNT_SUFFIX)
            leaves = self._item_leaves.get(element.pattern.removesuffix(_COUNT_SUFFIX), ())
            return str(_count_items(state, array, leaves)), Outcome.OK
        if element.keyword is not None:
            return element.value or "", Outcome.OK
        if element.access == "WO" and not as_lms:
            return "", Outcome.WRITE_ONLY
        evaluated = element.evaluated.value(state) if element.evaluated is not None else None
        if evaluated is not None:
            return evaluated, Outcome.OK
        if resolved.name not in state:
            if element.default is not None:
                return element.default, Outcome.OK
            return "", Outcome.VALUE_NOT_INITIALIZED
        return state[resolved.name], Outcome.OK

    def _selector(self, state: Mapping[str, str] | None, resolved: Resolved) -> str | None:
        """The stored value of the element that picks `resolved`'s type."""
        type_by = resolved.element.type_by
        if type_by is None or state is None:
            return None
        return state.get(concrete(type_by, resolved.indexes, resolved.keys))

    def _check_type(
        self,
        resolved: Resolved,
        value: str,
        operator_max_length: int | None,
        state: Mapping[str, str] | None,
    ) -> Outcome:
        element = resolved.element
        type_name = element.type
        if element.type_by is not None:
            selector = self._selector(state, resolved)
            if selector is None:
                return Outcome.DEPENDENCY_NOT_ESTABLISHED
            type_name = f"{element.type}.{selector}"
        limit = operator_max_length if element.operator_limit else None
        return self.types[type_name].check(value, max_length=limit)

    def validate_value(
        self,
        name: str,
        value: str,
        *,
        operator_max_length: int | None = None,
        state: Mapping[str, str] | None = None,
    ) -> Outcome:
        """Whether `value` may be stored in `name` as far as its type goes.

        Name outcomes are returned as `resolve` reports them; no value can be
        set on a keyword. Access, array items, dependencies and the
        content-only values are `set_value`'s business, so an LMS edit can be
        validated with this alone. `operator_max_length` is the limit of the
        elements whose limit the operator may raise. An element whose type
        another element picks (`type_by`) is checked against `state`.
        """
        resolved = self.resolve(name)
        if isinstance(resolved, Outcome):
            return resolved
        if resolved.element.keyword is not None:
            return Outcome.KEYWORD_IS_READ_ONLY
        return self._check_type(resolved, value, operator_max_length, state)

    def _may_set(self, state: Mapping[str, str], resolved: Resolved, value: str, as_lms: bool) -> Outcome:
        """What `set_value` checks before the value's type: access, then the
        array items and the dependency, or (`access_last`) the other way round."""
        checks = (self._access, self._placement) if not self.access_last else (self._placement, self._access)
        for check in checks:
            outcome = check(state, resolved, value, as_lms)
            if outcome is not Outcome.OK:
                return outcome
        return Outcome.OK

    def _access(self, state: Mapping[str, str], resolved: Resolved, value: str, as_lms: bool) -> Outcome:
        element = resolved.element
        if element.keyword is not None:
            return Outcome.KEYWORD_IS_READ_ONLY
        if element.access == "RO" and not as_lms:
            return Outcome.READ_ONLY
        return Outcome.OK

    def _placement(self, state: Mapping[str, str], resolved: Resolved, value: str, as_lms: bool) -> Outcome:
        """Array items n <= _count and within the array's limit, the
        dependency, then uniqueness and write-once."""
        element = resolved.element
        if not self._items_fit(state, resolved, appending=True):
            return Outcome.INDEX_OUT_OF_ORDER
        limit = dict(element.limit_by).get(self._selector(state, resolved) or "")
        if limit is not None and resolved.indexes[-1] >= limit:
            return Outcome.ITEM_LIMIT
        if element.requires and concrete(element.requires, resolved.indexes, resolved.keys) not in state:
            return Outcome.DEPENDENCY_NOT_ESTABLISHED
        if element.write_once and state.get(resolved.name, value) != value:
            return Outcome.WRITE_ONCE
        if self._must_be_unique(state, resolved) and self._repeats(state, resolved, value):
            return Outcome.NOT_UNIQUE
        return Outcome.OK

    def _must_be_unique(self, state: Mapping[str, str], resolved: Resolved) -> bool:
        element = resolved.element
        return element.unique or (bool(element.unique_by) and self._selector(state, resolved) in element.unique_by)

    def _repeats(self, state: Mapping[str, str], resolved: Resolved, value: str) -> bool:
        """Whether another item of the innermost array holds `value` in the
        same element."""
        array, index = resolved.arrays[-1]
        leaf = resolved.name[len(f"{array}.{index}.") :]
        count = _count_items(state, array, resolved.item_leaves[-1])
        return any(state.get(f"{array}.{other}.{leaf}") == value for other in range(count) if other != index)

    def _clear(self, state: dict[str, str], resolved: Resolved, old: str | None, value: str) -> None:
        """Remove what a changed value invalidates (`Element.clears`)."""
        if old is None or old == value:
            return
        for pattern in resolved.element.clears:
            prefix = concrete(pattern, resolved.indexes, resolved.keys)
            for name in [n for n in state if n == prefix or n.startswith(prefix + ".")]:
                del state[name]

    def set_value(
        self,
        state: dict[str, str],
        name: str,
        value: str,
        *,
        as_lms: bool = False,
        operator_max_length: int | None = None,
    ) -> Outcome:
        """SetValue over a state; stores the value only when OK.

        Checks run in this order: the name, `_may_set`'s, the value's type
        (`DataType.check`), and for content a value only the LMS may set
        (RESERVED_FOR_LMS). A stored value that changes removes what its
        element `clears`.
        """
        resolved = self.resolve(name)
        if isinstance(resolved, Outcome):
            if self.access_last and resolved in _BELOW_A_KNOWN_ELEMENT and self._gap_on_the_way(state, name):
                return Outcome.INDEX_OUT_OF_ORDER
            return resolved
        outcome = self._may_set(state, resolved, value, as_lms)
        if outcome is Outcome.OK:
            outcome = self._check_type(resolved, value, operator_max_length, state)
        if outcome is Outcome.OK and not as_lms and value in resolved.element.content_excluded:
            outcome = Outcome.RESERVED_FOR_LMS
        if outcome is Outcome.OK:
            old = state.get(resolved.name)
            state[resolved.name] = value
            self._clear(state, resolved, old, value)
        return outcome

    def table_json(self, *, operator_max_length: int | None = None) -> dict:
        """The rules a browser validator needs, as a JSON-serialisable dict
        with a deterministic shape and order.

        Regexes are anchored and meant for the "u" flag; an element's non-null
        `max_length` overrides its type's. Index segments match `index_regex`
        and stand for "n" in patterns. `arrays` maps each array pattern to the
        names, relative to one item, whose storage makes the item exist (see
        `item_count`).
        """
        data = {
            "index_regex": f"^(?:{CANONICAL_INDEX.pattern})$",
            "regex_flags": "u",
            "types": {name: self.types[name].to_json() for name in sorted(self.types)},
            "elements": [e.to_json(operator_max_length) for e in self.elements],
            "arrays": {array: list(self._item_leaves[array]) for array in sorted(self._item_leaves)},
        }
        lookups = self._lookups()
        if lookups:
            data["lookups"] = lookups
        if self.access_last:
            data["access_last"] = True
        if not self.root_keywords:
            data["root_keywords"] = False
        return data

    def _lookups(self) -> dict[str, list[str]]:
        """The tables the types' formats name, each once (see `datatypes.Format`)."""
        tables: dict[str, list[str]] = {}
        for name in sorted(self.types):
            found = self.types[name].format
            for table, values in (found.lookups() if found is not None else {}).items():
                tables[table] = list(values)
        return tables
