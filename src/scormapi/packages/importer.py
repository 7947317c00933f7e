"""From an uploaded zip to an extracted, verified course.

``prepare_package`` is the one call the HTTP layer and the command line make:
it vets the zip and reads the manifest before writing anything (a broken
package fails fast and leaves no trace), extracts safely, then checks that
every SCO's launch file is really in the package, so a course that imports
is a course that launches.

An AICC course (``.au``/``.crs``/``.des``/``.cst`` descriptor files and no
manifest) is refused as such: without that, its uploader only hears that
imsmanifest.xml is missing and may think the zip is broken. A lone ``.au``
is also a common audio format, so it alone does not make a course AICC.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote
from zipfile import ZipFile

from .errors import PackageError
from .limits import DEFAULT_LIMITS, ExtractionLimits
from .manifest import Manifest, Sco, parse_manifest
from .safezip import MANIFEST_NAME, Progress, ZipSource, extract_zip, open_zip, read_manifest_bytes
from .synthetic import build_zip, synthetic_scorm12_package, synthetic_scorm2004_package

__all__ = [
    "build_zip", "check_launch_files", "launch_file", "prepare_package", "synthetic_scorm12_package",
    "synthetic_scorm2004_package",
]

AICC_SUFFIXES = (".au", ".crs", ".des", ".cst")
# Descriptor files named in the refusal: enough to recognise the course.
AICC_NAMED = 3


def prepare_package(
    source: ZipSource,
    dest: Path,
    limits: ExtractionLimits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> Manifest:
    """Extract ``source`` into ``dest`` and return its parsed manifest.

    Raises PackageError for anything wrong with the package; ``dest`` is then
    left absent (or empty, if it was an empty folder before). ``progress``:
    see ``extract_zip``.
    """
    dest = Path(dest)
    with open_zip(source, limits) as archive:
        _refuse_aicc(archive)
        manifest = parse_manifest(read_manifest_bytes(archive, limits))
        written = extract_zip(archive, dest, limits, progress)
    try:
        check_launch_files(manifest, written)
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    return manifest


def _refuse_aicc(archive: ZipFile) -> None:
    """PackageError saying so when the zip is an AICC course, not SCORM.

    Only names are read (the central directory is already vetted), and
    they are quoted with repr, so a hostile name cannot shape the message.
    """
    names = archive.namelist()
    if any(name.rsplit("/", 1)[-1].casefold() == MANIFEST_NAME for name in names):
        return
    descriptors = [name for name in names if name.casefold().endswith(AICC_SUFFIXES)]
    kinds = {name.casefold().rsplit(".", 1)[-1] for name in descriptors}
    if "crs" not in kinds and len(kinds) < 2:
        return
    shown = ", ".join(repr(name) for name in descriptors[:AICC_NAMED])
    more = f" and {len(descriptors) - AICC_NAMED} more" if len(descriptors) > AICC_NAMED else ""
    raise PackageError(
        f"this is an AICC course ({shown}{more}), and AICC is not supported: "
        "only SCORM 1.2 and SCORM 2004 packages, with an imsmanifest.xml at the root, can be imported"
    )


def check_launch_files(manifest: Manifest, files: list[str]) -> None:
    """PackageError naming the first SCO whose launch file is not in ``files``."""
    present = set(files)
    by_folded_name = {name.casefold(): name for name in files}
    for sco in manifest.scos:
        path = launch_file(sco.launch)
        if path not in present and unquote(path) not in present:
            raise PackageError(_missing_message(sco, path, by_folded_name))


def launch_file(launch: str) -> str:
    """The file part of a launch URL: without its query and fragment."""
    return launch.split("#", 1)[0].split("?", 1)[0]


def _missing_message(sco: Sco, path: str, by_folded_name: dict[str, str]) -> str:
    message = f"launch file {path!r} of SCO {sco.identifier!r} is not in the package"
    # Packages authored on Windows often get the case wrong; say so, since
    # the names are case-sensitive once served.
    near = by_folded_name.get(unquote(path).casefold())
    return f"{message} (there is {near!r}: file names are case-sensitive)" if near else message
