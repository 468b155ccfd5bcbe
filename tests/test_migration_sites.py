"""Migration 0016 upgrades existing data: the default site is made from the clinic settings, and every existing
patient, staff member and closure belongs to it; downgrading keeps everyone."""
from sqlalchemy import text

from app import schema
from app.db import make_engine
from tests.test_migrations import empty_database  # noqa: F401  (the same fresh SQLite / PostgreSQL databases)

PEOPLE = ("INSERT INTO users (email, name, role, timezone, active, session_version, data_version, created_at, external, "
          "language, stressful_experience, safety_contact, suicide_urge_threshold) VALUES "
          "('pat@example.org', 'Old Patient', 'patient', 'America/Chicago', true, 1, 0, '2026-01-05 10:00:00+00', "
          "false, 'en', '', false, 4), "
          "('ther@example.org', 'Old Therapist', 'therapist', 'America/Chicago', true, 1, 0, '2026-01-05 10:00:00+00', "
          "false, 'en', '', false, 4), "
          "('tech@example.org', 'Old Technician', 'technician', 'America/Chicago', true, 1, 0, "
          "'2026-01-05 10:00:00+00', false, 'en', '', true, 4)")
SETTINGS = ("INSERT INTO clinic_settings (id, clinic_phone, after_hours_phone, crisis_line_label, crisis_line_number, "
            "crisis_line_text, emergency_number, updated_at, updated_by_id, timezone, opens_at, closes_at, "
            "holiday_country, holiday_region, crisis_chat_url, escalation_minutes) SELECT 1, '(312) 555-0100', '', "
            "'988 Lifeline', '988', '988', '911', '2026-01-05 10:00:00+00', id, 'America/Chicago', '08:00:00', "
            "'18:00:00', 'US', 'IL', '', 30 FROM users WHERE role = 'technician'")
CLOSURE = "INSERT INTO clinic_closures (day, label, created_at) VALUES ('2026-12-25', 'Christmas Day', '2026-01-05 10:00:00+00')"


def test_existing_clinic_becomes_the_default_site_with_everyone_in_it(empty_database):  # noqa: F811
    schema.upgrade(empty_database, "0009")
    engine = make_engine(empty_database)
    try:
        with engine.begin() as conn:
            conn.execute(text(PEOPLE))
            conn.execute(text(SETTINGS))
            conn.execute(text(CLOSURE))
        schema.upgrade(empty_database, "0016")
        with engine.connect() as conn:
            site = conn.execute(text("SELECT id, timezone, clinic_phone, holiday_region, opens_at FROM sites")).one()
            assert (site.timezone, site.clinic_phone, site.holiday_region) == ("America/Chicago", "(312) 555-0100", "IL")
            assert str(site.opens_at).startswith("08:00")
            assert conn.execute(text("SELECT site_id FROM users WHERE role = 'patient'")).scalar_one() == site.id
            assert conn.execute(text("SELECT site_id FROM users WHERE role <> 'patient'")).scalars().all() == [None, None]
            staff = conn.execute(text("SELECT count(*) FROM staff_sites WHERE site_id = :s"), {"s": site.id}).scalar_one()
            assert staff == 2
            assert conn.execute(text("SELECT site_id FROM clinic_closures")).scalar_one() == site.id
        schema.downgrade(empty_database, "0009")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM users")).scalar_one() == 3
            assert conn.execute(text("SELECT count(*) FROM clinic_closures")).scalar_one() == 1
    finally:
        engine.dispose()
