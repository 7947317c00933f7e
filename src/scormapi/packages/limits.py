"""Bounds on what one uploaded package may expand to, and on the manifest
values an LMS keeps.

The defaults admit the largest real courses we know of (video-heavy packages
of a few hundred MB) while refusing zip bombs; deployments may tighten them.
"""
from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024

# Longer entry names are refused rather than left to fail on the file system.
MAX_NAME_CHARS = 1024
# The same limit in the zip's raw bytes: no encoding takes more than four
# bytes a character, so a longer raw name is refused whatever it decodes to.
MAX_NAME_BYTES = 4 * MAX_NAME_CHARS
# Extra fields and comment of one entry together. Zip tools write a few
# dozen bytes (timestamps, owners, ZIP64 sizes), plus at most a Unicode
# copy of the name; this leaves ample room while bounding what the
# directory may make the reader keep per entry.
MAX_ENTRY_METADATA_BYTES = 16 * 1024


@dataclass(frozen=True)
class ExtractionLimits:
    # Sum of the uncompressed sizes of all entries.
    max_total_bytes: int = 500 * MIB
    # Entries of any kind (files and directories) in the zip.
    max_files: int = 10000
    # Uncompressed size / compressed size of one entry. Deflate tops out near
    # 1030:1, so real content (text, media) stays far below 200:1 while runs
    # of zeros, the stuff of zip bombs, go above it.
    max_ratio: int = 200
    # Uncompressed size of a single entry.
    max_entry_bytes: int = 200 * MIB
    # The zip's central directory, which is read into memory whole. 10,000
    # entries of real packages take 1 to 2 MB; raise it with max_files.
    max_directory_bytes: int = 16 * MIB


# The limits used when a caller passes none (frozen, so safe to share).
DEFAULT_LIMITS = ExtractionLimits()


@dataclass(frozen=True)
class ManifestLimits:
    """The longest manifest values kept (characters): each is the size of
    the column that stores it, so a value that passes always fits. Longer
    values are refused, never cut: an identifier is a key clients use, a
    run-time setting is data the content reads back."""

    identifier: int = 255  # item identifiers (the sco_id) and the manifest's
    title: int = 255  # the course's and each SCO's
    mastery_score: int = 32
    max_time_allowed: int = 32
    time_limit_action: int = 32


MANIFEST_LIMITS = ManifestLimits()
