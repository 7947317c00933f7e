"""Element names judged by the data models involved: ExportCmiData accepts
a name some courseware of its scope defines; DataModel serves the table of
the SCORM version asked for."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from scormapi.auth.permissions import Permission
from scormapi.cmi import profile as profiles
from scormapi.store import attempts, learning
from scormapi.store.models import Courseware, CoursewareSco, Organization, Section, User
from tests.api.scorm_helpers import entity, seed_attempt

NAME_2004 = "cmi.completion_status"
NOT_IN_12 = f"Invalid request: cmi_element_names: {NAME_2004!r} is not an element of the data model (401 Not implemented error)"


def opened_course(world):
    course = world.course(scos=1)
    seed_attempt(world, course)
    return course


def export(world, body, token=None):
    return world.post("ScormApi/ExportCmiData", {"cmi_element_names": [NAME_2004], **body}, token=token)


def header(response) -> list[str]:
    return response.content.decode().split("\r\n")[0].split(",")


def test_a_name_of_the_assignment_s_version_is_a_column(world):
    course = world.course(scos=1, scorm_version="2004")
    r = export(world, {"assignment_id": str(course.assignment.id)})
    assert r.status_code == 200
    assert header(r)[-1] == NAME_2004


def test_a_name_another_version_defines_is_refused(world):
    course = world.course(scos=1)
    r = export(world, {"assignment_id": str(course.assignment.id)})
    assert (r.status_code, r.json()) == (422, entity(2, NOT_IN_12))


def test_a_section_accepts_a_name_any_of_its_coursewares_defines(world):
    one, other = opened_course(world), world.course(scos=1, scorm_version="2004")
    body = {"section_id": str(one.section.id)}
    assert export(world, body).status_code == 422
    with world.db.write() as s:
        assignment = learning.create_assignment(s, s.get(Section, one.section.id), s.get(Courseware, other.courseware.id),
                                                "2004")
        s.flush()
        # The learner opens it too: every row of the file is an attempt.
        status = learning.get_assignment_status(s, one.enrollment.id, assignment.id)
        sco = s.scalar(select(CoursewareSco).where(CoursewareSco.courseware_id == other.courseware.id))
        attempts.get_or_create_attempt(s, status.id, sco, s.get(User, one.learner.id))
    r = export(world, body)
    assert r.status_code == 200 and header(r)[-1] == NAME_2004


def test_a_section_without_assignments_judges_by_every_version(world):
    with world.db.write() as s:
        section = learning.create_section(s, s.get(Organization, world.top.id), "empty")
    r = world.post("ScormApi/ExportCmiData", {"section_id": str(section.id),
                                               "cmi_element_names": [NAME_2004, "cmi.core.exit", "cmi.nope"]})
    assert (r.status_code, r.json()) == (422, entity(
        2, "Invalid request: cmi_element_names: 'cmi.nope' is not an element of the data model (401 Not implemented error)"))


def test_names_are_judged_after_the_permission(world):
    course = world.course(scos=1)
    token = world.token(world.user(permissions={world.top: [Permission.UPDATE_SECTION_ENROLLMENTS]}))
    r = export(world, {"assignment_id": str(course.assignment.id), "cmi_element_names": ["cmi.nope"]}, token=token)
    assert (r.status_code, r.json()) == (403, entity(4, "Not authorized to view CMI data"))


# -- DataModel ---------------------------------------------------------------------------


def data_model(http, **params):
    return http.get("/api/v1/ScormRuntime/DataModel", params=params)


@pytest.mark.parametrize("params, version", [({}, "1.2"), ({"scorm_version": "1.2"}, "1.2"),
                                             ({"scorm_version": "2004"}, "2004")])
def test_the_table_of_the_version_asked_for(http, settings, params, version):
    r = data_model(http, **params)
    assert r.status_code == 200
    table = profiles.for_version(version).table_json(suspend_data_limit=settings.suspend_data_max)
    assert r.json() == {"data_model": table, "api_error_entity": {"error_code": 0, "warning_messages": []}}


def test_a_version_without_a_data_model_is_422(http):
    r = data_model(http, scorm_version="1.3")
    assert (r.status_code, r.json()) == (422, entity(2, "Invalid request: scorm_version: Input should be '1.2' or '2004'"))


def test_a_never_opened_2004_sco_exports_what_navigation_could_deliver(world):
    """As GetCmiData reads it: the course's SCOs in manifest order decide
    request_valid, before any launch too."""
    course = world.course(scos=2, scorm_version="2004")
    names = ["adl.nav.request_valid.continue", "adl.nav.request_valid.choice.{target=item_2}"]
    r = world.post("ScormApi/ExportCmiData", {"assignment_id": str(course.assignment.id), "cmi_element_names": names})
    assert r.status_code == 200
    lines = r.content.decode().split("\r\n")
    assert header(r)[-2:] == names
    rows = [line.split(",") for line in lines[1:] if line]
    assert [(row[5], row[-2], row[-1]) for row in rows] == [("item_1", "true", "true"), ("item_2", "false", "true")]
