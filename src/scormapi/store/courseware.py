"""Courseware: an imported SCORM package, its files on disk and its SCOs in the database.

The files live in ``settings.packages_dir / <courseware id>``, where the player
serves them from. A package is extracted into a hidden temporary folder next
to that place and renamed into it only once its rows are in the session, so a
half-extracted package is never visible; a failed insert or a rolled-back
transaction removes the folder again.
"""
from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from scormapi.config import Settings
from scormapi.packages.importer import prepare_package
from scormapi.packages.limits import ExtractionLimits
from scormapi.packages.safezip import Progress
from scormapi.packages.manifest import Item, Manifest, Sco
from scormapi.store.models import Courseware, CoursewareSco, Organization

# Folders placed in this transaction, removed if it rolls back.
_PLACED = "scormapi_placed_packages"


def package_dir(settings: Settings, courseware_id: uuid.UUID) -> Path:
    return settings.packages_dir / str(courseware_id)


@dataclass(frozen=True)
class StagedPackage:
    """A package extracted and checked, not yet registered: its files in a
    hidden folder next to where they will live, its parsed manifest."""

    folder: Path
    manifest: Manifest


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
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=settings.packages_dir))
    try:
        manifest = prepare_package(source, staging / "content", limits or ExtractionLimits(), progress)
        yield StagedPackage(staging / "content", manifest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def register_package(session: Session, settings: Settings, org: Organization, staged: StagedPackage) -> Courseware:
    """The courseware and SCO rows of a staged package, its files moved into
    place; a rolled-back transaction removes them again."""
    courseware = _add_rows(session, org, staged.manifest)
    session.flush()
    final = package_dir(settings, courseware.id)
    staged.folder.rename(final)
    session.info.setdefault(_PLACED, []).append(final)
    return courseware


def import_package(
    session: Session, settings: Settings, org: Organization, source, limits: ExtractionLimits | None = None
) -> Courseware:
    """Extract and register in one go, inside the caller's transaction: for
    the demo, the benchmark's seed and tests, where nothing else is writing."""
    with staged_package(settings, source, limits) as staged:
        return register_package(session, settings, org, staged)


def _add_rows(session: Session, org: Organization, manifest: Manifest) -> Courseware:
    courseware = Courseware(
        id=uuid.uuid4(),
        org_id=org.id,
        title=_title(manifest)[:255],
        identifier=(manifest.identifier or "")[:255],
        scorm_version=manifest.scorm_version,
        structure=[_item_json(item) for item in manifest.items],
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
        "children": [_item_json(child) for child in item.children],
    }


def _sco_row(courseware_id: uuid.UUID, ordinal: int, sco: Sco) -> CoursewareSco:
    return CoursewareSco(
        id=uuid.uuid4(),
        courseware_id=courseware_id,
        sco_id=sco.identifier,
        title=(sco.title or sco.identifier)[:255],
        launch=sco.launch,
        ordinal=ordinal,
        mastery_score=sco.mastery_score,
        data_from_lms=sco.data_from_lms,
        max_time_allowed=sco.max_time_allowed,
        time_limit_action=sco.time_limit_action,
    )


@event.listens_for(Session, "after_commit")
def _keep_placed(session: Session) -> None:
    session.info.pop(_PLACED, None)


@event.listens_for(Session, "after_rollback")
def _remove_placed(session: Session) -> None:
    for folder in session.info.pop(_PLACED, []):
        shutil.rmtree(folder, ignore_errors=True)
