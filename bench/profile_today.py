"""Where the time goes in a repeat visit to a demo patient's Today page (the request the load bench repeats).

Signs a demo patient in through the login form and warms the page; measures the CPU time of a Today request and of a
hello-world Flask app, both called as WSGI apps in this process (steadier than wrk's figures on a busy machine: it
counts only this process's own work); then runs Today --requests times under
cProfile and prints each part's share (session and sign-in loading, CSRF, template rendering, the per-process Today
cache, database, response hooks), followed by the costliest functions. Run from the repository root:

    .venv/bin/python -m bench.profile_today [--requests 300] [--top 25] [--cpu]

Uses a temporary SQLite file unless BENCH_DATABASE_URL names an (empty, disposable) database; a repeat visit reads
one row, so the database matters little here.
"""
import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

from sqlmodel import Session, SQLModel

from bench import signed_in_client

PATIENT = "dana@demo.clinic"
DEMO_PASSWORD = "homework-demo-2026"
USER_AGENT = "bench-profile"

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


def _inclusive(stats: pstats.Stats, path_end: str, name: str) -> float:
    """Cumulative seconds of every function with this name in a file ending so (the largest, if several)."""
    found = [ct for (path, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items()
             if func == name and path.replace(os.sep, "/").endswith(path_end)]
    return max(found, default=0.0)


def _wsgi_caller(application, path: str, headers: dict):
    """Call the WSGI app directly (no test client in the measurement) with a fresh environ each time."""
    from werkzeug.test import EnvironBuilder

    template = EnvironBuilder(path=path, headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_environ()
    statuses = []

    def start_response(status, _headers, _exc_info=None):
        statuses.append(status)

    def call() -> str:
        environ = dict(template, **{"wsgi.input": io.BytesIO()})
        body = application(environ, start_response)
        for _chunk in body:
            pass
        if hasattr(body, "close"):
            body.close()
        return statuses.pop()

    return call


def _cpu_per_call(call, count: int) -> float:
    started = time.process_time()
    for _ in range(count):
        call()
    return (time.process_time() - started) / count


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--cpu", action="store_true",
                        help="profile CPU time (steadier on a busy machine) instead of wall-clock time (which shows "
                             "waits for the database)")
    options = parser.parse_args(argv)
    from bench.load import hello_app

    with tempfile.TemporaryDirectory() as directory:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(directory) / 'profile.db'}"
        application = _app(url)
        client = signed_in_client(application, PATIENT, DEMO_PASSWORD, user_agent=USER_AGENT)
        client.get("/today")  # the page puts the form token in the cookie, as on a phone
        cookie = client.get_cookie("session").value
        headers = {"Cookie": f"session={cookie}", "Accept-Encoding": "gzip", "User-Agent": USER_AGENT}
        today = _wsgi_caller(application, "/today", headers)
        hello = _wsgi_caller(hello_app(), "/", headers)
        for _ in range(20):
            if (status := today()) != "200 OK":
                raise SystemExit(f"/today answered {status}")
            hello()
        rounds = [(_cpu_per_call(hello, options.requests), _cpu_per_call(today, options.requests)) for _ in range(3)]
        hello_cpu = min(h for h, _ in rounds)
        today_cpu = min(t for _, t in rounds)
        profiler = cProfile.Profile(time.process_time if options.cpu else time.perf_counter)
        profiler.enable()
        for _ in range(options.requests):
            today()
        profiler.disable()
        application.extensions["engine"].dispose()

    stats = pstats.Stats(profiler)
    whole = _inclusive(stats, "flask/app.py", "wsgi_app")
    print(f"CPU per request, WSGI app called directly (best of 3 x {options.requests}): Today {today_cpu * 1000:.2f} ms, "
          f"hello world {hello_cpu * 1000:.3f} ms (a server such as gunicorn adds the same fixed cost to each)")
    clock = "CPU" if options.cpu else "wall-clock"
    print(f"under cProfile ({clock} time) a Today request takes {whole / options.requests * 1000:.2f} ms:")
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
