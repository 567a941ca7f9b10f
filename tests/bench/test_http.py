"""The benchmark's own arithmetic: reading wrk's report and the ratios to the baseline. (The
benchmark itself runs with `make bench`, never in the suite: speeds are not assertions.)"""

import pytest

from bench.http import Row, add_ratios, milliseconds, parse_wrk

REPORT = """Running 10s test @ http://127.0.0.1:40000/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    10.52ms    2.01ms  40.12ms   80.00%
    Req/Sec   745.10     50.20     0.86k    70.00%
  Latency Distribution
     50%   10.04ms
     75%   11.20ms
     90%   12.90ms
     99%   15.30ms
  14890 requests in 10.00s, 40.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 3
Requests/sec:   1488.90
Transfer/sec:      4.00MB
"""


def test_reads_rates_latencies_and_errors():
    result = parse_wrk(REPORT)
    assert result["requests"] == 14890 and result["requests_per_s"] == 1488.9
    assert result["latency_p50_ms"] == pytest.approx(10.04)
    assert result["latency_p99_ms"] == pytest.approx(15.3)
    assert result["non_2xx_3xx"] == 3
    assert result["socket_errors"] == {"connect": 0, "read": 2, "write": 0, "timeout": 1}


def test_a_clean_report_has_no_error_lines():
    errors = ("Socket errors", "Non-2xx")
    clean = "\n".join(line for line in REPORT.splitlines() if not line.strip().startswith(errors))
    result = parse_wrk(clean)
    assert result["non_2xx_3xx"] == 0 and not any(result["socket_errors"].values())


def test_units_and_an_unreadable_report():
    assert milliseconds("850.00us") == pytest.approx(0.85)
    assert milliseconds("1.20s") == pytest.approx(1200)
    with pytest.raises(ValueError, match="could not read"):
        parse_wrk("wrk: connection refused")


def test_ratios_are_to_the_named_baseline_and_say_if_the_target_is_met():
    rows = [
        Row("story", "/s/", baseline="fortunes", target=0.5),
        Row("cached story", "/s/", baseline="hello world", target=0.8),
        Row("fortunes", "/f/"),
        Row("hello world", "/h/"),
    ]
    results = [
        {"label": "story", "requests_per_s": 100.0},
        {"label": "cached story", "requests_per_s": 900.0},
        {"label": "fortunes", "requests_per_s": 1000.0},
        {"label": "hello world", "requests_per_s": 1000.0},
    ]
    add_ratios(results, rows)
    assert results[0]["ratio"] == 0.1 and results[0]["target_met"] is False
    assert results[1]["ratio"] == 0.9 and results[1]["target_met"] is True
    assert "ratio" not in results[2]
