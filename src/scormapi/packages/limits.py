"""Bounds on what one uploaded package may expand to.

The defaults admit the largest real courses we know of (video-heavy packages
of a few hundred MB) while refusing zip bombs; deployments may tighten them.
"""
from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


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


# The limits used when a caller passes none (frozen, so safe to share).
DEFAULT_LIMITS = ExtractionLimits()
