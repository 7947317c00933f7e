"""The ``scormapi`` command: serve, db upgrade|prune, admin create, import, demo (and bench).

Settings are read from the environment (SCORMAPI_DATA_DIR,
SCORMAPI_DATABASE_URL, ...) when each command runs, not cached at import, so
one process (a test, a script) can run commands against different data
directories.
"""
from __future__ import annotations

import errno
import json
import os
import shlex
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from uvicorn.supervisors import Multiprocess

from scormapi.auth.passwords import verify_password
from scormapi.benchmark.cli import bench_app
from scormapi.cmi.scorm12.timespan import timespan_seconds
from scormapi.config import Settings, get_settings
from scormapi.errors import ErrorCode, ServiceError
from scormapi.ops.courseware import Imported, register_import, scos_of
from scormapi.ops.users import create_admin
from scormapi.packages.errors import PackageError
from scormapi.packages.importer import synthetic_scorm12_package, synthetic_scorm2004_package
from scormapi.packages.safezip import Progress as ExtractionProgress
from scormapi.store import attempts, directory, housekeeping, learning
from scormapi.store.courseware import (
    describe,
    import_package,
    remove_abandoned_staging,
    staged_package,
)
from scormapi.store.db import Database
from scormapi.store.models import (
    Assignment,
    AssignmentStatus,
    Courseware,
    CoursewareSco,
    Organization,
    ScoAttempt,
    Section,
    User,
    utcnow,
)
from scormapi.store.schema import upgrade

app = typer.Typer(no_args_is_help=True, help="SCORM records service (NexPort ScormApi compatible).")
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
admin_app = typer.Typer(no_args_is_help=True, help="Administrator accounts.")
app.add_typer(db_app, name="db")
app.add_typer(admin_app, name="admin")
app.add_typer(bench_app, name="bench")

# Soft wrap: ids, paths and the curl commands must stay copyable in one piece.
console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)

MIN_PASSWORD_LENGTH = 8


def settings() -> Settings:
    return Settings()


def open_database(s: Settings) -> Database:
    """The configured database, upgraded to the newest schema."""
    db = Database(s.database_url_resolved)
    upgrade(db)
    return db


def fail(message: str) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(code=1)


# -- serve / db ------------------------------------------------------------------


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, help="Worker processes."),
    content_port: int | None = typer.Option(
        None, min=1, max=65535,
        help="Port of the content origin (default: port + 1; not opened when SCORMAPI_CONTENT_ORIGIN is set).",
    ),
) -> None:
    """Upgrade the schema, then serve the API and the learner pages."""
    s = settings()
    with listening(host, *listen_ports(s, port, content_port)) as sockets:
        open_database(s).dispose()
        run_server(host, sockets, workers)


def listen_ports(s: Settings, port: int, content_port: int | None) -> tuple[int, int | None]:
    """The main port and the content origin's port, if this server opens one:
    without SCORMAPI_CONTENT_ORIGIN, the content origin is the same host on a
    second port (port + 1 unless chosen); with it, a reverse proxy sends the
    content host name to the main port, unless a content port is chosen."""
    if content_port is None and not s.content_origin:
        content_port = port + 1
    if content_port == port:
        raise fail("--content-port must differ from --port")
    return port, content_port


@contextmanager
def listening(host: str, port: int, content_port: int | None) -> Iterator[list[socket.socket]]:
    """The server's sockets, bound before anything else happens, so a busy
    port fails at once with a message instead of after the schema upgrade or
    the demo's banner, and no other program can take the port meanwhile."""
    sockets: list[socket.socket] = []
    try:
        sockets.append(_bind(host, port, "--port", "the main port"))
        if content_port:
            sockets.append(_bind(host, content_port, "--content-port", "the content origin's port"))
        yield sockets
    finally:
        for sock in sockets:
            sock.close()


def _bind(host: str, port: int, option: str, role: str) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    # As uvicorn does: a restarted server need not wait for old connections' TIME_WAIT.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except (OSError, OverflowError) as exc:
        sock.close()
        raise fail(_bind_failure(host, port, option, role, exc)) from None
    # Workers started by Multiprocess inherit it.
    sock.set_inheritable(True)
    return sock


def _bind_failure(host: str, port: int, option: str, role: str, exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
        return (f"port {port} on {host} ({role}) is already in use: stop the program listening there "
                f"(another scormapi?) or choose a free port with {option}")
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"cannot listen on {host} port {port} ({role}): {reason}; check --host and {option}"


def run_server(host: str, sockets: list[socket.socket], workers: int = 1) -> None:
    """Serve on ``sockets`` (the main port's first, then the content port's, if any)."""
    port = sockets[0].getsockname()[1]
    content_port = sockets[1].getsockname()[1] if len(sockets) > 1 else 0
    # The workers read their settings from the environment: this is how they
    # learn which listener is the content origin.
    os.environ["SCORMAPI_MAIN_PORT"] = str(port)
    os.environ["SCORMAPI_CONTENT_PORT"] = str(content_port)
    get_settings.cache_clear()
    # A factory, so every worker process builds its own engine and caches.
    config = uvicorn.Config("scormapi.api.app:create_app", factory=True, host=host, port=port, workers=workers)
    # uvicorn announces only the sockets it binds itself.
    content = f" and lesson content on http://{host}:{content_port}" if content_port else ""
    console.print(f"Serving pages and the API on http://{host}:{port}{content} (Ctrl+C stops)", markup=False)
    try:
        if workers > 1:
            Multiprocess(config, sockets=sockets).run()
        else:
            uvicorn.Server(config).run(sockets=sockets)
    except KeyboardInterrupt:
        pass


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema to the newest revision."""
    s = settings()
    open_database(s).dispose()
    console.print(f"Database is up to date: {_safe_url(s)}")


@db_app.command("prune")
def db_prune(
    keep_days: int = typer.Option(None, min=0, help="Keep spent tokens this many days; default SCORMAPI_SPENT_TOKEN_DAYS."),
) -> None:
    """Delete spent tokens, stale sign-in counts and abandoned import folders
    (the server also does it every SCORMAPI_HOUSEKEEPING_SECONDS)."""
    s = settings()
    db = open_database(s)
    try:
        with db.write() as session:
            pruned = housekeeping.prune(session, timedelta(days=s.spent_token_days if keep_days is None else keep_days))
    finally:
        db.dispose()
    staged = remove_abandoned_staging(s.packages_dir)
    console.print(
        f"Deleted {pruned.tokens} spent tokens, {pruned.throttle_rows} stale sign-in counts"
        f" and {len(staged)} abandoned import folders."
    )


def _safe_url(s: Settings) -> str:
    """The database URL without its password, fit to print."""
    return make_url(s.database_url_resolved).render_as_string(hide_password=True)


# -- admin create ----------------------------------------------------------------


@admin_app.command("create")
def admin_create(
    login: str = typer.Option(..., help="Login of the new administrator."),
    password: str = typer.Option(..., help=f"Password (at least {MIN_PASSWORD_LENGTH} characters)."),
) -> None:
    """Create a user at the root organization holding every permission."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise fail(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    db = open_database(settings())
    try:
        with db.write() as session:
            user = create_admin(session, login, password)
    except ServiceError as exc:
        raise fail(exc.message) from None
    finally:
        db.dispose()
    console.print(f"Created administrator [bold]{escape(login)}[/] (user id {user.id}) with every permission at the root.")


# -- import ----------------------------------------------------------------------


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="The SCORM package (zip).")],
    org: Annotated[str | None, typer.Option("--org", help="Owner organization id (default: the root).")] = None,
    allow_duplicate: Annotated[bool, typer.Option(
        "--allow-duplicate", help="Import a zip the organization already imported as a second copy.",
    )] = False,
) -> None:
    """Import a SCORM package; print the course id, its SCOs, any warnings and how to assign it.

    The same zip imported again into an organization is refused, naming the
    courseware it made, unless --allow-duplicate is given."""
    org_id = _parse_uuid(org, "--org") if org else None
    s = settings()
    db = open_database(s)
    try:
        with _import_progress(file.name) as progress:
            imported = import_file(db, s, file, org_id, progress, allow_duplicate)
    finally:
        db.dispose()
    print_import(imported, _public_origin(s))


def print_import(imported: Imported, origin: str) -> None:
    """What was imported, as plain lines: a table would cut or wrap long SCO
    ids to the terminal's width, and they must stay copyable in one piece."""
    courseware, scos = imported.courseware, imported.scos
    console.print(f"Imported {courseware.title} (SCORM {courseware.scorm_version})", markup=False)
    console.print(f"courseware_id: {courseware.id}")
    if imported.duplicate_of is not None:
        console.print(f"This is a second copy: the same package was already imported as {describe(imported.duplicate_of)}",
                      markup=False)
    console.print(f"{len(scos)} SCO{'' if len(scos) == 1 else 's'} (sco_id: title, launch file):")
    for sco in scos:
        console.print(f"  {sco.sco_id}: {sco.title} ({sco.launch})", markup=False)
    for warning in imported.warnings:
        console.print(f"warning: {warning}", markup=False)
    body = json.dumps({"section_id": "SECTION_ID", "courseware_id": str(courseware.id), "title": courseware.title},
                      ensure_ascii=False)
    console.print("\nNext, assign it to a section (LearningApi/CreateAssignment, permission Manage Sections; "
                  "LearningApi/GetSections lists section ids), with an administrator's token in $TOKEN:", markup=False)
    console.print(
        f'curl -s -X POST "{origin}/api/v1/LearningApi/CreateAssignment?access_token=$TOKEN" '
        f"-H 'Content-Type: application/json' -d {shlex.quote(body)}",
        markup=False,
    )


def _public_origin(s: Settings) -> str:
    """Where the API is, as far as this machine knows: the configured origin, else serve's default."""
    return s.public_origin or "http://127.0.0.1:8000"


@contextmanager
def _import_progress(name: str) -> Iterator[ExtractionProgress]:
    """A bar of the bytes extracted so far, against what the package declares."""
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as bar:
        task = bar.add_task(f"Extracting {escape(name)}", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _parse_uuid(text: str, option: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise fail(f"{option}: {text!r} is not a valid id (UUID)") from None


def import_file(
    db: Database, s: Settings, file: Path, org_id: uuid.UUID | None, progress: ExtractionProgress | None = None,
    allow_duplicate: bool = False,
) -> Imported:
    """Import ``file`` into ``org_id`` (the root when None); typer.Exit on a
    bad package or org, or on a duplicate unless ``allow_duplicate``."""
    # Looked up in a read transaction and extracted before the write one
    # (see staged_package): a running server's writers must not wait.
    with db.read() as session:
        org = directory.root(session) if org_id is None else session.get(Organization, org_id)
    if org is None:
        raise fail(f"organization {org_id} was not found")
    try:
        with staged_package(s, file, progress=progress) as staged, db.write() as session:
            return register_import(session, s, None, org, staged, file_name=file.name, allow_duplicate=allow_duplicate,
                                   via="cli import")
    except PackageError as exc:
        raise fail(f"{file.name} is not a valid SCORM package: {exc.message}") from None
    except ServiceError as exc:
        if exc.code != ErrorCode.ALREADY_EXISTS:
            raise
        raise fail(f"{file.name}: {exc.message} (here: scormapi import --allow-duplicate)") from None


# -- demo ------------------------------------------------------------------------

DEMO_ADMIN_LOGIN = "admin"
# Demo only: printed on screen and documented. Never use these elsewhere.
DEMO_ADMIN_PASSWORD = "demo-admin-pass"
DEMO_LEARNER_PASSWORD = "demo-learner-pass"
DEMO_UNIVERSITY = "Demo University"
DEMO_SCHOOL = "School of Golf"
DEMO_SECTION = "Golf 101"
DEMO_COURSE = "Golf Explained"
DEMO_LEARNERS = (("learner1", "Alex", "Fairway"), ("learner2", "Sam", "Birdie"), ("learner3", "Jo", "Bogey"))
DEMO_SCOS = [
    {"identifier": "item_1", "title": "Rules of the Game", "mastery_score": 80, "score": 92},
    {"identifier": "item_2", "title": "Etiquette", "mastery_score": 80, "score": 85},
    {"identifier": "item_3", "title": "Scoring", "mastery_score": 80, "score": 78, "status": "failed"},
]
# A SCORM 2004 course beside it, so the section mixes both models.
DEMO_COURSE_2004 = "Putting Practice"
DEMO_SCOS_2004 = [
    {"identifier": "putt_1", "title": "Reading the Green", "completion_threshold": "0.8", "progress_measure": "0.9",
     "scaled_passing_score": "0.7", "score_scaled": "0.9", "score": "90"},
    {"identifier": "putt_2", "title": "Distance Control", "scaled_passing_score": "0.7", "score_scaled": "0.6",
     "score": "60"},
]
# The banner's repair, the README's too: learner1's suspended lesson, fixed by hand.
DEMO_REPAIR = {"sco_id": "item_2", "lesson_status": "completed", "raw_score": 88,
               "reason": "ticket 4711: content crashed before saving"}
# learner1's history: SCO → what the content reported in one session.
DEMO_SESSIONS = {
    "item_1": {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "92", "cmi.core.session_time": "0000:12:30.00",
               "cmi.core.exit": ""},
    "item_2": {"cmi.core.lesson_status": "incomplete", "cmi.core.lesson_location": "page-3",
               "cmi.suspend_data": "visited=1,2,3", "cmi.core.session_time": "0000:05:10.50", "cmi.core.exit": "suspend"},
}


@dataclass
class DemoInfo:
    org_id: uuid.UUID
    section_id: uuid.UUID
    courseware_id: uuid.UUID
    assignment_id: uuid.UUID
    admin_login: str
    # None when an existing "admin" account has another password.
    admin_password: str | None
    # learner login → enrollment id
    enrollments: dict[str, uuid.UUID] = field(default_factory=dict)
    sco_ids: list[str] = field(default_factory=list)
    # learner1's assignment status: what EditScormData and GetEditHistory take.
    assignment_status_id: uuid.UUID | None = None


def seed_demo(s: Settings) -> DemoInfo:
    """Demo data on the configured database; a second run reuses the first's."""
    db = open_database(s)
    try:
        with db.write() as session:
            return _seed(session, s)
    finally:
        db.dispose()


def _seed(session: Session, s: Settings) -> DemoInfo:
    root = directory.root(session)
    university = _child_org(session, root, DEMO_UNIVERSITY, "demo-u")
    school = _child_org(session, university, DEMO_SCHOOL, "golf")
    admin, admin_password = _demo_admin(session, root)
    courseware = _demo_courseware(session, s, school, DEMO_COURSE, synthetic_scorm12_package(DEMO_COURSE, DEMO_SCOS))
    section = _find_or_make_section(session, school)
    assignment = _find_or_make_assignment(session, section, courseware, DEMO_COURSE)
    package_2004 = synthetic_scorm2004_package(DEMO_COURSE_2004, DEMO_SCOS_2004)
    courseware_2004 = _demo_courseware(session, s, school, DEMO_COURSE_2004, package_2004)
    _find_or_make_assignment(session, section, courseware_2004, DEMO_COURSE_2004)
    info = DemoInfo(school.id, section.id, courseware.id, assignment.id, admin.login, admin_password,
                    sco_ids=[sco.sco_id for sco in scos_of(session, courseware.id)])
    for login, first, last in DEMO_LEARNERS:
        user = _demo_user(session, login, first, last, school)
        enrollment = learning.find_enrollment(session, section.id, user.id) or learning.create_enrollment(session, section, user)
        info.enrollments[login] = enrollment.id
    session.flush()
    learner1 = session.scalar(select(User).where(func.lower(User.login) == DEMO_LEARNERS[0][0]))
    status = learning.get_assignment_status(session, info.enrollments["learner1"], assignment.id)
    _demo_attempts(session, status, learner1)
    info.assignment_status_id = status.id
    return info


def _child_org(session: Session, parent: Organization, name: str, short_name: str) -> Organization:
    found = session.scalar(
        select(Organization).where(Organization.parent_id == parent.id, Organization.name == name).order_by(Organization.created_at)
    )
    if found is None:
        found = directory.create_org(session, name, parent, short_name)
        session.flush()
    return found


def _demo_admin(session: Session, root: Organization) -> tuple[User, str | None]:
    admin = session.scalar(select(User).where(func.lower(User.login) == DEMO_ADMIN_LOGIN))
    if admin is None:
        return create_admin(session, DEMO_ADMIN_LOGIN, DEMO_ADMIN_PASSWORD), DEMO_ADMIN_PASSWORD
    # An operator's own "admin" keeps its password, and the demo does not print one.
    known = verify_password(admin.password_hash, DEMO_ADMIN_PASSWORD)
    return admin, DEMO_ADMIN_PASSWORD if known else None


def _demo_user(session: Session, login: str, first: str, last: str, org: Organization) -> User:
    user = session.scalar(select(User).where(func.lower(User.login) == login))
    if user is None:
        user = directory.create_user(session, login, DEMO_LEARNER_PASSWORD, org, first, last)
        session.flush()
    return user


def _demo_courseware(session: Session, s: Settings, org: Organization, title: str, package: bytes) -> Courseware:
    found = session.scalar(
        select(Courseware).where(Courseware.org_id == org.id, Courseware.title == title).order_by(Courseware.created_at)
    )
    return found or import_package(session, s, org, package)


def _find_or_make_section(session: Session, org: Organization) -> Section:
    found = session.scalar(select(Section).where(Section.org_id == org.id, Section.name == DEMO_SECTION).order_by(Section.created_at))
    return found or learning.create_section(session, org, DEMO_SECTION)


def _find_or_make_assignment(session: Session, section: Section, courseware: Courseware, title: str) -> Assignment:
    found = session.scalar(
        select(Assignment).where(Assignment.section_id == section.id, Assignment.courseware_id == courseware.id)
        .order_by(Assignment.created_at)
    )
    return found or learning.create_assignment(session, section, courseware, title)


def _demo_attempts(session: Session, status: AssignmentStatus, learner: User) -> None:
    """learner1 passed the first SCO and suspended the second (once: kept on later runs)."""
    if session.scalar(select(ScoAttempt.id).where(ScoAttempt.assignment_status_id == status.id).limit(1)):
        return
    started = utcnow() - timedelta(days=2)
    scos = {sco.sco_id: sco for sco in scos_of(session, session.get(Assignment, status.assignment_id).courseware_id)}
    for offset, (sco_id, values) in enumerate(DEMO_SESSIONS.items()):
        _demo_session(session, status, scos[sco_id], learner, values, started + timedelta(hours=offset))
    attempts.rollup(session, status)


def _demo_session(session: Session, status: AssignmentStatus, sco: CoursewareSco, learner: User,
                  values: dict[str, str], started: datetime) -> None:
    """One session of the SCO as content would run it: set values, then LMSFinish."""
    profile = attempts.profile_of(session, sco)
    attempt = attempts.get_or_create_attempt(session, status.id, sco, learner, started_at=started)
    state = dict(attempt.cmi)
    for name, value in values.items():
        error = profile.set_value(state, name, value)
        if error:
            raise ValueError(f"demo data {name}={value!r} refused by the data model: {error!r}")
    state, _warnings = profile.finish_session(state)
    attempts.replace_cmi(attempt, state, profile)
    attempt.exited_at = started + timedelta(seconds=timespan_seconds(values["cmi.core.session_time"]))
    attempt.updated_at = utcnow()


def curl_example(info: DemoInfo, host: str, port: int, learner: str = "learner1") -> str:
    """Shell commands that sign in as the demo admin and read ``learner``'s CMI data."""
    base = f"http://{host}:{port}/api/v1"
    auth = shlex.quote(
        f'{{"username": "{info.admin_login}", "password": "{info.admin_password or "YOUR-PASSWORD"}", "grant_type": "password"}}'
    )
    query = shlex.quote(
        f'{{"enrollment_id": "{info.enrollments[learner]}", "assignment_id": "{info.assignment_id}", '
        '"cmi_element_names": ["cmi.core.lesson_status", "cmi.core.score.raw", "cmi.core.total_time"]}'
    )
    extract = shlex.quote('import sys,json;print(json.load(sys.stdin)["access_token"])')
    return (
        f"TOKEN=$(curl -s -X POST {base}/AdminApi/Authenticate -H 'Content-Type: application/json' -d {auth} "
        f"| python3 -c {extract})\n"
        f'curl -s -X POST "{base}/ScormApi/GetCmiData?access_token=$TOKEN" '
        f"-H 'Content-Type: application/json' -d {query}"
    )


def repair_example(info: DemoInfo, host: str, port: int) -> str:
    """The shell command that repairs learner1's suspended lesson (DEMO_REPAIR), with $TOKEN from curl_example."""
    body = json.dumps({"assignment_status_id": str(info.assignment_status_id), **DEMO_REPAIR})
    return (
        f'curl -s -X POST "http://{host}:{port}/api/v1/ScormApi/EditScormData?access_token=$TOKEN" '
        f"-H 'Content-Type: application/json' -d {shlex.quote(body)}"
    )


def print_demo(info: DemoInfo, host: str, port: int, content_port: int | None = None) -> None:
    url = f"http://{host}:{port}"
    console.print("\n[bold]scormapi demo[/] (demo credentials: never use them for real data)\n")
    console.print(f"Learner pages:  {url}/   sign in as learner1 / {DEMO_LEARNER_PASSWORD}")
    if content_port:
        console.print(f"Lesson content: http://{host}:{content_port}/ (the content origin: lessons run there, isolated)")
    console.print(f"API reference:  {url}/docs")
    password = info.admin_password or "(unchanged: this database already had an 'admin' account)"
    console.print(f"Administration: {url}/admin   sign in as {info.admin_login} / {password}")
    console.print(f"Section {DEMO_SECTION!r}: {info.section_id}; assignment {info.assignment_id}")
    console.print(f"learner1's assignment_status_id (for EditScormData, GetEditHistory): {info.assignment_status_id}")
    console.print("\nRead learner1's SCORM data from a shell:\n")
    console.print(curl_example(info, host, port), markup=False)
    console.print(f"\nThen repair learner1's lesson {DEMO_REPAIR['sco_id']}, with a reason for the audit trail:\n")
    console.print(repair_example(info, host, port), markup=False)
    console.print("")


@app.command()
def demo(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    content_port: int | None = typer.Option(None, min=1, max=65535, help="Port of the content origin (default: port + 1)."),
) -> None:
    """Create (or reuse) demo data, print how to use it, and serve."""
    s = settings()
    with listening(host, *listen_ports(s, port, content_port)) as sockets:
        with console.status("Preparing demo data..."):
            info = seed_demo(s)
        print_demo(info, host, port, sockets[1].getsockname()[1] if len(sockets) > 1 else None)
        run_server(host, sockets)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
