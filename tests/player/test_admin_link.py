"""My courses offers the way to the administration pages to a user who
holds an administrative permission, and to no one else."""
from __future__ import annotations

from contextlib import closing

from scormapi.auth.permissions import Permission
from tests.console.helpers import text_of
from tests.player.helpers import sign_in

LINK = '<a href="/admin">Administration</a>'


def test_an_administrator_without_assignments_is_shown_the_way_to_administration(world, base_url):
    with closing(sign_in(base_url, world.admin.login)) as client:
        r = client.get("/learn")
        assert r.status_code == 200
        assert LINK in r.text
        assert "Administration: the pages for the organizations you administer. You have no assignments yet." in text_of(r.text)
        assert client.get("/admin").status_code == 200


def test_any_single_permission_is_enough(world, base_url):
    viewer = world.user(permissions={world.top: (Permission.VIEW_AUDIT_LOG,)})
    with closing(sign_in(base_url, viewer.login)) as client:
        assert LINK in client.get("/learn").text


def test_a_learner_is_not_offered_it(world, base_url):
    course = world.course(scos=1)
    with closing(sign_in(base_url, course.learner.login)) as client:
        r = client.get("/learn")
    assert r.status_code == 200
    assert course.assignment.title in r.text
    assert "/admin" not in r.text and "Administration" not in r.text
