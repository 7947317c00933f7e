"""The console's teaching pages: sections, their enrollments and assignments, created and deleted through ops.

Decisions:

- The sections page lists the organizations where the user holds Manage
  Sections; a section's page is open to whoever may list its sections
  (``ops.learning.assignments_of``), its learners to holders of View
  Section Enrollments, and it offers only the forms the user's grants allow.
- A delete asks first: the button shows what will go and asks for a
  reason (optional, as for DeleteEnrollment and DeleteAssignment), and only
  the confirmed form calls the operation. A user the page offers no delete
  to is answered by the operation itself, with its refusal.
"""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from scormapi.api.deps import services
from scormapi.auth.permissions import Permission, has_permission
from scormapi.console import records
from scormapi.console.forms import FormState, as_uuid, read_in_org
from scormapi.console.gate import Admin, poster_of, refused, shown_to_admin
from scormapi.console.people import NAME_MAX
from scormapi.console.rendering import page
from scormapi.errors import ErrorCode, ServiceError
from scormapi.ops import learning as learning_ops
from scormapi.store import grading
from scormapi.store.learning import MAX_ATTEMPTS_LIMIT
from scormapi.store.models import Assignment, Enrollment, Organization, Section, User

router = APIRouter(prefix="/admin", include_in_schema=False)

SECTIONS_SHOWN = 200
ENROLLMENTS_SHOWN = 500
REASON_MAX = 1000
NOTICES = {"created": "The section was created.", "enrolled": "The user was enrolled.",
           "assigned": "The assignment was created.", "unenrolled": "The enrollment was deleted; the learner's records are in the audit trail.",
           "unassigned": "The assignment was deleted; the learners' records of it are in the audit trail.",
           "deleted": "The section was deleted; the learners' records are in the audit trail."}
GRADING = {"highest": "highest: the best finished attempt", "last": "last: the latest finished attempt",
           "first": "first: the first finished attempt"}


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


# -- an organization's sections ------------------------------------------------------


@router.get("/sections", name="console_sections")
def sections(request: Request, org: uuid.UUID | None = None, done: str = ""):
    return shown_to_admin(request, lambda admin: sections_page(request, admin, org, FormState(), notice=NOTICES.get(done)))


def sections_page(request: Request, admin: Admin, org_id: uuid.UUID | None, form: FormState, status: int = 200,
                  notice: str | None = None) -> Response:
    def listing(session, org: Organization) -> learning_ops.Listed:
        return learning_ops.sections_of(session, services(request).grants, admin.user_id, org.id, 0, SECTIONS_SHOWN)

    found = read_in_org(request, admin, Permission.MANAGE_SECTIONS, org_id, listing)
    if isinstance(found, Response):
        return found
    chosen, listed = found
    form.values.setdefault("org", str(chosen.org.id))
    context = {"admin": admin, "orgs": chosen.orgs, "chosen": chosen.org, "listed": listed, "form": form,
               "notice": notice, "org_choices": chosen.choices()}
    return page(request, "teaching_sections.html", context, status)


@router.post("/sections", name="console_create_section")
def create_section(request: Request, name: Annotated[str, Form()] = "", org: Annotated[str, Form()] = "",
                   csrf_token: Annotated[str, Form(max_length=128)] = ""):
    admin = poster_of(request, csrf_token)
    if not isinstance(admin, Admin):
        return admin
    wanted = name.strip()
    form = FormState({"name": name, "org": org})
    if not wanted or len(wanted) > NAME_MAX:
        form.problems["name"] = f"Give a name of 1 to {NAME_MAX} characters."
    org_id = form.org_id()
    if form.problems:
        return sections_page(request, admin, org_id, form, 422)
    svc = services(request)
    try:
        with svc.db.write() as session:
            section = learning_ops.create_section(session, svc.grants, admin.user_id, org_id, wanted)
    except ServiceError as exc:
        return refused(request, admin, exc)
    return redirect(f"/admin/sections/{section.id}?done=created")


# -- one section -----------------------------------------------------------------------


@router.get("/sections/{section_id}", name="console_section")
def section(request: Request, section_id: uuid.UUID, done: str = ""):
    return shown_to_admin(request, lambda admin: section_page(request, admin, section_id, notice=NOTICES.get(done)))


def section_page(request: Request, admin: Admin, section_id: uuid.UUID, *, enroll_form: FormState | None = None,
                 assign_form: FormState | None = None, confirm: dict | None = None, status: int = 200,
                 notice: str | None = None) -> Response:
    svc = services(request)
    try:
        with svc.db.read() as session:
            context = _section_context(session, svc.grants, admin, section_id)
    except ServiceError as exc:
        return refused(request, admin, exc)
    context.update({"enroll_form": enroll_form or FormState(),
                    "assign_form": assign_form or FormState({"max_attempts": "0", "grading_method": "highest"}),
                    "confirm": confirm, "notice": notice})
    return page(request, "teaching_section.html", context, status)


def _section_context(session, grants, admin: Admin, section_id: uuid.UUID) -> dict:
    """What the section's page shows, read once the operations allowed it."""
    assignments = learning_ops.assignments_of(session, grants, admin.user_id, section_id)
    found, path = learning_ops.load_section(session, section_id)
    may = {p: has_permission(session, grants, admin.user_id, p, path) for p in Permission}
    enrollments = None
    if may[Permission.VIEW_SECTION_ENROLLMENTS]:
        listed = learning_ops.enrollments_of(session, grants, admin.user_id, section_id, 0, ENROLLMENTS_SHOWN)
        named = [(e, records.LearnerName(e.user_id, u.login, u.first_name, u.last_name) if u
                  else records.LearnerName(e.user_id, None)) for e, u in listed.items]
        enrollments = learning_ops.Listed(named, listed.total)
    usable = learning_ops.usable_courseware(session, path)
    return {
        "admin": admin, "section": found, "org": session.get(Organization, found.org_id), "assignments": assignments,
        "enrollments": enrollments, "may_enroll": may[Permission.UPDATE_SECTION_ENROLLMENTS],
        "may_manage": may[Permission.MANAGE_SECTIONS], "courseware_titles": {c.id: c.title for c in usable},
        "courseware_choices": [(str(c.id), f"{c.title} (SCORM {c.scorm_version})") for c in usable],
        "grading_choices": list(GRADING.items()),
    }


@router.post("/sections/{section_id}/enroll", name="console_enroll")
def enroll(request: Request, section_id: uuid.UUID, login: Annotated[str, Form()] = "",
           csrf_token: Annotated[str, Form(max_length=128)] = ""):
    """ops.learning.create_enrollment for the user of ``login``; a login
    that is unknown or of a user the caller may not see reads the same, so
    the form tells nothing of who exists elsewhere."""
    admin = poster_of(request, csrf_token)
    if not isinstance(admin, Admin):
        return admin
    wanted = login.strip()
    form = FormState({"login": login})
    svc = services(request)
    try:
        with svc.db.write() as session:
            user_id = session.scalar(select(User.id).where(func.lower(User.login) == wanted.lower())) if wanted else None
            learning_ops.create_enrollment(session, svc.grants, admin.user_id, section_id, user_id or uuid.uuid4())
    except ServiceError as exc:
        if exc.code is ErrorCode.ALREADY_EXISTS:
            form.problems["login"] = exc.message
        elif (exc.code is ErrorCode.ITEM_NOT_FOUND and exc.message.startswith("User ")) or \
                exc.message == "Not authorized to view this user":
            form.problems["login"] = f"No user you may see has the login “{wanted}”."
        else:
            return refused(request, admin, exc)
        return section_page(request, admin, section_id, enroll_form=form, status=422)
    return redirect(f"/admin/sections/{section_id}?done=enrolled")


def assignment_problems(values: dict[str, str]) -> dict[str, str]:
    problems = {}
    if as_uuid(values["courseware"]) is None:
        problems["courseware"] = "Choose a courseware."
    if len(values["title"].strip()) > NAME_MAX:
        problems["title"] = f"At most {NAME_MAX} characters."
    text = values["max_attempts"].strip()
    if not text.isdigit() or not 0 <= int(text) <= MAX_ATTEMPTS_LIMIT:
        problems["max_attempts"] = f"Give a whole number from 0 (no limit) to {MAX_ATTEMPTS_LIMIT}."
    if values["grading_method"] not in grading.METHODS:
        problems["grading_method"] = "Choose highest, last or first."
    return problems


@router.post("/sections/{section_id}/assignments", name="console_assign")
def assign(request: Request, section_id: uuid.UUID, courseware: Annotated[str, Form()] = "",
           title: Annotated[str, Form()] = "", max_attempts: Annotated[str, Form()] = "",
           grading_method: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form(max_length=128)] = ""):
    admin = poster_of(request, csrf_token)
    if not isinstance(admin, Admin):
        return admin
    values = {"courseware": courseware, "title": title, "max_attempts": max_attempts, "grading_method": grading_method}
    form = FormState(values, assignment_problems(values))
    if form.problems:
        return section_page(request, admin, section_id, assign_form=form, status=422)
    wanted = learning_ops.AssignmentWanted(section_id, uuid.UUID(courseware), title.strip() or None,
                                           int(max_attempts.strip()), grading_method)
    svc = services(request)
    try:
        with svc.db.write() as session:
            learning_ops.create_assignment(session, svc.grants, admin.user_id, wanted)
    except ServiceError as exc:
        return refused(request, admin, exc)
    return redirect(f"/admin/sections/{section_id}?done=assigned")


# -- deleting, confirmed first -----------------------------------------------------------

CONSEQUENCES = {
    Enrollment: ("Unenroll this learner?", ("The learner leaves the section; their records of every assignment in it "
                 "are deleted and kept in the audit trail."), "Delete the enrollment", "enrollments"),
    Assignment: ("Delete the assignment “{title}”?", ("Every learner's records of this assignment are deleted and kept "
                 "in the audit trail."), "Delete the assignment", "assignments"),
    Section: ("Delete the section?", ("Its assignments and enrollments are deleted with it; every learner's records "
              "are kept in the audit trail."), "Delete the section for good", "sections"),
}
# Who is offered each delete on the section's page (the operation decides who may do it).
OFFERED_TO = {Enrollment: Permission.UPDATE_SECTION_ENROLLMENTS, Assignment: Permission.MANAGE_SECTIONS,
              Section: Permission.MANAGE_SECTIONS}
DONE = {Enrollment: "unenrolled", Assignment: "unassigned", Section: "deleted"}
OPERATIONS = {Enrollment: learning_ops.delete_enrollment, Assignment: learning_ops.delete_assignment,
              Section: learning_ops.delete_section}


@router.post("/enrollments/{ident}/delete", name="console_unenroll")
async def unenroll(request: Request, ident: uuid.UUID):
    return await run_in_threadpool(delete_step, request, Enrollment, ident, _posted(await request.form()))


@router.post("/assignments/{ident}/delete", name="console_unassign")
async def unassign(request: Request, ident: uuid.UUID):
    return await run_in_threadpool(delete_step, request, Assignment, ident, _posted(await request.form()))


@router.post("/sections/{ident}/delete", name="console_delete_section")
async def delete_section(request: Request, ident: uuid.UUID):
    return await run_in_threadpool(delete_step, request, Section, ident, _posted(await request.form()))


def _posted(form) -> dict[str, str]:
    return {key: value for key, value in form.items() if isinstance(value, str)}


def delete_step(request: Request, model, ident: uuid.UUID, form: dict[str, str]) -> Response:
    """An enrollment's, assignment's or section's delete: to a user the
    page offers it to, first the confirmation (the section's page with what
    will go and a reason field); confirmed, or not offered, the operation,
    which refuses whoever may not."""
    admin = poster_of(request, form.get("csrf_token", ""))
    if not isinstance(admin, Admin):
        return admin
    svc = services(request)
    with svc.db.read() as session:
        place = _place_of(session, svc.grants, admin, model, ident)
    reason = form.get("reason", "").strip()
    if place is not None and (form.get("confirm") != "1" or len(reason) > REASON_MAX):
        section_id, _, title = place
        question, consequence, button, kind = CONSEQUENCES[model]
        problem = f"At most {REASON_MAX} characters." if len(reason) > REASON_MAX else None
        confirm = {"title": question.format(title=title), "consequence": consequence, "button": button,
                   "action": f"/admin/{kind}/{ident}/delete", "reason": form.get("reason", ""), "problem": problem}
        return section_page(request, admin, section_id, confirm=confirm, status=422 if problem else 200)
    try:
        with svc.db.write() as session:
            OPERATIONS[model](session, svc.grants, admin.user_id, ident, reason or None)
    except ServiceError as exc:
        return refused(request, admin, exc)
    section_id, org_id, _ = place
    if model is Section:
        return redirect(f"/admin/sections?org={org_id}&done=deleted")
    return redirect(f"/admin/sections/{section_id}?done={DONE[model]}")


def _place_of(session, grants, admin: Admin, model, ident: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID, str] | None:
    """(section, its organization, the row's title) when the section's page
    offers this delete to the user; None otherwise."""
    row = session.get(model, ident)
    if row is None:
        return None
    section_id = row.id if model is Section else row.section_id
    found, path = learning_ops.load_section(session, section_id)
    if not has_permission(session, grants, admin.user_id, OFFERED_TO[model], path):
        return None
    return section_id, found.org_id, getattr(row, "title", "")
