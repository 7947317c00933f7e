"""Courseware: importing a SCORM package (the permission it takes, its
registration with the audit record), reading what an organization holds,
and deleting it; for ImportPackage, DeleteCourseware, the console and
``scormapi import`` alike.

The package is extracted before (``store.courseware.staged_package``),
outside the write transaction: on SQLite that transaction holds the
database's only write lock, so the check comes first, in a read.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scormapi.auth.permissions import GrantCache, Permission
from scormapi.config import Settings
from scormapi.errors import ErrorCode, ServiceError, not_found
from scormapi.ops import access
from scormapi.packages.errors import PackageError
from scormapi.store import audit, directory
from scormapi.store.courseware import StagedPackage, delete_courseware, describe, register_package, staged_package
from scormapi.store.db import Database
from scormapi.store.models import Assignment, AuditEvent, Courseware, CoursewareSco, Organization

IMPORT_ACTION = "courseware.import"
DELETE_ACTION = "courseware.delete"
MANAGE = "manage courseware"


@dataclass(frozen=True)
class Imported:
    courseware: Courseware
    scos: list[CoursewareSco]  # in manifest order
    warnings: list[str]  # what the manifest made lenient
    duplicate_of: Courseware | None  # the oldest courseware of the same zip, for a second copy

    def duplicate_note(self) -> str | None:
        return None if self.duplicate_of is None else f"This package duplicates {describe(self.duplicate_of)}"

    def warning_messages(self) -> list[str]:
        """What ImportPackage answers in ``warning_messages``."""
        note = self.duplicate_note()
        return self.warnings + ([note] if note else [])


def may_import(session: Session, grants: GrantCache, user_id: uuid.UUID, org: Organization) -> None:
    access.require(session, grants, user_id, Permission.MANAGE_COURSEWARE, org.id, MANAGE, org.path)


def import_upload(
    db: Database, settings: Settings, grants: GrantCache, actor: uuid.UUID, org_id: uuid.UUID | None,
    package: BinaryIO, *, file_name: str, allow_duplicate: bool = False, via: str | None = None,
) -> Imported:
    """An uploaded zip imported into ``org_id`` (the root when None) by
    ``actor``: checked in a read transaction, extracted, then registered in
    a write one (see the module's note). A bad zip is INVALID_PACKAGE."""
    with db.read() as session:
        org = directory.root(session) if org_id is None else session.get(Organization, org_id)
        if org is None:
            raise not_found("Organization", org_id)
        may_import(session, grants, actor, org)
    package.seek(0)
    try:
        with staged_package(settings, package) as staged, db.write() as session:
            return register_import(session, settings, actor, org, staged, file_name=file_name,
                                   allow_duplicate=allow_duplicate, via=via)
    except PackageError as exc:
        raise ServiceError(ErrorCode.INVALID_PACKAGE, f"Invalid package: {exc.message}") from None


def register_import(
    session: Session, settings: Settings, actor: uuid.UUID | None, org: Organization, staged: StagedPackage, *,
    file_name: str, allow_duplicate: bool = False, via: str | None = None,
) -> Imported:
    """The staged package registered (a duplicate refused unless
    ``allow_duplicate``) and audited; ``actor`` None is the operator at the
    command line, ``via`` says where it came from."""
    registered = register_package(session, settings, org, staged, allow_duplicate)
    courseware, original = registered.courseware, registered.duplicate_of
    warnings = list(staged.manifest.warnings)
    details = {"org_id": str(org.id), "title": courseware.title, "file_name": printable(file_name), "warnings": warnings}
    if via is not None:
        details["via"] = via
    if original is not None:
        details["duplicate_of"] = str(original.id)
    audit.record(session, actor, IMPORT_ACTION, "courseware", str(courseware.id), details, org_id=org.id, subject_user_id=None)
    return Imported(courseware, scos_of(session, courseware.id), warnings, original)


def scos_of(session: Session, courseware_id: uuid.UUID) -> list[CoursewareSco]:
    return list(session.scalars(
        select(CoursewareSco).where(CoursewareSco.courseware_id == courseware_id).order_by(CoursewareSco.ordinal)
    ))


def printable(file_name: str) -> str:
    """The client's file name with control characters replaced: it is only
    a note in the audit record, and PostgreSQL refuses a NUL in text."""
    return "".join("\ufffd" if ord(char) < 0x20 or ord(char) == 0x7F else char for char in file_name)


# -- reading and deleting --------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """One courseware of a listing, with what its import recorded."""

    courseware: Courseware
    org: Organization
    sco_count: int
    imported_by: uuid.UUID | None  # None: the command line, or imported before audit records


@dataclass(frozen=True)
class Detail:
    courseware: Courseware
    org: Organization
    scos: list[CoursewareSco]
    imported_by: uuid.UUID | None
    # The import's warning_messages, re-derived from its audit record.
    warnings: list[str]
    assignment_count: int  # while above 0 it cannot be deleted


def courseware_in(session: Session, grants: GrantCache, user_id: uuid.UUID, org: Organization) -> list[Listed]:
    """The courseware of ``org`` and its descendants, newest first; the
    user must hold Manage Courseware there."""
    access.require(session, grants, user_id, Permission.MANAGE_COURSEWARE, org.id, MANAGE, org.path)
    inside = (Organization.id == org.id) | Organization.path.like(f"{org.path}/%")
    counted = (select(CoursewareSco.courseware_id, func.count().label("n"))
               .group_by(CoursewareSco.courseware_id).subquery())
    rows = session.execute(
        select(Courseware, Organization, func.coalesce(counted.c.n, 0))
        .join(Organization, Organization.id == Courseware.org_id)
        .outerjoin(counted, counted.c.courseware_id == Courseware.id)
        .where(inside).order_by(Courseware.created_at.desc(), Courseware.id)
    ).all()
    importers = _importers(session, [courseware.id for courseware, _, _ in rows])
    return [Listed(courseware, owner, count, getattr(importers.get(str(courseware.id)), "actor_user_id", None))
            for courseware, owner, count in rows]


def courseware_detail(session: Session, grants: GrantCache, user_id: uuid.UUID, courseware_id: uuid.UUID) -> Detail:
    """One courseware with its SCOs and its import's warnings, for a user
    holding Manage Courseware over it."""
    courseware, path = _courseware(session, courseware_id)
    access.require(session, grants, user_id, Permission.MANAGE_COURSEWARE, courseware.org_id, MANAGE, path)
    event = _importers(session, [courseware.id]).get(str(courseware.id))
    uses = session.scalar(select(func.count()).select_from(Assignment).where(Assignment.courseware_id == courseware.id))
    return Detail(courseware, session.get(Organization, courseware.org_id), scos_of(session, courseware.id),
                  event.actor_user_id if event else None, _import_warnings(session, event), uses or 0)


def delete(session: Session, settings: Settings, grants: GrantCache, actor: uuid.UUID, courseware_id: uuid.UUID,
           reason: str | None = None) -> dict:
    """DeleteCourseware: the courseware, its SCOs and files gone (refused
    while assigned); what it was goes to the audit record, returned."""
    courseware, path = _courseware(session, courseware_id)
    access.require(session, grants, actor, Permission.MANAGE_COURSEWARE, courseware.org_id, MANAGE, path)
    deleted = delete_courseware(session, settings, courseware)
    audit.record(session, actor, DELETE_ACTION, "courseware", str(courseware.id), deleted, reason,
                 org_id=courseware.org_id, subject_user_id=None)
    return deleted


def _courseware(session: Session, courseware_id: uuid.UUID) -> tuple[Courseware, str]:
    """The courseware and its organization's path; ITEM_NOT_FOUND when unknown."""
    found = directory.with_org_path(session, Courseware, courseware_id)
    if found is None:
        raise not_found("Courseware", courseware_id)
    return found


def _importers(session: Session, ids: list[uuid.UUID]) -> dict[str, AuditEvent]:
    """Each courseware's import record, by courseware id; courseware made
    before imports were audited has none."""
    if not ids:
        return {}
    events = session.scalars(select(AuditEvent).where(
        AuditEvent.action == IMPORT_ACTION, AuditEvent.subject_type == "courseware",
        AuditEvent.subject_id.in_([str(i) for i in ids])))
    return {event.subject_id: event for event in events}


def _import_warnings(session: Session, event: AuditEvent | None) -> list[str]:
    """The warnings the import answered: the manifest's, and the duplicate
    note, naming the original as ImportPackage did (by id once it is gone)."""
    if event is None:
        return []
    details = event.details or {}
    warnings = list(details.get("warnings") or [])
    original_id = details.get("duplicate_of")
    if original_id:
        original = session.get(Courseware, uuid.UUID(original_id))
        warnings.append(f"This package duplicates {describe(original) if original else 'courseware ' + original_id}")
    return warnings
