"""The run-time page binds the API of the courseware's data model: the
scripts it loads and the table it embeds are its SCORM version's profile's."""
from __future__ import annotations

import json
import re

import httpx
import pytest
from sqlalchemy import update

from scormapi.cmi.scorm2004 import elements
from scormapi.store.models import Courseware
from tests.player.helpers import sign_in

SCRIPTS_12 = ["rules.js", "transport.js", "api12.js", "runtime.js"]
SCRIPTS_2004 = ["rules.js", "transport.js", "types2004.js", "interactions2004.js", "api2004.js", "runtime.js"]

def run_page(world, base_url, scorm_version: str) -> httpx.Response:
    """The run-time page of a course's first SCO, its courseware stored as ``scorm_version``."""
    course = world.course(scos=1)
    with world.db.write() as s:
        s.execute(update(Courseware).where(Courseware.id == course.courseware.id).values(scorm_version=scorm_version))
    learner = sign_in(base_url, course.learner.login)
    shell = learner.get(f"/learn/play/{course.assignment_status.id}", params={"sco": "item_1"})
    learner.close()
    code_url = re.search(r'<iframe id="lesson-frame"[^>]*\bsrc="([^"]+)"', shell.text).group(1)
    return httpx.get(code_url, timeout=30)


def scripts(page) -> list[str]:
    return re.findall(r'<script src="/player/static/([^"]+)"></script>', page.text)


def config(page) -> dict:
    return json.loads(re.search(r'<script id="scorm-launch" type="application/json">(.*?)</script>', page.text).group(1))


def test_a_12_run_loads_the_12_binding_and_table(world, base_url):
    page = run_page(world, base_url, "1.2")
    assert page.status_code == 200
    assert scripts(page) == SCRIPTS_12
    table = config(page)["table"]
    assert table["version"] == "3.4" and table["errors"]["405"] == "Incorrect data type"


def test_a_2004_run_loads_the_format_checks_and_the_2004_binding(world, base_url, settings):
    page = run_page(world, base_url, "2004")
    assert page.status_code == 200
    assert scripts(page) == SCRIPTS_2004
    launch = config(page)
    assert launch["table"] == elements.table_json(suspend_data_limit=settings.suspend_data_max)
    assert launch["table"]["version"] == "1.0" and launch["commit_url"] == "/api/v1/ScormRuntime/Commit"


@pytest.mark.parametrize("name", ["api2004.js", "types2004.js", "interactions2004.js"])
def test_the_2004_scripts_are_served_on_the_content_origin(content_http, name):
    r = content_http.get(f"/player/static/{name}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
