"""SCORM 2004 interaction patterns and learner responses: one format per
interaction type and role, checked on the values of the ADL conformance
test suite and on each rule of their structure."""

import pytest

from scormapi.cmi.outcomes import Outcome
from scormapi.cmi.scorm2004 import interactions
from scormapi.cmi.scorm2004.interactions import (
    INTERACTION_TYPES,
    PATTERN_MAX,
    TYPES,
    UNIQUE_PATTERN_TYPES,
    InteractionFormat,
    check_response,
    read_delimiters,
)
from scormapi.cmi.scorm2004.language import TABLES as LANGUAGE_TABLES

OK = Outcome.OK
BAD = Outcome.TYPE_MISMATCH
BOTH = ("pattern", "response")

# 250 characters, the limit of a short identifier, a fill-in answer and a
# performance step answer.
ID250 = "i" * 250
TEXT250 = "t" * 250

# Values the ADL conformance test suite sets, with the answer it expects:
# (type, roles, value, outcome).
CTS = [
    ("true-false", BOTH, "true", OK),
    ("true-false", BOTH, "false", OK),
    ("true-false", BOTH, "true-false", BAD),
    ("true-false", BOTH, "invalid", BAD),
    ("true-false", ("pattern",), "", BAD),
    ("true-false", ("pattern",), "a[,]a", BAD),
    ("choice", BOTH, "z", OK),
    ("choice", BOTH, "[,]", BAD),
    ("choice", BOTH, "{}{[]}{}{[]}{}", BAD),
    ("choice", ("response",), "uri.uri.uri.abcd[,]testuri", OK),
    ("choice", ("pattern",), "", OK),
    ("choice", ("pattern",), "CRPattern2", OK),
    ("fill-in", BOTH, "{lang=en}", OK),
    ("fill-in", BOTH, "[,]", OK),
    ("fill-in", BOTH, "z", OK),
    ("fill-in", BOTH, "uri.uri.uri[.]abcd[,]testuri", OK),
    ("fill-in", BOTH, "{}{[]}{}{[]}{}", OK),
    ("fill-in", ("response",), " ", OK),
    ("fill-in", ("response",), "{lang=fr}This should pass", OK),
    ("fill-in", ("pattern",), "", OK),
    ("fill-in", ("pattern",), "{lang=eng}z", OK),
    ("fill-in", ("pattern",), "{lang=en-US}z", OK),
    ("fill-in", ("pattern",), "{lang=frl}z", BAD),
    ("fill-in", ("pattern",), "{lang=exg}z", BAD),
    ("fill-in", ("pattern",), "{lang=sp}z", BAD),
    ("fill-in", ("pattern",), "{lang=ruq-JM}z", BAD),
    ("fill-in", ("pattern",), "{order_matters=true}z", OK),
    ("fill-in", ("pattern",), "{order_matters=false}z", OK),
    ("fill-in", ("pattern",), "{order_matters=true-false}z", BAD),
    ("fill-in", ("pattern",), "{order_matters=invalid}z", BAD),
    ("fill-in", ("pattern",), "{case_matters=true}z", OK),
    ("fill-in", ("pattern",), "{case_matters=false}z", OK),
    ("fill-in", ("pattern",), "{case_matters=true-false}z", BAD),
    ("fill-in", ("pattern",), "{case_matters=invalid}z", BAD),
    ("fill-in", ("pattern",), "{case_matters=true}{lang=eng}{order_matters=true}z", OK),
    ("fill-in", ("pattern",), "{lang=eng}{case_matters=true}{order_matters=true}z", OK),
    ("fill-in", ("pattern",), "{case_matters=false}{lang=en-US}{order_matters=false}z", OK),
    ("fill-in", ("pattern",), "{lang=en-US}{case_matters=false}{order_matters=false}z", OK),
    ("fill-in", ("pattern",), "{case_matters=true-false}{lang=frl}{order_matters=true-false}z", BAD),
    ("fill-in", ("pattern",), "{lang=frl}{case_matters=true-false}{order_matters=true-false}z", BAD),
    ("fill-in", ("pattern",), "{case_matters=invalid}{lang=exg}{order_matters=invalid}z", BAD),
    ("fill-in", ("pattern",), "{lang=exg}{case_matters=invalid}{order_matters=invalid}z", BAD),
    ("long-fill-in", BOTH, "", OK),
    ("long-fill-in", BOTH, "{lang=en}", OK),
    ("long-fill-in", BOTH, " ", OK),
    ("long-fill-in", BOTH, "z", OK),
    ("long-fill-in", BOTH, "{}{[]}{}{[]}{}", OK),
    ("long-fill-in", ("response",), "uri.uri.uri[.]abcd[,]testuri", OK),
    ("long-fill-in", ("pattern",), "uri.uri.uri.uri.abcd[,]testuri", OK),
    ("long-fill-in", ("pattern",), "{lang=eng}z", OK),
    ("long-fill-in", ("pattern",), "{lang=en-US}z", OK),
    ("long-fill-in", ("pattern",), "{lang=frl}z", BAD),
    ("long-fill-in", ("pattern",), "{lang=exg}z", BAD),
    ("long-fill-in", ("pattern",), "{lang=sp}z", BAD),
    ("long-fill-in", ("pattern",), "{lang=ruq-JM}z", BAD),
    ("long-fill-in", ("pattern",), "{case_matters=true}z", OK),
    ("long-fill-in", ("pattern",), "{case_matters=false}z", OK),
    ("long-fill-in", ("pattern",), "{case_matters=true-false}z", BAD),
    ("long-fill-in", ("pattern",), "{case_matters=invalid}z", BAD),
    ("long-fill-in", ("pattern",), "{case_matters=true}{lang=eng}z", OK),
    ("long-fill-in", ("pattern",), "{case_matters=false}{lang=en-US}z", OK),
    ("long-fill-in", ("pattern",), "{case_matters=true-false}{lang=frl}z", BAD),
    ("long-fill-in", ("pattern",), "{case_matters=invalid}{lang=exg}z", BAD),
    ("likert", BOTH, "asdftyuioplkjhgfdsazxcvbnm0987654321qwertyuioplk50", OK),
    ("likert", BOTH, "z", OK),
    ("likert", BOTH, "uri.uri.uri[.]abcd[,]testuri", BAD),
    ("likert", BOTH, "{}{[]}{}{[]}{}", BAD),
    ("matching", BOTH, "uri.uri.uri[.]abcd[,]testuri", BAD),
    ("matching", BOTH, "{}{[]}{}{[]}{}", BAD),
    ("matching", ("pattern",), "z", BAD),
    ("matching", ("pattern",), "a[.]", BAD),
    ("performance", BOTH, "uri.uri.uri[.]abcd[,]testuri", BAD),
    ("performance", BOTH, "{}{[]}{}{[]}{}", BAD),
    ("sequencing", BOTH, "[,]", BAD),
    ("sequencing", BOTH, "z", OK),
    ("sequencing", BOTH, "uri.uri.uri[.]abcd[,]testuri", BAD),
    ("sequencing", BOTH, "{}{[]}{}{[]}{}", BAD),
    ("sequencing", ("pattern",), "CR1", OK),
    ("numeric", ("response",), "410", OK),
    ("numeric", ("response",), "-0.23100", OK),
    ("numeric", ("response",), "-234.23003", OK),
    ("numeric", ("response",), "3.1456200.045", BAD),
    ("numeric", ("response",), "4000.003a", BAD),
    ("numeric", ("response",), "-400[:]-500.00", BAD),
    ("numeric", ("response",), "invalid", BAD),
    ("numeric", ("pattern",), "3[:]10", OK),
    ("numeric", ("pattern",), "3.333[:]4.0", OK),
    ("numeric", ("pattern",), "-1000.333[:]-1.00", OK),
    ("numeric", ("pattern",), "-0.45678[:]90000", OK),
    ("numeric", ("pattern",), "300[:]1.5", BAD),
    ("numeric", ("pattern",), "30[:]-4500", BAD),
    ("numeric", ("pattern",), "100,000.00", BAD),
    ("numeric", ("pattern",), "invalid", BAD),
    ("other", BOTH, "uri.uri.uri[.]abcd[,]testuri", OK),
    ("other", BOTH, "{}{[]}{}{[]}{}", OK),
]

# Each rule of the structure, on both sides of it.
RULES = [
    # true-false: exactly the two tokens, case-sensitive.
    ("true-false", BOTH, "True", BAD),
    ("true-false", BOTH, " true", BAD),
    ("true-false", ("response",), "", BAD),
    # choice: a set of short identifiers.
    ("choice", BOTH, "a[,]b[,]c", OK),
    ("choice", BOTH, "urn:x:1[,]urn:x:2", OK),
    ("choice", ("response",), "", OK),
    ("choice", BOTH, "a[,]b[,]a", BAD),  # duplicate
    ("choice", BOTH, "a[,]A", OK),  # identifiers are case-sensitive
    ("choice", BOTH, "a[,]", BAD),  # trailing separator
    ("choice", BOTH, "[,]a", BAD),
    ("choice", BOTH, "a[,][,]b", BAD),  # empty item
    ("choice", BOTH, "a b", BAD),
    ("choice", BOTH, "urn:", BAD),
    ("choice", BOTH, ID250, OK),
    ("choice", BOTH, ID250 + "i", BAD),
    ("choice", BOTH, "[,]".join(f"c{n}" for n in range(60)), OK),  # past the SPM of 36
    ("choice", BOTH, "{case_matters=true}a", BAD),  # no delimiters: "{" is no identifier character
    # fill-in: localized strings, each at most 250 characters.
    ("fill-in", BOTH, "red[,]{lang=fr}rouge[,]{lang=de-AT}rot", OK),
    ("fill-in", BOTH, "red[,]{lang=xyz}rouge", BAD),
    ("fill-in", BOTH, "red[,]{lang=}rouge", BAD),
    ("fill-in", BOTH, "{LANG=zz}x", OK),  # only lowercase "lang" is a delimiter
    ("fill-in", BOTH, "{lang=en", OK),  # not closed: plain text
    ("fill-in", BOTH, TEXT250, OK),
    ("fill-in", BOTH, "{lang=en}" + TEXT250, OK),  # the delimiter does not count
    ("fill-in", BOTH, TEXT250 + "t", BAD),
    ("fill-in", BOTH, "a[,]" + TEXT250 + "t", BAD),
    ("fill-in", BOTH, "[,]".join(["x"] * 40), OK),  # past the SPM of 10
    ("fill-in", ("pattern",), "{lang=eng}{case_matters=invalid}x", OK),
    ("fill-in", ("pattern",), "{case_matters=true}{order_matters=false}x[,]y", OK),
    ("fill-in", ("pattern",), "{order_matters=false}{case_matters=true}x", OK),
    ("fill-in", ("pattern",), "{case_matters=true}{case_matters=nonsense}x", OK),  # a repeat is text
    ("fill-in", ("pattern",), "{case_matters=true}" + TEXT250, OK),
    ("fill-in", ("pattern",), "{case_matters=true}" + TEXT250 + "t", BAD),
    ("fill-in", ("pattern",), "{order_matters=}x", BAD),
    ("fill-in", ("pattern",), "{case_matters=TRUE}x", BAD),
    ("fill-in", ("response",), "{case_matters=nonsense}x", OK),  # no delimiters: plain text
    # long-fill-in: {case_matters} (pattern) and {lang}, then any text.
    ("long-fill-in", BOTH, "{lang=de}" + "x" * 9000, OK),
    ("long-fill-in", BOTH, "{lang=}x", BAD),
    ("long-fill-in", BOTH, "{lang=xyz}x", BAD),
    ("long-fill-in", BOTH, "{lang=de}{lang=xyz}x", OK),  # a repeat is text
    ("long-fill-in", BOTH, "{lang=de}{case}x", OK),
    ("long-fill-in", ("pattern",), "{lang=de}{case_matters=true}x", OK),
    ("long-fill-in", ("pattern",), "{lang=de}{case_matters=bad}x", BAD),
    ("long-fill-in", ("pattern",), "{order_matters=bad}x", OK),  # not its delimiter: text
    ("long-fill-in", ("response",), "{case_matters=bad}x", OK),
    ("long-fill-in", ("response",), "{lang=de}{case_matters=bad}x", OK),
    # likert: one short identifier.
    ("likert", BOTH, "urn:scale:5", OK),
    ("likert", BOTH, "", BAD),
    ("likert", BOTH, "a[,]b", BAD),
    ("likert", BOTH, ID250 + "i", BAD),
    # matching: source[.]target pairs.
    ("matching", BOTH, "a[.]1", OK),
    ("matching", BOTH, "a[.]1[,]b[.]2[,]a[.]2", OK),
    ("matching", ("pattern",), "", BAD),
    ("matching", ("response",), "", OK),
    ("matching", BOTH, "[.]1", BAD),
    ("matching", BOTH, "a[.]1[.]2", BAD),
    ("matching", BOTH, "a[.]1[,]", BAD),
    ("matching", BOTH, "a[.]1[,][,]b[.]2", BAD),
    ("matching", BOTH, "a 1[.]2", BAD),
    ("matching", BOTH, ID250 + "[.]" + ID250, OK),
    ("matching", BOTH, ID250 + "i[.]1", BAD),
    # performance: {order_matters} (pattern), then step[.]answer records.
    ("performance", BOTH, "step1[.]answer one[,]step2[.]2[:]5", OK),
    ("performance", BOTH, "[.]answer", OK),  # no step name
    ("performance", BOTH, "step1[.]", OK),  # no answer
    ("performance", BOTH, "[.]", BAD),  # neither
    ("performance", BOTH, "", BAD),
    ("performance", BOTH, "step1", BAD),
    ("performance", BOTH, "step1[.]a[.]b", BAD),
    ("performance", BOTH, "step1[.]a[,]", BAD),
    ("performance", BOTH, "step one[.]a", BAD),  # the name is an identifier
    ("performance", BOTH, "s[.]" + TEXT250, OK),
    ("performance", BOTH, "s[.]" + TEXT250 + "t", BAD),
    ("performance", BOTH, "s[.][:]", OK),
    ("performance", BOTH, "s[.]1[:]", OK),
    ("performance", BOTH, "s[.]5[:]1", BAD),  # min > max
    ("performance", BOTH, "s[.]1[:]2[:]3", BAD),
    ("performance", BOTH, "s[.]x[:]2", BAD),
    ("performance", BOTH, "[,]".join(f"s{n}[.]{n}" for n in range(300)), OK),  # past the SPM of 250
    ("performance", ("pattern",), "{order_matters=false}s[.]a", OK),
    ("performance", ("pattern",), "{order_matters=no}s[.]a", BAD),
    ("performance", ("pattern",), "{order_matters=true}{order_matters=true}s[.]a", BAD),  # a repeat is content
    ("performance", ("response",), "{order_matters=false}s[.]a", BAD),
    # sequencing: identifiers in order, repeats allowed.
    ("sequencing", BOTH, "a[,]b[,]a", OK),
    ("sequencing", BOTH, "", BAD),
    ("sequencing", BOTH, "a[,]", BAD),
    ("sequencing", BOTH, "a[,][,]b", BAD),
    ("sequencing", BOTH, ID250 + "i", BAD),
    # numeric: a range as the pattern, a real as the response.
    ("numeric", ("pattern",), "[:]", OK),
    ("numeric", ("pattern",), "1[:]", OK),
    ("numeric", ("pattern",), "[:]-1", OK),
    ("numeric", ("pattern",), "2[:]2", OK),
    ("numeric", ("pattern",), "1e2[:]1.5E3", OK),
    ("numeric", ("pattern",), "1e3[:]1.5E2", BAD),
    ("numeric", ("pattern",), "5", BAD),  # a bare number
    ("numeric", ("pattern",), "", BAD),
    ("numeric", ("pattern",), "1[:]2[:]3", BAD),
    ("numeric", ("pattern",), " 1[:]2", BAD),
    ("numeric", ("pattern",), "NaN[:]1", BAD),
    ("numeric", ("response",), "5", OK),
    ("numeric", ("response",), "-1.5e-7", OK),
    ("numeric", ("response",), "", BAD),
    ("numeric", ("response",), "1[:]2", BAD),
    ("numeric", ("response",), "Infinity", BAD),
    # other: any text, "" too.
    ("other", BOTH, "", OK),
    ("other", BOTH, "x" * 9000, OK),
]


def _expand(cases):
    return [(kind, role, value, outcome) for kind, roles, value, outcome in cases for role in roles]


@pytest.mark.parametrize(("kind", "role", "value", "outcome"), _expand(CTS))
def test_values_of_the_conformance_suite(kind, role, value, outcome):
    assert TYPES[f"{role}.{kind}"].check(value) is outcome


@pytest.mark.parametrize(("kind", "role", "value", "outcome"), _expand(RULES))
def test_each_rule_of_the_structure(kind, role, value, outcome):
    assert TYPES[f"{role}.{kind}"].check(value) is outcome
    assert check_response(kind, role, value) is outcome


def test_types_are_named_by_role_and_interaction_type():
    assert sorted(TYPES) == sorted(f"{role}.{kind}" for role in BOTH for kind in INTERACTION_TYPES)
    assert len(TYPES) == 20
    assert INTERACTION_TYPES == (
        "true-false",
        "choice",
        "fill-in",
        "long-fill-in",
        "likert",
        "matching",
        "performance",
        "sequencing",
        "numeric",
        "other",
    )
    for name, data_type in TYPES.items():
        role, kind = name.split(".", 1)
        assert data_type.name == name
        assert data_type.format == InteractionFormat(kind, role)
        assert data_type.to_json()["format"] == {"name": "interaction", "kind": kind, "role": role}
        assert data_type.pattern is None and data_type.max_length is None and data_type.description


def test_only_the_language_reading_formats_send_the_language_tables():
    for name, data_type in TYPES.items():
        expected = LANGUAGE_TABLES if name.endswith("fill-in") else {}
        assert data_type.format.lookups() == expected, name
    assert set(LANGUAGE_TABLES) == {"iso639_1", "iso639_2", "iso3166", "iana_tags"}


def test_hard_maxima_and_unique_patterns():
    assert PATTERN_MAX == {"true-false": 1, "likert": 1, "numeric": 1, "other": 1}
    assert UNIQUE_PATTERN_TYPES == frozenset({"choice", "sequencing"})
    assert set(PATTERN_MAX) | UNIQUE_PATTERN_TYPES <= set(INTERACTION_TYPES)


def test_a_format_exists_only_for_a_type_and_role():
    with pytest.raises(ValueError, match="no interaction format for 'essay' 'pattern'"):
        InteractionFormat("essay", "pattern")
    with pytest.raises(ValueError, match="no interaction format for 'choice' 'answer'"):
        InteractionFormat("choice", "answer")


def test_non_strings_are_refused_by_the_type():
    assert TYPES["pattern.other"].check(None) is BAD
    assert TYPES["response.numeric"].check(5) is BAD


CASE_ORDER = frozenset({"case_matters", "order_matters"})


@pytest.mark.parametrize(
    ("value", "allowed", "read"),
    [
        ("x", CASE_ORDER, ({}, "x")),
        ("", CASE_ORDER, ({}, "")),
        ("{case_matters=true}x", CASE_ORDER, ({"case_matters": "true"}, "x")),
        ("{order_matters=false}{case_matters=true}x", CASE_ORDER, ({"order_matters": "false", "case_matters": "true"}, "x")),
        ("{case_matters=true}", CASE_ORDER, ({"case_matters": "true"}, "")),
        # an unknown name ends the run, known ones after it included
        ("{lang=en}{case_matters=true}x", CASE_ORDER, ({}, "{lang=en}{case_matters=true}x")),
        ("{case_matters=true}{x=1}{order_matters=bad}y", CASE_ORDER, ({"case_matters": "true"}, "{x=1}{order_matters=bad}y")),
        # so does a repeated one, whatever its value
        ("{case_matters=true}{case_matters=bad}x", CASE_ORDER, ({"case_matters": "true"}, "{case_matters=bad}x")),
        # and anything that is not "{name=value}"
        ("{case_matters}x", CASE_ORDER, ({}, "{case_matters}x")),
        ("{case_matters=true", CASE_ORDER, ({}, "{case_matters=true")),
        ("{=true}x", CASE_ORDER, ({}, "{=true}x")),
        (" {case_matters=true}x", CASE_ORDER, ({}, " {case_matters=true}x")),
        ("{ case_matters=true}x", CASE_ORDER, ({}, "{ case_matters=true}x")),
        ("{case_matters=true}x", frozenset(), ({}, "{case_matters=true}x")),
        ("{lang=de-CH}{case_matters=false}t", frozenset({"lang", "case_matters"}), ({"lang": "de-CH", "case_matters": "false"}, "t")),
        # a known name with a bad value refuses the value
        ("{case_matters=yes}x", CASE_ORDER, None),
        ("{case_matters=true}{order_matters=}x", CASE_ORDER, None),
        ("{case_matters=true=}x", CASE_ORDER, None),  # the value runs to the "}"
        ("{lang=xyz}x", frozenset({"lang"}), None),
        ("{lang=}x", frozenset({"lang"}), None),
    ],
)
def test_read_delimiters(value, allowed, read):
    assert read_delimiters(value, allowed) == read


def test_limits_are_the_stated_ones():
    assert interactions.SHORT_IDENTIFIER_LIMIT == 250
    assert interactions.FILL_IN_ITEM_LIMIT == 250
    assert interactions.STEP_ANSWER_LIMIT == 250
