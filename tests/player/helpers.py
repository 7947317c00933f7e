"""What the player and run-time tests share: launching, committing, signing in."""
from __future__ import annotations

import io
import re

import httpx
from sqlalchemy import select

from scormapi.store import learning
from scormapi.store.courseware import import_package
from scormapi.store.models import CoursewareSco, Organization, User
from tests.world import PASSWORD, Course, unique

RUNTIME = "/api/v1/ScormRuntime"


def launch(world, course, sco_id="item_1", mode="normal", user=None, new_attempt=False) -> dict:
    """Launch a SCO through ScormRuntime/Launch as the course's learner."""
    token = world.token(user or course.learner)
    body = {"assignment_status_id": str(course.assignment_status.id), "sco_id": sco_id, "lesson_mode": mode,
            "new_attempt": new_attempt}
    r = world.post("ScormRuntime/Launch", body, token=token)
    assert r.status_code == 200, r.text
    return r.json()


def commit(client, launched_or_token, seq, values=None, finish=False, leave=False):
    """A commit as the player sends it: the token in the Authorization header,
    to the launch's commit URL (on the content origin) or, given only a
    token, to ``client``'s own origin."""
    if isinstance(launched_or_token, str):
        token, url = launched_or_token, f"{RUNTIME}/Commit"
    else:
        token, url = launched_or_token["launch_token"], launched_or_token["commit_url"]
    body = {"seq": seq, "values": values or {}, "finish": finish, "leave": leave}
    return client.post(url, headers={"Authorization": f"Bearer {token}"}, json=body)


def csrf_field(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def sign_in(base_url: str, login: str, password: str = PASSWORD) -> httpx.Client:
    """A client holding a learner's session cookie, signed in through the form."""
    client = httpx.Client(base_url=base_url, timeout=30)
    form = client.get("/login")
    r = client.post("/login", data={"login": login, "password": password, "csrf_token": csrf_field(form.text), "next": "/learn"})
    assert r.status_code == 303, r.text
    return client


def enrolled_course(world, package, max_attempts: int = 0, learner=None) -> Course:
    """A package (a path or zip bytes) imported, assigned to a new section and
    a learner enrolled: what ``World.course`` does for generated packages."""
    learner = learner or world.user(world.top)
    source = io.BytesIO(package) if isinstance(package, bytes) else package
    with world.db.write() as s:
        owner = s.get(Organization, world.top.id)
        courseware = import_package(s, world.settings, owner, source)
        section = learning.create_section(s, owner, unique("section"))
        assignment = learning.create_assignment(s, section, courseware, courseware.title, max_attempts=max_attempts)
        enrollment = learning.create_enrollment(s, section, s.get(User, learner.id))
        s.flush()
        status = learning.get_assignment_status(s, enrollment.id, assignment.id)
        sco_ids = list(s.scalars(select(CoursewareSco.sco_id).where(CoursewareSco.courseware_id == courseware.id)
                                 .order_by(CoursewareSco.ordinal)))
    return Course(section, courseware, assignment, enrollment, status, learner, sco_ids)
