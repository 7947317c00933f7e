"""What the console reads to lead an administrator to a record: the
organizations their grants reach, the learners enrolled there, and a
learner's enrollments with every assignment's and SCO's standing.

Decisions:

- An organization is reached by a grant in it or in an ancestor; the
  permission a page needs decides which grants count (``reach``), the same
  rule ``access.require`` applies to one organization.
- A learner is listed where the viewer may view section enrollments; the
  learner's login and name are shown only to those who may see the user
  (``may_see_user``, the rule every API answer naming a user follows), and
  only those can be found by login or name. Others show as "Learner" and
  the start of their id.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from scormapi.auth.permissions import GrantCache, may_see_user
from scormapi.store.models import (
    Assignment,
    AssignmentStatus,
    CoursewareSco,
    Enrollment,
    Organization,
    ScoAttempt,
    Section,
    User,
)

SEARCH_LIMIT = 50
# Matches read to find SEARCH_LIMIT the viewer may name.
SEARCH_SCAN = 1000


def reach(session: Session, grants: GrantCache, user_id: uuid.UUID, permission: str | None = None) -> list[Organization]:
    """The organizations where the user holds ``permission`` (any, when
    None) directly or through an ancestor, by path (a tree's order)."""
    granted = {org_id for org_id, held in grants.grants(session, user_id) if permission is None or held == permission}
    if not granted:
        return []
    paths = session.scalars(select(Organization.path).where(Organization.id.in_(granted))).all()
    # Paths are UUIDs and "/": nothing in them is a LIKE wildcard.
    inside = or_(Organization.id.in_(granted), *(Organization.path.like(f"{path}/%") for path in paths))
    return list(session.scalars(select(Organization).where(inside).order_by(Organization.path)))


@dataclass
class OrgNode:
    org: Organization
    children: list[OrgNode] = field(default_factory=list)


def tree(orgs: list[Organization]) -> list[OrgNode]:
    """The organizations nested under their parents; one whose parent is
    not among them is a top."""
    nodes = {org.id: OrgNode(org) for org in orgs}
    tops = []
    for org in orgs:
        parent = nodes.get(org.parent_id) if org.parent_id else None
        (parent.children if parent else tops).append(nodes[org.id])
    for node in nodes.values():
        node.children.sort(key=lambda n: n.org.name.lower())
    return sorted(tops, key=lambda n: n.org.name.lower())


def subtree(orgs: list[Organization], top: Organization) -> list[Organization]:
    return [org for org in orgs if org.id == top.id or org.path.startswith(f"{top.path}/")]


# -- learners ----------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerName:
    """A learner as the viewer may name them."""

    user_id: uuid.UUID
    login: str | None
    first_name: str = ""
    last_name: str = ""

    @property
    def label(self) -> str:
        if self.login is None:
            return f"Learner {str(self.user_id)[:8]}"
        full = f"{self.first_name} {self.last_name}".strip()
        return f"{full} ({self.login})" if full else self.login


def named(session: Session, grants: GrantCache, viewer: uuid.UUID, user: User, owner_path: str) -> LearnerName:
    if may_see_user(session, grants, viewer, user.id, owner_path):
        return LearnerName(user.id, user.login, user.first_name, user.last_name)
    return LearnerName(user.id, None)


def names_of(session: Session, grants: GrantCache, viewer: uuid.UUID, ids: set[uuid.UUID]) -> dict[uuid.UUID, LearnerName]:
    """Each user id of ``ids`` as the viewer may name it."""
    ids.discard(None)
    if not ids:
        return {}
    rows = session.execute(
        select(User, Organization.path).join(Organization, Organization.id == User.owner_org_id).where(User.id.in_(ids))
    ).all()
    return {user.id: named(session, grants, viewer, user, path) for user, path in rows}


def find_learners(
    session: Session, grants: GrantCache, viewer: uuid.UUID, within: list[Organization], text: str,
) -> list[LearnerName]:
    """Learners enrolled in a section of ``within``, by login; with ``text``,
    only those the viewer may name whose login or name contains it."""
    if not within:
        return []
    enrolled = (
        select(Enrollment.user_id).join(Section, Section.id == Enrollment.section_id)
        .where(Section.org_id.in_([org.id for org in within]))
    )
    stmt = (
        select(User, Organization.path).join(Organization, Organization.id == User.owner_org_id)
        .where(User.id.in_(enrolled)).order_by(User.login)
    )
    if not text:
        stmt = stmt.limit(SEARCH_LIMIT)
    else:
        needle = text.lower()
        stmt = stmt.where(
            or_(*(func.lower(column).contains(needle, autoescape=True)
                  for column in (User.login, User.first_name, User.last_name)))
        ).limit(SEARCH_SCAN)
        # Only a learner the viewer may name can be found by name: a match
        # on a hidden one would tell what it is called.
        found = [named(session, grants, viewer, user, path) for user, path in session.execute(stmt)]
        return [learner for learner in found if learner.login is not None][:SEARCH_LIMIT]
    return [named(session, grants, viewer, user, path) for user, path in session.execute(stmt)]


# -- one learner's record ------------------------------------------------------------


@dataclass(frozen=True)
class ScoStanding:
    sco_id: str
    title: str
    status: str
    score: float | None
    total_seconds: float
    started_at: datetime | None
    exited_at: datetime | None
    attempt_number: int | None


@dataclass(frozen=True)
class AssignmentStanding:
    status: AssignmentStatus
    assignment: Assignment
    scos: list[ScoStanding]


@dataclass(frozen=True)
class EnrollmentRecord:
    section: Section
    org: Organization
    assignments: list[AssignmentStanding]


def learner_record(session: Session, learner_id: uuid.UUID, within: list[Organization]) -> list[EnrollmentRecord]:
    """The learner's enrollments in sections of ``within``, each with its
    assignments' rolled-up standing and every SCO's current attempt."""
    if not within:
        return []
    rows = session.execute(
        select(Enrollment, Section, Organization)
        .join(Section, Section.id == Enrollment.section_id)
        .join(Organization, Organization.id == Section.org_id)
        .where(Enrollment.user_id == learner_id, Section.org_id.in_([org.id for org in within]))
        .order_by(Organization.name, Section.name)
    ).all()
    return [EnrollmentRecord(section, org, _assignments(session, enrollment)) for enrollment, section, org in rows]


def _assignments(session: Session, enrollment: Enrollment) -> list[AssignmentStanding]:
    rows = session.execute(
        select(AssignmentStatus, Assignment).join(Assignment, Assignment.id == AssignmentStatus.assignment_id)
        .where(AssignmentStatus.enrollment_id == enrollment.id).order_by(Assignment.title)
    ).all()
    return [AssignmentStanding(status, assignment, _scos(session, status, assignment)) for status, assignment in rows]


def _scos(session: Session, status: AssignmentStatus, assignment: Assignment) -> list[ScoStanding]:
    rows = session.execute(
        select(CoursewareSco, ScoAttempt)
        .outerjoin(ScoAttempt, (ScoAttempt.sco_pk == CoursewareSco.id) & (ScoAttempt.assignment_status_id == status.id))
        .where(CoursewareSco.courseware_id == assignment.courseware_id).order_by(CoursewareSco.ordinal)
    ).all()
    return [_standing(sco, attempt) for sco, attempt in rows]


def _standing(sco: CoursewareSco, attempt: ScoAttempt | None) -> ScoStanding:
    if attempt is None:
        return ScoStanding(sco.sco_id, sco.title, "not attempted", None, 0.0, None, None, None)
    return ScoStanding(sco.sco_id, attempt.title or sco.title, attempt.lesson_status, attempt.score_raw,
                       attempt.total_seconds, attempt.started_at, attempt.exited_at, attempt.attempt_number)


def learner_of(session: Session, grants: GrantCache, viewer: uuid.UUID, learner_id: uuid.UUID) -> LearnerName | None:
    return names_of(session, grants, viewer, {learner_id}).get(learner_id)
