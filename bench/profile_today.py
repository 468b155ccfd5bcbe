"""Where the time goes in a repeat visit to a demo patient's Today page (the request the load bench repeats).

Signs a demo patient in through the login form, warms the page, then runs it --requests times under cProfile and
prints each part's share of the app's own time (session and sign-in loading, CSRF, template rendering, the
per-process Today cache, database, response hooks), followed by the costliest functions. Run from the repository root:

    .venv/bin/python -m bench.profile_today [--requests 300] [--top 25] [--cpu]

Uses a temporary SQLite file unless BENCH_DATABASE_URL names an (empty, disposable) database; a repeat visit reads
one row, so the database matters little here.
"""
import argparse
import cProfile
import io
import os
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

from sqlmodel import Session, SQLModel

PATIENT = "dana@demo.clinic"
DEMO_PASSWORD = "homework-demo-2026"

# (label, file path ending, function name): inclusive time of these functions; parts may nest (CSRF inside templates).
PARTS = (
    ("whole request (Flask.wsgi_app)", "flask/app.py", "wsgi_app"),
    ("session cookie: open", "flask/sessions.py", "open_session"),
    ("session cookie: save", "flask/sessions.py", "save_session"),
    ("sign-in: load user (Flask-Login)", "flask_login/login_manager.py", "_load_user"),
    ("before_request hooks", "flask/app.py", "preprocess_request"),
    ("after_request hooks", "flask/app.py", "process_response"),
    ("CSRF: protect (before request)", "flask_wtf/csrf.py", "protect"),
    ("CSRF: token for the page", "flask_wtf/csrf.py", "generate_csrf"),
    ("Today view", "app/today/routes.py", "index"),
    ("Today cache lookup", "app/today/snapshot.py", "get"),
    ("agenda (rules over kept rows)", "app/today/agenda.py", "build_agenda"),
    ("due questionnaires", "app/checkins/services.py", "due_questionnaires"),
    ("template rendering", "flask/templating.py", "render_template"),
    ("url_for", "flask/helpers.py", "url_for"),
    ("static_url", "app/pwa/static_files.py", "static_url"),
    ("database: execute", "sqlalchemy/orm/session.py", "execute"),
    ("database: session close/rollback", "app/db.py", "_close_session"),
    ("gzip", "app/pwa/static_files.py", "_compress"),
    ("request log line", "app/security/request_log.py", "_finish"),
)


def _app(url: str):
    from app import create_app, demo

    application = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-profile"})
    engine = application.extensions["engine"]
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as db:
        demo.seed(db)
    return application


def _signed_in_client(application):
    client = application.test_client()
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page)
    response = client.post("/login", data={"email": PATIENT, "password": DEMO_PASSWORD, "csrf_token": token.group(1)})
    if response.status_code != 302:
        raise SystemExit(f"could not sign in {PATIENT}: {response.status_code}")
    return client


def _inclusive(stats: pstats.Stats, path_end: str, name: str) -> float:
    """Cumulative seconds of every function with this name in a file ending so (the largest, if several)."""
    found = [ct for (path, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items()
             if func == name and path.replace(os.sep, "/").endswith(path_end)]
    return max(found, default=0.0)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--cpu", action="store_true",
                        help="profile CPU time (steadier on a busy machine) instead of wall-clock time (which shows "
                             "waits for the database)")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(directory) / 'profile.db'}"
        application = _app(url)
        client = _signed_in_client(application)
        headers = {"Accept-Encoding": "gzip"}
        for _ in range(20):
            assert client.get("/today", headers=headers).status_code == 200
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(options.requests):
            client.get("/today", headers=headers)
        plain = (time.perf_counter() - started) / options.requests
        plain_cpu = (time.process_time() - cpu) / options.requests
        profiler = cProfile.Profile(time.process_time if options.cpu else time.perf_counter)
        profiler.enable()
        for _ in range(options.requests):
            client.get("/today", headers=headers)
        profiler.disable()
        application.extensions["engine"].dispose()

    stats = pstats.Stats(profiler)
    whole = _inclusive(stats, "flask/app.py", "wsgi_app")
    clock = "CPU" if options.cpu else "wall-clock"
    print(f"{options.requests} repeat visits to Today without the profiler: {plain * 1000:.2f} ms wall-clock, "
          f"{plain_cpu * 1000:.2f} ms CPU each (test client included)")
    print(f"under cProfile ({clock} time): the app's own time is {whole / options.requests * 1000:.2f} ms")
    print(f"{'part (inclusive; parts nest)':<40}{'ms/request':>11}{'share':>8}")
    for label, path_end, name in PARTS:
        seconds = _inclusive(stats, path_end, name)
        print(f"{label:<40}{seconds / options.requests * 1000:>11.3f}{seconds / whole:>8.0%}")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(options.top)
        print(f"\n== top {options.top} by {order}")
        print(out.getvalue().split("\n", 6)[-1].rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
