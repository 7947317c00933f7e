"""What the console's tests share: a learner whose SCO is stuck
"incomplete", the people who look at it, and reading the pages."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from sqlalchemy import select

from scormapi.auth.permissions import ALL_PERMISSIONS, Permission
from scormapi.store import directory
from scormapi.store.models import AuditEvent, ScoAttempt, User
from tests.player.helpers import commit, launch
from tests.world import Course, unique

STUCK = {
    "cmi.core.lesson_status": "incomplete",
    "cmi.core.score.raw": "40",
    "cmi.core.lesson_location": "page-3",
    "cmi.core.session_time": "0000:05:00.00",
    "cmi.core.exit": "suspend",
    "cmi.interactions.0.id": "q1",
    "cmi.interactions.0.type": "choice",
    "cmi.interactions.0.student_response": "b",
    "cmi.interactions.0.result": "wrong",
    "cmi.objectives.0.id": "obj-golf",
    "cmi.objectives.0.score.raw": "40",
    "cmi.objectives.0.status": "incomplete",
}
SUPPORT = (Permission.VIEW_SECTION_ENROLLMENTS, Permission.UPDATE_SECTION_ENROLLMENTS, Permission.MANAGE_USERS,
           Permission.VIEW_AUDIT_LOG)
VIEW_ONLY = (Permission.VIEW_SECTION_ENROLLMENTS, Permission.MANAGE_USERS)


@dataclass
class Scene:
    course: Course
    support: User
    viewer: User
    stranger: User  # holds every permission, in a sibling organization tree


def stuck_scene(world, content_http) -> Scene:
    """A learner (Grace Hopper) whose first SCO of a course with mastery
    score 80 was left "incomplete" at 40, with an interaction and an
    objective; a support person, a View-only user, and an administrator
    of a sibling organization."""
    learner = world.user(login=unique("grace"), first_name="Grace", last_name="Hopper")
    course = world.course(scos=2, mastery_score=80, learner=learner)
    launched = launch(world, course)
    assert commit(content_http, launched, launched["commit_seq"] + 1, STUCK, leave=True).status_code == 200
    support = world.user(login=unique("support"), first_name="Sam", last_name="Support",
                         permissions={world.top: SUPPORT})
    viewer = world.user(login=unique("viewer"), permissions={world.top: VIEW_ONLY})
    with world.db.write() as s:
        sibling = directory.create_org(s, unique("sibling"), directory.root(s))
    stranger = world.user(sibling, login=unique("stranger"), permissions={sibling: ALL_PERMISSIONS})
    return Scene(course, support, viewer, stranger)


def record_path(course: Course, sco_id: str = "item_1") -> str:
    return f"/admin/records/{course.assignment_status.id}?sco={sco_id}"


def text_of(html: str) -> str:
    """The page's text, tags dropped and white space folded."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    # Inline elements join their neighbours' text; the rest separate it.
    body = re.sub(r"</?(?:code|strong|em|span|a)\b[^>]*>", "", body)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def current_attempt(world, course: Course, sco_id: str = "item_1") -> ScoAttempt:
    from scormapi.store.models import CoursewareSco

    with world.db.read() as s:
        sco = s.scalar(select(CoursewareSco).where(CoursewareSco.courseware_id == course.courseware.id,
                                                   CoursewareSco.sco_id == sco_id))
        return s.scalar(select(ScoAttempt).where(ScoAttempt.assignment_status_id == course.assignment_status.id,
                                                 ScoAttempt.sco_pk == sco.id))


def events_about(world, learner: User, action: str) -> list[AuditEvent]:
    with world.db.read() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.subject_user_id == learner.id,
                                                       AuditEvent.action == action)
                              .order_by(AuditEvent.occurred_at)))
