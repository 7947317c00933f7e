"""Packages other LMSs accept: read leniently, with a warning; AICC and
undeclared prefixes refused in plain words.

The manifests are built here in code, around real synthetic SCO pages, so
each test shows the exact manifest shape it is about.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from scormapi.packages.errors import PackageError
from scormapi.packages.importer import build_zip, prepare_package
from scormapi.packages.manifest import Item, Sco, parse_manifest
from scormapi.packages.synthetic import sco_page
from scormapi.store.courseware import import_package
from scormapi.store.models import Courseware, CoursewareSco, Organization
from tests.api.test_import_package import upload

NS_12 = (
    'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"'
)
NS_2004 = 'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"'
UNKNOWN_DEFAULT = (
    "the default organization 'missing_org' named in <organizations> does not exist; "
    "the first organization, 'first_org', was imported instead"
)
NO_ORGANIZATION_2 = (
    'the manifest has no organization: 2 SCOs were made from its resources with adlcp:scormtype="sco", '
    "in document order, each titled by its resource identifier"
)


def manifest(organizations: str, resources: str, namespaces: str = NS_12) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="lenient.course" version="1" {namespaces}>
  {organizations}
  <resources>{resources}</resources>
</manifest>"""


def resource(identifier: str | None, href: str, scormtype: str = 'adlcp:scormtype="sco"', extra: str = "") -> str:
    named = "" if identifier is None else f'identifier="{identifier}" '
    return f'<resource {named}type="webcontent" {scormtype} href="{href}" {extra}/>'


def package(manifest_xml: str, pages: list[str]) -> bytes:
    return build_zip({"imsmanifest.xml": manifest_xml, **{page: sco_page(page, "", "completed") for page in pages}})


def sco(identifier: str, launch: str, resource_identifier: str | None = None) -> Sco:
    resource_id = identifier if resource_identifier is None else resource_identifier
    return Sco(identifier=identifier, title=identifier, launch=launch, resource_identifier=resource_id)


# ---- a default naming no organization ----------------------------------------------------------

TWO_ORGANIZATIONS = """
  <organizations default="missing_org">
    <organization identifier="first_org"><title>First</title>
      <item identifier="lesson" identifierref="r1"><title>Lesson</title></item>
    </organization>
    <organization identifier="second_org"><title>Second</title>
      <item identifier="other" identifierref="r1"><title>Other</title></item>
    </organization>
  </organizations>"""


def test_unknown_default_uses_the_first_organization_with_a_warning():
    parsed = parse_manifest(manifest(TWO_ORGANIZATIONS, resource("r1", "lesson.html")).encode())
    lesson = Sco(identifier="lesson", title="Lesson", launch="lesson.html", resource_identifier="r1")
    assert (parsed.organization_title, parsed.title) == ("First", "First")
    assert parsed.items == [Item("lesson", "Lesson", [], lesson, True)]
    assert parsed.scos == [lesson]
    assert parsed.warnings == (UNKNOWN_DEFAULT,)


def test_a_manifest_read_strictly_has_no_warnings():
    xml = manifest(TWO_ORGANIZATIONS.replace("missing_org", "second_org"), resource("r1", "lesson.html"))
    parsed = parse_manifest(xml.encode())
    assert ([s.identifier for s in parsed.scos], parsed.warnings) == (["other"], ())


# ---- no organization: one SCO per SCO resource ------------------------------------------------------


@pytest.mark.parametrize(
    "organizations",
    ["<organizations/>", '<organizations default="org"></organizations>', ""],
    ids=["empty", "empty-with-default", "absent"],
)
def test_no_organization_makes_one_sco_per_sco_resource(organizations):
    resources = (
        resource("intro_res", "intro/index.html")
        + resource("handout", "handout.pdf", 'adlcp:scormtype="asset"')
        + resource("plain", "plain.html", "")
        + resource("quiz_res", "quiz.html", 'adlcp:scormtype="SCO"')
    )
    parsed = parse_manifest(manifest(organizations, resources).encode())
    intro, quiz = sco("intro_res", "intro/index.html"), sco("quiz_res", "quiz.html")
    assert parsed.items == [Item("intro_res", "intro_res", [], intro, True), Item("quiz_res", "quiz_res", [], quiz, True)]
    assert parsed.scos == [intro, quiz]
    assert (parsed.title, parsed.organization_title, parsed.scorm_version) == ("lenient.course", "", "1.2")
    assert parsed.warnings == (NO_ORGANIZATION_2,)


def test_no_organization_in_a_2004_manifest():
    resources = (
        resource("b_res", "b.html", 'adlcp:scormType="sco"')
        + resource("a_res", "a.html", 'adlcp:scormType="Sco"')
    )
    parsed = parse_manifest(manifest("<organizations/>", resources, NS_2004).encode())
    assert parsed.scorm_version == "2004"
    assert [(s.identifier, s.title, s.launch) for s in parsed.scos] == [
        ("b_res", "b_res", "b.html"),
        ("a_res", "a_res", "a.html"),
    ]
    assert parsed.warnings == (NO_ORGANIZATION_2,)


def test_no_organization_one_sco_warning_is_singular_and_bases_apply():
    resources = resource("only", "start.html?page=1", extra='xml:base="course/"')
    parsed = parse_manifest(manifest("<organizations/>", resources).encode())
    assert parsed.scos == [sco("only", "course/start.html?page=1")]
    assert parsed.warnings == (
        (
            'the manifest has no organization: 1 SCO was made from its resources with adlcp:scormtype="sco", '
            "in document order, each titled by its resource identifier"
        ),
    )


def test_resource_without_identifier_is_named_by_its_file():
    resources = resource(None, "lessons/first%20one.html#top") + resource("second", "second.html")
    parsed = parse_manifest(manifest("<organizations/>", resources).encode())
    assert parsed.scos == [sco("first%20one.html", "lessons/first%20one.html#top", ""), sco("second", "second.html")]


@pytest.mark.parametrize(
    "resources, message",
    [
        ("", 'the manifest has no organization and no resource with adlcp:scormtype="sco", so there is no course to import'),
        (
            resource("handout", "handout.pdf", 'adlcp:scormtype="asset"') + resource("page", "page.html", ""),
            'the manifest has no organization and no resource with adlcp:scormtype="sco", so there is no course to import',
        ),
        (resource("r1", ""), "SCO resource 'r1' has no href"),
        (resource(None, ""), "SCO resource without an identifier has no href"),
        (
            resource("same.html", "a/x.html") + resource(None, "b/same.html"),
            "item identifier 'same.html' is used more than once",
        ),
    ],
)
def test_no_organization_refusals_stay_precise(resources, message):
    with pytest.raises(PackageError) as error:
        parse_manifest(manifest("<organizations/>", resources).encode())
    assert error.value.message == message


def test_no_organization_launch_files_are_checked(tmp_path):
    xml = manifest("<organizations/>", resource("r1", "one.html") + resource("r2", "two.html"))
    with pytest.raises(PackageError) as error:
        prepare_package(package(xml, ["one.html"]), tmp_path / "c1")
    assert error.value.message == "launch file 'two.html' of SCO 'r2' is not in the package"


def test_prepare_package_carries_the_warnings(tmp_path):
    xml = manifest("<organizations/>", resource("r1", "one.html") + resource("r2", "two.html"))
    prepared = prepare_package(package(xml, ["one.html", "two.html"]), tmp_path / "c1")
    assert [s.identifier for s in prepared.scos] == ["r1", "r2"]
    assert prepared.warnings == (NO_ORGANIZATION_2,)
    assert (tmp_path / "c1" / "two.html").is_file()


def test_store_registers_the_scos_of_a_manifest_without_organization(world):
    xml = manifest("", resource("r1", "one.html") + resource("r2", "two.html"))
    with world.db.write() as s:
        courseware_id = import_package(
            s, world.settings, s.get(Organization, world.top.id), package(xml, ["one.html", "two.html"])
        ).id
    with world.db.read() as s:
        courseware = s.get(Courseware, courseware_id)
        rows = s.scalars(
            select(CoursewareSco).where(CoursewareSco.courseware_id == courseware_id).order_by(CoursewareSco.ordinal)
        ).all()
        assert (courseware.title, courseware.scorm_version) == ("lenient.course", "1.2")
        assert [(r.sco_id, r.title, r.launch) for r in rows] == [("r1", "r1", "one.html"), ("r2", "r2", "two.html")]
        assert courseware.structure == [
            {"identifier": sid, "title": sid, "sco_id": sid, "is_visible": True, "asset": None, "children": []} for sid in ("r1", "r2")
        ]


def test_import_package_answers_with_the_warnings(world, http):
    xml = manifest(TWO_ORGANIZATIONS, resource("r1", "lesson.html"))
    r = upload(http, world.admin_token, package(xml, ["lesson.html"]), world.top.id)
    assert r.status_code == 200, r.text
    assert r.json()["scos"] == [{"sco_id": "lesson", "title": "Lesson", "launch": "lesson.html"}]
    assert r.json()["api_error_entity"] == {
        "error_code": 0,
        "warning_messages": [UNKNOWN_DEFAULT],
    }


# ---- AICC ------------------------------------------------------------------------------------------

AICC_REFUSAL = (
    "this is an AICC course ({names}), and AICC is not supported: "
    "only SCORM 1.2 and SCORM 2004 packages, with an imsmanifest.xml at the root, can be imported"
)
AICC_FILES = {"course.au": "[AU]", "course.crs": "[Course]", "course.des": "[DES]", "course.cst": "[CST]", "a.html": "x"}


@pytest.mark.parametrize(
    "files, names",
    [
        (AICC_FILES, "'course.au', 'course.crs', 'course.des' and 1 more"),
        ({"AICC/Course.CRS": "[Course]", "index.html": "x"}, "'AICC/Course.CRS'"),
        ({"c.au": "[AU]", "c.des": "[DES]"}, "'c.au', 'c.des'"),
    ],
)
def test_aicc_course_is_refused_as_such(tmp_path, files, names):
    dest = tmp_path / "c1"
    with pytest.raises(PackageError) as error:
        prepare_package(build_zip(files), dest)
    assert error.value.message == AICC_REFUSAL.format(names=names)
    assert not dest.exists()


def test_a_lone_au_file_is_audio_not_aicc(tmp_path):
    with pytest.raises(PackageError) as error:
        prepare_package(build_zip({"sound.au": b"\x2esnd", "index.html": "x"}), tmp_path / "c1")
    assert error.value.message == "imsmanifest.xml is missing at the root of the zip"


def test_a_scorm_package_carrying_aicc_files_imports(tmp_path):
    xml = manifest("<organizations/>", resource("r1", "one.html"))
    files = {"imsmanifest.xml": xml, "one.html": sco_page("One", "", "completed"), **AICC_FILES}
    assert [s.identifier for s in prepare_package(build_zip(files), tmp_path / "c1").scos] == ["r1"]


def test_a_nested_manifest_keeps_its_hint_over_aicc(tmp_path):
    with pytest.raises(PackageError) as error:
        prepare_package(build_zip({"course/imsmanifest.xml": "<manifest/>", **AICC_FILES}), tmp_path / "c1")
    assert "zip the contents of the course folder" in error.value.message


def test_import_package_refuses_aicc_with_422(world, http):
    r = upload(http, world.admin_token, build_zip(AICC_FILES), world.top.id)
    assert r.status_code == 422
    assert r.json()["api_error_entity"] == {
        "error_code": 9,
        "error_message": "Invalid package: "
        + AICC_REFUSAL.format(names="'course.au', 'course.crs', 'course.des' and 1 more"),
        "warning_messages": [],
    }


# ---- undeclared namespace prefixes -------------------------------------------------------------------


UNBOUND_ELEMENT = """<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2">
  <organizations default="org"><organization identifier="org"><title>T</title>
    <item identifier="i1" identifierref="r1"><title>One</title>
      <adlcp:masteryscore>80</adlcp:masteryscore></item>
  </organization></organizations>
</manifest>"""

UNBOUND_ATTRIBUTE = """<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2">
  <organizations/>
  <resources>
    <resource identifier="r1" type="webcontent"
        adlcp:scormtype="sco" href="a.html"/>
  </resources>
</manifest>"""

# Declared on a sibling only: out of scope where it is used.
OUT_OF_SCOPE = """<manifest identifier="m">
  <metadata xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"><imsmd:lom/></metadata>
  <organizations><organization identifier="o"><imsmd:title>T</imsmd:title></organization></organizations>
</manifest>"""


@pytest.mark.parametrize(
    "xml, prefix, where",
    [
        (UNBOUND_ELEMENT, "adlcp", "in <adlcp:masteryscore>, line 4"),
        (UNBOUND_ATTRIBUTE, "adlcp", "in attribute adlcp:scormtype of <resource>, line 4"),
        (OUT_OF_SCOPE, "imsmd", "in <imsmd:title>, line 3"),
    ],
)
def test_unbound_prefix_is_named(xml, prefix, where):
    with pytest.raises(PackageError) as error:
        parse_manifest(xml.encode())
    assert error.value.message == (
        f"imsmanifest.xml uses the XML namespace prefix {prefix!r} without declaring it "
        f'({where}): add xmlns:{prefix}="..." to <manifest>'
    )


def test_other_syntax_errors_keep_the_parser_message():
    with pytest.raises(PackageError) as error:
        parse_manifest(b"<manifest><organizations></manifest>")
    assert error.value.message == "imsmanifest.xml is not well-formed XML (mismatched tag: line 1, column 27)"


def test_import_package_names_the_unbound_prefix(world, http):
    r = upload(http, world.admin_token, package(UNBOUND_ATTRIBUTE, ["a.html"]), world.top.id)
    assert r.status_code == 422
    assert r.json()["api_error_entity"]["error_message"] == (
        "Invalid package: imsmanifest.xml uses the XML namespace prefix 'adlcp' without declaring it "
        '(in attribute adlcp:scormtype of <resource>, line 4): add xmlns:adlcp="..." to <manifest>'
    )
