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

# What `Element.keyword` holds for "_children", "_count" and "_version".
KEYWORD_CHILDREN, KEYWORD_COUNT, KEYWORD_VERSION = "children", "count", "version"
_COUNT_SUFFIX = "._count"


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
    """

    pattern: str
    type: str
    access: str
    keyword: str | None = None
    value: str | None = None
    content_excluded: tuple[str, ...] = ()
    operator_limit: bool = False
    requires: str | None = None

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


class DataModel:
    """One version's element table and data types, and the operations on a
    state that follow from them."""

    def __init__(self, elements: tuple[Element, ...], types: Mapping[str, DataType]) -> None:
        self.elements = elements
        self.types = types
        self._by_pattern = {e.pattern: e for e in elements}
        broken = [e.pattern for e in elements if e.type not in types or self._dangling(e)]
        if broken:
            raise ValueError(f"unknown type or dependency: {', '.join(broken)}")
        self._tree = PatternTree(e.pattern for e in elements)
        self._item_leaves = _item_leaves(elements)
        # Content asks for the same few names over and over; results are immutable.
        self._resolve_name = lru_cache(maxsize=8192)(self._resolve_uncached)

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
        for (array, index), leaves in zip(resolved.arrays, resolved.item_leaves):
            if _item_exists(state, array, index, leaves):
                continue
            if not appending or (index > 0 and not _item_exists(state, array, index - 1, leaves)):
                return False
        return True

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
        if resolved.name not in state:
            return "", Outcome.VALUE_NOT_INITIALIZED
        return state[resolved.name], Outcome.OK

    def _check_type(self, element: Element, value: str, operator_max_length: int | None) -> Outcome:
        limit = operator_max_length if element.operator_limit else None
        return self.types[element.type].check(value, max_length=limit)

    def validate_value(self, name: str, value: str, *, operator_max_length: int | None = None) -> Outcome:
        """Whether `value` may be stored in `name` as far as its type goes.

        Name outcomes are returned as `resolve` reports them; no value can be
        set on a keyword. Access, array items, dependencies and the
        content-only values are `set_value`'s business, so an LMS edit can be
        validated with this alone. `operator_max_length` is the limit of the
        elements whose limit the operator may raise.
        """
        resolved = self.resolve(name)
        if isinstance(resolved, Outcome):
            return resolved
        if resolved.element.keyword is not None:
            return Outcome.KEYWORD_IS_READ_ONLY
        return self._check_type(resolved.element, value, operator_max_length)

    def _may_set(self, state: Mapping[str, str], resolved: Resolved, as_lms: bool) -> Outcome:
        """What `set_value` checks before the value: keyword, read-only for
        content, array items n <= _count, then the dependency."""
        element = resolved.element
        if element.keyword is not None:
            return Outcome.KEYWORD_IS_READ_ONLY
        if element.access == "RO" and not as_lms:
            return Outcome.READ_ONLY
        if not self._items_fit(state, resolved, appending=True):
            return Outcome.INDEX_OUT_OF_ORDER
        if element.requires and concrete(element.requires, resolved.indexes, resolved.keys) not in state:
            return Outcome.DEPENDENCY_NOT_ESTABLISHED
        return Outcome.OK

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
        (RESERVED_FOR_LMS).
        """
        resolved = self.resolve(name)
        if isinstance(resolved, Outcome):
            return resolved
        outcome = self._may_set(state, resolved, as_lms)
        if outcome is Outcome.OK:
            outcome = self._check_type(resolved.element, value, operator_max_length)
        if outcome is Outcome.OK and not as_lms and value in resolved.element.content_excluded:
            outcome = Outcome.RESERVED_FOR_LMS
        if outcome is Outcome.OK:
            state[resolved.name] = value
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
        return {
            "index_regex": f"^(?:{CANONICAL_INDEX.pattern})$",
            "regex_flags": "u",
            "types": {name: self.types[name].to_json() for name in sorted(self.types)},
            "elements": [e.to_json(operator_max_length) for e in self.elements],
            "arrays": {array: list(self._item_leaves[array]) for array in sorted(self._item_leaves)},
        }
