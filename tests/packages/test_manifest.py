"""Manifest parsing: structure, run-time settings, launch URLs, hostile XML."""
from __future__ import annotations

import pytest

from scormapi.packages.errors import PackageError
from scormapi.packages.manifest import Item, Sco, launch_url, parse_manifest
from tests.packages.zips import manifest_12, sco_resource

ONE_SCO = '<item identifier="i1" identifierref="r1"><title>One</title></item>'


def parse(items: str, resources: str, **kwargs) -> object:
    return parse_manifest(manifest_12(items, resources, **kwargs).encode())


# ---- SCORM 1.2 ------------------------------------------------------------------


def test_scorm12_structure_and_settings():
    items = """
      <item identifier="module" isvisible="false">
        <title>  Module
           one </title>
        <item identifier="lesson" identifierref="r1" parameters="?lang=en">
          <title>Lesson</title>
          <adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>
          <adlcp:timelimitaction>exit,message</adlcp:timelimitaction>
          <adlcp:datafromlms>level=2</adlcp:datafromlms>
          <adlcp:masteryscore> 80 </adlcp:masteryscore>
        </item>
        <item identifier="handout" identifierref="asset1"><title>Handout</title></item>
      </item>
      <item identifier="quiz" identifierref="r2"/>"""
    resources = (
        sco_resource("r1", "lesson/index.html")
        + sco_resource("r2", "quiz.html")
        + '<resource identifier="asset1" type="webcontent" adlcp:scormtype="asset" href="handout.pdf"/>'
    )
    manifest = parse(items, resources)
    assert (manifest.identifier, manifest.title, manifest.scorm_version) == ("test.manifest", "Test course", "1.2")
    assert manifest.organization_title == "Test course"
    lesson = Sco(
        identifier="lesson",
        title="Lesson",
        launch="lesson/index.html?lang=en",
        resource_identifier="r1",
        mastery_score="80",
        data_from_lms="level=2",
        max_time_allowed="00:30:00",
        time_limit_action="exit,message",
    )
    quiz = Sco(identifier="quiz", title="quiz", launch="quiz.html", resource_identifier="r2")
    handout = Item("handout", "Handout", [], None, True, asset="handout.pdf")
    assert manifest.items == [
        Item("module", "Module one", [Item("lesson", "Lesson", [], lesson, True), handout], None, False),
        Item("quiz", "quiz", [], quiz, True),
    ]
    assert manifest.scos == [lesson, quiz]


def test_resource_without_scormtype_is_not_a_sco():
    resources = sco_resource("r1", "a.html") + '<resource identifier="r2" type="webcontent" href="b.html"/>'
    items = ONE_SCO + '<item identifier="i2" identifierref="r2"><title>Two</title></item>'
    manifest = parse(items, resources)
    assert [sco.identifier for sco in manifest.scos] == ["i1"]
    assert manifest.items[1].sco is None


def test_scormtype_in_2004_spelling_on_a_12_manifest():
    resources = '<resource identifier="r1" type="webcontent" adlcp:scormType="SCO" href="a.html"/>'
    assert parse(ONE_SCO, resources).scos[0].launch == "a.html"


def test_item_with_children_and_its_own_resource():
    items = """<item identifier="parent" identifierref="r1"><title>P</title>
                 <item identifier="child" identifierref="r2"><title>C</title></item></item>"""
    manifest = parse(items, sco_resource("r1", "p.html") + sco_resource("r2", "c.html"))
    assert [sco.identifier for sco in manifest.scos] == ["parent", "child"]


def test_deeply_nested_clusters():
    depth = 30
    items = "".join(f'<item identifier="c{n}"><title>C{n}</title>' for n in range(depth))
    items += ONE_SCO + "</item>" * depth
    manifest = parse(items, sco_resource("r1", "deep.html"))
    node = manifest.items[0]
    for _ in range(depth - 1):
        node = node.children[0]
    assert node.children[0].sco == manifest.scos[0]


def test_absurd_nesting_is_refused():
    depth = 150
    items = "".join(f'<item identifier="c{n}">' for n in range(depth)) + ONE_SCO + "</item>" * depth
    with pytest.raises(PackageError, match="nested more than 100 levels"):
        parse(items, sco_resource("r1", "a.html"))


# ---- organizations --------------------------------------------------------------------


def two_organizations(default_attribute: str) -> bytes:
    return f"""<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
        xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
      <organizations {default_attribute}>
        <organization identifier="first"><title>First</title>
          <item identifier="a" identifierref="r1"><title>A</title></item></organization>
        <organization identifier="second"><title>Second</title>
          <item identifier="a" identifierref="r1"><title>B</title></item></organization>
      </organizations>
      <resources>{sco_resource("r1", "x.html")}</resources>
    </manifest>""".encode()


def test_default_organization_is_used():
    manifest = parse_manifest(two_organizations('default="second"'))
    assert (manifest.organization_title, manifest.scos[0].title) == ("Second", "B")


def test_first_organization_without_default():
    assert parse_manifest(two_organizations("")).organization_title == "First"


def test_unknown_default_organization_reads_the_first_with_a_warning():
    manifest = parse_manifest(two_organizations('default="third"'))
    assert (manifest.organization_title, manifest.scos[0].title) == ("First", "A")
    assert manifest.warnings == (
        (
            "the default organization 'third' named in <organizations> does not exist; "
            "the first organization, 'first', was imported instead"
        ),
    )


def test_lom_title_names_the_course():
    xml = manifest_12(ONE_SCO, sco_resource("r1", "a.html")).replace(
        "<schemaversion>1.2</schemaversion>",
        "<schemaversion>1.2</schemaversion><imsmd:lom xmlns:imsmd='http://www.imsglobal.org/xsd/imsmd_rootv1p2p1'>"
        "<imsmd:general><imsmd:title><imsmd:langstring xml:lang='en'>Catalog name</imsmd:langstring>"
        "</imsmd:title></imsmd:general></imsmd:lom>",
    )
    manifest = parse_manifest(xml.encode())
    assert (manifest.title, manifest.organization_title) == ("Catalog name", "Test course")


# ---- SCORM 2004 ----------------------------------------------------------------------------

MANIFEST_2004 = """<?xml version="1.0"?>
<manifest identifier="m2004" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  {metadata}
  <organizations default="org">
    <organization identifier="org"><title>Course 2004</title>
      <item identifier="third" identifierref="r1"><title>Third edition</title>
        <adlcp:completionThreshold>0.75</adlcp:completionThreshold>
        <adlcp:timeLimitAction>continue,no message</adlcp:timeLimitAction>
        <adlcp:dataFromLMS>mode=a</adlcp:dataFromLMS>
        <imsss:sequencing>
          <imsss:limitConditions attemptAbsoluteDurationLimit="PT1H30M"/>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>
      </item>
      <item identifier="fourth" identifierref="r1"><title>Fourth edition</title>
        <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.9"/>
        <imsss:sequencing><imsss:objectives>
          <imsss:primaryObjective satisfiedByMeasure="true"/>
        </imsss:objectives></imsss:sequencing>
      </item>
      <item identifier="plain" identifierref="r1"><title>Plain</title>
        <adlcp:completionThreshold completedByMeasure="false" minProgressMeasure="0.9"/>
        <imsss:sequencing><imsss:objectives>
          <imsss:primaryObjective satisfiedByMeasure="false">
            <imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure>
          </imsss:primaryObjective>
        </imsss:objectives></imsss:sequencing>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="index.html"/>
  </resources>
</manifest>"""


def test_scorm2004_settings():
    metadata = "<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>"
    manifest = parse_manifest(MANIFEST_2004.format(metadata=metadata).encode())
    assert manifest.scorm_version == "2004"
    third, fourth, plain = manifest.scos
    assert (third.completion_threshold, third.scaled_passing_score) == ("0.75", "0.6")
    assert (third.max_time_allowed, third.time_limit_action, third.data_from_lms) == (
        "PT1H30M",
        "continue,no message",
        "mode=a",
    )
    assert (fourth.completion_threshold, fourth.scaled_passing_score) == ("0.9", "1.0")
    assert (plain.completion_threshold, plain.scaled_passing_score) == ("", "")


@pytest.mark.parametrize("declared", ["CAM 1.3", "2004 3rd Edition", "1.3"])
def test_2004_detected_by_schemaversion(declared):
    xml = manifest_12(ONE_SCO, sco_resource("r1", "a.html")).replace(">1.2<", f">{declared}<")
    assert parse_manifest(xml.encode()).scorm_version == "2004"


def test_2004_detected_by_namespaces_without_schemaversion():
    assert parse_manifest(MANIFEST_2004.format(metadata="").encode()).scorm_version == "2004"


def test_12_by_default_without_any_hint():
    xml = manifest_12(ONE_SCO, sco_resource("r1", "a.html")).replace("<schemaversion>1.2</schemaversion>", "")
    assert parse_manifest(xml.encode()).scorm_version == "1.2"


# ---- launch URLs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "href, parameters, expected",
    [
        ("a.html", "", "a.html"),
        ("a.html", "?x=1", "a.html?x=1"),
        ("a.html", "x=1", "a.html?x=1"),
        ("a.html", "&x=1", "a.html?x=1"),
        ("a.html?y=2", "?x=1", "a.html?y=2&x=1"),
        ("a.html?", "x=1", "a.html?x=1"),
        ("a.html", "#intro", "a.html#intro"),
        ("a.html#top", "#intro", "a.html#top"),
        ("a.html#top", "?x=1", "a.html?x=1#top"),
        ("a.html", "?x=1#intro", "a.html?x=1#intro"),
        ("a.html", "  ?x=1 ", "a.html?x=1"),
    ],
)
def test_parameters(href, parameters, expected):
    assert launch_url((), href, parameters, "i1") == expected


@pytest.mark.parametrize(
    "bases, href, expected",
    [
        (("", "", ""), "sco/a.html", "sco/a.html"),
        (("", "course/", "sco1/"), "index.html", "course/sco1/index.html"),
        (("root/", "course", "sco1"), "index.html", "root/course/sco1/index.html"),
        (("", "", "sco1/"), "../shared/a.html", "shared/a.html"),
        (("", "", "./sco1/"), "./a.html", "sco1/a.html"),
        (("", "", ""), "dir\\a.html?x=1", "dir/a.html?x=1"),
        (("", "", "sco%201/"), "a%20b.html", "sco%201/a%20b.html"),
    ],
)
def test_xml_base(bases, href, expected):
    assert launch_url(bases, href, "", "i1") == expected


def test_xml_base_from_the_manifest():
    xml = manifest_12(ONE_SCO, sco_resource("r1", "index.html", 'xml:base="sco1/"'))
    xml = xml.replace("<resources>", '<resources xml:base="content/">')
    assert parse_manifest(xml.encode()).scos[0].launch == "content/sco1/index.html"


@pytest.mark.parametrize(
    "bases, href, message",
    [
        (("", "", ""), "../outside.html", "escapes the package folder"),
        (("", "", "a/"), "../../outside.html", "escapes the package folder"),
        (("", "", ""), "%2e%2e/outside.html", "escapes the package folder"),
        (("", "", ""), "/etc/passwd", "is not a file inside the package"),
        (("", "", ""), "http://example.com/sco.html", "is not a file inside the package"),
        (("", "https://cdn.example.com/", ""), "sco.html", "is not a file inside the package"),
        (("", "", ""), "C:\\course\\a.html", "is not a file inside the package"),
    ],
)
def test_launch_outside_the_package(bases, href, message):
    with pytest.raises(PackageError, match=f"item 'i1' {message}"):
        launch_url(bases, href, "", "i1")


# ---- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "xml, message",
    [
        (b"", "not well-formed XML"),
        (b"PK\x03\x04 binary", "not well-formed XML"),
        (b"<manifest><organizations>", "not well-formed XML"),
        (b"<html><body/></html>", "<html> as its root element instead of <manifest>"),
        (b"<manifest identifier='m'/>", "has no organization and no resource with adlcp:scormtype"),
        (b"<manifest><organizations/><resources/></manifest>", "has no organization and no resource with adlcp"),
    ],
)
def test_broken_manifests(xml, message):
    with pytest.raises(PackageError, match=message):
        parse_manifest(xml)


@pytest.mark.parametrize(
    "items, resources, message",
    [
        ("", sco_resource("r1", "a.html"), "organization 'org' has no items"),
        (ONE_SCO, sco_resource("r2", "a.html"), "resource 'r1' referenced by item 'i1' does not exist"),
        (
            ONE_SCO,
            '<resource identifier="r1" type="webcontent" adlcp:scormtype="sco"/>',
            "SCO resource 'r1' .* has no href",
        ),
        (ONE_SCO + ONE_SCO, sco_resource("r1", "a.html"), "item identifier 'i1' is used more than once"),
        ('<item identifierref="r1"><title>x</title></item>', sco_resource("r1", "a.html"), "has no identifier"),
        (ONE_SCO, sco_resource("r1", "a.html") + sco_resource("r1", "b.html"), "resource identifier 'r1' is used more"),
        (
            '<item identifier="i1" identifierref="r1"/>',
            '<resource identifier="r1" type="webcontent" adlcp:scormtype="asset" href="a.pdf"/>',
            "the package has no SCO",
        ),
        ('<item identifier="c"><title>Empty module</title></item>', "", "the package has no SCO"),
    ],
)
def test_structural_errors(items, resources, message):
    with pytest.raises(PackageError, match=message):
        parse(items, resources)


# ---- hostile XML ------------------------------------------------------------------------------------


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE manifest [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<manifest identifier="&lol9;"/>"""


def test_billion_laughs():
    with pytest.raises(PackageError, match="refused for safety"):
        parse_manifest(BILLION_LAUGHS)


def test_external_entity(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xml = f"""<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY leak SYSTEM "file://{secret}">]>
<manifest identifier="m"><organizations><organization identifier="o"><title>&leak;</title>
</organization></organizations></manifest>"""
    with pytest.raises(PackageError, match="refused for safety") as error:
        parse_manifest(xml.encode())
    assert "TOP-SECRET" not in str(error.value)


def test_parameter_entity():
    xml = b"""<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<manifest identifier="m"/>"""
    with pytest.raises(PackageError, match="refused for safety"):
        parse_manifest(xml)


def test_external_dtd_is_never_read(tmp_path):
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY injected "FROM-THE-DTD">')
    xml = f"""<?xml version="1.0" standalone="no"?>
<!DOCTYPE manifest SYSTEM "file://{dtd}">
<manifest identifier="m"><organizations><organization identifier="o"><title>&injected;</title>
</organization></organizations></manifest>"""
    with pytest.raises(PackageError) as error:
        parse_manifest(xml.encode())
    assert "FROM-THE-DTD" not in str(error.value)


def test_plain_doctype_is_tolerated():
    xml = manifest_12(ONE_SCO, sco_resource("r1", "a.html")).replace(
        '<?xml version="1.0"?>', '<?xml version="1.0"?>\n<!DOCTYPE manifest>'
    )
    assert parse_manifest(xml.encode()).scos[0].identifier == "i1"


@pytest.mark.parametrize("resource, item_extra, asset", [
    ('<resource identifier="a" type="webcontent" adlcp:scormtype="asset" href="docs/page one.html"/>', "", "docs/page one.html"),
    ('<resource identifier="a" type="webcontent" href="page.html"/>', ' parameters="?p=1"', "page.html?p=1"),
    ('<resource identifier="a" type="webcontent" xml:base="notes/" href="../notes2/a.html"/>', "", "notes2/a.html"),
    ('<resource identifier="a" type="webcontent" adlcp:scormtype="asset"/>', "", ""),
    ('<resource identifier="a" type="webcontent" href="https://example.org/page.html"/>', "", ""),
    ('<resource identifier="a" type="webcontent" href="../../outside.html"/>', "", ""),
], ids=["asset", "parameters", "xml-base", "no-href", "web-address", "outside"])
def test_an_asset_item_keeps_what_opens_it(resource, item_extra, asset):
    items = f'<item identifier="page"{item_extra} identifierref="a"><title>Page</title></item><item identifier="s" identifierref="r1"/>'
    manifest = parse(items, resource + sco_resource("r1", "index.html"))
    page = manifest.items[0]
    assert (page.identifier, page.sco, page.asset) == ("page", None, asset)
    assert [sco.identifier for sco in manifest.scos] == ["s"]
