"""Safe extraction of an uploaded zip into a folder of its own.

An uploaded package is hostile until proven otherwise. Before anything is
written, the whole central directory is checked: every name must stay inside
the package folder, no entry may be a symlink or a device, no entry may be
encrypted or use a compression method we cannot stream, and the declared
sizes must respect :class:`ExtractionLimits`. Headers can lie, so while
writing, the bytes actually produced are counted again and the extraction
stops as soon as an entry outgrows what it declared.

Extraction goes into a hidden staging folder next to ``dest`` and is renamed
into place only when every entry is written: ``dest`` never holds a half
package, even if the process dies mid-way.

Decisions:

- Backslashes in entry names are path separators (Windows tools write them),
  so ``..\\evil`` is traversal and ``C:\\x`` is absolute.
- Empty and ``.`` path components are dropped; a component made only of dots
  and spaces (``..``, ``...``, ``.. ``) is refused, since Windows reads some
  of those as ``..``.
- Two file entries whose names differ only by case (or Unicode normalisation)
  are refused: on a case-insensitive file system (macOS, Windows) one would
  silently overwrite the other, so the package would differ by host. Exact
  duplicates are refused for the same reason. A name used both as a file and
  as a folder is refused.
- File modes from the zip are ignored: files are written with the process's
  default permissions, never executable or setuid.
- ``max_files`` counts every entry, folders included (each costs an inode).
  It is enforced on the count the zip declares, before ``zipfile`` parses
  the directory (see :mod:`.centraldir`).
- Names are judged by their raw form (``ZipInfo.orig_filename``): ``zipfile``
  cuts a name at its first NUL, so ``evil.html\\0.png`` would otherwise land
  as ``evil.html``. A name with a NUL or any other control character is
  refused.
"""
from __future__ import annotations

import io
import lzma
import secrets
import shutil
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .centraldir import vet_central_directory
from .errors import PackageError
from .limits import DEFAULT_LIMITS, MAX_NAME_CHARS, MIB, ExtractionLimits

MANIFEST_NAME = "imsmanifest.xml"
# The manifest is parsed in memory; even courses with thousands of files
# listed stay far below this.
MANIFEST_MAX_BYTES = 16 * MIB
CHUNK_BYTES = 64 * 1024
MAX_COMPONENT_BYTES = 255
# C0 controls and DEL: no file name of real content has them, and they
# would reach URLs, logs and terminals.
_CONTROL = frozenset(chr(code) for code in (*range(0x20), 0x7F))

SUPPORTED_METHODS = {
    zipfile.ZIP_STORED,
    zipfile.ZIP_DEFLATED,
    zipfile.ZIP_BZIP2,
    zipfile.ZIP_LZMA,
}
ENCRYPTED_FLAG = 0x1

# What zipfile and the decompressors raise on damaged archives (found by
# fuzzing): OSError is bz2's "invalid data stream", ValueError a negative
# seek from a mangled header offset.
_CORRUPT_ERRORS = (
    zipfile.BadZipFile,
    ValueError,
    struct.error,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
)

# bytes are the zip's content (what synthetic_scorm12_package returns), not a
# path.
ZipSource = str | Path | bytes | BinaryIO | zipfile.ZipFile
# Told (bytes written so far, bytes the package declares) after each file.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Entry:
    info: zipfile.ZipInfo
    name: str  # normalised: relative, "/"-separated, no "." or ".."
    is_dir: bool


def extract_zip(
    source: ZipSource,
    dest: Path,
    limits: ExtractionLimits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> list[str]:
    """Extract ``source`` into ``dest`` and return the file names written.

    The names are relative to ``dest``, "/"-separated, in zip order; folders
    are created but not listed. ``dest`` must not exist or be an empty
    folder (anything else is a caller mistake: ``FileExistsError``). On any
    failure ``dest`` is left as it was: absent or empty. ``progress`` is
    called after each file with (bytes written, bytes the package declares).
    """
    dest = Path(dest)
    _require_free(dest)
    with open_zip(source, limits) as archive:
        entries = _plan(archive, limits)
        staging = _make_staging(dest)
        try:
            written = _write_all(archive, entries, staging, limits, progress)
            _publish(staging, dest)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return written


def read_manifest_bytes(
    source: ZipSource,
    limits: ExtractionLimits = DEFAULT_LIMITS,
) -> bytes:
    """The bytes of ``imsmanifest.xml`` at the root of the zip.

    The whole zip is vetted first, exactly as :func:`extract_zip` would, so a
    package is refused for the same reasons whichever function sees it first.
    """
    with open_zip(source, limits) as archive:
        entry = _find_manifest(_plan(archive, limits))
        if entry.info.file_size > MANIFEST_MAX_BYTES:
            raise PackageError(
                f"imsmanifest.xml is {_size(entry.info.file_size)}, "
                f"more than the {_size(MANIFEST_MAX_BYTES)} allowed"
            )
        return b"".join(_Meter(limits).stream(archive, entry))


@contextmanager
def open_zip(source: ZipSource, limits: ExtractionLimits = DEFAULT_LIMITS) -> Iterator[zipfile.ZipFile]:
    """Open ``source`` as a zip, turning "not a zip" into a PackageError.

    The central directory is vetted against ``limits`` from the raw bytes
    first, so a zip declaring millions of entries is refused before
    ``zipfile`` spends memory on them. An already open ``ZipFile`` is passed
    through (and left open), so one upload can be read for its manifest and
    then extracted without reopening. A file object must be seekable; it is
    read in place and not closed.
    """
    if isinstance(source, zipfile.ZipFile):
        yield source
        return
    with _binary(source) as fp:
        vet_central_directory(fp, limits)
        with _open(fp) as archive:
            yield archive


def safe_member_name(raw: str) -> str:
    """The entry's path relative to the package root, or "" for the root.

    Raises PackageError for any name that could land outside the package.
    """
    if not raw:
        raise PackageError("the zip has an entry with an empty name")
    name = raw.replace("\\", "/")
    control = next((char for char in name if char in _CONTROL), None)
    if control is not None:
        raise PackageError(f"zip entry {raw!r} has a control character (U+{ord(control):04X}) in its name")
    if len(name) > MAX_NAME_CHARS:
        raise PackageError(f"zip entry {raw[:80]!r}... has a name longer than {MAX_NAME_CHARS} characters")
    if name.startswith("/") or _has_drive(name):
        raise PackageError(f"zip entry {raw!r} has an absolute path")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    for part in parts:
        _check_component(raw, part)
    return "/".join(parts)


def _has_drive(name: str) -> bool:
    return len(name) >= 2 and name[1] == ":" and name[0].isascii() and name[0].isalpha()


def _check_component(raw: str, part: str) -> None:
    if part.strip(". ") == "":
        raise PackageError(f"zip entry {raw!r} escapes the package folder")
    if len(part.encode("utf-8")) > MAX_COMPONENT_BYTES:
        raise PackageError(f"zip entry {raw!r} has a path component longer than {MAX_COMPONENT_BYTES} bytes")


def _binary(source: str | Path | bytes | BinaryIO) -> AbstractContextManager[BinaryIO]:
    """A context giving ``source`` as a seekable binary file."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return nullcontext(io.BytesIO(source))
    if isinstance(source, (str, Path)):
        return open(source, "rb")
    return nullcontext(source)


def _open(source: BinaryIO) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, EOFError, ValueError, struct.error, NotImplementedError) as exc:
        raise PackageError(f"the upload is not a valid zip file ({exc})") from exc


# ---- vetting the central directory (nothing written yet) -----------------


def _plan(archive: zipfile.ZipFile, limits: ExtractionLimits) -> list[_Entry]:
    infos = archive.infolist()
    if len(infos) > limits.max_files:
        raise PackageError(f"the zip has {len(infos)} entries, more than the {limits.max_files} allowed")
    entries = [_vet(info, limits) for info in infos]
    _check_collisions(entries)
    total = _declared_bytes(entries)
    if total > limits.max_total_bytes:
        raise PackageError(
            f"the package would expand to {_size(total)}, more than the {_size(limits.max_total_bytes)} allowed"
        )
    return entries


def _declared_bytes(entries: list[_Entry]) -> int:
    return sum(entry.info.file_size for entry in entries if not entry.is_dir)


def _vet(info: zipfile.ZipInfo, limits: ExtractionLimits) -> _Entry:
    # The raw name: ``filename`` is cut at a NUL (see module notes).
    name = safe_member_name(info.orig_filename)
    is_dir = _is_directory(info)
    if not name and not is_dir:
        raise PackageError(f"zip entry {info.filename!r} has no file name")
    if not is_dir:
        _check_readable(info)
        _check_declared_size(info, limits)
    return _Entry(info, name, is_dir)


def _is_directory(info: zipfile.ZipInfo) -> bool:
    # Unix zips keep the file type in the high 16 bits of external_attr; a
    # symlink there would be written as a link by some tools, so it is refused
    # outright rather than trusted to be extracted as a plain file.
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        raise PackageError(f"zip entry {info.filename!r} is a symbolic link, which packages may not contain")
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise PackageError(f"zip entry {info.filename!r} is a special file (device, pipe or socket)")
    return info.is_dir() or kind == stat.S_IFDIR


def _check_readable(info: zipfile.ZipInfo) -> None:
    if info.flag_bits & ENCRYPTED_FLAG:
        raise PackageError(f"zip entry {info.filename!r} is encrypted; upload an unencrypted zip")
    if info.compress_type not in SUPPORTED_METHODS:
        raise PackageError(
            f"zip entry {info.filename!r} uses compression method {info.compress_type}, which is not "
            "supported; re-create the zip with standard (deflate) compression"
        )


def _check_declared_size(info: zipfile.ZipInfo, limits: ExtractionLimits) -> None:
    if info.file_size > limits.max_entry_bytes:
        raise PackageError(
            f"zip entry {info.filename!r} is {_size(info.file_size)}, "
            f"more than the {_size(limits.max_entry_bytes)} allowed for one file"
        )
    if info.file_size and _ratio(info.file_size, info.compress_size) > limits.max_ratio:
        raise PackageError(
            f"zip entry {info.filename!r} expands {_ratio_text(info)} times, more than the "
            f"{limits.max_ratio}:1 allowed (refusing a possible zip bomb)"
        )


def _ratio(expanded: int, compressed: int) -> float:
    return expanded / compressed if compressed else float("inf")


def _ratio_text(info: zipfile.ZipInfo) -> str:
    ratio = _ratio(info.file_size, info.compress_size)
    return "infinitely many" if ratio == float("inf") else f"{ratio:.0f}"


def _check_collisions(entries: list[_Entry]) -> None:
    files: dict[str, str] = {}
    folders: set[str] = set()
    for entry in entries:
        key = _fold(entry.name)
        if entry.is_dir:
            folders.add(key)
            continue
        if key in files:
            raise PackageError(_collision_message(files[key], entry.name))
        files[key] = entry.name
        folders.update(_parents(key))
    for key, name in files.items():
        if key in folders:
            raise PackageError(f"zip entry {name!r} is both a file and a folder")


def _collision_message(first: str, second: str) -> str:
    if first == second:
        return f"zip entry {first!r} appears more than once"
    return (
        f"zip entries {first!r} and {second!r} differ only by letter case; "
        "they would overwrite each other on case-insensitive file systems"
    )


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _parents(name: str) -> Iterator[str]:
    parts = name.split("/")
    for end in range(1, len(parts)):
        yield "/".join(parts[:end])


def _find_manifest(entries: list[_Entry]) -> _Entry:
    for entry in entries:
        if not entry.is_dir and entry.name == MANIFEST_NAME:
            return entry
    raise PackageError(f"{MANIFEST_NAME} is missing at the root of the zip{_manifest_hint(entries)}")


def _manifest_hint(entries: list[_Entry]) -> str:
    # The two usual mistakes: zipping the course folder instead of its
    # contents, and a tool that capitalised the name.
    for entry in entries:
        if entry.is_dir or entry.name.rsplit("/", 1)[-1].casefold() != MANIFEST_NAME:
            continue
        if "/" in entry.name:
            return f" (found {entry.name!r}: zip the contents of the course folder, not the folder itself)"
        return f" (found {entry.name!r}: the name must be all lower case)"
    return ""


# ---- writing ---------------------------------------------------------------


def _require_free(dest: Path) -> None:
    if dest.is_symlink() or (dest.exists() and not _is_empty_dir(dest)):
        raise FileExistsError(f"extraction target {dest} already exists and is not an empty folder")


def _is_empty_dir(path: Path) -> bool:
    return path.is_dir() and not any(path.iterdir())


def _make_staging(dest: Path) -> Path:
    # Same parent as dest, so the final rename stays on one file system and
    # is atomic; a random suffix keeps concurrent imports apart.
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = dest.parent / f".{dest.name}.partial-{secrets.token_hex(8)}"
    staging.mkdir()
    return staging


def _publish(staging: Path, dest: Path) -> None:
    if dest.is_dir():
        dest.rmdir()
    staging.rename(dest)


def _write_all(
    archive: zipfile.ZipFile,
    entries: list[_Entry],
    root: Path,
    limits: ExtractionLimits,
    progress: Progress | None = None,
) -> list[str]:
    meter = _Meter(limits)
    declared = _declared_bytes(entries)
    written: list[str] = []
    root = root.resolve()
    for entry in entries:
        target = _inside(root, entry.name)
        if entry.is_dir:
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_file(archive, entry, target, meter)
        written.append(entry.name)
        if progress is not None:
            progress(meter.total, declared)
    return written


def _inside(root: Path, name: str) -> Path:
    # Names are already normalised; this second look guards against anything
    # the normalisation might have missed (we never create links ourselves).
    target = root / name
    if not target.resolve().is_relative_to(root):
        raise PackageError(f"zip entry {name!r} escapes the package folder")
    return target


def _write_file(archive: zipfile.ZipFile, entry: _Entry, target: Path, meter: _Meter) -> None:
    # "xb": never follow or overwrite something already at the target.
    with open(target, "xb") as out:
        out.writelines(meter.stream(archive, entry))


def _chunks(archive: zipfile.ZipFile, entry: _Entry) -> Iterator[bytes]:
    """The entry's decompressed bytes in bounded chunks, so memory stays flat."""
    try:
        with archive.open(entry.info) as source:
            while chunk := source.read(CHUNK_BYTES):
                yield chunk
    except _CORRUPT_ERRORS as exc:
        raise PackageError(f"zip entry {entry.info.filename!r} is corrupt ({exc})") from exc


class _Meter:
    """Counts the bytes really produced, because headers may lie."""

    def __init__(self, limits: ExtractionLimits) -> None:
        self.limits = limits
        self.total = 0

    def stream(self, archive: zipfile.ZipFile, entry: _Entry) -> Iterator[bytes]:
        produced = 0
        for chunk in _chunks(archive, entry):
            produced += len(chunk)
            self.total += len(chunk)
            self._check_growth(entry, produced)
            yield chunk
        if produced != entry.info.file_size:
            raise PackageError(
                f"zip entry {entry.info.filename!r} is corrupt: its header declares "
                f"{entry.info.file_size} bytes but it holds {produced}"
            )

    def _check_growth(self, entry: _Entry, produced: int) -> None:
        info = entry.info
        if produced > min(info.file_size, self.limits.max_entry_bytes):
            raise PackageError(
                f"zip entry {info.filename!r} decompresses to more than the "
                f"{info.file_size} bytes its header declares"
            )
        if self.total > self.limits.max_total_bytes:
            raise PackageError(f"the package expands to more than the {_size(self.limits.max_total_bytes)} allowed")


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < MIB:
        return f"{n / 1024:.1f} KB"
    return f"{n / MIB:.1f} MB"
