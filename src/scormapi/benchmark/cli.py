"""``scormapi bench``: seed a database, run the load benchmark, smoke-test both."""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from scormapi.benchmark import report
from scormapi.benchmark.load import MAX_LINES, SCENARIOS, Options, Result, WrkError, run_load
from scormapi.benchmark.manifest import Manifest
from scormapi.benchmark.seed import Plan, seed
from scormapi.config import Settings
from scormapi.store.db import Database

bench_app = typer.Typer(help="The benchmark: generate data, load the server, report.", no_args_is_help=True)
# Piped output (CI logs, `tee`) would otherwise wrap the table at 80 columns.
console = Console(width=None if sys.stdout.isatty() else 150)

# The smoke run: big enough to touch every code path, small enough for CI.
SMOKE_LEARNERS, SMOKE_SCOS, SMOKE_SECONDS = 50, 3, 2.0
# Cheap hashing for the smoke run only; `bench run` keeps production's cost.
CHEAP_ARGON2 = {"SCORMAPI_ARGON2_TIME_COST": "1", "SCORMAPI_ARGON2_MEMORY_KIB": "8192"}


def _settings(db_url: str | None, data_dir: Path | None = None) -> Settings:
    overrides = {}
    if db_url:
        overrides["database_url"] = db_url
    if data_dir:
        overrides["data_dir"] = data_dir
    return Settings(**overrides)


def _default_manifest(settings: Settings) -> Path:
    return settings.data_dir / "bench-manifest.json"


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn(), console=console,
    )


def seed_database(settings: Settings, plan: Plan, manifest_path: Path) -> Manifest:
    db = Database(settings.database_url_resolved)
    started = time.monotonic()
    try:
        with _progress() as bar:
            task = bar.add_task("attempts", total=plan.learners * plan.scos, rate="")

            def advance(count: int) -> None:
                bar.advance(task, count)
                done = bar.tasks[0].completed
                bar.update(task, rate=f"{done / max(time.monotonic() - started, 1e-6):,.0f}/s")

            return seed(db, settings, plan, manifest_path, advance)
    finally:
        db.dispose()


@bench_app.command("seed")
def seed_command(
    learners: int = typer.Option(10_000, min=1, help="Learners, each enrolled with one attempt per SCO."),
    scos: int = typer.Option(10, min=1, max=99, help="SCOs in the course."),
    db_url: str = typer.Option("", help="Database URL; default: SCORMAPI_DATABASE_URL or SQLite in the data dir."),
    manifest: Path = typer.Option(None, help="Where to write the bench manifest; default: <data dir>/bench-manifest.json."),
    batch: int = typer.Option(5000, min=1, help="Attempts per transaction."),
    samples: int = typer.Option(20_000, min=1, help="Learners the load run picks from (each gets a launch token)."),
):
    """Fill the database with a course, its learners and their attempts."""
    settings = _settings(db_url)
    path = manifest or _default_manifest(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    done = seed_database(settings, Plan(learners, scos, batch, samples), path)
    console.print(f"{done.attempts:,} attempts in {done.seed_seconds:.1f} s; manifest: {path}")


def _options(duration, warmup, connections, threads, workers, scenarios, samples, cold=False) -> Options:
    names = tuple(n.strip() for n in scenarios.split(",") if n.strip())
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        raise typer.BadParameter(f"unknown scenarios {unknown}; known: {', '.join(SCENARIOS)}")
    return Options(duration, warmup, connections, threads, workers, names, samples=samples, prewarm=not cold)


def _server_env(manifest: Manifest, settings: Settings, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"SCORMAPI_DATABASE_URL": manifest.database_url, "SCORMAPI_DATA_DIR": str(settings.data_dir), **(extra or {})}


def show(manifest: Manifest, options: Options, results: list[Result], host: dict) -> None:
    console.print(" · ".join(f"{k}: {v}" for k, v in host.items()))
    console.print(report.rich_table(results, report.describe_run(manifest, options)))


@bench_app.command("run")
def run_command(
    manifest: Path = typer.Option(None, help="The seed's manifest; default: <data dir>/bench-manifest.json."),
    db_url: str = typer.Option("", help="Override the manifest's database URL (same data, other address)."),
    duration: float = typer.Option(10.0, min=1, help="Measured seconds per scenario."),
    warmup: float = typer.Option(2.0, min=0, help="Unmeasured seconds before each scenario."),
    connections: int = typer.Option(16, min=1, help="Concurrent connections."),
    threads: int = typer.Option(1, min=1, help="wrk threads (each gets its own share of commit attempts)."),
    workers: int = typer.Option(1, min=1, help="uvicorn worker processes."),
    scenarios: str = typer.Option(",".join(SCENARIOS), help="Comma-separated scenarios, in order."),
    samples: int = typer.Option(MAX_LINES, min=1, help="Learners picked from (the manifest's first N)."),
    out: Path = typer.Option(None, help="Save the results as JSON here (for `bench compare`)."),
    cold: bool = typer.Option(False, help="Skip reading the sampled rows before measuring (figures of a cold cache)."),
):
    """Start the server and drive every scenario with wrk; print the table."""
    settings = _settings(db_url)
    loaded = Manifest.load(manifest or _default_manifest(settings))
    if db_url:
        loaded.database_url = db_url
    options = _options(duration, warmup, connections, threads, workers, scenarios, samples, cold)
    host = report.machine(loaded.database_url)
    try:
        results = run_load(loaded, options, _server_env(loaded, settings))
    except WrkError as exc:
        raise typer.Exit(_fail(str(exc)))
    show(loaded, options, results, host)
    console.print(report.markdown(results), markup=False, highlight=False, soft_wrap=True)
    if out:
        report.save(out, loaded, options, results, host)


def _fail(message: str) -> int:
    console.print(f"[red]{message}[/red]")
    return 1


@bench_app.command("compare")
def compare_command(runs: list[Path] = typer.Argument(..., help="Results saved by `bench run --out`.")):
    """Several saved runs side by side (e.g. 10,000 vs 1,000,000 attempts)."""
    loaded = []
    for path in runs:
        document, results = report.load_results(path)
        loaded.append((report.run_label(document), results))
    console.print(report.side_by_side_markdown(loaded), markup=False, highlight=False, soft_wrap=True)


def smoke_failures(results: list[Result]) -> list[str]:
    """Why a smoke run failed: a scenario with errors or without throughput."""
    problems = []
    for r in results:
        if r.failure:
            problems.append(f"{r.name}: {r.failure}")
        elif r.errors:
            problems.append(f"{r.name}: {r.errors} errors")
        elif r.requests == 0:
            problems.append(f"{r.name}: no request completed")
    return problems


@bench_app.command("smoke")
def smoke_command(
    db_url: str = typer.Option("", help="Database URL; default: a throwaway SQLite file."),
    duration: float = typer.Option(SMOKE_SECONDS, min=1, help="Seconds per scenario."),
):
    """A tiny seed and run (seconds): fails unless every scenario answered
    without errors. For CI; the figures mean nothing at this size."""
    with tempfile.TemporaryDirectory(prefix="scormapi-smoke-") as tmp:
        work = Path(tmp)
        settings = _settings(db_url, work).model_copy(update={"argon2_time_cost": 1, "argon2_memory_kib": 8192})
        manifest = seed_database(settings, Plan(SMOKE_LEARNERS, SMOKE_SCOS), work / "bench-manifest.json")
        options = Options(duration=duration, warmup=1.0)
        try:
            results = run_load(manifest, options, _server_env(manifest, settings, CHEAP_ARGON2), work)
        except WrkError as exc:
            raise typer.Exit(_fail(str(exc)))
        show(manifest, options, results, report.machine(manifest.database_url))
        problems = smoke_failures(results)
        if problems:
            _print_log(work / "server.log")
            raise typer.Exit(_fail("bench smoke failed:\n  " + "\n  ".join(problems)))
    console.print("bench smoke: every scenario answered, no errors")


def _print_log(path: Path) -> None:
    if path.exists():
        console.print(path.read_text()[-4000:], markup=False, highlight=False)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    bench_app()
