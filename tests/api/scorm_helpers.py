"""What the ScormApi tests share: calls, exact envelopes, a permission matrix,
and direct database set-up of attempts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from scormapi.auth.permissions import Permission
from scormapi.store import attempts, directory
from scormapi.store.models import (
    AuditEvent,
    CoursewareSco,
    ScoAttempt,
    ScoAttemptHistory,
    User,
)

OK = {"error_code": 0, "warning_messages": []}


def entity(code: int, message: str, warnings: list[str] | None = None) -> dict:
    return {"api_error_entity": {"error_code": code, "error_message": message, "warning_messages": warnings or []}}


def get_cmi(world, course, names, token=None, params=None):
    body = {"enrollment_id": str(course.enrollment.id), "assignment_id": str(course.assignment.id), "cmi_element_names": names}
    return world.post("ScormApi/GetCmiData", body, token=token, params=params or {})


def edit(world, course, sco_id="item_1", token=None, **fields):
    body = {"assignment_status_id": str(course.assignment_status.id), "sco_id": sco_id, **fields}
    return world.post("ScormApi/EditScormData", body, token=token)


def history(world, course, sco_id="item_1", token=None, params=None):
    body = {"assignment_status_id": str(course.assignment_status.id), "sco_id": sco_id}
    return world.post("ScormApi/GetEditHistory", body, token=token, params=params or {})


def values(response) -> list[dict[str, str]]:
    """Per item, element name → value, for reading many values at once."""
    return [{f["cmi_element_name"]: f["cmi_element_value"] for f in item["cmi_fields"]} for item in response.json()]


def seed_attempt(world, course, sco_id="item_1", cmi=None, title=None, started_at: datetime | None = None,
                 exited_at: datetime | None = None) -> ScoAttempt:
    """A current attempt made the way the run-time makes one, with extra values."""
    with world.db.write() as s:
        sco = s.scalar(select(CoursewareSco).where(CoursewareSco.courseware_id == course.courseware.id,
                                                   CoursewareSco.sco_id == sco_id))
        attempt = attempts.get_or_create_attempt(s, course.assignment_status.id, sco, s.get(User, course.learner.id))
        attempts.replace_cmi(attempt, {**attempt.cmi, **(cmi or {})}, attempts.profile_of(s, sco))
        attempt.title, attempt.started_at, attempt.exited_at = title, started_at, exited_at
    return attempt


def load_attempt(world, course, sco_id="item_1") -> ScoAttempt | None:
    with world.db.read() as s:
        return s.scalar(
            select(ScoAttempt).join(CoursewareSco, CoursewareSco.id == ScoAttempt.sco_pk).where(
                ScoAttempt.assignment_status_id == course.assignment_status.id, CoursewareSco.sco_id == sco_id))


def load_history(world, attempt_id) -> list[ScoAttemptHistory]:
    with world.db.read() as s:
        return list(s.scalars(select(ScoAttemptHistory).where(ScoAttemptHistory.attempt_id == attempt_id)))


def audit_events(world, course, sco_id="item_1") -> list[AuditEvent]:
    with world.db.read() as s:
        return list(s.scalars(select(AuditEvent).where(
            AuditEvent.subject_id == f"{course.assignment_status.id}/{sco_id}").order_by(AuditEvent.occurred_at)))


def audit_count(world) -> int:
    with world.db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent))


# Where a user holds the permission, relative to the course's organization
# (world.course puts the section in `mid`, a child of world.top), and
# whether the operation is then allowed.
PLACES = {
    "in the enrollment's org": True,
    "in the parent org": True,
    "in the root org": True,
    "in a sibling org": False,
    "only in a child org": False,
}


def place_org(world, mid, place):
    with world.db.read() as s:
        root = directory.root(s)
    return {
        "in the enrollment's org": mid,
        "in the parent org": world.top,
        "in the root org": root,
        "in a sibling org": world.org(world.top),
        "only in a child org": world.org(mid),
    }[place]


def user_with(world, org, *permissions: Permission):
    """A token for a new user holding ``permissions`` in ``org``."""
    user = world.user(world.top, permissions={org: permissions})
    return user, world.token(user)
