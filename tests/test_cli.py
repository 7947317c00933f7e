"""The ``scormapi`` command, run in-process on a temporary data directory."""
from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import uuid
import zipfile
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from scormapi import cli
from scormapi.auth.passwords import verify_password
from scormapi.auth.permissions import ALL_PERMISSIONS
from scormapi.auth.tokens import issue_token, token_hash
from scormapi.config import Settings
from scormapi.packages.importer import build_zip, synthetic_scorm12_package
from scormapi.packages.manifest import parse_manifest
from scormapi.store import directory
from scormapi.store.courseware import STAGING_PREFIX
from scormapi.store.db import Database
from scormapi.store.models import (
    AccessToken,
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Courseware,
    CoursewareSco,
    Organization,
    PermissionGrant,
    ScoAttempt,
    User,
)
from tests.processes import console_script, free_port, free_port_pair, need_tool, stop, wait_for

runner = CliRunner()


@pytest.fixture()
def data_dir(tmp_path, monkeypatch) -> Path:
    """A fresh SQLite data directory the commands read from the environment."""
    monkeypatch.setenv("SCORMAPI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SCORMAPI_DATABASE_URL", raising=False)
    return tmp_path


@pytest.fixture()
def local_db(data_dir):
    db = Database(Settings().database_url_resolved)
    yield db
    db.dispose()


def invoke(*args: str):
    return runner.invoke(cli.app, list(args))


def test_db_upgrade_creates_the_schema_and_root(data_dir, local_db):
    r = invoke("db", "upgrade")
    assert r.exit_code == 0, r.output
    assert "Database is up to date: sqlite:///" in r.output
    with local_db.read() as s:
        assert directory.root(s).parent_id is None
    assert invoke("db", "upgrade").exit_code == 0


def test_admin_create(data_dir, local_db):
    r = invoke("admin", "create", "--login", "boss", "--password", "long enough")
    assert r.exit_code == 0, r.output
    assert "Created administrator boss" in r.output
    with local_db.read() as s:
        user = s.scalar(select(User).where(User.login == "boss"))
        root = directory.root(s)
        grants = s.scalars(select(PermissionGrant).where(PermissionGrant.user_id == user.id)).all()
        events = s.scalars(select(AuditEvent).where(AuditEvent.subject_user_id == user.id).order_by(AuditEvent.action)).all()
    assert user.owner_org_id == root.id and verify_password(user.password_hash, "long enough")
    assert sorted(g.permission for g in grants) == sorted(str(p) for p in ALL_PERMISSIONS)
    assert {g.org_id for g in grants} == {root.id}
    # The operator's account and every grant are in the audit trail, by no one (the command line).
    assert [(e.action, e.actor_user_id, e.org_id) for e in events] == (
        [("permission.grant", None, root.id)] * len(ALL_PERMISSIONS) + [("user.create", None, root.id)])
    assert sorted(e.details["permission"] for e in events if e.action == "permission.grant") == sorted(
        str(p) for p in ALL_PERMISSIONS)
    assert [e.details for e in events if e.action == "user.create"] == [
        {"login": "boss", "owner_org_id": str(root.id), "via": "cli admin create"}]


def test_admin_create_refuses_a_taken_login(data_dir):
    assert invoke("admin", "create", "--login", "boss", "--password", "long enough").exit_code == 0
    r = invoke("admin", "create", "--login", "BOSS", "--password", "another one")
    assert r.exit_code == 1
    assert "Login 'BOSS' is already taken" in r.output


@pytest.mark.parametrize("login, password, message", [
    ("boss", "short", "at least 8 characters"),
    ("two words", "long enough", "without whitespace"),
])
def test_admin_create_refuses_bad_input(data_dir, login, password, message):
    r = invoke("admin", "create", "--login", login, "--password", password)
    assert r.exit_code == 1 and message in r.output


def test_import_prints_the_course(data_dir, local_db, tmp_path):
    package = tmp_path / "golf.zip"
    package.write_bytes(synthetic_scorm12_package("Golf", [{"identifier": "a", "title": "First"}, {"identifier": "b"}]))
    r = invoke("import", str(package))
    assert r.exit_code == 0, r.output
    with local_db.read() as s:
        cw = s.scalars(select(Courseware)).one()
        scos = s.scalars(select(CoursewareSco).order_by(CoursewareSco.ordinal)).all()
        assert cw.org_id == directory.root(s).id
    assert f"courseware_id: {cw.id}" in r.output and "Imported Golf (SCORM 1.2)" in r.output
    assert [x.sco_id for x in scos] == ["a", "b"]
    assert "First" in r.output and "sco2/index.html" in r.output
    # The bar ends full: the extractor reported every byte the zip declares.
    assert re.search(r"Extracting golf\.zip .* (\S+)/\1 kB", r.output), r.output
    assert (data_dir / "packages" / str(cw.id) / "imsmanifest.xml").is_file()


def test_import_prints_long_sco_ids_whole_and_the_next_step(data_dir, local_db, tmp_path, monkeypatch):
    """A table would cut or wrap these at 80 columns; every id must stay copyable on one line."""
    monkeypatch.setenv("COLUMNS", "80")
    ids = [f"{letter}{'x' * 198}{n}" for n, letter in enumerate("ab")]
    package = tmp_path / "long.zip"
    package.write_bytes(synthetic_scorm12_package("Long 'ids'", [{"identifier": i, "title": f"Part {n}"} for n, i in enumerate(ids)]))
    r = invoke("import", str(package))
    assert r.exit_code == 0, r.output
    with local_db.read() as s:
        cw = s.scalars(select(Courseware)).one()
    lines = r.output.splitlines()
    start = lines.index("Imported Long 'ids' (SCORM 1.2)")
    assert lines[start:] == [
        "Imported Long 'ids' (SCORM 1.2)",
        f"courseware_id: {cw.id}",
        "2 SCOs (sco_id: title, launch file):",
        f"  {ids[0]}: Part 0 (sco1/index.html)",
        f"  {ids[1]}: Part 1 (sco2/index.html)",
        "",
        ("Next, assign it to a section (LearningApi/CreateAssignment, permission Manage Sections; "
         "LearningApi/GetSections lists section ids), with an administrator's token in $TOKEN:"),
        ('curl -s -X POST "http://127.0.0.1:8000/api/v1/LearningApi/CreateAssignment?access_token=$TOKEN" '
         "-H 'Content-Type: application/json' -d "
         f"'{{\"section_id\": \"SECTION_ID\", \"courseware_id\": \"{cw.id}\", \"title\": \"Long '\"'\"'ids'\"'\"'\"}}'"),
    ]


def test_the_printed_next_step_assigns_the_course(world, settings, base_url, content_url, tmp_path, monkeypatch):
    """Imported into the live server's database, then assigned with the printed curl as it stands."""
    need_tool("curl")
    monkeypatch.setenv("SCORMAPI_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SCORMAPI_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SCORMAPI_PUBLIC_ORIGIN", base_url)
    monkeypatch.setenv("SCORMAPI_CONTENT_ORIGIN", content_url)
    package = tmp_path / "next.zip"
    package.write_bytes(synthetic_scorm12_package("Next step's course", [{"identifier": "only"}]))
    r = invoke("import", str(package), "--org", str(world.top.id))
    assert r.exit_code == 0, r.output
    section = world.post("LearningApi/CreateSection", {"org_id": str(world.top.id), "name": "Assigned by curl"}).json()
    [curl] = [line for line in r.output.splitlines() if line.startswith("curl ")]
    answer = json.loads(_bash(f"TOKEN={world.admin_token}\n" + curl.replace("SECTION_ID", section["section_id"])))
    with world.db.read() as s:
        assignment = s.get(Assignment, uuid.UUID(answer["assignment_id"]))
    assert answer["api_error_entity"] == {"error_code": 0, "warning_messages": []}
    assert (assignment.title, str(assignment.section_id)) == ("Next step's course", section["section_id"])


def test_import_prints_the_manifests_warnings(data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("SCORMAPI_PUBLIC_ORIGIN", "https://lms.example.org")
    monkeypatch.setenv("SCORMAPI_CONTENT_ORIGIN", "https://content.example.org")
    zipped = synthetic_scorm12_package("Lenient", [{"identifier": "a"}])
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["imsmanifest.xml"] = files["imsmanifest.xml"].replace(b'default="org_1"', b'default="missing"')
    [warning] = parse_manifest(files["imsmanifest.xml"]).warnings
    package = tmp_path / "lenient.zip"
    package.write_bytes(build_zip(files))
    r = invoke("import", str(package))
    assert r.exit_code == 0, r.output
    assert "  a: SCO 1 (sco1/index.html)\nwarning: " + warning + "\n\nNext, assign it" in r.output
    assert '"https://lms.example.org/api/v1/LearningApi/CreateAssignment?access_token=$TOKEN"' in r.output


def test_import_into_an_organization(data_dir, local_db, tmp_path):
    invoke("db", "upgrade")
    with local_db.write() as s:
        org = directory.create_org(s, "Campus", directory.root(s))
    package = tmp_path / "c.zip"
    package.write_bytes(synthetic_scorm12_package("C", [{}]))
    assert invoke("import", str(package), "--org", str(org.id)).exit_code == 0
    with local_db.read() as s:
        assert s.scalars(select(Courseware)).one().org_id == org.id


@pytest.mark.parametrize("org, message", [("nope", "is not a valid id"), (str(uuid.UUID(int=1)), "was not found")])
def test_import_refuses_a_bad_org(data_dir, tmp_path, org, message):
    package = tmp_path / "c.zip"
    package.write_bytes(synthetic_scorm12_package("C", [{}]))
    r = invoke("import", str(package), "--org", org)
    assert r.exit_code == 1 and message in r.output


def test_import_refuses_a_bad_package(data_dir, local_db, tmp_path):
    package = tmp_path / "notes.zip"
    package.write_bytes(build_zip({"notes.txt": "no manifest here"}))
    r = invoke("import", str(package))
    assert r.exit_code == 1
    assert "notes.zip is not a valid SCORM package" in r.output and "imsmanifest.xml" in r.output
    with local_db.read() as s:
        assert s.scalars(select(Courseware)).all() == []
    assert [p.name for p in (data_dir / "packages").iterdir()] == []


def test_import_needs_an_existing_file(data_dir, tmp_path):
    assert invoke("import", str(tmp_path / "missing.zip")).exit_code == 2


# -- demo --------------------------------------------------------------------------


def test_seed_demo_builds_the_demo_and_reuses_it(data_dir, local_db):
    info = cli.seed_demo(Settings())
    assert info == cli.seed_demo(Settings())
    assert (info.admin_login, info.admin_password) == ("admin", "demo-admin-pass")
    assert sorted(info.enrollments) == ["learner1", "learner2", "learner3"]
    assert info.sco_ids == ["item_1", "item_2", "item_3"]
    with local_db.read() as s:
        school = s.get(Organization, info.org_id)
        university = s.get(Organization, school.parent_id)
        assert (school.name, university.name, university.parent_id) == ("School of Golf", "Demo University", directory.root(s).id)
        learner = s.scalar(select(User).where(User.login == "learner2"))
        assert verify_password(learner.password_hash, "demo-learner-pass") and learner.owner_org_id == school.id
        status = s.scalar(select(AssignmentStatus).where(AssignmentStatus.enrollment_id == info.enrollments["learner1"],
                                                         AssignmentStatus.assignment_id == info.assignment_id))
        # The section mixes a SCORM 2004 course in, which nobody has opened yet.
        mixed = s.execute(select(Courseware.title, Courseware.scorm_version, Assignment.title)
                          .join(Assignment, Assignment.courseware_id == Courseware.id)
                          .where(Assignment.section_id == info.section_id).order_by(Courseware.scorm_version)).all()
        assert [tuple(row) for row in mixed] == [("Golf Explained", "1.2", "Golf Explained"),
                                                 ("Putting Practice", "2004", "Putting Practice")]
        attempts = {a.sco_pk: a for a in s.scalars(select(ScoAttempt).where(ScoAttempt.assignment_status_id == status.id))}
        scos = {x.id: x.sco_id for x in s.scalars(select(CoursewareSco).where(CoursewareSco.courseware_id == info.courseware_id))}
        others = s.scalars(select(ScoAttempt).where(ScoAttempt.assignment_status_id != status.id)).all()
    by_sco = {scos[pk]: a for pk, a in attempts.items()}
    assert sorted(by_sco) == ["item_1", "item_2"] and others == []
    assert by_sco["item_1"].cmi["cmi.core.lesson_status"] == "passed" and by_sco["item_1"].score_raw == 92.0
    assert by_sco["item_1"].cmi["cmi.core.total_time"] == "0000:12:30.00"
    assert by_sco["item_2"].cmi["cmi.core.exit"] == "suspend" and by_sco["item_2"].lesson_status == "incomplete"
    assert (status.status, status.score, status.total_seconds) == ("incomplete", 92.0, 1060.5)


def test_seed_demo_keeps_an_operators_admin_password(data_dir, local_db):
    assert invoke("admin", "create", "--login", "admin", "--password", "operator secret").exit_code == 0
    info = cli.seed_demo(Settings())
    assert info.admin_password is None
    assert "YOUR-PASSWORD" in cli.curl_example(info, "127.0.0.1", 8000)
    with local_db.read() as s:
        assert verify_password(s.scalar(select(User).where(User.login == "admin")).password_hash, "operator secret")


def test_demo_command_prints_how_to_use_it_then_serves(data_dir, monkeypatch):
    served = []
    monkeypatch.setattr(cli, "run_server", lambda host, sockets, workers=1: served.append(
        (host, [s.getsockname()[1] for s in sockets], workers)))
    port = free_port_pair()
    r = invoke("demo", "--host", "0.0.0.0", "--port", str(port))
    assert r.exit_code == 0, r.output
    assert served == [("0.0.0.0", [port, port + 1], 1)]
    out = r.output
    assert f"http://0.0.0.0:{port}/" in out and "admin / demo-admin-pass" in out and "learner1 / demo-learner-pass" in out
    assert f"Lesson content: http://0.0.0.0:{port + 1}/ (the content origin" in out
    assert f"Administration: http://0.0.0.0:{port}/admin   sign in as admin / demo-admin-pass\n" in out
    assert "/api/v1/AdminApi/Authenticate" in out and "/api/v1/ScormApi/GetCmiData?access_token=$TOKEN" in out
    info = cli.seed_demo(Settings())
    assert f"learner1's assignment_status_id (for EditScormData, GetEditHistory): {info.assignment_status_id}\n" in out
    assert cli.repair_example(info, "0.0.0.0", port) + "\n" in out
    other = free_port()
    assert invoke("demo", "--port", str(port), "--content-port", str(other)).exit_code == 0
    assert served[-1] == ("127.0.0.1", [port, other], 1)


@contextmanager
def _listening(port: int = 0):
    """A socket listening on ``port`` (any free one for 0), as another program would."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", port))
        holder.listen()
        yield holder.getsockname()[1]


@pytest.fixture()
def busy_port():
    """A port another program listens on."""
    with _listening() as port:
        yield port


@pytest.fixture()
def stack():
    with ExitStack() as held:
        yield held


@pytest.mark.parametrize("command", ["demo", "serve"])
@pytest.mark.parametrize("which", ["main", "next", "chosen"])
def test_a_busy_port_fails_first_with_one_line(data_dir, monkeypatch, busy_port, command, which, stack):
    """Nothing printed, created or served before the ports are held."""
    monkeypatch.setattr(cli, "run_server", lambda *args, **kwargs: pytest.fail("served"))
    if which == "main":
        args, role, option = ["--port", str(busy_port)], "the main port", "--port"
    elif which == "next":
        # Its neighbour below is free for sure: a pair, the upper one held here.
        busy_port = free_port_pair() + 1
        stack.enter_context(_listening(busy_port))
        args, role, option = ["--port", str(busy_port - 1)], "the content origin's port", "--content-port"
    else:
        args, role, option = ["--port", str(free_port()), "--content-port", str(busy_port)], "the content origin's port", "--content-port"
    r = invoke(command, *args)
    assert r.exit_code == 1
    assert r.output == (f"error: port {busy_port} on 127.0.0.1 ({role}) is already in use: stop the program "
                        f"listening there (another scormapi?) or choose a free port with {option}\n")
    assert not (data_dir / "scormapi.db").exists()


def test_the_real_demo_command_reports_a_busy_port(data_dir, busy_port):
    script = console_script()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCORMAPI_")}
    env.update(SCORMAPI_DATA_DIR=str(data_dir), COLUMNS="80")
    done = subprocess.run([str(script), "demo", "--port", str(busy_port)], capture_output=True, text=True,
                          env=env, timeout=60, check=False)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (f"error: port {busy_port} on 127.0.0.1 (the main port) is already in use: stop the program "
                           "listening there (another scormapi?) or choose a free port with --port\n")


def test_an_unusable_port_is_named(data_dir, monkeypatch):
    monkeypatch.setattr(cli, "run_server", lambda *args, **kwargs: pytest.fail("served"))
    r = invoke("serve", "--port", "65535")
    assert r.exit_code == 1
    assert r.output.startswith("error: cannot listen on 127.0.0.1 port 65536 (the content origin's port): ")
    assert r.output.endswith("; check --host and --content-port\n")


class FakeServer:
    """uvicorn's Server and Multiprocess, recording the sockets they were given."""

    runs: ClassVar[list] = []

    def __init__(self, config, sockets=None):
        self.config, self.sockets = config, sockets

    def run(self, sockets=None):
        FakeServer.runs.append((self.config, [s.getsockname()[1] for s in (sockets or self.sockets)]))


@pytest.fixture()
def fake_uvicorn(monkeypatch):
    FakeServer.runs = []
    # serve hands the ports to its workers in the environment; restored after.
    monkeypatch.setenv("SCORMAPI_MAIN_PORT", "0")
    monkeypatch.setenv("SCORMAPI_CONTENT_PORT", "0")
    monkeypatch.setattr(cli.uvicorn, "Server", FakeServer)
    monkeypatch.setattr(cli, "Multiprocess", FakeServer)
    return FakeServer.runs


def test_serve_upgrades_then_serves_the_factory_on_two_ports(data_dir, local_db, fake_uvicorn):
    port = free_port_pair()
    r = invoke("serve", "--port", str(port), "--workers", "2")
    assert r.exit_code == 0, r.output
    [(config, ports)] = fake_uvicorn
    assert (config.app, config.factory, config.host, config.workers) == ("scormapi.api.app:create_app", True, "127.0.0.1", 2)
    assert ports == [port, port + 1]
    # uvicorn announces only sockets it binds itself, so serve says where it listens.
    assert f"Serving pages and the API on http://127.0.0.1:{port} and lesson content on http://127.0.0.1:{port + 1} (Ctrl+C stops)\n" in r.output
    # The workers learn the ports from the environment they inherit.
    assert (os.environ["SCORMAPI_MAIN_PORT"], os.environ["SCORMAPI_CONTENT_PORT"]) == (str(port), str(port + 1))
    with local_db.read() as s:
        assert directory.root(s) is not None


def test_serve_takes_a_content_port_and_none_behind_a_configured_origin(data_dir, fake_uvicorn, monkeypatch):
    port, other = free_port(), free_port()
    assert invoke("serve", "--port", str(port), "--content-port", str(other)).exit_code == 0
    assert fake_uvicorn[-1][1] == [port, other]
    monkeypatch.setenv("SCORMAPI_PUBLIC_ORIGIN", "https://lms.example.org")
    monkeypatch.setenv("SCORMAPI_CONTENT_ORIGIN", "https://content.example.org")
    r = invoke("serve", "--port", str(port))
    assert r.exit_code == 0, r.output
    assert fake_uvicorn[-1][1] == [port] and os.environ["SCORMAPI_CONTENT_PORT"] == "0"
    assert f"Serving pages and the API on http://127.0.0.1:{port} (Ctrl+C stops)\n" in r.output
    r = invoke("serve", "--port", str(port), "--content-port", str(port))
    assert r.exit_code == 1 and "--content-port must differ from --port" in r.output


def _bash(script: str) -> str:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60, env=env, check=True).stdout


def _cmi(items: list[dict]) -> list[tuple]:
    return [(i["sco_id"], {f["cmi_element_name"]: f["cmi_element_value"] for f in i["cmi_fields"]}) for i in items]


def test_printed_curl_commands_work_against_a_live_server(settings, db, base_url, capsys):
    """The demo banner's shell commands, copied as printed and run in order
    against the test server: read learner1's data, then repair a lesson."""
    need_tool("curl")
    info = cli.seed_demo(settings)
    host, port = base_url.removeprefix("http://").split(":")
    cli.print_demo(info, host, int(port))
    banner = capsys.readouterr().out.splitlines()
    sign_in, read, repair = [line for line in banner if line.startswith(("TOKEN=", "curl "))]
    assert _cmi(json.loads(_bash(f"{sign_in}\n{read}"))) == [
        ("item_1", {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "92", "cmi.core.total_time": "0000:12:30.00"}),
        ("item_2", {"cmi.core.lesson_status": "incomplete", "cmi.core.score.raw": "", "cmi.core.total_time": "0000:05:10.50"}),
        ("item_3", {"cmi.core.lesson_status": "not attempted", "cmi.core.score.raw": "", "cmi.core.total_time": "0000:00:00.00"}),
    ]
    assert f"learner1's assignment_status_id (for EditScormData, GetEditHistory): {info.assignment_status_id}" in banner
    # The printed repair, with curl asked to add the HTTP status after the body.
    body, status = _bash(f"{sign_in}\n{repair} -w '\\n%{{http_code}}'").rsplit("\n", 1)
    assert (status, json.loads(body)) == ("200", {"api_error_entity": {"error_code": 0, "warning_messages": []}})
    with db.read() as s:
        sco = s.scalar(select(CoursewareSco).where(CoursewareSco.courseware_id == info.courseware_id,
                                                   CoursewareSco.sco_id == "item_2"))
        attempt = s.scalar(select(ScoAttempt).where(ScoAttempt.assignment_status_id == info.assignment_status_id,
                                                    ScoAttempt.sco_pk == sco.id))
        event = s.scalar(select(AuditEvent).where(AuditEvent.subject_id == f"{info.assignment_status_id}/item_2"))
    assert (attempt.lesson_status, attempt.score_raw) == ("completed", 88.0)
    assert (attempt.cmi["cmi.core.lesson_status"], attempt.cmi["cmi.core.score.raw"]) == ("completed", "88")
    assert event.reason == "ticket 4711: content crashed before saving"
    readme = _readme_repair(host, int(port), info)
    # The README's example is the banner's, and runs as written once the id is filled in.
    assert " ".join(readme.split()) == " ".join(f"{sign_in}\n{repair}".split())
    body, status = _bash(f"{readme} -w '\\n%{{http_code}}'").rsplit("\n", 1)
    assert (status, json.loads(body)["api_error_entity"]["error_code"]) == ("200", 0)


def _readme_repair(host: str, port: int, info) -> str:
    """The README's token and repair commands, on the test server, for learner1."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    block = next(b for b in readme.split("```sh\n")[1:] if "EditScormData" in b.split("```")[0]).split("```")[0]
    commands = "\n".join(line for line in block.replace("\\\n", " ").splitlines() if not line.startswith("#"))
    return (commands.replace("http://127.0.0.1:8000", f"http://{host}:{port}")
            .replace("ASSIGNMENT_STATUS_ID", str(info.assignment_status_id)))


@pytest.mark.parametrize("command, content_port, workers", [
    ("serve", None, None), ("serve", "free", None), ("serve", None, "2"), ("demo", None, None), ("demo", "free", None),
])
def test_the_real_command_serves_both_origins(data_dir, command, content_port, workers):
    """The console script end to end: schema upgrade, factory import, the main
    origin on --port, the content origin on port + 1 or --content-port, with
    one worker process or several."""
    script = console_script()
    port = free_port_pair()
    second = free_port() if content_port else port + 1
    args = [str(script), command, "--port", str(port)] + (["--content-port", str(second)] if content_port else [])
    args += ["--workers", workers] if workers else []
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCORMAPI_")}
    env.update(SCORMAPI_DATA_DIR=str(data_dir), SCORMAPI_ARGON2_TIME_COST="1", SCORMAPI_ARGON2_MEMORY_KIB="8192")
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        r = wait_for(f"http://127.0.0.1:{port}/api/v1/AdminApi/ValidateAccessToken", proc)
        assert r.status_code == 403 and r.json()["api_error_entity"]["error_code"] == 3
        assert httpx.get(f"http://127.0.0.1:{port}/login").status_code == 200
        content = httpx.get(f"http://127.0.0.1:{second}/api/v1/ScormRuntime/DataModel")
        assert content.status_code == 200 and "data_model" in content.json()
        # Each origin serves only its own.
        assert httpx.get(f"http://127.0.0.1:{second}/login").status_code == 404
        assert httpx.post(f"http://127.0.0.1:{port}/api/v1/ScormRuntime/Commit", json={}).status_code == 404
        assert (data_dir / "scormapi.db").is_file()
    finally:
        stop(proc)


def test_db_prune_deletes_spent_tokens(data_dir, local_db):
    assert invoke("db", "upgrade").exit_code == 0
    with local_db.write() as s:
        user = directory.create_user(s, "pruned", "long enough", directory.root(s), "P", "Q")
        s.flush()
        spent = issue_token(s, user.id, datetime.now(UTC) - timedelta(days=3))
        live = issue_token(s, user.id, None)
    packages = Settings().packages_dir
    packages.mkdir(parents=True, exist_ok=True)
    abandoned = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=packages))
    os.utime(abandoned, (0, 0))
    r = invoke("db", "prune", "--keep-days", "1")
    assert r.exit_code == 0, r.output
    assert "Deleted 1 spent tokens, 0 stale sign-in counts and 1 abandoned import folders." in r.output
    assert not abandoned.exists()
    with local_db.read() as s:
        left = set(s.scalars(select(AccessToken.token_hash)))
    assert left == {token_hash(live)} and token_hash(spent) not in left
