"""One page of an answer stays bounded in memory: pages of large items hold
fewer of them, and X-Per-Page says how many."""
from __future__ import annotations

from tests.api.scorm_helpers import edit, get_cmi, history


def test_get_cmi_data_fits_its_page_to_the_names_asked_for(world):
    course = world.course(scos=50)
    names = [f"cmi.interactions.{i}.id" for i in range(500)]
    first = get_cmi(world, course, names, params={"per_page": 1000})
    assert first.status_code == 200
    # 20,000 values a page: 40 SCOs of 500 names.
    assert (first.headers["x-per-page"], first.headers["x-total-count"], len(first.json())) == ("40", "50", 40)
    second = get_cmi(world, course, names, params={"per_page": 1000, "page": 2})
    assert len(second.json()) == 10
    assert {item["sco_id"] for item in first.json() + second.json()} == {f"item_{n}" for n in range(1, 51)}


def test_a_few_names_keep_the_contracts_page_sizes(world):
    course = world.course(scos=3)
    r = get_cmi(world, course, ["cmi.core.lesson_status"] * 20, params={"per_page": 1000})
    assert (r.headers["x-per-page"], len(r.json())) == ("1000", 3)


def test_edit_history_pages_hold_at_most_100_edits(world):
    course = world.course(scos=1)
    for n in range(3):
        assert edit(world, course, lesson_location=f"page {n}").status_code == 200
    r = history(world, course, params={"per_page": 1000})
    assert (r.headers["x-per-page"], r.headers["x-total-count"], len(r.json())) == ("100", "3", 3)
