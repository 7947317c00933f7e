"""Importing a SCORM package: the permission it takes, and its registration
with the audit record, for ImportPackage and ``scormapi import`` alike.

The package is extracted before (``store.courseware.staged_package``),
outside the write transaction: on SQLite that transaction holds the
database's only write lock, so the check comes first, in a read.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from scormapi.auth.permissions import GrantCache, Permission
from scormapi.config import Settings
from scormapi.ops import access
from scormapi.store import audit
from scormapi.store.courseware import StagedPackage, describe, register_package
from scormapi.store.models import Courseware, CoursewareSco, Organization

IMPORT_ACTION = "courseware.import"


@dataclass(frozen=True)
class Imported:
    courseware: Courseware
    scos: list[CoursewareSco]  # in manifest order
    warnings: list[str]  # what the manifest made lenient
    duplicate_of: Courseware | None  # the oldest courseware of the same zip, for a second copy

    def duplicate_note(self) -> str | None:
        return None if self.duplicate_of is None else f"This package duplicates {describe(self.duplicate_of)}"


def may_import(session: Session, grants: GrantCache, user_id: uuid.UUID, org: Organization) -> None:
    access.require(session, grants, user_id, Permission.MANAGE_COURSEWARE, org.id, "manage courseware", org.path)


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
