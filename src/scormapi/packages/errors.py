"""The one error package import raises for anything wrong with an upload.

The HTTP layer turns it into a 422 whose message is shown to the person who
uploaded the package, so every message names the offending entry, file or
identifier in plain words.
"""
from __future__ import annotations


class PackageError(Exception):
    """A SCORM package (zip or manifest) that cannot be imported."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
