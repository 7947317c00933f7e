"""The benchmark's table, ratios, comparison and smoke verdict."""
from __future__ import annotations

from scormapi.benchmark import report
from scormapi.benchmark.cli import smoke_failures
from scormapi.benchmark.load import Result


def _result(name: str, requests: int, p50: float = 1.0, p99: float = 2.0, errors: int = 0, rss: float | None = 80.0):
    return Result(name, f"{name} note", requests=requests, seconds=10.0, errors=errors, p50_ms=p50, p99_ms=p99, rss_mb=rss)


RESULTS = [
    _result("ceiling", 200_000, 0.4, 0.9),
    _result("GetCmiData", 50_000, 3.0, 12.5),
    _result("Authenticate", 100, 900.0, 1500.0, rss=None),
]


def test_rows_state_rate_ratio_latency_errors_memory():
    rows = report.rows(RESULTS)
    assert rows[0][:7] == ("ceiling", "20,000", "100%", "0.40", "0.90", "0", "80")
    assert rows[1][:7] == ("GetCmiData", "5,000", "25.0%", "3.00", "12.5", "0", "80")
    assert rows[2][2] == "0.1%" and rows[2][6] == "-"
    assert rows[0][7] == "-"


def test_without_a_ceiling_no_ratio_is_printed():
    rows = report.rows(RESULTS[1:])
    assert rows[0][2] == "-"


def test_a_failed_scenario_shows_why():
    failed = Result("commit", "note", errors=1, failure="pre-flight commit answered HTTP 409")
    row = report.rows([RESULTS[0], failed])[1]
    assert row[1] == "0" and row[5] == "1" and row[9] == failed.failure


def test_markdown_has_a_header_and_one_line_per_scenario():
    lines = report.markdown(RESULTS).splitlines()
    assert lines[0].startswith("| scenario | req/s | of ceiling")
    assert len(lines) == 2 + len(RESULTS)
    assert lines[3].startswith("| GetCmiData | 5,000 | 25.0% |")


def test_side_by_side_pairs_runs_per_scenario():
    small = [_result("GetCmiData", 40_000, 2.0, 9.0)]
    large = [_result("GetCmiData", 38_000, 2.2, 9.9), _result("commit", 20_000)]
    rows = report.side_by_side([("10,000", [RESULTS[0], *small]), ("1,000,000", large)])
    assert rows[0] == ("ceiling", "20,000 · 100% · 0.40 / 0.90 · 80", "-")
    assert rows[1] == ("GetCmiData", "4,000 · 20.0% · 2.00 / 9.00 · 80", "3,800 · - · 2.20 / 9.90 · 80")
    assert rows[2] == ("commit", "-", "2,000 · - · 1.00 / 2.00 · 80")


def test_side_by_side_markdown_has_one_column_per_run_and_a_legend():
    text = report.side_by_side_markdown([("10k SQLite", RESULTS), ("1M SQLite", RESULTS)])
    lines = text.splitlines()
    assert lines[0] == "| scenario | 10k SQLite | 1M SQLite |"
    assert lines[3] == "| GetCmiData | 5,000 · 25.0% · 3.00 / 12.5 · 80 | 5,000 · 25.0% · 3.00 / 12.5 · 80 |"
    assert lines[-1] == report.SIDE_BY_SIDE_LEGEND


def test_saved_results_load_back(tmp_path):
    from scormapi.benchmark.load import Options
    from scormapi.benchmark.manifest import Manifest

    manifest = Manifest("sqlite://", "t", "a", "p", 10, 2, 20, 0.1, str(tmp_path / "s.jsonl"))
    path = tmp_path / "run.json"
    report.save(path, manifest, Options(), RESULTS, {"database": "SQLite"})
    document, loaded = report.load_results(path)
    assert document["attempts"] == 20 and loaded == RESULTS


def test_smoke_fails_on_errors_failures_and_silence():
    ok = _result("ceiling", 10)
    assert smoke_failures([ok]) == []
    problems = smoke_failures([
        ok,
        _result("GetCmiData", 10, errors=3),
        _result("commit", 0),
        Result("Authenticate", "n", errors=1, failure="pre-flight Authenticate answered HTTP 403"),
    ])
    assert problems == [
        "GetCmiData: 3 errors",
        "commit: no request completed",
        "Authenticate: pre-flight Authenticate answered HTTP 403",
    ]


def test_run_labels_name_size_database_and_workers():
    assert report.run_label({"attempts": 1_000_000, "database": "PostgreSQL 15.18", "workers": 2}) == "1M PostgreSQL 2w"
    assert report.run_label({"attempts": 10_000, "database": "SQLite 3.40.1", "workers": 1}) == "10k SQLite"
    assert report.run_label({"attempts": 150, "database": None}) == "150"
