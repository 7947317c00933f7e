"""The real golf-example packages (Rustici Software, CC BY 3.0 US) import exactly.

They live outside the project (see conftest.py for how they are found).
"""
from __future__ import annotations

import zipfile

import pytest

from scormapi.packages.importer import prepare_package
from scormapi.packages.manifest import parse_manifest
from scormapi.packages.safezip import read_manifest_bytes

SINGLE_SCO = "singlescobasic.zip"
MINIMUM_CALLS = "RuntimeMinimumCalls_SCORM12.zip"
BASIC_2004 = "RuntimeBasicCalls_SCORM20043rdEdition.zip"

# (item identifier, title, launch) of the 18 SCOs, in document order.
MINIMUM_CALLS_SCOS = [
    ("playing_playing_item", "How to Play", "Playing/Playing.html"),
    ("playing_par_item", "Par?", "Playing/Par.html"),
    ("playing_scoring_item", "Keeping Score", "Playing/Scoring.html"),
    ("playing_otherscoring_item", "Other Scoring Systems", "Playing/OtherScoring.html"),
    ("playing_rules_item", "The Rules of Golf", "Playing/RulesOfGolf.html"),
    ("playing_quiz_item", "Playing Golf Quiz", "shared/assessmenttemplate.html?questions=Playing"),
    ("etiquette_course_item", "Taking Care of the Course", "Etiquette/Course.html"),
    ("etiquette_distracting_item", "Avoiding Distraction", "Etiquette/Distracting.html"),
    ("etiquette_play_item", "Playing Politely", "Etiquette/Play.html"),
    ("etiquette_quiz_item", "Etiquette Quiz", "shared/assessmenttemplate.html?questions=Etiquette"),
    ("handicapping_overview_item", "Handicapping Overview", "Handicapping/Overview.html"),
    ("handicapping_calchandi_item", "Calculating a Handicap", "Handicapping/CalculatingHandicap.html"),
    ("handicapping_calcscore_item", "Calculating a Handicapped Score", "Handicapping/CalculatingScore.html"),
    # The package's own resource points this item at CalculatingScore.html.
    ("handicapping_example_item", "Handicapping Example", "Handicapping/CalculatingScore.html"),
    ("handicapping_quiz_item", "Handicapping Quiz", "shared/assessmenttemplate.html?questions=Handicapping"),
    ("havingfun_howto_item", "How to Have Fun Playing Golf", "HavingFun/HowToHaveFun.html"),
    ("havingfun_makefriends_item", "How to Make Friends Playing Golf", "HavingFun/MakeFriends.html"),
    ("havingfun_quiz_item", "Having Fun Quiz", "shared/assessmenttemplate.html?questions=HavingFun"),
]


def test_single_sco_scorm12(scorm_fixture, tmp_path):
    dest = tmp_path / "golf"
    manifest = prepare_package(scorm_fixture(SINGLE_SCO), dest)
    assert manifest.identifier == "com.scorm.golfsamples.runtime.basicruntime.12"
    assert manifest.scorm_version == "1.2"
    assert manifest.organization_title == "Golf Explained - Run-time Basic Calls"
    assert manifest.title == "Golf Explained - Run-time Basic Calls"
    assert len(manifest.scos) == 1
    sco = manifest.scos[0]
    assert (sco.identifier, sco.title, sco.launch, sco.resource_identifier) == (
        "item_1",
        "Golf Explained",
        "shared/launchpage.html",
        "resource_1",
    )
    assert sco.mastery_score == sco.data_from_lms == ""
    assert [item.identifier for item in manifest.items] == ["item_1"]
    assert (dest / "shared" / "launchpage.html").is_file()


def test_eighteen_sco_scorm12(scorm_fixture, tmp_path):
    manifest = prepare_package(scorm_fixture(MINIMUM_CALLS), tmp_path / "golf")
    assert manifest.scorm_version == "1.2"
    assert manifest.organization_title == "Golf Explained - Minimum Run-time Calls"
    assert len(manifest.scos) == 18
    assert [(s.identifier, s.title, s.launch) for s in manifest.scos] == MINIMUM_CALLS_SCOS
    assert manifest.scos[5].resource_identifier == "playing_quiz_resource"


def test_eighteen_sco_structure(scorm_fixture):
    manifest = parse_manifest(read_manifest_bytes(scorm_fixture(MINIMUM_CALLS)))
    modules = [(item.identifier, item.title, item.sco, len(item.children)) for item in manifest.items]
    assert modules == [
        ("playing_item", "Playing the Game", None, 6),
        ("etiquette_item", "Etiquette", None, 4),
        ("handicapping_item", "Handicapping", None, 5),
        ("havingfun_item", "Having Fun", None, 3),
    ]
    leaves = [child for item in manifest.items for child in item.children]
    assert [leaf.sco for leaf in leaves] == manifest.scos
    assert all(leaf.is_visible and not leaf.children for leaf in leaves)


def test_scorm2004_third_edition(scorm_fixture, tmp_path):
    manifest = prepare_package(scorm_fixture(BASIC_2004), tmp_path / "golf")
    assert manifest.identifier == "com.scorm.golfsamples.runtime.basicruntime.20043rd"
    assert manifest.scorm_version == "2004"
    assert [(s.identifier, s.title, s.launch) for s in manifest.scos] == [
        ("item_1", "Golf Explained", "shared/launchpage.html")
    ]
    assert manifest.scos[0].completion_threshold == manifest.scos[0].scaled_passing_score == ""


@pytest.mark.parametrize("name", [SINGLE_SCO, MINIMUM_CALLS, BASIC_2004])
def test_every_real_package_extracts_completely(scorm_fixture, tmp_path, name):
    path = scorm_fixture(name)
    dest = tmp_path / "pkg"
    prepare_package(path, dest)
    with zipfile.ZipFile(path) as archive:
        expected = sorted(info.filename for info in archive.infolist() if not info.is_dir())
    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()) == expected
