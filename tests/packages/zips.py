"""Hand-built zips for the package tests, hostile ones included.

zipfile refuses to write most of what an attacker would, so entries are
written normally and their header fields patched afterwards.
"""
from __future__ import annotations

import io
import stat
import struct
import warnings
import zipfile

CENTRAL_SIGNATURE = b"PK\x01\x02"
LOCAL_SIGNATURE = b"PK\x03\x04"
# Byte offsets of fields inside the two header kinds.
CENTRAL_FIELDS = {"flags": (8, "<H"), "method": (10, "<H"), "compress_size": (20, "<I"), "file_size": (24, "<I")}
LOCAL_FIELDS = {"flags": (6, "<H"), "method": (8, "<H"), "compress_size": (18, "<I"), "file_size": (22, "<I")}
CENTRAL_NAME_AT, LOCAL_NAME_AT = 46, 30


def make_zip(entries: list[tuple[str | zipfile.ZipInfo, bytes | str]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of (name or ZipInfo, content) pairs, duplicates allowed."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on duplicate names
        with zipfile.ZipFile(buffer, "w", method) as archive:
            for name, content in entries:
                archive.writestr(name, content)
    return buffer.getvalue()


def entry_with_mode(name: str, mode: int) -> zipfile.ZipInfo:
    """A ZipInfo whose Unix mode (file type included) is ``mode``."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info


def symlink_entry(name: str) -> zipfile.ZipInfo:
    return entry_with_mode(name, stat.S_IFLNK | 0o777)


def patch_entry(data: bytes, name: str, **fields: int) -> bytes:
    """Overwrite header fields of entry ``name`` in both of its headers."""
    buffer = bytearray(data)
    encoded = name.encode("utf-8")
    _patch(buffer, CENTRAL_SIGNATURE, CENTRAL_NAME_AT, 28, encoded, CENTRAL_FIELDS, fields)
    _patch(buffer, LOCAL_SIGNATURE, LOCAL_NAME_AT, 26, encoded, LOCAL_FIELDS, fields)
    return bytes(buffer)


def _patch(buffer: bytearray, signature: bytes, name_at: int, length_at: int, name: bytes, layout, fields) -> None:
    start = buffer.find(signature)
    while start >= 0:
        (length,) = struct.unpack_from("<H", buffer, start + length_at)
        if bytes(buffer[start + name_at : start + name_at + length]) == name:
            for field, value in fields.items():
                offset, fmt = layout[field]
                struct.pack_into(fmt, buffer, start + offset, value)
            return
        start = buffer.find(signature, start + 4)
    raise AssertionError(f"no {signature!r} header for {name!r}")


def manifest_12(items: str, resources: str, *, default: str = "org") -> str:
    """A SCORM 1.2 manifest around the given <item> and <resource> XML."""
    return f"""<?xml version="1.0"?>
<manifest identifier="test.manifest" version="1"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="{default}">
    <organization identifier="org"><title>Test course</title>{items}</organization>
  </organizations>
  <resources>{resources}</resources>
</manifest>"""


def sco_resource(identifier: str, href: str, extra: str = "") -> str:
    return f'<resource identifier="{identifier}" type="webcontent" adlcp:scormtype="sco" href="{href}" {extra}/>'


# ---- zips built byte by byte, for central directories zipfile would not write ----

END_RECORD = struct.Struct("<4s4H2LH")
END_FIELDS = ("signature", "disk", "cd_disk", "disk_entries", "entries", "size", "offset", "comment_length")
_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_DOS_DATE_1980 = 0x21


def empty_entries_zip(count: int, zip64: bool | None = None) -> bytes:
    """A stored zip of ``count`` empty files (``f0``, ``f1``...), written
    directly: zipfile takes minutes for millions of entries. ZIP64 end
    records are added when the count needs them (or ``zip64=True``)."""
    local, central, offset = [], [], 0
    for number in range(count):
        name = f"f{number}".encode()
        header = _LOCAL.pack(LOCAL_SIGNATURE, 20, 0, 0, 0, _DOS_DATE_1980, 0, 0, 0, len(name), 0) + name
        local.append(header)
        central.append(
            _CENTRAL.pack(CENTRAL_SIGNATURE, 20, 3, 20, 0, 0, 0, 0, _DOS_DATE_1980, 0, 0, 0, len(name), 0, 0, 0, 0,
                          0o644 << 16, offset)
            + name
        )
        offset += len(header)
    directory = b"".join(central)
    body = b"".join(local) + directory
    return body + end_records(count, len(directory), offset, count > 0xFFFF if zip64 is None else zip64)


def end_records(count: int, size: int, offset: int, zip64: bool) -> bytes:
    """The end of a zip whose directory (``size`` bytes at ``offset``) has
    just been written."""
    if not zip64:
        return END_RECORD.pack(b"PK\x05\x06", 0, 0, count, count, size, offset, 0)
    record_at = offset + size
    return (
        _ZIP64_END.pack(b"PK\x06\x06", _ZIP64_END.size - 12, 45, 45, 0, 0, count, count, size, offset)
        + _ZIP64_LOCATOR.pack(b"PK\x06\x07", 0, record_at, 1)
        + END_RECORD.pack(b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    )


def patch_end_record(data: bytes, **fields: int) -> bytes:
    """Overwrite fields of the (last) End Of Central Directory record."""
    at = data.rfind(b"PK\x05\x06")
    values = dict(zip(END_FIELDS, END_RECORD.unpack_from(data, at)))
    values.update(fields)
    buffer = bytearray(data)
    END_RECORD.pack_into(buffer, at, *values.values())
    return bytes(buffer)


def rename_raw(data: bytes, name: str, raw: bytes) -> bytes:
    """Replace entry ``name`` by the raw bytes ``raw`` (same length) in both
    headers: zipfile would cut a NUL out of a name it writes."""
    encoded = name.encode("utf-8")
    assert len(raw) == len(encoded) and data.count(encoded) == 2
    return data.replace(encoded, raw)
