"""Fixtures for the package tests: where the real SCORM packages live.

The real packages are third-party content kept outside the project. They are
found through SCORMAPI_FIXTURES (a relative value is read from the project
root), by default ../shared/fixtures/scorm next to the project. Without them
the tests that need them skip with the reason, except under CI=true, where a
missing folder means a broken setup and fails loudly instead.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FIXTURES = Path("..") / "shared" / "fixtures" / "scorm"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _missing(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"{reason} (CI=true: real SCORM fixtures are required)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def scorm_fixtures_dir() -> Path:
    """The folder holding the real SCORM packages (skips or fails if absent)."""
    configured = Path(os.environ.get("SCORMAPI_FIXTURES") or DEFAULT_FIXTURES)
    folder = configured if configured.is_absolute() else (PROJECT_ROOT / configured).resolve()
    if not folder.is_dir():
        _missing(f"real SCORM packages not found at {folder}; set SCORMAPI_FIXTURES to their folder")
    return folder


@pytest.fixture(scope="session")
def scorm_fixture(scorm_fixtures_dir: Path) -> Callable[[str], Path]:
    """Path of one real package by file name, with the same skip/fail rule."""

    def find(name: str) -> Path:
        path = scorm_fixtures_dir / name
        if not path.is_file():
            _missing(f"real SCORM package {name} not found in {scorm_fixtures_dir}")
        return path

    return find
