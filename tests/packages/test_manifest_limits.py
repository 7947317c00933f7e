"""Manifest values longer than the LMS keeps are refused, naming the item and
the limit; NUL and lone surrogates never get through the parser."""
from __future__ import annotations

import pytest

from scormapi.packages.errors import PackageError
from scormapi.packages.manifest import parse_manifest
from tests.packages.zips import manifest_12, sco_resource

RESOURCE = sco_resource("r1", "index.html")


def sco_item(identifier: str = "i1", title: str = "One", extensions: str = "") -> str:
    return f'<item identifier="{identifier}" identifierref="r1"><title>{title}</title>{extensions}</item>'


def parse(items: str, **kwargs):
    return parse_manifest(manifest_12(items, RESOURCE, **kwargs).encode())


def test_values_at_their_limits_are_kept_whole():
    extensions = (
        f"<adlcp:maxtimeallowed>{'1' * 32}</adlcp:maxtimeallowed>"
        f"<adlcp:timelimitaction>{'t' * 32}</adlcp:timelimitaction>"
        f"<adlcp:masteryscore>{'8' * 32}</adlcp:masteryscore>"
    )
    manifest = parse(sco_item("i" * 255, "T" * 255, extensions))
    sco = manifest.scos[0]
    assert (sco.identifier, sco.title) == ("i" * 255, "T" * 255)
    assert (sco.mastery_score, sco.max_time_allowed, sco.time_limit_action) == ("8" * 32, "1" * 32, "t" * 32)


@pytest.mark.parametrize(
    "items, message",
    [
        (sco_item("i" * 256), f"the identifier of item '{'i' * 40}'... is 256 characters long, more than the 255 allowed"),
        (sco_item(title="T" * 300), "the title of item 'i1' is 300 characters long, more than the 255 allowed"),
        (
            f'<item identifier="module"><title>{"M" * 256}</title>{sco_item()}</item>',
            "the title of item 'module' is 256 characters long, more than the 255 allowed",
        ),
        (
            sco_item(extensions=f"<adlcp:masteryscore>{'9' * 33}</adlcp:masteryscore>"),
            "adlcp:masteryscore of item 'i1' is 33 characters long, more than the 32 allowed",
        ),
        (
            sco_item(extensions=f"<adlcp:maxtimeallowed>{'0' * 40}</adlcp:maxtimeallowed>"),
            "the maximum time allowed of item 'i1' is 40 characters long, more than the 32 allowed",
        ),
        (
            sco_item(extensions=f"<adlcp:timelimitaction>{'x' * 33}</adlcp:timelimitaction>"),
            "adlcp:timelimitaction of item 'i1' is 33 characters long, more than the 32 allowed",
        ),
    ],
)
def test_longer_values_are_refused_naming_the_item_and_the_limit(items, message):
    with pytest.raises(PackageError) as raised:
        parse(items)
    assert str(raised.value) == message


def test_a_2004_duration_limit_counts_too():
    items = sco_item(extensions=f'<imsss:sequencing xmlns:imsss="http://www.imsglobal.org/xsd/imsss">'
                                f'<imsss:limitConditions attemptAbsoluteDurationLimit="PT{"1" * 40}S"/></imsss:sequencing>')
    with pytest.raises(PackageError, match="^the maximum time allowed of item 'i1' is 43 characters long"):
        parse(items)


def test_a_long_manifest_identifier_is_refused():
    xml = manifest_12(sco_item(), RESOURCE).replace('identifier="test.manifest"', f'identifier="{"m" * 256}"')
    with pytest.raises(PackageError, match="^the manifest identifier is 256 characters long, more than the 255 allowed$"):
        parse_manifest(xml.encode())


def test_a_long_course_title_is_refused():
    xml = manifest_12(sco_item(), RESOURCE).replace("<title>Test course</title>", f"<title>{'C' * 256}</title>")
    with pytest.raises(PackageError, match="^the course title is 256 characters long, more than the 255 allowed$"):
        parse_manifest(xml.encode())


def _utf16_with_lone_surrogate() -> bytes:
    """A UTF-16LE manifest whose SCO title holds an unpaired high surrogate."""
    body = manifest_12(sco_item(title="a\u2603b"), RESOURCE).split("?>", 1)[1]
    encoded = ('<?xml version="1.0" encoding="UTF-16"?>' + body).encode("utf-16-le")
    return b"\xff\xfe" + encoded.replace("\u2603".encode("utf-16-le"), b"\x00\xd8")


@pytest.mark.parametrize(
    "xml",
    [
        manifest_12(sco_item(title="a&#0;b"), RESOURCE).encode(),
        manifest_12(sco_item(title="a\x00b"), RESOURCE).encode(),
        manifest_12(sco_item(title="a&#xD800;b"), RESOURCE).encode(),
        manifest_12(sco_item(title="a\udc80b"), RESOURCE).encode("utf-8", "surrogatepass"),
    ],
    ids=["nul-reference", "nul-byte", "surrogate-reference", "surrogate-utf8"],
)
def test_nul_and_lone_surrogates_are_refused_by_the_parser(xml):
    with pytest.raises(PackageError, match="^imsmanifest.xml is not well-formed XML"):
        parse_manifest(xml)


def test_an_unpaired_utf16_surrogate_never_comes_out_alone():
    """The parser pairs it with the next code unit: a wrong character, but one
    every database can store."""
    title = parse_manifest(_utf16_with_lone_surrogate()).scos[0].title
    assert title == "a\U00010062"
    title.encode("utf-8")
