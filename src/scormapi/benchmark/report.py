"""What a run prints and saves: the machine, the table, ratios to the ceiling."""
from __future__ import annotations

import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
from dataclasses import asdict
from pathlib import Path

from rich.table import Table
from sqlalchemy import text

from scormapi.benchmark.load import Options, Result
from scormapi.benchmark.manifest import Manifest
from scormapi.store.db import Database

COLUMNS = ("scenario", "req/s", "of ceiling", "p50 ms", "p99 ms", "errors", "peak RSS MB", "CPU ms/req", "other cores", "what")


def machine(database_url: str) -> dict[str, str]:
    """Where the figures come from: hardware, software, database."""
    return {
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": f"{_mem_total_gib():.1f} GiB",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "database": database_version(database_url),
        "wrk": _wrk_version(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _wrk_version() -> str:
    if shutil.which("wrk") is None:
        return "absent"
    # wrk has no --version: its usage text starts with it, on stdout or stderr.
    done = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    first = (done.stdout or done.stderr).splitlines()
    return first[0].split("Copyright")[0].removeprefix("wrk").strip() if first else "unknown"


def database_version(url: str) -> str:
    if url.startswith("sqlite"):
        return f"SQLite {sqlite3.sqlite_version}"
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            full = conn.execute(text("select version()")).scalar_one()
    finally:
        db.dispose()
    return re.split(r" on | \(", full)[0]


def ratio(result: Result, ceiling: Result | None) -> float | None:
    if ceiling is None or not ceiling.rps or result is ceiling:
        return None
    return result.rps / ceiling.rps


def _ceiling(results: list[Result]) -> Result | None:
    return next((r for r in results if r.name == "ceiling" and r.failure is None), None)


def rows(results: list[Result]) -> list[tuple[str, ...]]:
    """One row of text per scenario, in COLUMNS order."""
    top = _ceiling(results)
    out = []
    for r in results:
        share = ratio(r, top)
        out.append((
            r.name,
            f"{r.rps:,.0f}",
            "100%" if r is top else _share(share),
            _ms(r.p50_ms),
            _ms(r.p99_ms),
            str(r.errors),
            f"{r.rss_mb:.0f}" if r.rss_mb is not None else "-",
            f"{r.cpu_ms:.2f}" if r.cpu_ms is not None else "-",
            f"{r.other_cores:.2f}" if r.other_cores is not None else "-",
            r.failure or r.note,
        ))
    return out


def _share(share: float | None) -> str:
    return f"{share:.1%}" if share is not None else "-"


def _ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def rich_table(results: list[Result], title: str) -> Table:
    table = Table(title=title)
    for name in COLUMNS:
        table.add_column(name, justify="left" if name in ("scenario", "what") else "right")
    for row in rows(results):
        table.add_row(*row)
    return table


def markdown(results: list[Result]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows(results)]
    return "\n".join(lines)


def describe_run(manifest: Manifest, options: Options) -> str:
    return (
        f"{manifest.attempts:,} attempts ({manifest.learners:,} learners x {manifest.scos} SCOs), "
        f"{options.workers} worker(s), {options.connections} connections, {options.threads} wrk thread(s), "
        f"{options.duration:g} s per scenario, {min(options.samples, manifest.learners):,} learners picked from"
    )


def save(path: Path, manifest: Manifest, options: Options, results: list[Result], host: dict) -> None:
    document = {
        "run": describe_run(manifest, options),
        "attempts": manifest.attempts,
        "database": host.get("database"),
        "workers": options.workers,
        "machine": host,
        "results": [{**asdict(r), "rps": r.rps} for r in results],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")


def load_results(path: Path) -> tuple[dict, list[Result]]:
    document = json.loads(path.read_text())
    results = []
    for item in document["results"]:
        item = {k: v for k, v in item.items() if k != "rps"}
        results.append(Result(**item))
    return document, results


def run_label(document: dict) -> str:
    """A short column label for a saved run: "1M SQLite", "1M PostgreSQL 2w"."""
    attempts = document["attempts"]
    size = f"{attempts / 1e6:g}M" if attempts >= 1e6 else f"{attempts / 1e3:g}k" if attempts >= 1e3 else str(attempts)
    database = (document.get("database") or "").split(" ")[0]
    workers = f" {document['workers']}w" if document.get("workers", 1) > 1 else ""
    return f"{size} {database}{workers}".strip()


SIDE_BY_SIDE_LEGEND = "Each cell: req/s · share of that run's ceiling · p50 / p99 ms · peak RSS MB."


def side_by_side(runs: list[tuple[str, list[Result]]]) -> list[tuple[str, ...]]:
    """Per scenario, one cell per run (see SIDE_BY_SIDE_LEGEND)."""
    names = list(dict.fromkeys(r.name for _, results in runs for r in results))
    out = []
    for name in names:
        row = [name]
        for _, results in runs:
            found = next((r for r in results if r.name == name), None)
            row.append(_cell(found, _ceiling(results)) if found else "-")
        out.append(tuple(row))
    return out


def _cell(result: Result, ceiling: Result | None) -> str:
    share = "100%" if result is ceiling else _share(ratio(result, ceiling))
    rss = f"{result.rss_mb:.0f}" if result.rss_mb is not None else "-"
    return f"{result.rps:,.0f} · {share} · {_ms(result.p50_ms)} / {_ms(result.p99_ms)} · {rss}"


def side_by_side_markdown(runs: list[tuple[str, list[Result]]]) -> str:
    header = ["scenario"] + [label for label, _ in runs]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in side_by_side(runs)]
    return "\n".join(lines + ["", SIDE_BY_SIDE_LEGEND])
