"""The element name grammar: segments, indexes, keyed segments, and matching
a concrete name against a table's patterns."""

import pytest

from scormapi.cmi.names import NameMatch, PatternTree, concrete
from scormapi.cmi.outcomes import Outcome

PATTERNS = (
    "cmi._version",
    "cmi.core._children",
    "cmi.core.lesson_status",
    "cmi.interactions._count",
    "cmi.interactions.n.id",
    "cmi.interactions.n.objectives._count",
    "cmi.interactions.n.objectives.n.id",
    "adl.nav.request",
    "adl.nav.request_valid.choice.{target}",
    "adl.nav.request_valid.jump.{target}",
)
TREE = PatternTree(PATTERNS)


def test_a_plain_name_matches_its_pattern():
    assert TREE.match("cmi.core.lesson_status") == NameMatch("cmi.core.lesson_status")


def test_indexes_are_returned_with_the_arrays_they_index():
    assert TREE.match("cmi.interactions.12.objectives.0.id") == NameMatch(
        pattern="cmi.interactions.n.objectives.n.id",
        indexes=(12, 0),
        arrays=(("cmi.interactions", 12), ("cmi.interactions.12.objectives", 0)),
        array_patterns=("cmi.interactions", "cmi.interactions.n.objectives"),
    )


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("adl.nav.request_valid.choice.{target=intro_1}", "intro_1"),
        # Activity identifiers may hold dots; the segment runs to its "}".
        ("adl.nav.request_valid.choice.{target=unit.1.intro}", "unit.1.intro"),
        ("adl.nav.request_valid.jump.{target=urn:x:y}", "urn:x:y"),
        ("adl.nav.request_valid.jump.{target=01}", "01"),
    ],
)
def test_a_keyed_segment_gives_its_key_and_value(name, target):
    pattern = "adl.nav.request_valid." + name.split(".")[3] + ".{target}"
    assert TREE.match(name) == NameMatch(pattern, keys=(("target", target),))


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        # no target, an empty one, another key, text after the closing brace
        ("adl.nav.request_valid.choice", Outcome.MISSING_KEY),
        ("adl.nav.request_valid.choice.{target=}", Outcome.UNKNOWN_CHILD),
        ("adl.nav.request_valid.choice.{lang=en}", Outcome.UNKNOWN_CHILD),
        ("adl.nav.request_valid.choice.{target=a}b", Outcome.UNKNOWN_CHILD),
        ("adl.nav.request_valid.choice.{target=a", Outcome.UNKNOWN_CHILD),
        ("adl.nav.request_valid.choice.target=a", Outcome.UNKNOWN_CHILD),
        ("adl.nav.request_valid.choice.{TARGET=a}", Outcome.UNKNOWN_CHILD),
        # a value ends at the first "}", which must end the segment
        ("adl.nav.request_valid.jump.{target={lang=en}}", Outcome.UNKNOWN_CHILD),
        # braces where no pattern has a key are plain text, dots and all
        ("cmi.core.{target=a}", Outcome.UNKNOWN_CHILD),
        ("cmi.{target=a.b}.x", Outcome.UNDEFINED),
        ("adl.nav.request.{target=a}", Outcome.UNKNOWN_CHILD),
    ],
)
def test_malformed_or_misplaced_keyed_segments(name, outcome):
    assert TREE.match(name) == outcome


def test_a_keyed_segment_may_not_swallow_a_following_segment():
    assert TREE.match("adl.nav.request_valid.choice.{target=a}.x") == Outcome.UNKNOWN_CHILD


@pytest.mark.parametrize(
    "name",
    [
        "cmi.interactions.01.id",
        "cmi.interactions.00.id",
        "cmi.interactions.1000000000.id",
        "cmi.interactions." + "9" * 5000 + ".id",
        # wherever it stands, even past the point where the name left the table
        "cmi.foo.01",
        "cmi.core.lesson_status.007",
    ],
    ids=lambda n: n[:40],
)
def test_a_non_canonical_index_is_malformed(name):
    assert TREE.match(name) == Outcome.MALFORMED_INDEX


def test_the_largest_index_is_nine_digits():
    assert TREE.match("cmi.interactions.999999999.id").indexes == (999999999,)


def test_digits_other_than_ascii_are_no_index():
    assert TREE.match("cmi.interactions.\u0665.id") == Outcome.UNDEFINED


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        # outside every root: undefined before anything else is read
        ("", Outcome.UNDEFINED),
        ("01.x", Outcome.UNDEFINED),
        ("CMI.core.lesson_status", Outcome.UNDEFINED),
        ("cmi5.core", Outcome.UNDEFINED),
        (None, Outcome.UNDEFINED),
        (["cmi.core"], Outcome.UNDEFINED),
        # empty segments
        (".cmi", Outcome.UNDEFINED),
        ("cmi.", Outcome.UNDEFINED),
        ("cmi..core", Outcome.UNDEFINED),
        ("cmi.core.", Outcome.UNKNOWN_CHILD),
        ("cmi.core..lesson_status", Outcome.UNDEFINED),
        ("cmi.core.lesson_status.", Outcome.UNKNOWN_CHILD),
        # a prefix used as a leaf: undefined at the root, unknown below it
        ("cmi", Outcome.UNDEFINED),
        ("cmi.core", Outcome.UNDEFINED),
        ("cmi.interactions.0", Outcome.UNKNOWN_CHILD),
        # "n" is the placeholder of patterns, never an index of a name
        ("cmi.interactions.n.id", Outcome.UNDEFINED),
        # keywords asked of elements without them
        ("cmi.core.lesson_status._children", Outcome.NO_CHILDREN),
        ("cmi._children", Outcome.NO_CHILDREN),
        ("cmi.core._count", Outcome.NOT_AN_ARRAY),
        ("cmi.interactions.0._count", Outcome.NOT_AN_ARRAY),
        ("cmi.foo._count", Outcome.UNDEFINED),
    ],
    ids=repr,
)
def test_names_matching_no_pattern(name, outcome):
    assert TREE.match(name) == outcome


def test_very_long_names_are_answered():
    deep = "cmi." + ".".join(["x"] * 100_000)
    assert TREE.match(deep) == Outcome.UNDEFINED
    assert TREE.match("cmi.core." + "x" * 1_000_000) == Outcome.UNKNOWN_CHILD
    assert TREE.match("cmi.interactions" + ".0" * 50_000) == Outcome.UNDEFINED
    assert TREE.match("cmi.interactions" + ".0" * 50_000 + ".01") == Outcome.MALFORMED_INDEX
    target = "t" * 100_000
    assert TREE.match(f"adl.nav.request_valid.choice.{{target={target}}}").keys == (("target", target),)


def test_containers_match_prefixes_of_patterns_only_when_asked():
    assert TREE.match("cmi.interactions.3.objectives") == Outcome.UNKNOWN_CHILD
    assert TREE.match("cmi.interactions.3.objectives", containers=True) == NameMatch(
        "cmi.interactions.n.objectives",
        indexes=(3,),
        arrays=(("cmi.interactions", 3),),
        array_patterns=("cmi.interactions",),
    )


def test_concrete_fills_placeholders_in_order():
    assert concrete("cmi.interactions.n.objectives.n.id", [2, 0]) == "cmi.interactions.2.objectives.0.id"
    # fewer placeholders than indexes: the leading ones fill them
    assert concrete("cmi.interactions.n.id", [2, 0]) == "cmi.interactions.2.id"
    assert concrete("adl.nav.request_valid.choice.{target}", keys=[("target", "a.b")]) == (
        "adl.nav.request_valid.choice.{target=a.b}"
    )


@pytest.mark.parametrize(
    ("patterns", "message"),
    [
        (("a.b", "a.b"), "pattern listed twice: 'a.b'"),
        (("a.0.b",), "a digit segment is always an index: 'a.0'"),
        (("a.{target}", "a.{lang}"), "two keys under one element: 'a.{lang}'"),
    ],
)
def test_a_table_with_ambiguous_patterns_is_refused(patterns, message):
    with pytest.raises(ValueError) as raised:
        PatternTree(patterns)
    assert str(raised.value) == message
