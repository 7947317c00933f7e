"""Fixtures the contract tests share."""
from __future__ import annotations

import pytest


@pytest.fixture()
def mid(world):
    """The organization a test's course lives in: a child of the world's
    top, so permission matrices can place grants above, beside and below
    it (scorm_helpers.PLACES)."""
    return world.org(world.top)
