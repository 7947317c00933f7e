"""The central directory is vetted from the raw bytes before zipfile reads it:
a zip declaring (or hiding) more entries than allowed costs no memory."""
from __future__ import annotations

import io
import itertools
import tracemalloc
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scormapi.packages.centraldir import (
    MAX_CENTRAL_ENTRY_BYTES,
    read_directory,
    vet_central_directory,
)
from scormapi.packages.errors import PackageError
from scormapi.packages.limits import MAX_ENTRY_METADATA_BYTES, ExtractionLimits
from scormapi.packages.safezip import extract_zip, read_manifest_bytes
from tests.packages.test_safezip import refuse
from tests.packages.zips import (
    empty_entries_zip,
    make_zip,
    patch_end_record,
    rename_raw,
)

MIB = 1024 * 1024
# Three entries whose central headers take 3 x (46 + 20) = 198 bytes.
NAMES = [f"{letter * 16}.txt" for letter in "abc"]


def three_entries() -> bytes:
    return make_zip([(name, "x") for name in NAMES])


def test_a_zip_declaring_too_many_entries_costs_no_memory(tmp_path):
    data = empty_entries_zip(200_000)
    tracemalloc.start()
    try:
        with pytest.raises(PackageError) as raised:
            read_manifest_bytes(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(raised.value) == "the zip declares 200000 entries, more than the 10000 allowed"
    # zipfile would have built 200,000 ZipInfo objects: about 100 MB.
    assert peak < MIB


def test_the_declared_count_is_checked_even_when_the_directory_holds_fewer(tmp_path):
    refuse(tmp_path, patch_end_record(three_entries(), entries=60_000, disk_entries=60_000),
           "^the zip declares 60000 entries, more than the 10000 allowed$")


def test_zip64_records_are_read(tmp_path):
    data = empty_entries_zip(6, zip64=True)
    directory = read_directory(io.BytesIO(data))
    assert (directory.entries, directory.size) == (6, 6 * 48)
    refuse(tmp_path, data, "^the zip declares 6 entries, more than the 5 allowed$", ExtractionLimits(max_files=5))
    assert extract_zip(data, tmp_path / "pkg") == [f"f{n}" for n in range(6)]


def test_a_count_the_directory_cannot_hold_is_refused(tmp_path):
    refuse(tmp_path, patch_end_record(three_entries(), entries=5, disk_entries=5),
           "^the zip declares 5 entries, more than its central directory of 198 bytes can hold$")


def test_a_directory_holding_fewer_entries_than_declared_is_refused(tmp_path):
    refuse(tmp_path, patch_end_record(three_entries(), entries=4, disk_entries=4),
           "^the zip declares 4 entries but its central directory holds 3$")


def test_entries_hidden_beyond_the_declared_count_are_refused(tmp_path):
    """zipfile reads entries until the directory's bytes run out, whatever
    the count says: 100 entries behind a count of 1 would all be parsed."""
    data = patch_end_record(empty_entries_zip(100), entries=1, disk_entries=1)
    refuse(tmp_path, data, "^the zip declares 1 entry but its central directory holds more$")


def test_a_directory_larger_than_its_entries_could_fill_is_refused(tmp_path):
    count = MAX_CENTRAL_ENTRY_BYTES // 48 + 1
    data = patch_end_record(empty_entries_zip(count), entries=1, disk_entries=1)
    size = read_directory(io.BytesIO(data)).size
    assert size > MAX_CENTRAL_ENTRY_BYTES
    refuse(tmp_path, data, f"^the zip's central directory of {size} bytes is larger than its 1 declared entry can fill$")


def test_a_directory_larger_than_the_file_is_refused(tmp_path):
    refuse(tmp_path, patch_end_record(three_entries(), size=1 << 30),
           "^the zip's central directory is declared as 1073741824 bytes, more than the file holds$")


def test_a_directory_over_its_limit_is_refused(tmp_path):
    refuse(tmp_path, three_entries(), "^the zip's central directory is 198 bytes, more than the 100 allowed$",
           ExtractionLimits(max_directory_bytes=100))


@pytest.mark.parametrize("field", ["disk", "cd_disk", "disk_entries"])
def test_split_archives_are_refused(tmp_path, field):
    refuse(tmp_path, patch_end_record(three_entries(), **{field: 1}), "spans several disks")


def test_a_corrupt_directory_is_refused(tmp_path):
    data = three_entries()
    at = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)
    damaged = data[:at] + b"XX" + data[at + 2 :]
    refuse(tmp_path, damaged, r"^the zip's central directory is corrupt \(at entry 2\)$")


def test_an_entry_with_too_much_metadata_is_refused(tmp_path):
    info = zipfile.ZipInfo("a.txt")
    info.comment = b"c" * (MAX_ENTRY_METADATA_BYTES + 1)
    refuse(tmp_path, make_zip([(info, "x")]),
           f"^zip entry number 1 carries {MAX_ENTRY_METADATA_BYTES + 1} bytes of extra fields and comment, more than")


def test_a_raw_name_over_the_limit_is_refused_before_decoding(tmp_path):
    refuse(tmp_path, make_zip([("n" * 5000, "x")]), "^zip entry number 1 has a name of 5000 bytes, more than the 4096 allowed$")


def test_a_zip_with_a_comment_is_read(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
        archive.comment = b"a comment moves the end record away from the end of the file"
    assert extract_zip(buffer.getvalue(), tmp_path / "pkg") == ["a.txt"]


def test_vetting_leaves_a_file_where_it_was():
    upload = io.BytesIO(three_entries())
    upload.seek(7)
    vet_central_directory(upload, ExtractionLimits())
    assert upload.tell() == 7


# ---- raw names --------------------------------------------------------------------


def test_a_nul_in_the_raw_name_is_refused(tmp_path):
    """zipfile cuts ``evil.html\\0.png`` to ``evil.html``: it must not land."""
    data = rename_raw(make_zip([("evil.htmlX.png", "<script>")]), "evil.htmlX.png", b"evil.html\x00.png")
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == ["evil.html"]
    refuse(tmp_path, data, r"^zip entry 'evil.html\\x00.png' has a control character \(U\+0000\) in its name$")


@pytest.mark.parametrize("char, code", [("\x1b", "001B"), ("\n", "000A"), ("\x7f", "007F")])
def test_control_characters_in_names_are_refused(tmp_path, char, code):
    refuse(tmp_path, make_zip([(f"a{char}b.html", "x")]), rf"control character \(U\+{code}\)")


_attempts = itertools.count()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_damaged_directories_only_ever_raise_package_error(tmp_path, data):
    """Bytes changed anywhere in the directory and end records."""
    original = make_zip([(name, "x" * 50) for name in NAMES])
    directory_start = original.find(b"PK\x01\x02")
    damaged = bytearray(original)
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(directory_start, len(damaged) - 1))
        damaged[position] = data.draw(st.integers(0, 255))
    dest = tmp_path / f"pkg{next(_attempts)}"
    try:
        extract_zip(bytes(damaged), dest)
    except PackageError:
        assert not dest.exists()
