"""Serving an imported package's files to the content frame.

Files are read from ``settings.packages_dir / <courseware id>`` only: the
requested path must name a regular file inside that folder after every "..",
symlink and encoding trick is resolved. Files are served on the content
origin only, under ``/content/{key}/``: the key is a token of one attempt
(a launch token, or a review's content token) or an asset key of one
assignment status, and opens that courseware, nothing else
(``launchcodes.key_courseware``). Keeping the key in the path (not the query) lets
the package's relative links carry it, and keeps it where the access log
redacts it.
"""
from __future__ import annotations

import mimetypes
import uuid
from pathlib import Path
from urllib.parse import quote

# Types packages depend on, fixed here rather than left to the host's
# mime.types, so content behaves the same on every machine.
CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".vtt": "text/vtt",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
    ".swf": "application/x-shockwave-flash",
}


def content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def content_href(key: str, launch: str) -> str:
    """The path of a SCO's launch page under ``key``: its path quoted, its
    parameters kept."""
    cut = min((i for i in (launch.find("?"), launch.find("#")) if i >= 0), default=len(launch))
    return f"/content/{quote(key, safe='')}/{quote(launch[:cut], safe='/')}{launch[cut:]}"


def package_file(packages_dir: Path, courseware_id: uuid.UUID, relative: str) -> Path | None:
    """The file ``relative`` names inside the package, or None when it names
    nothing there (missing, a folder, or anywhere outside the package)."""
    if not relative or "\x00" in relative or "\\" in relative or relative.startswith("/"):
        return None
    if any(part in ("", ".", "..") for part in relative.split("/")):
        return None
    root = (packages_dir / str(courseware_id)).resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return None
    return target
