"""What a learner's pages show: their assignments, each SCO's progress, and
the table of contents of a course. Read-only queries shaped for templates."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from scormapi.store import attempts, grading
from scormapi.store.models import (
    Assignment,
    AssignmentStatus,
    Courseware,
    CoursewareSco,
    Enrollment,
    ScoAttempt,
    Section,
    User,
)


def duration(seconds: float | None) -> str:
    """Hours, minutes and seconds for people, e.g. "1 h 02 min", "3 min 05 s"."""
    total = int(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def score_text(score: float | None) -> str:
    if score is None:
        return "–"
    return f"{score:g}"


@dataclass(frozen=True)
class ScoRow:
    """A SCO as the learner sees it: status, score and time of the attempt
    that counts (the grading method's pick), and the attempt they are on."""

    sco_id: str
    title: str
    status: str
    score: str
    time: str
    attempt_number: int
    counted_attempt: int

    @property
    def counts_earlier(self) -> bool:
        """An earlier attempt's result counts while a later one is under way."""
        return self.counted_attempt != self.attempt_number


@dataclass(frozen=True)
class AssignmentCard:
    status_id: uuid.UUID
    title: str
    section: str
    course: str
    status: str
    score: str
    time: str
    scos: list[ScoRow]


def sco_rows(session: Session, status_id: uuid.UUID, courseware_id: uuid.UUID, grading_method: str) -> list[ScoRow]:
    """Every SCO of the courseware in manifest order, with the learner's progress."""
    keys = attempts.sco_keys(session, courseware_id)
    pairs = attempts.scos_with_attempts(session, status_id, (pk for _, pk in keys))
    pairs.sort(key=lambda pair: pair[0].ordinal)
    archived = grading.archived_results(session, [a.id for _, a in pairs if a is not None and a.attempt_number > 1])
    return [_sco_row(sco, attempt, archived.get(attempt.id, []) if attempt else [], grading_method) for sco, attempt in pairs]


def _sco_row(sco: CoursewareSco, attempt: ScoAttempt | None, archived: list[grading.Result], method: str) -> ScoRow:
    if attempt is None:
        # Never opened: no attempt yet (0).
        return ScoRow(sco.sco_id, sco.title, attempts.NOT_ATTEMPTED, score_text(None), duration(0), 0, 0)
    current = grading.Result.of(attempt)
    counted = grading.pick(method, grading.combined(current, archived))
    return ScoRow(
        sco.sco_id,
        sco.title,
        counted.lesson_status,
        score_text(counted.score_raw),
        duration(counted.total_seconds),
        attempt.attempt_number,
        counted.attempt_number,
    )


@dataclass(frozen=True)
class CourseView:
    """One assignment of the learner's, as the player's pages show it."""

    title: str
    structure: list[dict]
    rows: list[ScoRow]


def course_of(session: Session, status_id: uuid.UUID) -> CourseView:
    """The course of an assignment status the caller already found to be the learner's."""
    status = session.get(AssignmentStatus, status_id)
    assignment = session.get(Assignment, status.assignment_id)
    courseware = session.get(Courseware, assignment.courseware_id)
    rows = sco_rows(session, status_id, courseware.id, assignment.grading_method)
    return CourseView(courseware.title, courseware.structure or [], rows)


def assignments_of(session: Session, user_id: uuid.UUID) -> list[AssignmentCard]:
    """The learner's assignments across their enrollments, by section then title."""
    rows = session.execute(
        select(AssignmentStatus, Assignment, Section, Courseware)
        .join(Enrollment, Enrollment.id == AssignmentStatus.enrollment_id)
        .join(Assignment, Assignment.id == AssignmentStatus.assignment_id)
        .join(Section, Section.id == Enrollment.section_id)
        .join(Courseware, Courseware.id == Assignment.courseware_id)
        .where(Enrollment.user_id == user_id)
        .order_by(Section.name, Assignment.title, Assignment.id)
    ).all()
    return [
        AssignmentCard(
            status.id,
            assignment.title,
            section.name,
            courseware.title,
            status.status,
            score_text(status.score),
            duration(status.total_seconds),
            visible_rows(sco_rows(session, status.id, courseware.id, assignment.grading_method), courseware.structure or []),
        )
        for status, assignment, section, courseware in rows
    ]


def visible_rows(rows: list[ScoRow], structure: list[dict]) -> list[ScoRow]:
    """The SCOs the manifest shows (``isvisible`` not "false" on the item
    and every item above it), as the table of contents shows them. A
    courseware without a stored tree shows all."""
    if not structure:
        return rows
    shown = _visible_sco_ids(structure)
    return [row for row in rows if row.sco_id in shown]


def _visible_sco_ids(items: list[dict]) -> set[str]:
    found: set[str] = set()
    for item in items:
        if not item.get("is_visible", True):
            continue
        if item.get("sco_id"):
            found.add(item["sco_id"])
        found |= _visible_sco_ids(item.get("children", []))
    return found


@dataclass(frozen=True)
class TocEntry:
    """One item of the course tree: a SCO to open, an untracked page to
    open (``asset``: the item identifier), or a heading."""

    title: str
    sco: ScoRow | None
    children: list[TocEntry]
    asset: str | None = None


def table_of_contents(structure: list[dict], rows: list[ScoRow]) -> list[TocEntry]:
    """The manifest's item tree with each SCO's progress; hidden items are left out."""
    by_id = {row.sco_id: row for row in rows}
    return [_entry(item, by_id) for item in structure if item.get("is_visible", True)]


def _entry(item: dict, by_id: dict[str, ScoRow]) -> TocEntry:
    children = [_entry(child, by_id) for child in item.get("children", []) if child.get("is_visible", True)]
    asset = item.get("identifier") if item.get("asset") and not item.get("sco_id") else None
    return TocEntry(item.get("title") or item.get("identifier", ""), by_id.get(item.get("sco_id") or ""), children, asset)


def openable(toc: list[TocEntry]) -> int:
    """How many entries of the contents open something (a SCO or a page)."""
    return sum((1 if entry.sco or entry.asset else 0) + openable(entry.children) for entry in toc)


@dataclass(frozen=True)
class AssetItem:
    title: str
    href: str


def find_asset(structure: list[dict], item_id: str) -> AssetItem | None:
    """The course's untracked page ``item_id``, if it has one by that
    identifier (hidden items included: a link to one from the course's own
    pages still opens)."""
    for item in structure:
        if item.get("identifier") == item_id and item.get("asset") and not item.get("sco_id"):
            return AssetItem(item.get("title") or item_id, item["asset"])
        found = find_asset(item.get("children", []), item_id)
        if found is not None:
            return found
    return None


def learner_name(session: Session, user_id: uuid.UUID) -> str:
    user = session.get(User, user_id)
    if user is None:
        return ""
    return " ".join(p for p in (user.first_name, user.last_name) if p) or user.login
