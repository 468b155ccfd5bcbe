"""Load benchmark: the app under gunicorn on PostgreSQL, driven by mixed patient and therapist traffic from other
processes for a bounded time, against a hello-world Flask app served the same way in the same run.

Prints requests per second, p50/p95/p99 latency and errors per scenario, and the Today page's throughput as a
fraction of hello-world's (goal: >= 0.2, and zero errors). Run from the repository root:

    /work/main/.venv/bin/python -m bench.load --seconds 10 --workers 4 --clients 8

Needs a PostgreSQL server (BENCH_POSTGRES_SERVER, default postgresql://root@127.0.0.1:5432/test) on which it
creates and afterwards drops a database of its own.
"""
import argparse
import multiprocessing
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
from sqlmodel import Session, SQLModel

ROOT = Path(__file__).resolve().parent.parent
GOAL_TODAY_RATIO = 0.2
DEMO_PASSWORD = "homework-demo-2026"
PATIENTS = ["dana@demo.clinic", "sam@demo.clinic", "jordan@demo.clinic"]
THERAPIST = "therapist@demo.clinic"


def hello_app():
    """The baseline: the smallest Flask app, served by the same gunicorn settings."""
    from flask import Flask

    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "Hello, world!")
    return hello


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(target: str, *, workers: int, env: dict, chdir: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--chdir", str(chdir), target],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/", timeout=1)
            return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start for {target}")


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def _signed_in(base: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page.text)
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token.group(1)})
    if response.status_code != 302:
        raise RuntimeError(f"could not sign in {email}: {response.status_code}")
    return client


def _paths_for(client: httpx.Client, role: str) -> list[str]:
    if role == "patient":
        return ["/today"] * 6 + ["/week", "/practice"]
    if role == "today":
        return ["/today"]
    patients = re.findall(r'href="/patients/(\d+)"', client.get("/patients").text)
    return ["/patients", "/clinic/today"] + [f"/patients/{p}/homework" for p in patients] + [f"/patients/{p}/tms" for p in patients]


def _drive(base: str, role: str, email: str | None, seconds: float, queue) -> None:
    """One client process: sign in, then request its role's pages round-robin until time is up."""
    result = Result()
    client = _signed_in(base, email) if email else httpx.Client(base_url=base, timeout=30)
    paths = ["/"] if role == "hello" else _paths_for(client, role)
    random.Random(os.getpid()).shuffle(paths)
    end = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < end:
        path = paths[i % len(paths)]
        i += 1
        started = time.perf_counter()
        try:
            status = client.get(path).status_code
        except httpx.TransportError as error:
            status = type(error).__name__
        result.latencies.append(time.perf_counter() - started)
        if status != 200:
            result.errors += 1
            result.error_kinds[f"{path}: {status}"] = result.error_kinds.get(f"{path}: {status}", 0) + 1
    client.close()
    queue.put(result)


def _run(name: str, base: str, drivers: list[tuple[str, str | None]], seconds: float) -> dict:
    queue = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=_drive, args=(base, role, email, seconds, queue)) for role, email in drivers]
    started = time.perf_counter()
    for process in processes:
        process.start()
    results = [queue.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(x for r in results for x in r.latencies)
    kinds: dict[str, int] = {}
    for r in results:
        for kind, count in r.error_kinds.items():
            kinds[kind] = kinds.get(kind, 0) + count
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {"name": name, "requests": len(latencies), "rps": len(latencies) / seconds, "elapsed": elapsed,
            "p50": quantiles[49] * 1000, "p95": quantiles[94] * 1000, "p99": quantiles[98] * 1000,
            "errors": sum(r.errors for r in results), "error_kinds": kinds}


def _create_database(server: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def _drop_database(server: str, name: str) -> None:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _seed(database_url: str) -> None:
    import app.models  # noqa: F401  (all tables)
    from app import demo
    from app.config import normalise_database_url
    from app.db import make_engine

    engine = make_engine(normalise_database_url(database_url))
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as db:
        demo.seed(db)
    engine.dispose()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each scenario")
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2), help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=6, help="client processes driving traffic")
    options = parser.parse_args(argv)
    server = os.environ.get("BENCH_POSTGRES_SERVER", "postgresql://root@127.0.0.1:5432/test")
    name = _create_database(server)
    database_url = server.rsplit("/", 1)[0] + "/" + name
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "bench-" + uuid.uuid4().hex}
    rows = []
    try:
        _seed(database_url)
        hello, hello_base = _serve("bench.load:hello_app()", workers=options.workers, env=env, chdir=ROOT)
        try:
            rows.append(_run("hello world", hello_base, [("hello", None)] * options.clients, options.seconds))
        finally:
            _stop(hello)
        clinic, base = _serve("app:create_app()", workers=options.workers, env=env, chdir=ROOT)
        try:
            patients = [("today", PATIENTS[i % len(PATIENTS)]) for i in range(options.clients)]
            rows.append(_run("patient Today", base, patients, options.seconds))
            mixed = [("therapist", THERAPIST) if i % 3 == 2 else ("patient", PATIENTS[i % len(PATIENTS)])
                     for i in range(options.clients)]
            rows.append(_run("mixed patients + therapist", base, mixed, options.seconds))
        finally:
            _stop(clinic)
    finally:
        _drop_database(server, name)

    print(f"gunicorn --workers {options.workers}, {options.clients} client processes, {options.seconds:g}s per scenario, "
          f"PostgreSQL, {os.cpu_count()} CPUs")
    print(f"{'scenario':<28}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for row in rows:
        print(f"{row['name']:<28}{row['requests']:>9}{row['rps']:>9.1f}{row['p50']:>9.1f}{row['p95']:>9.1f}"
              f"{row['p99']:>9.1f}{row['errors']:>8}")
        for kind, count in row["error_kinds"].items():
            print(f"    {count} x {kind}")
    ratio = rows[1]["rps"] / rows[0]["rps"]
    errors = sum(row["errors"] for row in rows)
    print(f"patient Today / hello world throughput: {ratio:.2f} (goal >= {GOAL_TODAY_RATIO}) "
          f"{'met' if ratio >= GOAL_TODAY_RATIO else 'NOT met'}; errors: {errors} (goal 0)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
