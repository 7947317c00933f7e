"""The bench manifest: what a seed made, for the load run to use.

A small JSON file (credentials, ids, sizes) plus a JSON-lines file of sampled
learners, each with the ids every scenario needs and one attempt's launch
token. The load run turns samples into wrk request files.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

# GetCmiData asks every SCO for these ten elements: what an integrator's
# report reads (status, score, time, location, answers), keywords included.
ELEMENT_NAMES = (
    "cmi.core.lesson_status",
    "cmi.core.score.raw",
    "cmi.core.score.min",
    "cmi.core.score.max",
    "cmi.core.total_time",
    "cmi.core.lesson_location",
    "cmi.core.credit",
    "cmi.core.entry",
    "cmi.interactions._count",
    "cmi.interactions.0.result",
)


@dataclass(frozen=True)
class Sample:
    """One learner the load run may pick, with one of their attempts."""

    login: str
    enrollment_id: str
    assignment_status_id: str
    sco_id: str
    attempt_id: str
    launch_token: str


@dataclass
class Manifest:
    database_url: str
    admin_token: str
    assignment_id: str
    learner_password: str
    learners: int
    scos: int
    attempts: int
    seed_seconds: float
    samples_file: str
    element_names: list[str] = field(default_factory=lambda: list(ELEMENT_NAMES))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        return cls(**json.loads(path.read_text()))

    def samples(self) -> list[Sample]:
        with open(self.samples_file) as lines:
            return [Sample(**json.loads(line)) for line in lines if line.strip()]


def write_samples(path: Path, samples: list[Sample]) -> None:
    with open(path, "w") as out:
        for sample in samples:
            out.write(json.dumps(asdict(sample)) + "\n")
