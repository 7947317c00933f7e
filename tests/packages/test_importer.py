"""prepare_package: a package that imports is a package that launches."""
from __future__ import annotations

import io
import itertools
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scormapi.packages import safezip
from scormapi.packages.errors import PackageError
from scormapi.packages.importer import (
    build_zip,
    check_launch_files,
    prepare_package,
    synthetic_scorm12_package,
)
from scormapi.packages.limits import ExtractionLimits
from scormapi.packages.manifest import Manifest, parse_manifest
from tests.packages.zips import make_zip, manifest_12, sco_resource

ONE_SCO = '<item identifier="i1" identifierref="r1"><title>One</title></item>'


def package(files: dict[str, str]) -> bytes:
    return build_zip(files)


def test_prepares_a_synthetic_package(tmp_path):
    dest = tmp_path / "courses" / "c1"
    manifest = prepare_package(synthetic_scorm12_package("Demo", [{"title": "Intro"}, {"title": "Quiz"}]), dest)
    assert [sco.title for sco in manifest.scos] == ["Intro", "Quiz"]
    for sco in manifest.scos:
        assert (dest / sco.launch).is_file()
    assert (dest / "imsmanifest.xml").is_file()


def test_accepts_a_path(tmp_path):
    zip_path = tmp_path / "upload.zip"
    zip_path.write_bytes(synthetic_scorm12_package("Demo", [{}]))
    assert prepare_package(zip_path, tmp_path / "c1").scos[0].identifier == "item_1"


def test_launch_with_parameters_and_encoded_names(tmp_path):
    files = {
        "imsmanifest.xml": manifest_12(
            '<item identifier="i1" identifierref="r1" parameters="?lang=fr"><title>One</title></item>',
            sco_resource("r1", "my%20lesson/start.html#top"),
        ),
        "my lesson/start.html": "<html></html>",
    }
    manifest = prepare_package(package(files), tmp_path / "c1")
    assert manifest.scos[0].launch == "my%20lesson/start.html?lang=fr#top"


def test_missing_manifest(tmp_path):
    dest = tmp_path / "c1"
    with pytest.raises(PackageError, match="imsmanifest.xml is missing at the root of the zip"):
        prepare_package(package({"index.html": "x"}), dest)
    assert not dest.exists()


def test_manifest_inside_a_folder(tmp_path):
    data = package({"course/imsmanifest.xml": "<manifest/>", "course/index.html": "x"})
    with pytest.raises(PackageError, match="found 'course/imsmanifest.xml'"):
        prepare_package(data, tmp_path / "c1")


def test_missing_launch_file_removes_everything(tmp_path):
    dest = tmp_path / "c1"
    files = {"imsmanifest.xml": manifest_12(ONE_SCO, sco_resource("r1", "lesson/index.html")), "other.html": "x"}
    with pytest.raises(PackageError, match="launch file 'lesson/index.html' of SCO 'i1' is not in the package"):
        prepare_package(package(files), dest)
    assert not dest.exists()
    assert list(tmp_path.iterdir()) == []


def test_launch_file_with_the_wrong_case(tmp_path):
    files = {"imsmanifest.xml": manifest_12(ONE_SCO, sco_resource("r1", "Lesson.html")), "lesson.html": "x"}
    with pytest.raises(PackageError, match="there is 'lesson.html': file names are case-sensitive"):
        prepare_package(package(files), tmp_path / "c1")


def test_bad_manifest_writes_nothing(tmp_path):
    dest = tmp_path / "c1"
    with pytest.raises(PackageError, match="not well-formed XML"):
        prepare_package(package({"imsmanifest.xml": "<manifest>", "a.html": "x"}), dest)
    assert list(tmp_path.iterdir()) == []


def test_hostile_zip_writes_nothing(tmp_path):
    data = make_zip([("imsmanifest.xml", synthetic_manifest()), ("../../escape.html", "x")])
    with pytest.raises(PackageError, match="escapes the package folder"):
        prepare_package(data, tmp_path / "c1")
    assert list(tmp_path.iterdir()) == []


def test_limits_are_applied(tmp_path):
    data = synthetic_scorm12_package("Demo", [{}, {}, {}])
    with pytest.raises(PackageError, match="more than the 2 allowed"):
        prepare_package(data, tmp_path / "c1", ExtractionLimits(max_files=2))


def test_oversized_manifest(tmp_path, monkeypatch):
    monkeypatch.setattr(safezip, "MANIFEST_MAX_BYTES", 100)
    data = synthetic_scorm12_package("Demo", [{}])
    with pytest.raises(PackageError, match="imsmanifest.xml is .* more than the 100 bytes allowed"):
        prepare_package(data, tmp_path / "c1")


def test_check_launch_files_directly():
    manifest = synthetic_manifest_object()
    check_launch_files(manifest, ["sco1/index.html"])
    with pytest.raises(PackageError, match="launch file 'sco1/index.html' of SCO 'item_1'"):
        check_launch_files(manifest, [])


_attempts = itertools.count()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_damaged_packages_only_ever_raise_package_error(tmp_path, data):
    original = synthetic_scorm12_package("Fuzz", [{"title": "A"}, {"children": [{"title": "B"}]}])
    damaged = bytearray(original)
    for _ in range(data.draw(st.integers(1, 3))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    dest = tmp_path / f"c{next(_attempts)}"
    try:
        prepare_package(bytes(damaged), dest)
    except PackageError:
        assert not dest.exists()


def synthetic_manifest() -> bytes:
    with zipfile.ZipFile(io.BytesIO(synthetic_scorm12_package("Demo", [{}]))) as archive:
        return archive.read("imsmanifest.xml")


def synthetic_manifest_object() -> Manifest:
    return parse_manifest(synthetic_manifest())


def test_real_file_tree_matches_written_names(tmp_path):
    dest = tmp_path / "c1"
    prepare_package(synthetic_scorm12_package("Demo", [{}, {"children": [{}]}]), dest)
    on_disk = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert on_disk == ["imsmanifest.xml", "sco1/index.html", "sco2/index.html"]
