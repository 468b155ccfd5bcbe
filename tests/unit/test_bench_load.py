"""The load bench reads wrk's report: throughput, p50/p99 in any unit, and errors apart from timeouts."""
from bench.load import parse_wrk

REPORT = """Running 8s test @ http://127.0.0.1:40000/today
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    21.71ms   10.02ms 120.00ms   80.00%
  Latency Distribution
     50%  850.00us
     75%   12.00ms
     90%   40.00ms
     99%    1.20s 
  5600 requests in 8.01s, 20.00MB read
  Socket errors: connect 1, read 2, write 0, timeout 4
  Non-2xx or 3xx responses: 3
Requests/sec:    699.12
Transfer/sec:      2.50MB
"""


def test_reads_throughput_latency_and_errors():
    assert parse_wrk(REPORT) == {"rps": 699.12, "requests": 5600, "p50": 0.85, "p99": 1200.0, "errors": 6,
                                 "timeouts": 4}


def test_a_clean_run_has_no_errors():
    clean = REPORT.replace("  Socket errors: connect 1, read 2, write 0, timeout 4\n", "").replace(
        "  Non-2xx or 3xx responses: 3\n", "")
    assert parse_wrk(clean)["errors"] == 0 and parse_wrk(clean)["timeouts"] == 0
