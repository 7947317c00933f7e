"""SCORM package import: safe zip extraction and manifest parsing.

Pure functions plus file I/O on the paths they are given; no database and no
web framework. See :mod:`.importer` for the one call most code needs.
"""
from .errors import PackageError
from .importer import build_zip, prepare_package, synthetic_scorm12_package
from .limits import ExtractionLimits
from .manifest import Item, Manifest, Sco, parse_manifest
from .safezip import extract_zip, read_manifest_bytes

__all__ = [
    "ExtractionLimits",
    "Item",
    "Manifest",
    "PackageError",
    "Sco",
    "build_zip",
    "extract_zip",
    "parse_manifest",
    "prepare_package",
    "read_manifest_bytes",
    "synthetic_scorm12_package",
]
