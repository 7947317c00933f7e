"""The database schema: one class per table.

Identifiers are UUIDs (NexPort's shape). Times are stored in UTC; ``UTCDateTime``
gives them back timezone-aware on every backend (SQLite forgets the zone).
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


JsonDoc = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    pass


def _id() -> Mapped[uuid.UUID]:
    return mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


def _created() -> Mapped[datetime]:
    return mapped_column(UTCDateTime, default=utcnow, nullable=False)


class Organization(Base):
    __tablename__ = "organizations"
    id: Mapped[uuid.UUID] = _id()
    name: Mapped[str] = mapped_column(String(255))
    short_name: Mapped[str] = mapped_column(String(64), default="")
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    # Ids from the root down to this organization, "/"-separated: ancestor
    # checks become one string split instead of a recursive query.
    path: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = _created()


class User(Base):
    __tablename__ = "users"
    id: Mapped[uuid.UUID] = _id()
    login: Mapped[str] = mapped_column(String(255), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(255), default="")
    last_name: Mapped[str] = mapped_column(String(255), default="")
    owner_org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = _created()


class PermissionGrant(Base):
    __tablename__ = "permission_grants"
    __table_args__ = (UniqueConstraint("user_id", "org_id", "permission"),)
    id: Mapped[uuid.UUID] = _id()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    permission: Mapped[str] = mapped_column(String(64))
    granted_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = _created()


class AccessToken(Base):
    __tablename__ = "access_tokens"
    id: Mapped[uuid.UUID] = _id()
    # SHA-256 of the token: a stolen database yields no usable token.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    # "access" for the API; "launch" for content, bound to one attempt.
    kind: Mapped[str] = mapped_column(String(16), default="access")
    attempt_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sco_attempts.id"))
    # Kind "asset" (and its code): the assignment whose untracked pages it opens.
    assignment_status_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("assignment_statuses.id"), index=True)
    created_at: Mapped[datetime] = _created()
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginThrottle(Base):
    """Failed sign-ins per key ("login:NAME" or "addr:IP") in the current window."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)


class Section(Base):
    __tablename__ = "sections"
    id: Mapped[uuid.UUID] = _id()
    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = _created()


class Enrollment(Base):
    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("section_id", "user_id"),)
    id: Mapped[uuid.UUID] = _id()
    section_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sections.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = _created()


class Courseware(Base):
    """An imported SCORM package."""

    __tablename__ = "courseware"
    __table_args__ = (Index("ix_courseware_org_package", "org_id", "package_sha256"),)
    id: Mapped[uuid.UUID] = _id()
    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    identifier: Mapped[str] = mapped_column(String(255), default="")
    scorm_version: Mapped[str] = mapped_column(String(8))
    # The default organization's item tree, for the player's table of contents.
    structure: Mapped[list] = mapped_column(JsonDoc, default=list)
    # SHA-256 of the imported zip: the same file imported again is a duplicate.
    package_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = _created()


class CoursewareSco(Base):
    __tablename__ = "courseware_scos"
    __table_args__ = (UniqueConstraint("courseware_id", "sco_id"),)
    id: Mapped[uuid.UUID] = _id()
    courseware_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("courseware.id"))
    # The manifest item identifier: the sco_id clients see.
    sco_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255))
    launch: Mapped[str] = mapped_column(Text)
    ordinal: Mapped[int] = mapped_column(Integer)
    mastery_score: Mapped[str] = mapped_column(String(32), default="")
    data_from_lms: Mapped[str] = mapped_column(Text, default="")
    max_time_allowed: Mapped[str] = mapped_column(String(32), default="")
    time_limit_action: Mapped[str] = mapped_column(String(32), default="")
    # SCORM 2004; "" = none. A threshold or passing score applies only when
    # the manifest says the measure decides, so "" is not the same as 1.0.
    completion_threshold: Mapped[str] = mapped_column(String(32), default="")
    scaled_passing_score: Mapped[str] = mapped_column(String(32), default="")
    # The objectiveIDs, joined by single spaces: they are URIs, which hold none.
    objective_ids: Mapped[str] = mapped_column(Text, default="")


class Assignment(Base):
    __tablename__ = "assignments"
    id: Mapped[uuid.UUID] = _id()
    section_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sections.id"), index=True)
    courseware_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("courseware.id"))
    title: Mapped[str] = mapped_column(String(255))
    # How many attempts a learner may make on each SCO (0: no limit), and
    # which finished attempt counts: "highest", "last" or "first".
    max_attempts: Mapped[int] = mapped_column(Integer, default=0)
    grading_method: Mapped[str] = mapped_column(String(16), default="highest")
    created_at: Mapped[datetime] = _created()


class AssignmentStatus(Base):
    """One enrollment's progress on one assignment, rolled up from its SCOs."""

    __tablename__ = "assignment_statuses"
    __table_args__ = (UniqueConstraint("enrollment_id", "assignment_id"),)
    id: Mapped[uuid.UUID] = _id()
    enrollment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enrollments.id"))
    assignment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assignments.id"), index=True)
    status: Mapped[str] = mapped_column(String(32), default="not attempted")
    score: Mapped[float | None] = mapped_column(Float)
    total_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = _created()


class ScoAttempt(Base):
    """The learner's current attempt on one SCO.

    ``cmi`` holds the run-time data as one flat JSON document (element name →
    value); the typed columns mirror what reports filter on. ``version`` guards
    against lost updates; ``commit_seq`` orders the player's commits.
    """

    __tablename__ = "sco_attempts"
    __table_args__ = (UniqueConstraint("assignment_status_id", "sco_pk"),)
    id: Mapped[uuid.UUID] = _id()
    assignment_status_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assignment_statuses.id"))
    sco_pk: Mapped[uuid.UUID] = mapped_column(ForeignKey("courseware_scos.id"))
    attempt_number: Mapped[int] = mapped_column(Integer, default=1)
    cmi: Mapped[dict] = mapped_column(JsonDoc, default=dict)
    title: Mapped[str | None] = mapped_column(String(255))
    # The summary in SCORM 1.2's words, for both models (reports, roll-up).
    lesson_status: Mapped[str] = mapped_column(String(32), default="not attempted")
    # Both models' statuses in SCORM 2004's words (see migration 0007).
    completion_status: Mapped[str] = mapped_column(String(32), default="unknown")
    success_status: Mapped[str] = mapped_column(String(16), default="unknown")
    score_raw: Mapped[float | None] = mapped_column(Float)
    score_scaled: Mapped[float | None] = mapped_column(Float)
    total_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    exited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # 64-bit: the API allows up to 2**53 - 1, what the player's JavaScript counts exactly.
    commit_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = _created()

    __mapper_args__ = {"version_id_col": version}


class ScoAttemptHistory(Base):
    """An archived attempt: a finished attempt's data, kept when it ends."""

    __tablename__ = "sco_attempt_history"
    __table_args__ = (UniqueConstraint("attempt_id", "attempt_number"),)
    id: Mapped[uuid.UUID] = _id()
    attempt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sco_attempts.id"))
    attempt_number: Mapped[int] = mapped_column(Integer)
    cmi: Mapped[dict] = mapped_column(JsonDoc, default=dict)
    title: Mapped[str | None] = mapped_column(String(255))
    lesson_status: Mapped[str] = mapped_column(String(32))
    completion_status: Mapped[str] = mapped_column(String(32), default="unknown")
    success_status: Mapped[str] = mapped_column(String(16), default="unknown")
    score_raw: Mapped[float | None] = mapped_column(Float)
    score_scaled: Mapped[float | None] = mapped_column(Float)
    total_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    exited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime] = _created()


class AuditEvent(Base):
    """One administrative change. ``org_id`` is the organization the change
    belongs to (where its permission was checked), so the audit log can be
    read per organization tree; ``subject_user_id`` the learner or user it is
    about. Both are null on events recorded before migration 0005."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_subject", "subject_type", "subject_id", "occurred_at"),
        Index("ix_audit_org_time", "org_id", "occurred_at"),
    )
    id: Mapped[uuid.UUID] = _id()
    occurred_at: Mapped[datetime] = _created()
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    org_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organizations.id"))
    subject_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[str] = mapped_column(String(320))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JsonDoc, default=dict)
