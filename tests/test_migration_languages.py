"""Migration 0010 upgrades existing data: every existing user and questionnaire response becomes English."""
from sqlalchemy import text

from app import schema
from app.db import make_engine
from tests.test_migrations import empty_database  # noqa: F401  (the same fresh SQLite / PostgreSQL databases)

USER = ("INSERT INTO users (email, name, role, timezone, active, session_version, data_version, created_at) "
        "VALUES ('old@example.org', 'Old Patient', 'patient', 'America/New_York', true, 1, 0, '2026-01-05 10:00:00+00')")
RESPONSE = ("INSERT INTO questionnaire_responses (patient_id, instrument, answers, total, band, safety_flag, submitted_at) "
            "SELECT id, 'phq9', '{}', 8, 'mild', false, '2026-01-05 10:05:00+00' FROM users")


def test_existing_users_and_responses_are_english_after_upgrade(empty_database):  # noqa: F811
    schema.upgrade(empty_database, "0003")
    engine = make_engine(empty_database)
    try:
        with engine.begin() as conn:
            conn.execute(text(USER))
            conn.execute(text(RESPONSE))
        schema.upgrade(empty_database)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT language FROM users")).scalars().all() == ["en"]
            assert conn.execute(text("SELECT language FROM questionnaire_responses")).scalars().all() == ["en"]
        schema.downgrade(empty_database, "0003")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM users")).scalar_one() == 1
    finally:
        engine.dispose()
