"""Migration 0013 upgrades existing data: people already using the app have the welcome tour behind them, while
someone created afterwards starts it; existing practices have no timed ratings."""
from sqlalchemy import text

from app import schema
from app.db import make_engine
from tests.test_migrations import empty_database  # noqa: F401  (the same fresh SQLite / PostgreSQL databases)

USER = ("INSERT INTO users (email, name, role, timezone, active, session_version, data_version, created_at) "
        "VALUES ('{email}', 'A Patient', 'patient', 'America/New_York', true, 1, 0, '2026-01-05 10:00:00+00')")


def test_existing_users_finished_the_tour_and_new_ones_start_it(empty_database):  # noqa: F811
    schema.upgrade(empty_database, "0009")
    engine = make_engine(empty_database)
    try:
        with engine.begin() as conn:
            conn.execute(text(USER.format(email="old@example.org")))
        schema.upgrade(empty_database, "0013")
        with engine.begin() as conn:
            conn.execute(text(USER.format(email="new@example.org")))
            rows = conn.execute(text("SELECT email, onboarding, onboarding_step FROM users ORDER BY email")).all()
            assert [tuple(row) for row in rows] == [("new@example.org", "pending", 0), ("old@example.org", "done", 0)]
            assert conn.execute(text("SELECT count(*) FROM exposure_practice_ratings")).scalar_one() == 0
        schema.downgrade(empty_database, "0009")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM users")).scalar_one() == 2
    finally:
        engine.dispose()
