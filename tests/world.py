"""Builds the data a test needs directly in the database, quickly.

Each World is a fresh organization under the root with its own administrator,
so tests never see each other's data.
"""
from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from scormapi.auth.permissions import ALL_PERMISSIONS
from scormapi.auth.tokens import issue_token
from scormapi.packages.importer import synthetic_scorm12_package
from scormapi.packages.synthetic import synthetic_scorm2004_package
from scormapi.store import directory, learning
from scormapi.store.courseware import import_package
from scormapi.store.models import (
    Assignment,
    AssignmentStatus,
    Courseware,
    Enrollment,
    Organization,
    Section,
    User,
)

PASSWORD = "correct horse battery"
_GENERATORS = {"1.2": synthetic_scorm12_package, "2004": synthetic_scorm2004_package}
_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}-{uuid.uuid4().hex[:6]}"


@dataclass
class Course:
    """One learner enrolled in a section with one assignment (SCORM 1.2 or 2004)."""

    section: Section
    courseware: Courseware
    assignment: Assignment
    enrollment: Enrollment
    assignment_status: AssignmentStatus
    learner: User
    sco_ids: list[str]


class World:
    def __init__(self, db, settings, http):
        self.db, self.settings, self.http = db, settings, http
        with db.write() as s:
            self.top = directory.create_org(s, unique("org"), directory.root(s))
        self.admin = self.user(permissions={self.top: ALL_PERMISSIONS})
        self.admin_token = self.token(self.admin)

    def org(self, parent: Organization | None = None, name: str | None = None) -> Organization:
        with self.db.write() as s:
            return directory.create_org(s, name or unique("org"), parent or self.top)

    def user(self, org: Organization | None = None, permissions: dict | None = None, login: str | None = None,
             first_name: str = "Ada", last_name: str = "Lovelace") -> User:
        with self.db.write() as s:
            user = directory.create_user(s, login or unique("user"), PASSWORD, org or self.top, first_name, last_name)
            s.flush()
            for granted_org, perms in (permissions or {}).items():
                for perm in perms:
                    directory.grant(s, user.id, granted_org.id, str(perm))
        return user

    def token(self, user: User, expires_at: datetime | None = None, expired: bool = False) -> str:
        if expired:
            expires_at = datetime.now(UTC) - timedelta(seconds=1)
        with self.db.write() as s:
            return issue_token(s, user.id, expires_at)

    def post(self, path: str, json=None, token: str | None = None, **kw):
        """POST to /api/v1/<path> with the admin's token unless another is given."""
        params = dict(kw.pop("params", {}))
        params.setdefault("access_token", token if token is not None else self.admin_token)
        return self.http.post(f"/api/v1/{path}", json=json, params=params, **kw)

    def course(self, scos: int = 2, mastery_score: str | int | None = None, max_attempts: int = 0,
               grading: str = "highest", learner: User | None = None, org: Organization | None = None,
               scorm_version: str = "1.2", sco_spec: dict | None = None) -> Course:
        """A generated package (SCOs ``item_1``..) imported, assigned and enrolled in, in the database.

        ``scorm_version`` "2004" builds it as SCORM 2004 4th edition;
        ``sco_spec`` adds the same generator keys to every SCO (for 2004:
        completion_threshold, scaled_passing_score...)."""
        if scorm_version not in _GENERATORS:
            raise ValueError(f"scorm_version must be one of {sorted(_GENERATORS)}")
        if mastery_score is not None and scorm_version != "1.2":
            raise ValueError("SCORM 2004 has no mastery score: give scaled_passing_score in sco_spec")
        specs = [{"title": f"Lesson {n}", **(sco_spec or {})} for n in range(1, scos + 1)]
        if mastery_score is not None:
            for spec in specs:
                spec["mastery_score"] = mastery_score
        learner = learner or self.user(org or self.top)
        zipped = _GENERATORS[scorm_version](unique("Course"), specs)
        with self.db.write() as s:
            owner = s.get(Organization, (org or self.top).id)
            courseware = import_package(s, self.settings, owner, zipped)
            section = learning.create_section(s, owner, unique("section"))
            assignment = learning.create_assignment(
                s, section, courseware, courseware.title, max_attempts=max_attempts, grading_method=grading
            )
            enrollment = learning.create_enrollment(s, section, s.get(User, learner.id))
            s.flush()
            status = learning.get_assignment_status(s, enrollment.id, assignment.id)
        return Course(section, courseware, assignment, enrollment, status, learner, [f"item_{n}" for n in range(1, scos + 1)])
