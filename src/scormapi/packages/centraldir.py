"""A zip's central directory, vetted from the raw bytes before ``zipfile`` reads it.

``zipfile.ZipFile`` reads the whole central directory into memory and builds
one ``ZipInfo`` per entry before anyone can look at the count: a zip of two
million empty entries (about 150 MB, well within the upload limit) costs a
gigabyte of memory that the allocator never gives back. So the End Of
Central Directory record (and its ZIP64 form) is read here first, from the
file's tail, and the directory is walked header by header without keeping
anything, stopping as soon as it holds more entries than allowed.

The record is located exactly as ``zipfile`` locates it (a record without a
comment at the very end, otherwise the last signature in the final 64 KiB;
ZIP64 records right before it), so what is vetted here is what ``zipfile``
reads next. Its directory is the ``size`` bytes right before that record,
whatever offset the record declares (``zipfile`` allows for data prepended
to the archive the same way).

Refused: a zip spanning several disks, a declared entry count above
``max_files``, a directory larger than the file before it, larger than the
declared entries could fill or above ``max_directory_bytes``, smaller than
the declared entries need, and a directory whose headers do not add up to
the declared count. Every refusal is a ``PackageError`` saying which.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

from .errors import PackageError
from .limits import (
    MAX_ENTRY_METADATA_BYTES,
    MAX_NAME_BYTES,
    ExtractionLimits,
)

_EOCD = struct.Struct("<4s4H2LH")
_EOCD_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_ZIP64_EOCD_SIGNATURE = b"PK\x06\x06"
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_CENTRAL_SIGNATURE = b"PK\x01\x02"
_MAX_COMMENT = 0xFFFF
# The most one entry's central header can take once its name, extra fields
# and comment are within their limits.
MAX_CENTRAL_ENTRY_BYTES = _CENTRAL.size + MAX_NAME_BYTES + MAX_ENTRY_METADATA_BYTES


@dataclass(frozen=True)
class Directory:
    """What the end record declares, and where the directory really starts."""

    entries: int
    size: int
    start: int  # offset of the first central header in the file
    spans_disks: bool


def vet_central_directory(fp: BinaryIO, limits: ExtractionLimits) -> None:
    """PackageError unless the zip in ``fp`` has a directory ``zipfile`` can
    read within ``limits``; ``fp``'s position is restored afterwards. A file
    with no end record at all is left for ``zipfile`` to call "not a zip"."""
    position = fp.tell()
    try:
        directory = read_directory(fp)
        if directory is not None:
            _check_declared(directory, limits)
            _walk(fp, directory)
    finally:
        fp.seek(position)


def read_directory(fp: BinaryIO) -> Directory | None:
    """The directory the file's end record declares, or None without one."""
    file_size = fp.seek(0, 2)
    found = _find_end_record(fp, file_size)
    if found is None:
        return None
    at, record = found
    _, disk, cd_disk, disk_entries, entries, size, _offset, _comment = record
    zip64 = _zip64_record(fp, at)
    if zip64 is not None:
        at, (disk, cd_disk, disk_entries, entries, size) = zip64
    spans = disk != 0 or cd_disk != 0 or disk_entries != entries
    return Directory(entries=entries, size=size, start=at - size, spans_disks=spans)


def _find_end_record(fp: BinaryIO, file_size: int) -> tuple[int, tuple] | None:
    if file_size < _EOCD.size:
        return None
    fp.seek(file_size - _EOCD.size)
    tail = fp.read(_EOCD.size)
    if tail[:4] == _EOCD_SIGNATURE and tail[-2:] == b"\x00\x00":
        return file_size - _EOCD.size, _EOCD.unpack(tail)
    # A comment follows the record: the last signature in reach wins.
    window_start = max(file_size - _MAX_COMMENT - _EOCD.size, 0)
    fp.seek(window_start)
    window = fp.read()
    found = window.rfind(_EOCD_SIGNATURE)
    if found < 0 or len(window) - found < _EOCD.size:
        return None
    return window_start + found, _EOCD.unpack_from(window, found)


def _zip64_record(fp: BinaryIO, eocd_at: int) -> tuple[int, tuple[int, int, int, int, int]] | None:
    """The ZIP64 record right before the locator right before the end
    record, as ``zipfile`` reads it: (its offset, its disk and size fields)."""
    locator_at = eocd_at - _ZIP64_LOCATOR.size
    record_at = locator_at - _ZIP64_EOCD.size
    if record_at < 0:
        return None
    fp.seek(locator_at)
    signature, locator_disk, _offset, disks = _ZIP64_LOCATOR.unpack(fp.read(_ZIP64_LOCATOR.size))
    if signature != _ZIP64_LOCATOR_SIGNATURE:
        return None
    if locator_disk != 0 or disks > 1:
        raise PackageError("the zip spans several disks (a split archive); upload it as one file")
    fp.seek(record_at)
    fields = _ZIP64_EOCD.unpack(fp.read(_ZIP64_EOCD.size))
    if fields[0] != _ZIP64_EOCD_SIGNATURE:
        return None
    _, _size, _made_by, _needed, disk, cd_disk, disk_entries, entries, size, _offset = fields
    return record_at, (disk, cd_disk, disk_entries, entries, size)


def _check_declared(directory: Directory, limits: ExtractionLimits) -> None:
    entries, size = directory.entries, directory.size
    if directory.spans_disks:
        raise PackageError("the zip spans several disks (a split archive); upload it as one file")
    if entries > limits.max_files:
        raise PackageError(f"the zip declares {_entries(entries)}, more than the {limits.max_files} allowed")
    if directory.start < 0:
        raise PackageError(f"the zip's central directory is declared as {size} bytes, more than the file holds")
    if size > limits.max_directory_bytes:
        raise PackageError(
            f"the zip's central directory is {size} bytes, more than the {limits.max_directory_bytes} allowed"
        )
    if size < entries * _CENTRAL.size:
        raise PackageError(
            f"the zip declares {_entries(entries)}, more than its central directory of {size} bytes can hold"
        )
    if size > entries * MAX_CENTRAL_ENTRY_BYTES:
        raise PackageError(
            f"the zip's central directory of {size} bytes is larger than its {entries} declared {_noun(entries)} can fill"
        )


def _walk(fp: BinaryIO, directory: Directory) -> None:
    """Count the headers as ``zipfile`` will parse them (until ``size`` bytes
    are consumed), keeping nothing, and stop at the first one too many."""
    fp.seek(directory.start)
    consumed = count = 0
    while consumed < directory.size:
        if count == directory.entries:
            raise PackageError(
                f"the zip declares {_entries(directory.entries)} but its central directory holds more"
            )
        header = fp.read(_CENTRAL.size)
        if len(header) != _CENTRAL.size or header[:4] != _CENTRAL_SIGNATURE:
            raise PackageError(f"the zip's central directory is corrupt (at entry {count + 1})")
        name, metadata = _variable_lengths(header)
        _check_entry(count + 1, name, metadata)
        fp.seek(name + metadata, 1)
        consumed += _CENTRAL.size + name + metadata
        count += 1
    if count != directory.entries:
        raise PackageError(f"the zip declares {_entries(directory.entries)} but its central directory holds {count}")


def _variable_lengths(header: bytes) -> tuple[int, int]:
    fields = _CENTRAL.unpack(header)
    name, extra, comment = fields[12], fields[13], fields[14]
    return name, extra + comment


def _check_entry(number: int, name: int, metadata: int) -> None:
    if name > MAX_NAME_BYTES:
        raise PackageError(f"zip entry number {number} has a name of {name} bytes, more than the {MAX_NAME_BYTES} allowed")
    if metadata > MAX_ENTRY_METADATA_BYTES:
        raise PackageError(
            f"zip entry number {number} carries {metadata} bytes of extra fields and comment, "
            f"more than the {MAX_ENTRY_METADATA_BYTES} allowed"
        )


def _noun(count: int) -> str:
    return "entry" if count == 1 else "entries"


def _entries(count: int) -> str:
    return f"{count} {_noun(count)}"
