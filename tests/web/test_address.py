"""NUL never reaches a database from an address or a form: refused with 422
before routing (path, query), or answered as what it is (a login)."""
from __future__ import annotations

import pytest

from tests.player.helpers import csrf_field

# A fixed id: parametrized ids must be the same in every test worker.
STATUS = "0b5c2f0e-8f4a-4c6e-9a51-6d2b7e3c1f90"
REFUSED = {"api_error_entity": {
    "error_code": 2,
    "error_message": "Invalid request: the address must not contain the NUL character (U+0000)",
    "warning_messages": [],
}}


@pytest.mark.parametrize("target", [
    f"/learn/play/{STATUS}?sco=item%001",
    f"/learn/play/{STATUS}/item%00",
    "/login?next=/learn%00",
    "/api/v1/ScormApi/GetCmiData?page=1&x=%00",
])
def test_nul_in_an_address_is_refused(http, target):
    r = http.get(target)
    assert (r.status_code, r.json()) == (422, REFUSED)


@pytest.mark.parametrize("target", ["/run/%00", "/content/%00/index.html", "/content/key/index%00.html"])
def test_nul_in_a_content_address_is_refused(content_http, target):
    r = content_http.get(target)
    assert (r.status_code, r.json()) == (422, REFUSED)


def test_an_address_without_nul_is_routed_as_usual(http):
    assert http.get("/login?next=/learn%2500").status_code == 200


def test_nul_in_the_sign_in_form_is_a_wrong_login(http, world):
    form = http.get("/login")
    r = http.post("/login", data={"login": "learner\x00x", "password": "p", "csrf_token": csrf_field(form.text), "next": "/learn"})
    assert r.status_code == 401 and "The login or password is not correct." in r.text
