"""Courseware: an imported SCORM package, its files on disk and its SCOs in the database.

The files live in ``settings.packages_dir / <courseware id>``, where the player
serves them from. A package is extracted into a hidden temporary folder next
to that place and renamed into it only once its rows are in the session, so a
half-extracted package is never visible; a failed insert or a rolled-back
transaction removes the folder again.

A process killed mid-import leaves its hidden ``.import-*`` folder behind;
``remove_abandoned_staging`` deletes those once no import can still be using
them. Deleting courseware removes its folder once the deletion commits.

Every import keeps the SHA-256 of its zip, so the same file imported again
into an organization is refused as a duplicate of the courseware it already
made, unless the caller asks for a second copy. Only the importing
organization's courseware is compared: a match elsewhere would tell the
caller what another organization holds.
"""
from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session

from scormapi.config import Settings
from scormapi.errors import ErrorCode, ServiceError
from scormapi.packages.importer import prepare_package
from scormapi.packages.limits import ExtractionLimits
from scormapi.packages.manifest import Item, Manifest, Sco
from scormapi.packages.safezip import CHUNK_BYTES, Progress, ZipSource
from scormapi.store.models import Assignment, Courseware, CoursewareSco, Organization

# Folders placed in this transaction, removed if it rolls back.
_PLACED = "scormapi_placed_packages"
# Folders of courseware deleted in this transaction, removed once it commits.
_DELETED = "scormapi_deleted_packages"
STAGING_PREFIX = ".import-"
# The longest an import can take is a few minutes (500 MB, 10,000 files); a
# staging folder untouched for this long belongs to no running import, in
# this process or any other sharing the folder.
ABANDONED_AFTER = timedelta(hours=1)
# Assignments named in the refusal to delete courseware still in use.
IN_USE_NAMED = 10


def package_dir(settings: Settings, courseware_id: uuid.UUID) -> Path:
    return settings.packages_dir / str(courseware_id)


@dataclass(frozen=True)
class StagedPackage:
    """A package extracted and checked, not yet registered: its files in a
    hidden folder next to where they will live, its parsed manifest."""

    folder: Path
    manifest: Manifest
    # Of the zip's bytes exactly as given: what a duplicate is recognised by.
    sha256: str


@dataclass(frozen=True)
class Registered:
    """A registered package's courseware and, when it was imported again on
    purpose, the oldest courseware of its organization from the same zip."""

    courseware: Courseware
    duplicate_of: Courseware | None = None


@contextmanager
def staged_package(
    settings: Settings, source, limits: ExtractionLimits | None = None, progress: Progress | None = None
) -> Iterator[StagedPackage]:
    """Extract ``source`` (whatever ``prepare_package`` accepts: a path or a
    binary file) outside any transaction; ``PackageError`` when it cannot be
    imported. What ``register_package`` did not move into place is removed
    on leaving.

    Live imports extract first and register after, in a short transaction:
    on SQLite a write transaction holds the database's one write lock, and
    learners' commits must not wait for a large package to unzip.
    """
    settings.packages_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=settings.packages_dir))
    try:
        manifest = prepare_package(source, staging / "content", limits or ExtractionLimits(), progress)
        # Hashed only once the package proved importable: a broken upload
        # fails without a second pass over its bytes.
        yield StagedPackage(staging / "content", manifest, package_sha256(source))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def register_package(
    session: Session, settings: Settings, org: Organization, staged: StagedPackage, allow_duplicate: bool = False
) -> Registered:
    """The courseware and SCO rows of a staged package, its files moved into
    place; a rolled-back transaction removes them again.

    A zip the organization already imported is refused (error 8, naming the
    courseware it made) before anything is written, unless
    ``allow_duplicate``; the answer then names that courseware.
    """
    duplicate_of = _oldest_same_package(session, org, staged.sha256)
    if duplicate_of is not None and not allow_duplicate:
        raise ServiceError(
            ErrorCode.ALREADY_EXISTS,
            f"This package was already imported as {describe(duplicate_of)}; "
            "import it again with allow_duplicate to make a second copy",
        )
    courseware = _add_rows(session, org, staged.manifest, staged.sha256)
    session.flush()
    final = package_dir(settings, courseware.id)
    staged.folder.rename(final)
    session.info.setdefault(_PLACED, []).append(final)
    return Registered(courseware, duplicate_of)


def describe(courseware: Courseware) -> str:
    """The courseware as a duplicate's messages name it: id, title, import date."""
    imported = courseware.created_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"courseware {courseware.id} ({courseware.title!r}, {imported})"


def _oldest_same_package(session: Session, org: Organization, sha256: str) -> Courseware | None:
    # The organization's row is locked first so that two imports of one zip
    # into it take turns: the second then sees the first's courseware. NO KEY
    # UPDATE (on PostgreSQL) leaves rows that merely reference the
    # organization free to be inserted meanwhile.
    session.execute(select(Organization.id).where(Organization.id == org.id).with_for_update(key_share=True))
    return session.scalar(
        select(Courseware)
        .where(Courseware.org_id == org.id, Courseware.package_sha256 == sha256)
        .order_by(Courseware.created_at, Courseware.id)
        .limit(1)
    )


def package_sha256(source: ZipSource) -> str:
    """SHA-256 (hex) of the zip ``source`` holds, read in chunks from its
    start; a file object is left where it was."""
    if isinstance(source, zipfile.ZipFile):
        source = source.fp if source.fp is not None else source.filename
    if isinstance(source, (bytes, bytearray, memoryview)):
        return hashlib.sha256(source).hexdigest()
    if isinstance(source, (str, Path)):
        with open(source, "rb") as fp:
            return _hash_file(fp)
    position = source.tell()
    try:
        source.seek(0)
        return _hash_file(source)
    finally:
        source.seek(position)


def _hash_file(fp: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := fp.read(CHUNK_BYTES):
        digest.update(chunk)
    return digest.hexdigest()


def import_package(
    session: Session,
    settings: Settings,
    org: Organization,
    source,
    limits: ExtractionLimits | None = None,
    allow_duplicate: bool = False,
) -> Courseware:
    """Extract and register in one go, inside the caller's transaction: for
    the demo, the benchmark's seed and tests, where nothing else is writing.
    A duplicate is refused as ``register_package`` refuses it."""
    with staged_package(settings, source, limits) as staged:
        return register_package(session, settings, org, staged, allow_duplicate).courseware


def _add_rows(session: Session, org: Organization, manifest: Manifest, sha256: str) -> Courseware:
    courseware = Courseware(
        id=uuid.uuid4(),
        org_id=org.id,
        # The manifest's limits are these columns' sizes (packages/limits.py).
        title=_title(manifest),
        identifier=manifest.identifier or "",
        scorm_version=manifest.scorm_version,
        structure=[_item_json(item) for item in manifest.items],
        package_sha256=sha256,
    )
    session.add(courseware)
    # No relationships are declared, so the parent row goes first explicitly.
    session.flush()
    for ordinal, sco in enumerate(manifest.scos):
        session.add(_sco_row(courseware.id, ordinal, sco))
    return courseware


def _title(manifest: Manifest) -> str:
    return manifest.title or manifest.organization_title or manifest.identifier or "Untitled course"


def _item_json(item: Item) -> dict:
    return {
        "identifier": item.identifier,
        "title": item.title,
        "sco_id": item.sco.identifier if item.sco is not None else None,
        "is_visible": item.is_visible,
        "asset": item.asset or None,
        "children": [_item_json(child) for child in item.children],
    }


def _sco_row(courseware_id: uuid.UUID, ordinal: int, sco: Sco) -> CoursewareSco:
    return CoursewareSco(
        id=uuid.uuid4(),
        courseware_id=courseware_id,
        sco_id=sco.identifier,
        title=sco.title or sco.identifier,
        launch=sco.launch,
        ordinal=ordinal,
        mastery_score=sco.mastery_score,
        data_from_lms=sco.data_from_lms,
        max_time_allowed=sco.max_time_allowed,
        time_limit_action=sco.time_limit_action,
        completion_threshold=sco.completion_threshold,
        scaled_passing_score=sco.scaled_passing_score,
        objective_ids=" ".join(sco.objective_ids),
    )


def delete_courseware(session: Session, settings: Settings, courseware: Courseware) -> dict:
    """Delete the courseware and its SCOs; its files go once the transaction
    commits. Returns what was deleted, for the audit record.

    Refused (error 12, naming them) while assignments use it: their
    learners' records hang on its SCOs. The courseware row is locked first,
    so an assignment created meanwhile either is seen here or waits and
    then finds the courseware gone.
    """
    session.execute(select(Courseware.id).where(Courseware.id == courseware.id).with_for_update())
    _refuse_if_assigned(session, courseware)
    sco_ids = list(session.scalars(
        select(CoursewareSco.sco_id).where(CoursewareSco.courseware_id == courseware.id).order_by(CoursewareSco.ordinal)
    ))
    session.execute(delete(CoursewareSco).where(CoursewareSco.courseware_id == courseware.id))
    session.execute(delete(Courseware).where(Courseware.id == courseware.id))
    session.info.setdefault(_DELETED, []).append(package_dir(settings, courseware.id))
    return {
        "org_id": str(courseware.org_id),
        "title": courseware.title,
        "identifier": courseware.identifier,
        "scorm_version": courseware.scorm_version,
        "sco_ids": sco_ids,
    }


def _refuse_if_assigned(session: Session, courseware: Courseware) -> None:
    uses = Assignment.courseware_id == courseware.id
    count = session.scalar(select(func.count()).select_from(Assignment).where(uses))
    if not count:
        return
    named = session.execute(
        select(Assignment.id, Assignment.title).where(uses).order_by(Assignment.created_at, Assignment.id).limit(IN_USE_NAMED)
    ).all()
    listed = ", ".join(f"{title!r} ({assignment_id})" for assignment_id, title in named)
    more = f" and {count - len(named)} more" if count > len(named) else ""
    raise ServiceError(
        ErrorCode.IN_USE,
        f"Courseware {courseware.id} is still assigned, so it cannot be deleted: "
        f"{count} {'assignment uses' if count == 1 else 'assignments use'} it: {listed}{more}. "
        "Delete those assignments first.",
    )


def remove_abandoned_staging(packages_dir: Path, older_than: timedelta = ABANDONED_AFTER, now: float | None = None) -> list[str]:
    """Delete the ``.import-*`` folders of imports that died (nothing in them
    changed for ``older_than``); the names removed. Safe to run from every
    worker at once, beside imports in progress."""
    if not packages_dir.is_dir():
        return []
    cutoff = (time.time() if now is None else now) - older_than.total_seconds()
    removed = []
    for folder in packages_dir.glob(STAGING_PREFIX + "*"):
        if folder.is_dir() and not folder.is_symlink() and _last_change(folder) < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return sorted(removed)


def _last_change(folder: Path) -> float:
    # The staging folder holds the extraction's own folder (then its
    # result): their times move as an import starts, writes its top-level
    # entries and finishes; no import lasts anywhere near ABANDONED_AFTER.
    try:
        times = [folder.stat().st_mtime, *(child.lstat().st_mtime for child in folder.iterdir())]
    except FileNotFoundError:
        return time.time()  # finished (and removed) just now
    return max(times)


@event.listens_for(Session, "after_commit")
def _settle_folders(session: Session) -> None:
    session.info.pop(_PLACED, None)
    for folder in session.info.pop(_DELETED, []):
        shutil.rmtree(folder, ignore_errors=True)


@event.listens_for(Session, "after_rollback")
def _remove_placed(session: Session) -> None:
    session.info.pop(_DELETED, None)
    for folder in session.info.pop(_PLACED, []):
        shutil.rmtree(folder, ignore_errors=True)
