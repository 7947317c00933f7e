"""The SCORM 2004 data types: every example SCORM2004.md §2 gives, and the
outcome each kind of refusal answers (406 TYPE_MISMATCH, 407 OUT_OF_RANGE,
TOO_LONG past an SPM)."""

import pytest

from scormapi.cmi.outcomes import Outcome
from scormapi.cmi.scorm2004.language import IANA_TAGS, ISO639_1, ISO639_2, ISO3166, TABLES, is_language
from scormapi.cmi.scorm2004.types import (
    TYPES,
    Calendar,
    FiniteReal,
    Language,
    Localized,
    is_identifier,
    is_real,
    localized_outcome,
)

OK, MISMATCH, RANGE, LONG = Outcome.OK, Outcome.TYPE_MISMATCH, Outcome.OUT_OF_RANGE, Outcome.TOO_LONG

# The CTS and ADL examples of §2, then more around each rule.
LANGUAGES = {
    OK: ["i-klingon", "art-lojban", "de-AT-1901", "zh-min-nan", "sgn-BE-fr", "mo", "scc", "scr", "en", "EN",
         "en-US", "en-us", "fr-CA", "eng", "fre", "fra", "ger", "deu", "qaa", "qtz", "qab-GB", "x-foo", "X-a-b",
         "I-KLINGON", "zh-hant", "en-GB-oed", "iw", "in", "ji", "sh", "sr-YU", "de-DE-1996", "zh-min-nan-x",
         "en-US-a-12345678"],
    MISMATCH: ["frl", "exg", "sp", "ruq-JM", "xyz", "en-ZZ", "en-USA", "x-", "", "i", "x", "i-foo", "qua",
               "quz-US", "english", "e", "en-", "en--US", "-en", "en_US", "en-U", "en-123", "es-419",
               "en-US-123456789", "én", "en US", " en", "en\n", "\u0435n", "zz", "en-ZZ-1"],
}  # fmt: skip


@pytest.mark.parametrize("tag", LANGUAGES[OK])
def test_languages(tag):
    assert is_language(tag)
    assert TYPES["language"].check(tag) is OK
    assert TYPES["language_or_blank"].check(tag) is OK


@pytest.mark.parametrize("tag", LANGUAGES[MISMATCH])
def test_not_languages(tag):
    assert not is_language(tag)
    assert TYPES["language"].check(tag) is MISMATCH
    assert TYPES["language_or_blank"].check(tag) is (OK if tag == "" else MISMATCH)


def test_language_tables_keep_withdrawn_codes_and_no_unassigned_ones():
    assert {"mo", "iw", "in", "ji", "jw", "sh"} <= set(ISO639_1) and "sp" not in ISO639_1
    assert {"mol", "scc", "scr", "sgn", "fre", "fra", "tib", "bod"} <= set(ISO639_2)
    assert not {"frl", "exg", "ruq", "xyz", "qaa"} & set(ISO639_2)
    assert {"YU", "ZR", "CS", "AN", "US", "SS"} <= set(ISO3166) and "ZZ" not in ISO3166
    assert {"i-klingon", "zh-min", "zh-min-nan"} <= set(IANA_TAGS)
    assert all(tag == tag.lower() for tag in IANA_TAGS)
    assert TABLES == {"iso639_1": ISO639_1, "iso639_2": ISO639_2, "iso3166": ISO3166, "iana_tags": IANA_TAGS}
    assert all(isinstance(table, tuple) and list(table) == sorted(set(table)) for table in TABLES.values())


def test_language_tag_is_at_most_250_characters():
    tag = "en-US" + "-abcdefgh" * 27
    assert len(tag) == 248 and TYPES["language"].check(tag) is OK
    assert TYPES["language"].check(tag + "-ab") is LONG


LOCALIZED = [
    ("", OK), ("plain text", OK), ("{lang=en}Hello", OK), ("{lang=fr-CA}Bonjour", OK), ("{lang=en}", OK),
    ("{lang=}x", MISMATCH), ("{lang=frl}x", MISMATCH), ("{lang=en-ZZ}x", MISMATCH), ("{lang=en US}x", MISMATCH),
    ("{LANG=xx}x", OK), ("{Lang=xx}x", OK), (" {lang=xx}x", OK), ("x{lang=xx}", OK), ("{lang=en", OK),
    ("{lang=en}{lang=xx}", OK), ("{lang=xx}{lang=en}", MISMATCH), ("{lang=e}n}x", MISMATCH), ("{lang={en}}x", MISMATCH),
    ("{lang=en}line\nbreak", OK), ("\n", OK), ("{lang=i-klingon}Qapla'", OK),
]  # fmt: skip


@pytest.mark.parametrize(("value", "outcome"), LOCALIZED)
def test_localized_strings(value, outcome):
    assert localized_outcome(value, 250) is outcome
    assert TYPES["localized_string250"].check(value) is outcome
    assert TYPES["localized_string4000"].check(value) is outcome


def test_localized_limit_counts_the_text_not_the_delimiter():
    text = "\U0001f600" * 250  # code points, not UTF-16 units
    assert TYPES["localized_string250"].check("{lang=en-US}" + text) is OK
    assert TYPES["localized_string250"].check(text) is OK
    assert TYPES["localized_string250"].check("{lang=en-US}" + text + "x") is LONG
    assert TYPES["localized_string250"].check("{LANG=en}" + "x" * 242) is LONG
    assert TYPES["localized_string4000"].check("{lang=de}" + "x" * 4000) is OK
    assert TYPES["localized_string4000"].check("{lang=de}" + "x" * 4001) is LONG
    assert localized_outcome("x" * 10**5, None) is OK and localized_outcome("{lang=}x", None) is MISMATCH


IDENTIFIERS = {
    OK: ["urn:x", "INTID0", "1", "urn:adl:lms:Test", "urn:ADL:interaction-1", "a/b?c=d#frag", "a%20b",
         "http://example.com/x?y#z", "ünïcödé", "\u4e2d\u6587", "q\U0001f600", "a:b", "mailto:x@y.z", "x#",
         "#frag", "a~!$&'()*+,;=@", "/abs/path", "a/b:c", "?q:x", "x.y-z_1"],
    MISMATCH: ["urn:", "urn:adl:lms Test/x", "", "1:b", " x", "x ", "a\tb", "a\nb", "a\u00a0b", "a\u3000b",
               "a{b", "a}b", "a|b", "a\\b", "a^b", "a`b", 'a"b', "a<b", "a>b", "a[b", "a]b", "a%", "a%2",
               "a%zz", "a#b#c", "x:#y", "-x:y", "1a:b", "a\x00b", "a\x7fb", "a\x85b", "a\x9fb", "a\ufeffb",
               "a\u2028b", ":x"],
}  # fmt: skip


@pytest.mark.parametrize("value", IDENTIFIERS[OK])
def test_identifiers(value):
    assert is_identifier(value, 250)
    assert TYPES["short_identifier"].check(value) is OK
    assert TYPES["long_identifier"].check(value) is OK


@pytest.mark.parametrize("value", IDENTIFIERS[MISMATCH])
def test_not_identifiers(value):
    assert not is_identifier(value, None)
    assert TYPES["short_identifier"].check(value) is MISMATCH
    assert TYPES["long_identifier"].check(value) is MISMATCH


def test_identifier_limits():
    assert TYPES["short_identifier"].check("x" * 250) is OK
    assert TYPES["short_identifier"].check("x" * 251) is LONG
    assert TYPES["long_identifier"].check("urn:" + "x" * 3996) is OK
    assert TYPES["long_identifier"].check("urn:" + "x" * 3997) is LONG
    assert is_identifier("x" * 10, 10) and not is_identifier("x" * 11, 10) and is_identifier("x" * 11, None)


REALS = [
    ("0", OK), ("-35", OK), ("+5", OK), ("5.", OK), (".5", OK), ("1e-7", OK), ("1E+7", OK), ("-1.5e3", OK),
    ("0.0000001", OK), ("123456789012345678901234567890", OK), ("1e308", OK), ("4.9e-324", OK), ("1e-400", OK),
    ("1e400", RANGE), ("-1e400", RANGE), ("9" * 400, RANGE),
    ("", MISMATCH), ("NaN", MISMATCH), ("nan", MISMATCH), ("Infinity", MISMATCH), ("inf", MISMATCH),
    (" 7", MISMATCH), ("7 ", MISMATCH), ("7\n", MISMATCH), ("34,000.00", MISMATCH), ("1_000", MISMATCH),
    ("0x10", MISMATCH), (".", MISMATCH), ("-", MISMATCH), ("e5", MISMATCH), ("1e", MISMATCH), ("1.2.3", MISMATCH),
    ("--1", MISMATCH), ("\u0661", MISMATCH), ("1e5.5", MISMATCH), ("one", MISMATCH), (".e1", MISMATCH),
]  # fmt: skip


@pytest.mark.parametrize(("value", "outcome"), REALS)
def test_reals(value, outcome):
    assert TYPES["real"].check(value) is outcome
    assert is_real(value) is (outcome is OK)


RANGES = {
    "real_0_1": (["0", "1", "0.5", "1.0", "-0", "1e-7", "0.1e1"], ["-0.0000001", "1.0000001", "2", "-1", "1e400"]),
    "real_-1_1": (["-1", "1", "0", "-0.5", "-1e0", "+1"], ["-1.0000001", "1.0000001", "-2", "10", "-1e400"]),
    "real_ge_0": (["0", "1", "100", "1e300", "-0"], ["-0.0000001", "-1", "-1e-300", "1e400"]),
}  # fmt: skip


@pytest.mark.parametrize("type_name", sorted(RANGES))
def test_ranges_answer_out_of_range_and_non_numbers_type_mismatch(type_name):
    inside, outside = RANGES[type_name]
    data_type = TYPES[type_name]
    assert [data_type.check(v) for v in inside] == [OK] * len(inside)
    assert [data_type.check(v) for v in outside] == [RANGE] * len(outside)
    assert [data_type.check(v) for v in ("", "x", "NaN", "1,5", " 1")] == [MISMATCH] * 5


def test_integer():
    assert [TYPES["integer"].check(v) for v in ("0", "7", "0012", "123456789012")] == [OK] * 4
    assert [TYPES["integer"].check(v) for v in ("", "-1", "+1", "1.0", "1e3", " 1", "\u0661")] == [MISMATCH] * 7


TIMES = {
    OK: ["1970", "2038", "2005-02", "2005-02-28", "2004-02-29", "2000-02-29", "2005-04-30", "2005-12-31",
         "2005-04-30T09", "2005-04-30T09:45", "2005-04-30T09:45:58", "2005-04-30T09:45:58.1",
         "2005-04-30T09:45:58.12", "2005-04-30T09:45:58.1Z", "2005-04-30T23:59:59.99+05", "2005-04-30T00:00:00.0-23:59",
         "2038-12-31T23:59:59.99Z", "1970-01-01T00:00:00.00+00:00"],
    MISMATCH: ["", "1969", "2039", "9999", "05", "2005-02-29", "2005-04-31", "2005-06-31", "2005-09-31",
               "2005-11-31", "1900-02-29", "2005-00", "2005-13", "2005-01-00", "2005-01-32", "2005-1-01",
               "2005-04-30T09:45:58Z", "2005-04-30T09Z", "2005-04-30T24", "2005-04-30T09:60", "2005-04-30T09:45:60",
               "2005-04-30T09:45:58.123", "2005-04-30T09:45:58.", "2005-04-30T09:45:58.1+24", "2005-04-30T09:45:58.1+05:60",
               "2005-04-30T09:45:58.1z", "2005-04-30 09:45", "2005-04-30t09", "2005-04-30T", "2005-", "\u0662005",
               "2005-04-30T09:45:58.1+5", "2005-04-30T09:45:58.1+0500", "2005-04-30T09:45:58.1 "],
}  # fmt: skip


@pytest.mark.parametrize("value", TIMES[OK])
def test_times(value):
    assert TYPES["time"].check(value) is OK


@pytest.mark.parametrize("value", TIMES[MISMATCH])
def test_not_times(value):
    assert TYPES["time"].check(value) is MISMATCH


@pytest.mark.parametrize(
    ("value", "outcome"),
    [("PT0S", OK), ("PT0H0M0S", OK), ("P1Y2M3DT4H5M6.78S", OK), ("P", MISMATCH), ("PT", MISMATCH),
     ("P1DT", MISMATCH), ("P0S", MISMATCH), ("P1W", MISMATCH), ("P1Y6M14DT", MISMATCH), ("PT1.123S", MISMATCH),
     ("-PT1S", MISMATCH), ("P1H", MISMATCH), ("", MISMATCH)],
)  # fmt: skip
def test_timeinterval(value, outcome):
    assert TYPES["timeinterval"].check(value) is outcome


def test_characterstrings_are_bounded_by_their_spm():
    for spm in (250, 1000, 4000, 64000):
        data_type = TYPES[f"characterstring{spm}"]
        assert data_type.check("") is OK and data_type.check(" {lang=xx}\n\x00") is OK
        assert data_type.check("\U0001f600" * spm) is OK
        assert data_type.check("x" * (spm + 1)) is LONG
    assert TYPES["characterstring64000"].check("x" * 100_000, max_length=100_000) is OK


STATES = {
    "state.completion_status": ["completed", "incomplete", "not attempted", "unknown"],
    "state.success_status": ["passed", "failed", "unknown"],
    "state.credit": ["credit", "no-credit"],
    "state.entry": ["ab-initio", "resume", ""],
    "state.exit": ["time-out", "suspend", "logout", "normal", ""],
    "state.mode": ["browse", "normal", "review"],
    "state.interaction_type": ["true-false", "choice", "fill-in", "long-fill-in", "likert", "matching",
                               "performance", "sequencing", "numeric", "other"],
    "state.result": ["correct", "incorrect", "unanticipated", "neutral"],
    "state.audio_captioning": ["-1", "0", "1"],
    "state.time_limit_action": ["exit,message", "continue,message", "exit,no message", "continue,no message"],
    "state.request_valid": ["true", "false", "unknown"],
    "state.nav_request": ["continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll", "_none_"],
}  # fmt: skip


@pytest.mark.parametrize("type_name", sorted(STATES))
def test_states_are_exact_case_sensitive_tokens(type_name):
    data_type = TYPES[type_name]
    assert data_type.vocabulary == tuple(STATES[type_name])
    for token in STATES[type_name]:
        assert data_type.check(token) is OK
        for variant in {token.upper(), token.title(), f" {token}", f"{token} ", token + "x"} - {token}:
            assert data_type.check(variant) is MISMATCH, variant
    assert data_type.check("" if "" not in STATES[type_name] else "none") is MISMATCH


def test_result_is_a_state_or_any_real():
    result = TYPES["state.result"]
    assert [result.check(v) for v in ("-35", "0", "1e-7", "+5", "100.5")] == [OK] * 5
    assert [result.check(v) for v in ("wrong", "34,000.00", "", "NaN", " 1")] == [MISMATCH] * 5
    assert result.check("1e400") is RANGE


def test_audio_captioning_takes_no_other_number():
    assert [TYPES["state.audio_captioning"].check(v) for v in ("2", "-2", "1.0", "+1", "01")] == [MISMATCH] * 5


@pytest.mark.parametrize(
    ("value", "outcome"),
    [("{target=a}choice", OK), ("{target=urn:x:y}jump", OK), ("{target=SCO-1}choice", OK), ("{target=#}jump", OK),
     ("{target=}choice", MISMATCH), ("{target=urn:}choice", MISMATCH), ("{target=a b}choice", MISMATCH),
     ("{target=a}Choice", MISMATCH), ("{target=a}", MISMATCH), ("{target=a}continue", MISMATCH),
     ("{target=a}}choice", MISMATCH), ("{target=a}choicex", MISMATCH), ("{TARGET=a}choice", MISMATCH),
     ("choice", MISMATCH), ("jump", MISMATCH), ("{target=a}choice{target=b}jump", MISMATCH),
     ("exitall", MISMATCH), ("_None_", MISMATCH), ("", MISMATCH),
     ("{target=" + "x" * 250 + "}choice", OK), ("{target=" + "x" * 251 + "}choice", LONG)],
)  # fmt: skip
def test_nav_request(value, outcome):
    assert TYPES["state.nav_request"].check(value) is outcome


@pytest.mark.parametrize("type_name", sorted(TYPES))
@pytest.mark.parametrize("value", [None, 5, 5.0, b"x", ["x"]])
def test_non_strings_are_type_mismatches(type_name, value):
    assert TYPES[type_name].check(value) is MISMATCH


def test_the_element_table_names():
    assert set(TYPES) == {
        "characterstring250", "characterstring1000", "characterstring4000", "characterstring64000",
        "localized_string250", "localized_string4000", "language", "language_or_blank", "long_identifier",
        "short_identifier", "integer", "real", "real_0_1", "real_-1_1", "real_ge_0", "time", "timeinterval",
        *STATES,
    }  # fmt: skip
    assert all(name == t.name for name, t in TYPES.items())


def test_formats_describe_themselves_for_the_browser():
    assert TYPES["localized_string250"].to_json()["format"] == {"name": "localized", "max_length": 250}
    assert TYPES["localized_string250"].max_length is None
    assert TYPES["language"].to_json()["format"] == {"name": "language"}
    assert TYPES["time"].to_json()["format"] == {"name": "calendar"}
    assert TYPES["real_0_1"].to_json()["format"] == {"name": "finite_real"}
    assert "format" not in TYPES["timeinterval"].to_json()
    assert Localized(250).lookups() == Language().lookups() == TABLES
    assert Calendar().lookups() == FiniteReal().lookups() == {}
