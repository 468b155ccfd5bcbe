"""Network scale benchmark: a clinic network on PostgreSQL, measured at two sizes in one run.

Builds a network (default 20 sites, 10,000 patients, each with a TMS course, two homework assignments and 90 days of
check-ins, completions, visits and weekly PHQ-9s; written with COPY, not the ORM), and the same network at a tenth of
the size (1,000 patients on a tenth of the sites, so a site, a caseload and a patient look alike at both sizes and
only the network grows). At each size it measures server time (the WSGI app called in this process, so the figure
is the server's own work and its database round trips), each against a baseline measured in the same run:

- one reminder-planning pass over the whole network (`plan_reminders`, the clock's `reminders-plan` job): the first
  pass, which writes the next day's reminders, and a repeat pass (what the clock does every 10 minutes), per active
  patient (one with a push device), against one trivial database round trip;
- the busiest site's day list (`/clinic/today`, a technician of that site), a 60-patient caseload (`/patients`) and
  one patient's Today (a first visit, which reads the database, and a repeat visit, served from the per-process
  snapshot), against `/healthz` (one query).

Goals: the planning pass grows no faster than linearly and takes under 1 ms per active patient; the day list,
the caseload and Today cost the same at 10,000 patients as at 1,000 (within 1.5x). Run from the repository root:

    .venv/bin/python -m bench.scale [--sites 20] [--patients 10000] [--small 1000] [--repeat 15]

`--small 0` skips the smaller network (no growth figures). Needs a PostgreSQL server (BENCH_POSTGRES_SERVER, default
postgresql://root@127.0.0.1:5432/test) on which it creates and afterwards drops a database per size.
"""
import argparse
import os
import random
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time as clock, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from bench import signed_in_client

PASSWORD = "bench-network-scale-2026"
CASELOAD = 60
"""Patients per therapist: the caseload the bench opens."""
COURSE_SESSIONS = 30
"""An acute course: 30 weekday visits (six weeks)."""
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Phoenix")
BUSIEST_SHARE = 1.5
"""The busiest site has this many times the average site's patients (the same size in the small network)."""
ACTIVE_SHARE = 0.8
"""Patients with a push device: those the planner plans for."""
GOAL_PLAN_MS_PER_PATIENT = 1.0
GOAL_LINEAR = 1.5
"""The planning pass per active patient may grow at most this much from the small network to the large one."""
GOAL_FLAT = 1.5
USER_AGENT = "bench-scale"


@dataclass
class Network:
    """What the measurements need to find in a built network."""

    sites: int
    patients: int
    active_patients: int
    rows: int
    patient_email: str
    therapist_email: str
    technician_email: str
    busiest_day: date
    """A weekday (today, or the next one): visits are on weekdays."""
    busiest_site_visits: int
    site_ids: list[int] = field(default_factory=list)


# Building: plain rows written in bulk (COPY on PostgreSQL), ids chosen here so no round trip is needed per row.


def _model_defaults(model: type[SQLModel]) -> dict[str, object]:
    """The model's field defaults (values and factories), worked out once per table: a column declared with
    sa_column carries no default of its own, so Core would leave it NULL."""
    found = {}
    for name, info in model.model_fields.items():
        if info.default_factory is not None:
            found[name] = info.default_factory()
        elif info.default is not None and name != "id" and not repr(info.default).startswith("PydanticUndefined"):
            found[name] = info.default
    return found


def bulk_insert(conn: Connection, model: type[SQLModel], rows: list[dict]) -> int:
    """Insert rows (dicts of column values; missing columns take the model's default, else the server's).
    PostgreSQL: COPY; elsewhere (the smoke test on SQLite): one executemany."""
    if not rows:
        return 0
    table: Table = model.__table__
    defaults = _model_defaults(model)
    given = set().union(*rows)
    names = [c.name for c in table.columns if c.name in given or c.name in defaults]
    full = [{name: row.get(name, defaults.get(name)) for name in names} for row in rows]
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), full)
        return len(rows)
    from psycopg.types.json import Json

    json_columns = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
    raw = conn.connection.driver_connection
    columns = ", ".join(f'"{name}"' for name in names)
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in full:
            copy.write_row([Json(row[n]) if n in json_columns else row[n] for n in names])
    return len(rows)


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """Ids were chosen here; later ORM inserts (reminders, sign-ins) continue after them."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                          f"coalesce((SELECT max(id) FROM \"{table.name}\"), 0) + 1, false)"))


class _Ids:
    """The next id per table, after any rows already there."""

    def __init__(self, conn: Connection, models) -> None:
        self._next = {m.__tablename__: conn.execute(text(f'SELECT coalesce(max(id), 0) FROM "{m.__tablename__}"')).scalar()
                      for m in models}

    def __call__(self, table: str) -> int:
        self._next[table] += 1
        return self._next[table]


def _weekdays_from(start: date, count: int) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def build_network(engine: Engine, *, sites: int, patients: int, days: int = 90, now: datetime | None = None,
                  seed: int = 7) -> Network:
    """A network of `sites` sites (site 0, the busiest, 1.5 times the average size), a therapist per 60 patients
    and a technician per site; each patient has one 30-visit TMS course that began somewhere in the last `days`
    days (or begins within two weeks), a daily mood check-in at 20:00 and a thought record after each visit, with
    `days` days of check-ins (85% of days), their completions, most post-visit records, and a weekly PHQ-9."""
    from app.auth.passwords import hash_password
    from app.models import (Assignment, AssignmentTiming, HomeworkCompletion, MoodCheckin, QuestionnaireResponse,
                            TmsCourse, TmsSession, User)
    from app.models import Site, StaffSite
    from app.models.push import PushSubscription

    rng = random.Random(seed)
    now = now or datetime.now(timezone.utc)
    today = now.date()
    password_hash = hash_password(PASSWORD)
    tables: dict[type[SQLModel], list[dict]] = {model: [] for model in (
        Site, User, StaffSite, TmsCourse, TmsSession, Assignment, AssignmentTiming, MoodCheckin, HomeworkCompletion,
        QuestionnaireResponse, PushSubscription)}
    with engine.connect() as conn:
        ids = _Ids(conn, tables)

    def add(model, **values) -> int:
        values.setdefault("id", ids(model.__tablename__))
        tables[model].append(values)
        return values["id"]

    busiest = patients if sites == 1 else round(BUSIEST_SHARE * patients / sites)
    per_site = [busiest] + [(patients - busiest) // (sites - 1)] * (sites - 1)
    per_site[-1] += patients - sum(per_site)
    tag = uuid.uuid4().hex[:6]
    site_zone = [ZONES[s % len(ZONES)] for s in range(sites)]
    technicians, therapists_by_site, site_ids = [], [], []
    for site in range(sites):
        site_ids.append(add(Site, name=f"Site {site} {tag}", timezone=site_zone[site], address=f"{site} Main Street"))
        technicians.append(add(User, email=f"tech{site}-{tag}@bench.example", name=f"Technician {site}",
                               role="technician", password_hash=password_hash, timezone=site_zone[site]))
        count = max(1, -(-per_site[site] // CASELOAD))
        therapists_by_site.append([
            add(User, email=f"ther{site}.{n}-{tag}@bench.example", name=f"Therapist {site}.{n}", role="therapist",
                password_hash=password_hash, timezone=site_zone[site]) for n in range(count)])
        for staff in [technicians[-1], *therapists_by_site[-1]]:
            add(StaffSite, user_id=staff, site_id=site_ids[-1])
    for therapist in [t for group in therapists_by_site for t in group]:
        add(PushSubscription, user_id=therapist, endpoint=f"https://push.bench.example/{therapist}-{tag}",
            p256dh="x" * 87, auth="y" * 22)
    first_patient, number, active = None, 0, 0
    for site in range(sites):
        tz = ZoneInfo(site_zone[site])
        for index in range(per_site[site]):
            therapist = therapists_by_site[site][index // CASELOAD]
            patient = add(User, email=f"p{number}-{tag}@bench.example", name=f"Patient {number:05d}", role="patient",
                          therapist_id=therapist, password_hash=password_hash, timezone=site_zone[site],
                          site_id=site_ids[site])
            number += 1
            first_patient = first_patient or patient
            if rng.random() < ACTIVE_SHARE or patient == first_patient:
                active += 1
                add(PushSubscription, user_id=patient, endpoint=f"https://push.bench.example/{patient}-{tag}",
                    p256dh="x" * 87, auth="y" * 22)
            _patient_history(add, rng, patient=patient, therapist=therapist, tz=tz, index=index, today=today,
                             days=days, now=now, models=(Assignment, AssignmentTiming, MoodCheckin, HomeworkCompletion,
                                                         QuestionnaireResponse, TmsCourse, TmsSession),
                             course_offset=0 if patient == first_patient else None)
    rows = 0
    with engine.begin() as conn:
        for model, model_rows in tables.items():
            rows += bulk_insert(conn, model, model_rows)
        _reset_sequences(conn, [model.__table__ for model in tables])
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
    users = tables[User]
    by_id = {row["id"]: row for row in users}
    busiest_tz = ZoneInfo(site_zone[0])
    day = now.astimezone(busiest_tz).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    site0 = {row["id"] for row in users if row.get("site_id") == site_ids[0]}
    visits = sum(1 for row in tables[TmsSession]
                 if row["patient_id"] in site0 and row["scheduled_at"].astimezone(busiest_tz).date() == day)
    return Network(
        sites=sites, patients=patients, active_patients=active, rows=rows,
        patient_email=by_id[first_patient]["email"], therapist_email=by_id[therapists_by_site[0][0]]["email"],
        technician_email=by_id[technicians[0]]["email"], busiest_day=day, busiest_site_visits=visits,
        site_ids=site_ids,
    )


def _patient_history(add, rng: random.Random, *, patient: int, therapist: int, tz: ZoneInfo, index: int, today: date,
                     days: int, now: datetime, models, course_offset: int | None) -> None:
    Assignment, AssignmentTiming, MoodCheckin, HomeworkCompletion, QuestionnaireResponse, TmsCourse, TmsSession = models
    first_day = today - timedelta(days=days)
    offset = course_offset if course_offset is not None else rng.randrange(-14, days)
    course_start = today - timedelta(days=offset)
    course = add(TmsCourse, patient_id=patient, label="Acute", protocol="standard", parameters={},
                 start_date=course_start, created_by_id=therapist, prescribed_sessions=COURSE_SESSIONS)
    mood = add(Assignment, patient_id=patient, created_by_id=therapist, kind="mood_checkin", title="Mood check-in",
               instructions="", start_date=first_day)
    add(AssignmentTiming, assignment_id=mood, effective_from=first_day, kind="daily", local_time=clock(20))
    record = add(Assignment, patient_id=patient, created_by_id=therapist, kind="thought_record",
                 title="Thought record", instructions="", start_date=course_start)
    add(AssignmentTiming, assignment_id=record, effective_from=course_start, kind="post_tms", window_hours=4)
    slot = clock(8 + (index % 20) // 2, 30 * (index % 2))  # twenty chairs' slots from 08:00
    for day in _weekdays_from(course_start, COURSE_SESSIONS):
        at = datetime.combine(day, slot, tz).astimezone(timezone.utc)
        past = at + timedelta(hours=1) < now
        missed = past and rng.random() < 0.08
        status = "missed" if missed else "completed" if past else "scheduled"
        session = add(TmsSession, course_id=course, patient_id=patient, scheduled_at=at, status=status,
                      completed_at=at + timedelta(minutes=40) if status == "completed" else None,
                      started_at=at if status == "completed" else None, status_by_id=therapist, updated_at=at)
        if status == "completed" and rng.random() < 0.7:
            add(HomeworkCompletion, assignment_id=record, occurrence_key=f"tms:{session}",
                completed_at=at + timedelta(hours=2), source="thought_record")
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        evening = datetime.combine(day, clock(20, 15), tz).astimezone(timezone.utc)
        if rng.random() < 0.85 and evening < now:
            checkin = add(MoodCheckin, patient_id=patient, mood=rng.randint(2, 8), note="", recorded_at=evening)
            add(HomeworkCompletion, assignment_id=mood, occurrence_key=f"day:{day.isoformat()}",
                completed_at=evening, source="mood_checkin", source_id=checkin)
        if offset % 7 == 0:
            total = rng.randint(5, 22)
            add(QuestionnaireResponse, patient_id=patient, instrument="phq9", answers={}, total=total, band="bench",
                submitted_at=evening - timedelta(hours=10))


# Measuring.


def _best_ms(call: Callable[[], object], repeat: int, *, before: Callable[[], object] | None = None) -> float:
    """The fastest of `repeat` calls: on a shared machine the others include time spent waiting for a CPU, which
    says more about the neighbours than about the page (the median moved 2x between runs at load average 11)."""
    samples = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return min(samples) * 1000


def _page(client, path: str) -> Callable[[], None]:
    def call() -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return call


def _planning_pass(application) -> dict:
    """The first pass (writes the next day's reminders; rolled back so it can be repeated: best of two), then the
    pass committed once and repeated (finds everything already written: best of two). Wall-clock time is the
    server's time with its database round trips; this process's CPU time is given beside it, since on a shared
    machine the wall clock also counts waiting for a CPU."""
    from sqlmodel import Session, select

    from app.models import User
    from app.models.push import PushSubscription
    from app.push.reminders import plan_reminders

    engine = application.extensions["engine"]
    now = datetime.now(timezone.utc)
    found: dict[str, list[tuple[float, float]]] = {"first": [], "repeat": []}
    written = 0
    with application.app_context():
        with Session(engine) as db:
            people = len(db.exec(select(User.id).where(
                User.active, User.id.in_(select(PushSubscription.user_id).distinct()))).all())
        for kind, keep in (("first", False), ("first", True), ("repeat", False), ("repeat", False)):
            with Session(engine) as db:
                wall, cpu = time.perf_counter(), time.process_time()
                count = plan_reminders(db, now=now)
                found[kind].append((time.perf_counter() - wall, time.process_time() - cpu))
                written = max(written, count)
                db.commit() if keep else db.rollback()
    best = {kind: min(samples) for kind, samples in found.items()}
    return {"plan first ms": best["first"][0] * 1000, "plan first cpu ms": best["first"][1] * 1000,
            "plan repeat ms": best["repeat"][0] * 1000, "plan repeat cpu ms": best["repeat"][1] * 1000,
            "planned people": people, "reminders written": written}


def _round_trip_ms(engine: Engine, repeat: int = 200) -> float:
    with engine.connect() as conn:
        return _best_ms(lambda: conn.execute(text("SELECT 1")).scalar(), repeat)


def measure(database_url: str, network: Network, *, repeat: int) -> dict:
    import logging

    from app import create_app

    application = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench-" + uuid.uuid4().hex})
    logging.getLogger("app.requests").disabled = True  # one line per request would drown the figures
    engine = application.extensions["engine"]
    figures: dict[str, float] = {}
    figures["round trip ms"] = _round_trip_ms(engine)
    figures.update(_planning_pass(application))
    technician, therapist, patient = (
        signed_in_client(application, email, PASSWORD, user_agent=USER_AGENT)
        for email in (network.technician_email, network.therapist_email, network.patient_email))
    day_list = f"/clinic/today?day={network.busiest_day}"
    for call in (_page(technician, "/healthz"), _page(technician, day_list), _page(therapist, "/patients"),
                 _page(patient, "/today")):
        call()  # warm: templates compiled, connections open
    figures["healthz ms"] = _best_ms(_page(technician, "/healthz"), repeat * 4)
    figures["day list ms"] = _best_ms(_page(technician, day_list), repeat)
    figures["caseload ms"] = _best_ms(_page(therapist, "/patients"), repeat)
    figures["today first ms"] = _best_ms(_page(patient, "/today"), repeat,
                                           before=lambda: application.extensions.pop("today_snapshots", None))
    figures["today repeat ms"] = _best_ms(_page(patient, "/today"), repeat * 2)
    engine.dispose()
    return figures


# Running: one database per size, created and dropped here.


def _create_database(server: str, label: str) -> tuple[str, str]:
    import psycopg

    name = f"bench_scale_{label}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, server.rsplit("/", 1)[0] + "/" + name


def _drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_size(server: str, *, sites: int, patients: int, repeat: int) -> tuple[Network, dict, float]:
    import app.models  # noqa: F401  (every table)
    from app.config import normalise_database_url
    from app.db import make_engine

    name, url = _create_database(server, str(patients))
    try:
        engine = make_engine(normalise_database_url(url))
        SQLModel.metadata.create_all(engine)
        started = time.perf_counter()
        network = build_network(engine, sites=sites, patients=patients)
        built = time.perf_counter() - started
        engine.dispose()
        print(f"built {sites} sites, {patients:,} patients ({network.active_patients:,} with a device), "
              f"{network.rows:,} rows in {built:.0f} s; busiest site: {network.busiest_site_visits} visits on {network.busiest_day}",
              flush=True)
        return network, measure(normalise_database_url(url), network, repeat=repeat), built
    finally:
        _drop_database(server, name)


def _print(sizes: list[tuple[Network, dict]]) -> bool:
    """The table of figures, each with its baseline ratio, the growth from the smallest size, and the goals."""
    met = True
    header = "".join(f"{f'{n.patients:,} patients':>22}" for n, _ in sizes)
    growth = len(sizes) > 1
    print(f"\n{'server time (best of several)':<44}{header}{'growth' if growth else '':>9}")

    def line(label: str, values: list[float], unit: str, baseline: list[float] | None = None):
        cells = "".join(
            f"{f'{v:.2f} {unit}' + (f' ({v / b:.0f}x)' if baseline else ''):>22}"
            for v, b in zip(values, baseline or values))
        ratio = values[-1] / values[0] if growth and values[0] else None
        print(f"{label:<44}{cells}{f'{ratio:.2f}x' if ratio else '':>9}")
        return ratio

    figures = [f for _, f in sizes]
    line("one database round trip (SELECT 1)", [f["round trip ms"] for f in figures], "ms")
    line("/healthz (one query): page baseline", [f["healthz ms"] for f in figures], "ms")
    per_first = [f["plan first ms"] / f["planned people"] for f in figures]
    per_repeat = [f["plan repeat ms"] / f["planned people"] for f in figures]
    line("planning pass, first (whole network)", [f["plan first ms"] / 1000 for f in figures], "s")
    first_growth = line("  per active patient (x round trip)", per_first, "ms", [f["round trip ms"] for f in figures])
    line("  per active patient, CPU of this process", [f["plan first cpu ms"] / f["planned people"] for f in figures],
         "ms")
    line("planning pass, repeat (whole network)", [f["plan repeat ms"] / 1000 for f in figures], "s")
    repeat_growth = line("  per active patient (x round trip)", per_repeat, "ms", [f["round trip ms"] for f in figures])
    line("  per active patient, CPU of this process", [f["plan repeat cpu ms"] / f["planned people"] for f in figures],
         "ms")
    flat = {}
    for key, label in (("day list ms", "busiest site's day list (x /healthz)"),
                       ("caseload ms", f"{CASELOAD}-patient caseload (x /healthz)"),
                       ("today first ms", "Today, first visit (x /healthz)"),
                       ("today repeat ms", "Today, repeat visit (x /healthz)")):
        flat[key] = line(label, [f[key] for f in figures], "ms", [f["healthz ms"] for f in figures])
    print()
    worst = max(max(per_first), max(per_repeat))
    ok = worst < GOAL_PLAN_MS_PER_PATIENT
    met &= ok
    print(f"goal: planning under {GOAL_PLAN_MS_PER_PATIENT:.0f} ms (wall clock) per active patient: worst {worst:.3f} ms "
          f"{'met' if ok else 'NOT met'}")
    if growth:
        worst_growth = max(first_growth, repeat_growth)
        ok = worst_growth <= GOAL_LINEAR
        met &= ok
        print(f"goal: planning grows no faster than linearly (per-patient cost within {GOAL_LINEAR}x from "
              f"{sizes[0][0].patients:,} to {sizes[-1][0].patients:,}): {worst_growth:.2f}x {'met' if ok else 'NOT met'}")
        for key, label in (("day list ms", "day list"), ("caseload ms", "caseload"), ("today first ms", "Today (first)"),
                           ("today repeat ms", "Today (repeat)")):
            ok = flat[key] <= GOAL_FLAT
            met &= ok
            print(f"goal: {label} within {GOAL_FLAT}x from {sizes[0][0].patients:,} to {sizes[-1][0].patients:,} "
                  f"patients: {flat[key]:.2f}x {'met' if ok else 'NOT met'}")
    return met


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000,
                        help="patients in the smaller network for the growth figures (sites scaled alike; 0: none)")
    parser.add_argument("--repeat", type=int, default=15, help="requests per page figure (the fastest counts)")
    options = parser.parse_args(argv)
    server = os.environ.get("BENCH_POSTGRES_SERVER", "postgresql://root@127.0.0.1:5432/test")
    plan = []
    if options.small:
        plan.append((max(1, round(options.sites * options.small / options.patients)), options.small))
    plan.append((options.sites, options.patients))
    sizes = []
    for sites, patients in plan:
        network, figures, _built = run_size(server, sites=sites, patients=patients, repeat=options.repeat)
        sizes.append((network, figures))
    met = _print(sizes)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} CPUs, load average {load:.1f} at the end: on a busy machine wall-clock figures include "
          "waiting for a CPU; the ratios to the same run's baselines are the figures to compare")
    print("all scale goals met" if met else "some scale goals NOT met (see above)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
