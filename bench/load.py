"""Load benchmark: the app under gunicorn on PostgreSQL, driven by `wrk` (a C client that is not the bottleneck),
against a hello-world Flask app served the same way in the same run.

Three scenarios, one after the other on the same machine: hello world, a demo patient's Today (signed-in cookie),
and mixed traffic (three patients' Today, Week and Practice; the therapist's caseload, day list and patient pages).
Prints requests per second, p50/p99 latency and errors for each, and Today's throughput as a fraction of hello
world's (goal: >= 0.3, and zero errors). Run from the repository root:

    .venv/bin/python -m bench.load [--seconds 10] [--workers 2] [--connections 16] [--threads 2] [--timeout 10]

Needs `wrk` (Debian package `wrk`: installed with apt-get when run as root) and a PostgreSQL server
(BENCH_POSTGRES_SERVER, default postgresql://root@127.0.0.1:5432/test) on which it creates and afterwards drops a
database of its own.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psycopg
from sqlmodel import Session, SQLModel

ROOT = Path(__file__).resolve().parent.parent
GOAL_TODAY_RATIO = 0.3
DEMO_PASSWORD = "homework-demo-2026"
PATIENTS = ["dana@demo.clinic", "sam@demo.clinic", "jordan@demo.clinic"]
THERAPIST = "therapist@demo.clinic"
USER_AGENT = "bench-load"
"""Flask-Login ties a session to the client's address and user agent: wrk sends the one the cookie was made with."""
WARM_UP_SECONDS = 2


def hello_app():
    """The baseline: the smallest Flask app, served by the same gunicorn settings."""
    from flask import Flask

    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "Hello, world!")
    return hello


def find_wrk() -> str | None:
    """wrk on PATH, else installed from Debian when we are root; None (and the caller says how) otherwise."""
    if found := shutil.which("wrk"):
        return found
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-qq", "wrk"]
        if subprocess.run(install, env=env, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
            subprocess.run(install, env=env, capture_output=True)
    return shutil.which("wrk")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(target: str, *, workers: int, env: dict) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--chdir", str(ROOT), target],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
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
    client = httpx.Client(base_url=base, timeout=30, headers={"User-Agent": USER_AGENT})
    page = client.get("/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page.text)
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token.group(1)})
    if response.status_code != 302:
        raise RuntimeError(f"could not sign in {email}: {response.status_code}")
    client.get(response.headers["location"])  # the home page puts the form token in the cookie, as on a phone
    return client


def _cookie(client: httpx.Client) -> str:
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def _therapist_paths(client: httpx.Client) -> list[str]:
    patients = re.findall(r'href="/patients/(\d+)"', client.get("/patients").text)
    return (["/patients", "/clinic/today"] + [f"/patients/{p}/homework" for p in patients]
            + [f"/patients/{p}/tms" for p in patients])


LUA = """
local requests = {}
for _, r in ipairs({%s}) do
  requests[#requests + 1] = wrk.format("GET", r[1], {["Cookie"] = r[2], ["User-Agent"] = "%s",
                                                      ["Accept-Encoding"] = "gzip"})
end
local i = math.random(#requests)
request = function()
  i = i %% #requests + 1
  return requests[i]
end
"""


def _script(directory: Path, requests: list[tuple[str, str]]) -> Path:
    """A wrk script sending these (path, cookie) requests round-robin, each thread from its own place."""
    rows = ", ".join(f'{{"{path}", "{cookie}"}}' for path, cookie in requests)
    path = directory / f"requests-{uuid.uuid4().hex[:6]}.lua"
    path.write_text(LUA % (rows, USER_AGENT))
    return path


def _duration_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> dict:
    """Requests/sec, p50/p99 (from --latency) and errors (non-2xx/3xx answers plus socket errors) from wrk's report."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write) (\d+)", output))
    errors += int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    timeouts = int(m.group(1)) if (m := re.search(r"timeout (\d+)", output)) else 0
    return {"rps": rps, "requests": requests, "p50": _duration_ms(latency["50"]), "p99": _duration_ms(latency["99"]),
            "errors": errors, "timeouts": timeouts}


def _wrk(wrk: str, base: str, options, *, script: Path | None = None, cookie: str = "", path: str = "/") -> dict:
    command = [wrk, f"-t{options.threads}", f"-c{options.connections}", f"--timeout={options.timeout}s", "--latency",
               "-H", f"User-Agent: {USER_AGENT}",
               "-H", "Accept-Encoding: gzip"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", str(script)]
    warm = subprocess.run(command + [f"-d{WARM_UP_SECONDS}s", base + path], capture_output=True, text=True)
    if warm.returncode != 0:
        raise RuntimeError(f"wrk failed: {warm.stderr.strip()}")
    measured = subprocess.run(command + [f"-d{options.seconds}s", base + path], capture_output=True, text=True,
                              check=True)
    try:
        return parse_wrk(measured.stdout)
    except (AttributeError, KeyError) as error:
        raise RuntimeError(f"could not read wrk's report:\n{measured.stdout}{measured.stderr}") from error


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


def _scenarios(wrk: str, options, env: dict, directory: Path) -> list[tuple[str, dict]]:
    rows = []
    hello, hello_base = _serve("bench.load:hello_app()", workers=options.workers, env=env)
    try:
        rows.append(("hello world", _wrk(wrk, hello_base, options)))
    finally:
        _stop(hello)
    clinic, base = _serve("app:create_app()", workers=options.workers, env=env)
    try:
        patients = {email: _signed_in(base, email) for email in PATIENTS}
        therapist = _signed_in(base, THERAPIST)
        rows.append(("patient Today", _wrk(wrk, base, options, cookie=_cookie(patients[PATIENTS[0]]), path="/today")))
        mixed = [(path, _cookie(client)) for client in patients.values()
                 for path in ["/today"] * 6 + ["/week", "/practice"]]
        mixed += [(path, _cookie(therapist)) for path in _therapist_paths(therapist)]
        rows.append(("mixed patients + therapist", _wrk(wrk, base, options, script=_script(directory, mixed))))
        for client in [*patients.values(), therapist]:
            client.close()
    finally:
        _stop(clinic)
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each scenario (after a short warm-up)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=16, help="open connections held by wrk")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--timeout", type=int, default=10, help="seconds before wrk counts a request as timed out")
    options = parser.parse_args(argv)
    wrk = find_wrk()
    if wrk is None:
        print("bench.load needs wrk: `apt-get install wrk` (Debian/Ubuntu, as root) or build it from "
              "https://github.com/wg/wrk, then run again.", file=sys.stderr)
        return 2
    server = os.environ.get("BENCH_POSTGRES_SERVER", "postgresql://root@127.0.0.1:5432/test")
    name = _create_database(server)
    database_url = server.rsplit("/", 1)[0] + "/" + name
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "bench-" + uuid.uuid4().hex}
    try:
        _seed(database_url)
        with tempfile.TemporaryDirectory() as directory:
            rows = _scenarios(wrk, options, env, Path(directory))
    finally:
        _drop_database(server, name)

    print(f"wrk -t{options.threads} -c{options.connections}, {options.seconds}s per scenario; gunicorn --workers "
          f"{options.workers}; PostgreSQL; {os.cpu_count()} CPUs shared by client and server")
    print(f"{'scenario':<28}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'timeouts':>9}")
    for name, row in rows:
        print(f"{name:<28}{row['requests']:>9}{row['rps']:>9.1f}{row['p50']:>9.1f}{row['p99']:>9.1f}{row['errors']:>8}"
              f"{row['timeouts']:>9}")
    ratio = rows[1][1]["rps"] / rows[0][1]["rps"]
    errors = sum(row["errors"] + row["timeouts"] for _, row in rows)
    print(f"patient Today / hello world throughput: {ratio:.2f} (goal >= {GOAL_TODAY_RATIO}) "
          f"{'met' if ratio >= GOAL_TODAY_RATIO else 'NOT met'}; errors and timeouts: {errors} (goal 0)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
