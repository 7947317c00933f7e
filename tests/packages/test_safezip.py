"""Safe extraction: every hostile zip is refused and leaves nothing behind."""
from __future__ import annotations

import contextlib
import io
import itertools
import os
import stat
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scormapi.packages import safezip
from scormapi.packages.errors import PackageError
from scormapi.packages.limits import DEFAULT_LIMITS, ExtractionLimits
from scormapi.packages.safezip import extract_zip, read_manifest_bytes, safe_member_name
from tests.packages.zips import entry_with_mode, make_zip, patch_entry, symlink_entry

MIB = 1024 * 1024


def refuse(tmp_path: Path, data: bytes, match: str, limits: ExtractionLimits = DEFAULT_LIMITS) -> None:
    """Extraction fails with ``match`` and leaves no trace anywhere."""
    dest = tmp_path / "out" / "pkg"
    with pytest.raises(PackageError, match=match):
        extract_zip(io.BytesIO(data), dest, limits)
    assert not dest.exists()
    leftovers = list((tmp_path / "out").iterdir()) if (tmp_path / "out").exists() else []
    assert leftovers == []
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["out"])


# ---- what works ---------------------------------------------------------------


def test_extracts_files_and_folders(tmp_path):
    data = make_zip([("a.html", "A"), ("dir/", ""), ("dir/sub/b.js", b"B"), ("./c.txt", "C")])
    written = extract_zip(io.BytesIO(data), tmp_path / "pkg")
    assert written == ["a.html", "dir/sub/b.js", "c.txt"]
    assert (tmp_path / "pkg" / "dir" / "sub" / "b.js").read_bytes() == b"B"
    assert (tmp_path / "pkg" / "c.txt").read_text() == "C"


def test_progress_counts_bytes_written_against_the_declared_total(tmp_path):
    data = make_zip([("a.html", "A" * 1000), ("dir/", ""), ("dir/b.js", b"B" * 3000), ("c.txt", "C" * 500)])
    seen = []
    extract_zip(io.BytesIO(data), tmp_path / "pkg", progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1000, 4500), (4000, 4500), (4500, 4500)]


@pytest.mark.parametrize("kind", ["path", "str", "bytes", "file", "zipfile"])
def test_accepts_every_source_kind(tmp_path, kind):
    data = make_zip([("x.txt", "x")])
    zip_path = tmp_path / "upload.zip"
    zip_path.write_bytes(data)
    with contextlib.ExitStack() as stack:
        sources = {
            "path": lambda: zip_path,
            "str": lambda: str(zip_path),
            "bytes": lambda: data,
            "file": lambda: stack.enter_context(zip_path.open("rb")),
            "zipfile": lambda: stack.enter_context(zipfile.ZipFile(zip_path)),
        }
        assert extract_zip(sources[kind](), tmp_path / "pkg") == ["x.txt"]


def test_backslash_names_are_folders(tmp_path):
    data = make_zip([("dir\\page.html", "p")])
    assert extract_zip(data, tmp_path / "pkg") == ["dir/page.html"]
    assert (tmp_path / "pkg" / "dir" / "page.html").read_text() == "p"


def test_empty_destination_folder_is_used(tmp_path):
    dest = tmp_path / "pkg"
    dest.mkdir()
    extract_zip(make_zip([("x.txt", "x")]), dest)
    assert (dest / "x.txt").exists()


def test_non_empty_destination_is_a_caller_error(tmp_path):
    dest = tmp_path / "pkg"
    dest.mkdir()
    (dest / "old.txt").write_text("keep")
    with pytest.raises(FileExistsError):
        extract_zip(make_zip([("x.txt", "x")]), dest)
    assert (dest / "old.txt").read_text() == "keep"


def test_failure_keeps_an_empty_destination_empty(tmp_path):
    dest = tmp_path / "pkg"
    dest.mkdir()
    with pytest.raises(PackageError):
        extract_zip(make_zip([("ok.txt", "x"), ("../evil.txt", "x")]), dest)
    assert dest.is_dir() and list(dest.iterdir()) == []


def test_file_modes_from_the_zip_are_ignored(tmp_path):
    data = make_zip([(entry_with_mode("run.sh", stat.S_IFREG | 0o4755), "#!/bin/sh")])
    extract_zip(data, tmp_path / "pkg")
    mode = (tmp_path / "pkg" / "run.sh").stat().st_mode
    assert not mode & (stat.S_ISUID | stat.S_IXUSR)


def test_read_manifest_bytes(tmp_path):
    data = make_zip([("imsmanifest.xml", "<manifest/>"), ("a.html", "a")])
    assert read_manifest_bytes(data) == b"<manifest/>"


@pytest.mark.parametrize(
    "name, hint",
    [
        ("course/imsmanifest.xml", "zip the contents of the course folder"),
        ("IMSManifest.xml", "must be all lower case"),
        ("other.xml", "$"),
    ],
)
def test_missing_manifest_is_named(name, hint):
    with pytest.raises(PackageError, match=f"imsmanifest.xml is missing at the root of the zip.*{hint}"):
        read_manifest_bytes(make_zip([(name, "<manifest/>")]))


def test_read_manifest_vets_the_whole_zip_first():
    data = make_zip([("imsmanifest.xml", "<manifest/>"), ("../evil.html", "x")])
    with pytest.raises(PackageError, match="escapes the package folder"):
        read_manifest_bytes(data)


# ---- not a zip -------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"hello, not a zip", b"PK\x03\x04" + b"\x00" * 40])
def test_not_a_zip(tmp_path, data):
    refuse(tmp_path, data, "not a valid zip file")


def test_truncated_zip(tmp_path):
    data = make_zip([("a.txt", os.urandom(4096))])
    refuse(tmp_path, data[: len(data) // 2], "not a valid zip file")


def test_corrupt_data_is_refused(tmp_path):
    data = bytearray(make_zip([("a.txt", b"hello world " * 200)]))
    middle = data.find(b"a.txt") + 20  # inside the compressed bytes of the entry
    data[middle : middle + 8] = b"\xff" * 8
    refuse(tmp_path, bytes(data), "zip entry 'a.txt' is corrupt")


# ---- names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../evil.html", "a/../../evil.html", "..\\evil.html", "a\\..\\..\\evil.html", "a/.. /b", "...", "a/../.."],
)
def test_path_traversal(tmp_path, name):
    refuse(tmp_path, make_zip([("ok.html", "x"), (name, "x")]), "escapes the package folder")


@pytest.mark.parametrize(
    "name", ["/etc/evil", "\\evil.html", "C:\\evil.html", "c:/evil.html", "C:evil", "//host/share/x"]
)
def test_absolute_paths(tmp_path, name):
    refuse(tmp_path, make_zip([(name, "x")]), "absolute path")


def test_symlink_entries(tmp_path):
    refuse(tmp_path, make_zip([(symlink_entry("link.html"), "../../etc/passwd")]), "symbolic link")


def test_special_files(tmp_path):
    refuse(tmp_path, make_zip([(entry_with_mode("fifo", stat.S_IFIFO | 0o644), "")]), "special file")


def test_duplicate_names(tmp_path):
    refuse(tmp_path, make_zip([("a.html", "one"), ("a.html", "two")]), "appears more than once")


def test_names_differing_only_by_case(tmp_path):
    refuse(tmp_path, make_zip([("Page.html", "one"), ("page.html", "two")]), "differ only by letter case")


def test_name_used_as_file_and_folder(tmp_path):
    refuse(tmp_path, make_zip([("a", "file"), ("a/b.html", "x")]), "both a file and a folder")


def test_overlong_component(tmp_path):
    refuse(tmp_path, make_zip([("a" * 300 + ".html", "x")]), "longer than 255 bytes")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="ab./\\:C \x00", min_size=1, max_size=12))
def test_no_name_escapes(tmp_path, name):
    """Whatever the name, it is refused or lands inside the package."""
    try:
        relative = safe_member_name(name)
    except PackageError:
        return
    root = tmp_path / "root"
    assert (root / relative).resolve().is_relative_to(root.resolve())
    assert ".." not in relative.split("/") and "\\" not in relative


# ---- entry kinds the reader cannot handle ---------------------------------------------


def test_encrypted_entries(tmp_path):
    data = patch_entry(make_zip([("secret.html", "x")]), "secret.html", flags=0x1)
    refuse(tmp_path, data, "encrypted")


def test_unsupported_compression(tmp_path):
    data = patch_entry(make_zip([("a.html", "x" * 100)]), "a.html", method=9)
    refuse(tmp_path, data, "compression method 9")


# ---- bombs and limits ------------------------------------------------------------------


def test_too_many_files(tmp_path):
    data = make_zip([(f"f{i}.txt", "x") for i in range(6)])
    refuse(tmp_path, data, "6 entries, more than the 5 allowed", ExtractionLimits(max_files=5))


def test_total_declared_size(tmp_path):
    data = make_zip([("a.bin", os.urandom(3000)), ("b.bin", os.urandom(3000))], zipfile.ZIP_STORED)
    refuse(tmp_path, data, "would expand to .* more than", ExtractionLimits(max_total_bytes=5000))


def test_single_entry_size(tmp_path):
    data = make_zip([("a.bin", os.urandom(3000))], zipfile.ZIP_STORED)
    refuse(tmp_path, data, "'a.bin' is 2.9 KB, more than", ExtractionLimits(max_entry_bytes=2000))


def test_bomb_by_ratio(tmp_path):
    data = make_zip([("index.html", "hi"), ("zeros.bin", bytes(5 * MIB))])
    assert len(data) < 20_000
    refuse(tmp_path, data, r"'zeros.bin' expands \d+ times, more than the 200:1 allowed")


def test_zero_compressed_size_counts_as_infinite_ratio(tmp_path):
    data = make_zip([("a.bin", b"x" * 1000)], zipfile.ZIP_STORED)
    refuse(tmp_path, patch_entry(data, "a.bin", compress_size=0), "infinitely many times")


def test_header_understating_the_size(tmp_path):
    """The central directory claims 1000 bytes; the data inflates to 5 MB."""
    original = make_zip([("zeros.bin", bytes(5 * MIB))])
    data = patch_entry(original, "zeros.bin", file_size=1000)
    refuse(tmp_path, data, "'zeros.bin' is corrupt")


def test_header_overstating_the_size(tmp_path):
    data = make_zip([("a.bin", os.urandom(10_000))], zipfile.ZIP_STORED)
    refuse(tmp_path, patch_entry(data, "a.bin", file_size=12_000), "declares 12000 bytes but it holds 10000")


class _Overflowing(io.BytesIO):
    """An entry stream producing more than the header declares."""

    def __init__(self) -> None:
        super().__init__(b"z" * (5 * safezip.CHUNK_BYTES))


def test_streaming_counts_real_bytes(tmp_path, monkeypatch):
    """Even if the zip reader trusted a lying header, the meter stops it."""
    data = make_zip([("a.bin", b"z" * 100)])
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, info, *a, **k: _Overflowing())
    refuse(tmp_path, data, "decompresses to more than the 100 bytes its header declares")


def test_streaming_enforces_the_total(tmp_path, monkeypatch):
    """The running total is checked against the limit, not the headers' sum."""
    data = make_zip([("a.bin", b"z" * 100), ("b.bin", b"z" * 100)])

    def plan_without_total(archive, limits):
        return [safezip._vet(info, limits) for info in archive.infolist()]

    monkeypatch.setattr(safezip, "_plan", plan_without_total)
    refuse(tmp_path, data, "expands to more than", ExtractionLimits(max_total_bytes=150))


def test_memory_stays_flat_while_extracting(tmp_path):
    size = 24 * MIB
    zip_path = tmp_path / "big.zip"
    with (
        zipfile.ZipFile(zip_path, "w", zipfile.ZIP_STORED) as archive,
        archive.open("big.bin", "w", force_zip64=True) as out,
    ):
            for _ in range(size // MIB):
                out.write(os.urandom(MIB))
    tracemalloc.start()
    try:
        extract_zip(zip_path, tmp_path / "pkg")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (tmp_path / "pkg" / "big.bin").stat().st_size == size
    assert peak < 2 * MIB


_attempts = itertools.count()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_damaged_zips_only_ever_raise_package_error(tmp_path, data):
    method = data.draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]))
    original = make_zip([("imsmanifest.xml", "<manifest/>" * 20), ("dir/a.html", "hello " * 300)], method)
    damaged = bytearray(original)
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(damaged) - 1))
        damaged[position] = data.draw(st.integers(0, 255))
    dest = tmp_path / f"pkg{next(_attempts)}"
    try:
        extract_zip(bytes(damaged), dest)
    except PackageError:
        assert not dest.exists()
