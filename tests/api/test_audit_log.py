"""AdminApi/GetAuditLog: the audit trail of an organization and its
descendants, newest first, paged, behind View Audit Log."""
from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from scormapi.auth.permissions import Permission
from scormapi.store import audit, directory
from scormapi.store.models import AuditEvent
from tests.api.scorm_helpers import OK, PLACES, edit, entity, place_org, user_with
from tests.api.test_attempt_history import take_attempts, took
from tests.api.test_schema_fuzz import CHECKS, OPERATIONS

ISO_MS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
T0 = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def audit_log(world, org, token=None, params=None, **filters):
    body = {"org_id": str(org.id), **filters}
    return world.post("AdminApi/GetAuditLog", body, token=token, params=params or {})


def put_event(world, org, minutes: int, action="test.event", actor=None, subject_user=None, reason=None) -> AuditEvent:
    """An event of ``org`` at T0 + ``minutes``, recorded as every operation records one."""
    with world.db.write() as s:
        event = audit.record(s, actor.id if actor else None, action, "thing", f"thing-{minutes}", {"n": minutes},
                             reason, org_id=org.id if org else None,
                             subject_user_id=subject_user.id if subject_user else None)
        event.occurred_at = T0 + timedelta(minutes=minutes)
        s.flush()
        return event


def actions(response) -> list[str]:
    return [item["action"] for item in response.json()]


def subjects(response) -> list[str]:
    return [item["subject_id"] for item in response.json()]


@pytest.fixture()
def course(world, mid):
    return world.course(scos=1, org=mid)


def test_an_edit_event_as_the_log_shows_it(world, course, mid):
    assert edit(world, course, lesson_status="completed", reason="ticket 9").status_code == 200
    r = audit_log(world, mid, actor_user_id=str(world.admin.id), subject_user_id=str(course.learner.id))
    assert r.status_code == 200
    [item] = r.json()
    with world.db.read() as s:
        [event] = s.query(AuditEvent).filter(AuditEvent.subject_id == f"{course.assignment_status.id}/item_1").all()
    assert ISO_MS.fullmatch(item.pop("occurred_at"))
    assert item == {
        "event_id": str(event.id),
        "action": "scorm.edit",
        "actor_user_id": str(world.admin.id),
        "subject_type": "sco_attempt",
        "subject_id": f"{course.assignment_status.id}/item_1",
        "subject_user_id": str(course.learner.id),
        "org_id": str(mid.id),
        "reason": "ticket 9",
        "details": {
            "attempt_number": 1,
            "changes": [{"cmi_element_name": "cmi.core.lesson_status", "old_value": "not attempted",
                         "new_value": "completed"}],
            "warnings": [],
        },
        "api_error_entity": OK,
    }
    assert (r.headers["X-Total-Count"], r.headers["X-Per-Page"], r.headers["X-Page"]) == ("1", "30", "1")


def test_every_operation_files_its_event_under_its_organization_and_subject(world, mid):
    """Who did what, through the API: each event names its organization and
    the user it is about."""
    admin, token = user_with(world, world.top, *Permission)
    made = world.post("AdminApi/CreateUser", {"login": f"learner-{uuid.uuid4().hex[:8]}", "password": "p4ssword-long",
                                              "first_name": "A", "last_name": "B", "owner_org_id": str(mid.id)}, token=token)
    learner_id = made.json()["user_id"]
    section = world.post("LearningApi/CreateSection", {"org_id": str(mid.id), "name": "S"}, token=token).json()
    assert world.post("AdminApi/GrantPermission", {"user_id": learner_id, "org_id": str(mid.id),
                                                   "permission": "View Section Enrollments"}, token=token).status_code == 200
    enrollment = world.post("LearningApi/CreateEnrollment", {"section_id": section["section_id"], "user_id": learner_id},
                            token=token).json()
    assert world.post("LearningApi/DeleteEnrollment", {"enrollment_id": enrollment["enrollment_id"]},
                      token=token).status_code == 200
    r = audit_log(world, mid, actor_user_id=str(admin.id))
    assert [(i["action"], i["org_id"], i["subject_user_id"]) for i in reversed(r.json())] == [
        ("user.create", str(mid.id), learner_id),
        ("section.create", str(mid.id), None),
        ("permission.grant", str(mid.id), learner_id),
        ("enrollment.create", str(mid.id), learner_id),
        ("enrollment.delete", str(mid.id), learner_id),
    ]


def test_a_deletes_kept_records_belong_to_the_section_and_the_learner(world, course, mid):
    take_attempts(world, course, took("passed", "80", 10, 1))
    assert world.post("LearningApi/DeleteEnrollment", {"enrollment_id": str(course.enrollment.id)}).status_code == 200
    r = audit_log(world, mid, subject_user_id=str(course.learner.id))
    kept = {(i["action"], i["org_id"], i["subject_user_id"]) for i in r.json()}
    assert kept == {(action, str(mid.id), str(course.learner.id))
                    for action in ("sco_attempt.delete", "assignment_status.delete", "enrollment.delete")}


def test_a_reset_is_in_the_log(world, course, mid):
    take_attempts(world, course, took("failed", "40", 10, 1))
    body = {"assignment_status_id": str(course.assignment_status.id), "sco_id": "item_1", "reason": "froze"}
    assert world.post("ScormApi/ResetScormAttempt", body).status_code == 200
    [item] = audit_log(world, mid, subject_user_id=str(course.learner.id), actor_user_id=str(world.admin.id)).json()
    assert (item["action"], item["reason"], item["org_id"], item["details"]) == (
        "sco_attempt.reset", "froze", str(mid.id),
        {"sco_id": "item_1", "attempt_number": 1, "new_attempt_number": 2, "lesson_status": "failed", "score_raw": 40.0})


def test_an_organization_shows_its_own_and_its_descendants_events(world, mid):
    child, grandchild, sibling = world.org(mid), None, world.org(world.top)
    grandchild = world.org(child)
    for minutes, org in enumerate((mid, child, grandchild, sibling, world.top)):
        put_event(world, org, minutes)
    assert subjects(audit_log(world, mid)) == ["thing-2", "thing-1", "thing-0"]
    assert subjects(audit_log(world, child)) == ["thing-2", "thing-1"]
    assert subjects(audit_log(world, sibling)) == ["thing-3"]
    assert subjects(audit_log(world, world.top))[:5] == ["thing-4", "thing-3", "thing-2", "thing-1", "thing-0"]


def test_newest_first_ties_by_id(world, mid):
    events = [put_event(world, mid, 5) for _ in range(4)]
    r = audit_log(world, mid)
    assert [i["event_id"] for i in r.json()] == [str(e.id) for e in sorted(events, key=lambda e: e.id, reverse=True)]


def test_filter_by_actor_and_subject_user(world, mid):
    alice, bob = world.user(mid), world.user(mid)
    put_event(world, mid, 1, actor=alice, subject_user=bob)
    put_event(world, mid, 2, actor=bob, subject_user=alice)
    put_event(world, mid, 3, actor=alice, subject_user=alice)
    assert subjects(audit_log(world, mid, actor_user_id=str(alice.id))) == ["thing-3", "thing-1"]
    assert subjects(audit_log(world, mid, subject_user_id=str(alice.id))) == ["thing-3", "thing-2"]
    both = audit_log(world, mid, actor_user_id=str(alice.id), subject_user_id=str(bob.id))
    assert (subjects(both), both.headers["X-Total-Count"]) == (["thing-1"], "1")
    assert audit_log(world, mid, actor_user_id=str(uuid.uuid4())).json() == []


@pytest.mark.parametrize(
    "since, until, expected",
    [
        ("2025-06-01T12:01:00Z", None, ["thing-3", "thing-2", "thing-1"]),
        (None, "2025-06-01T12:02:00Z", ["thing-1", "thing-0"]),
        ("2025-06-01T12:01:00Z", "2025-06-01T12:03:00Z", ["thing-2", "thing-1"]),
        # Another zone names the same instant.
        ("2025-06-01T14:01:00+02:00", "2025-06-01T14:03:00+02:00", ["thing-2", "thing-1"]),
        ("2025-06-01T12:02:00Z", "2025-06-01T12:02:00Z", []),
        ("2025-06-01T12:01:30Z", "2025-06-01T12:01:59.999Z", []),
    ],
)
def test_since_is_inclusive_and_until_exclusive(world, mid, since, until, expected):
    for minutes in range(4):
        put_event(world, mid, minutes)
    window = {k: v for k, v in (("since", since), ("until", until)) if v is not None}
    r = audit_log(world, mid, **window)
    assert r.status_code == 200
    assert subjects(r) == expected
    assert r.headers["X-Total-Count"] == str(len(expected))


@pytest.mark.parametrize(
    "filters, message",
    [
        ({"since": "2025-06-02T00:00:00Z", "until": "2025-06-01T00:00:00Z"}, "Invalid request: since: must not be after until"),
        ({"since": "2025-06-01T00:00:00"}, "Invalid request: since: Input should have timezone info"),
        ({"until": 1717243200}, "Invalid request: until: Input should be an ISO 8601 date-time string"),
        ({"since": "yesterday"}, "Invalid request: since: Input should be a valid datetime or date, input is too short"),
        ({"actor_user_id": "alice"}, "Invalid request: actor_user_id: Input should be a valid UUID, invalid character: found `l` at 1"),
        ({"organization": "x"}, "Invalid request: organization: unknown field"),
    ],
)
def test_bad_filters_are_422(world, mid, filters, message):
    r = audit_log(world, mid, **filters)
    assert r.status_code == 422
    assert r.json() == entity(2, message)


def test_org_id_is_required(world):
    r = world.post("AdminApi/GetAuditLog", {})
    assert r.status_code == 422
    assert r.json() == entity(2, "Invalid request: org_id: Field required")


def test_unknown_organization_is_409(world):
    missing = uuid.uuid4()
    r = world.post("AdminApi/GetAuditLog", {"org_id": str(missing)})
    assert r.status_code == 409
    assert r.json() == entity(5, f"Organization {missing} was not found")


@pytest.mark.parametrize(
    "params, page, per_page, expected",
    [
        ({}, 1, 30, ["thing-2", "thing-1", "thing-0"]),
        ({"per_page": 2}, 1, 2, ["thing-2", "thing-1"]),
        ({"per_page": 2, "page": 2}, 2, 2, ["thing-0"]),
        ({"per_page": 2, "page": 3}, 3, 2, []),
        ({"per_page": 0, "page": 0}, 1, 30, ["thing-2", "thing-1", "thing-0"]),
        # An event may hold a deleted attempt's data: at most 100 a page.
        ({"per_page": 5000}, 1, 100, ["thing-2", "thing-1", "thing-0"]),
        ({"page": 10**20}, 2**31 - 1, 30, []),
    ],
)
def test_paging(world, mid, params, page, per_page, expected):
    for minutes in range(3):
        put_event(world, mid, minutes)
    r = audit_log(world, mid, params=params)
    assert r.status_code == 200
    assert subjects(r) == expected
    assert (r.headers["X-Total-Count"], r.headers["X-Per-Page"], r.headers["X-Page"]) == ("3", str(per_page), str(page))


def test_a_page_holds_at_most_100_events(world, mid):
    for minutes in range(101):
        put_event(world, mid, minutes)
    r = audit_log(world, mid, params={"per_page": 101})
    assert (len(r.json()), r.headers["X-Per-Page"], r.headers["X-Total-Count"]) == (100, "100", "101")
    assert subjects(audit_log(world, mid, params={"per_page": 100, "page": 2})) == ["thing-0"]


@pytest.mark.parametrize("place", PLACES)
def test_view_audit_log_by_place(world, mid, place):
    put_event(world, mid, 1)
    _, token = user_with(world, place_org(world, mid, place), Permission.VIEW_AUDIT_LOG)
    r = audit_log(world, mid, token=token)
    if PLACES[place]:
        assert r.status_code == 200 and subjects(r) == ["thing-1"]
    else:
        assert r.status_code == 403
        assert r.json() == entity(4, "Not authorized to view the audit log")


def test_every_other_permission_is_not_enough(world, mid):
    others = [p for p in Permission if p != Permission.VIEW_AUDIT_LOG]
    _, token = user_with(world, mid, *others)
    r = audit_log(world, mid, token=token)
    assert r.status_code == 403
    assert r.json() == entity(4, "Not authorized to view the audit log")


def test_an_unknown_organization_is_409_whoever_asks(world, mid):
    # As everywhere in the API: an id that names nothing is 409 for any caller.
    _, token = user_with(world, mid)
    missing = uuid.uuid4()
    r = world.post("AdminApi/GetAuditLog", {"org_id": str(missing)}, token=token)
    assert r.status_code == 409
    assert r.json() == entity(5, f"Organization {missing} was not found")


@pytest.mark.parametrize("which", ["expired", "missing", "unknown"])
def test_bad_tokens_are_403(world, mid, which):
    token = {"expired": world.token(world.admin, expired=True), "missing": "", "unknown": str(uuid.uuid4())}[which]
    r = audit_log(world, mid, token=token)
    assert r.status_code == 403
    assert r.json() == entity(3, "Unable to authenticate")


def test_events_of_no_organization_show_only_in_the_roots_log(world, mid):
    """Events recorded before organizations were kept on them."""
    actor = world.user(mid)
    put_event(world, None, 1, actor=actor)
    put_event(world, mid, 2, actor=actor)
    with world.db.read() as s:
        root = directory.root(s)
    _, at_root = user_with(world, root, Permission.VIEW_AUDIT_LOG)
    assert subjects(audit_log(world, root, token=at_root, actor_user_id=str(actor.id))) == ["thing-2", "thing-1"]
    assert subjects(audit_log(world, world.top, actor_user_id=str(actor.id))) == ["thing-2"]
    # The world's administrator holds every permission in its top organization only.
    r = audit_log(world, root, actor_user_id=str(actor.id))
    assert r.status_code == 403


def test_reading_the_log_writes_nothing(world, mid):
    put_event(world, mid, 1)
    with world.db.read() as s:
        before = s.query(AuditEvent).count()
    assert audit_log(world, mid).status_code == 200
    with world.db.read() as s:
        assert s.query(AuditEvent).count() == before


def test_the_answer_is_the_documented_one(world, course, mid, base_url):
    assert edit(world, course, lesson_status="completed", reason="documented").status_code == 200
    put_event(world, None, 1)
    case = OPERATIONS["POST /api/v1/AdminApi/GetAuditLog"].Case(
        body={"org_id": str(mid.id), "since": "2020-01-01T00:00:00Z"}, media_type="application/json",
        query={"access_token": world.admin_token})
    response = case.call(base_url=base_url)
    assert response.status_code == 200, response.text
    assert response.json()
    case.validate_response(response, checks=CHECKS)
