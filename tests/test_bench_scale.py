"""bench/scale.py's network builder at a tiny size on the test database, so the benchmark cannot rot unnoticed:
the rows it writes in bulk must satisfy the schema and read back as the app sees them (no timing here)."""
from datetime import datetime, timezone

from sqlmodel import Session, func, select

from app.models import HomeworkCompletion, MoodCheckin, Site, TmsSession, User
from app.models.push import PushSubscription
from app.push.reminders import plan_reminders
from bench.scale import PASSWORD, build_network

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=timezone.utc)


def test_the_builder_makes_a_network_the_app_can_read_and_plan_for(app, client) -> None:
    engine = app.extensions["engine"]
    network = build_network(engine, sites=2, patients=20, days=14, now=NOW)

    with Session(engine) as db:
        patients = db.exec(select(User).where(User.role == "patient")).all()
        assert len(patients) == 20 and {p.site_id for p in patients} == set(network.site_ids)
        assert len(db.exec(select(Site)).all()) == 2
        assert db.exec(select(func.count()).select_from(TmsSession)).one() > 0
        assert db.exec(select(func.count()).select_from(MoodCheckin)).one() > 0
        assert db.exec(select(func.count()).select_from(HomeworkCompletion)).one() > 0
        assert network.active_patients == len(db.exec(
            select(PushSubscription.user_id).join(User, User.id == PushSubscription.user_id)
            .where(User.role == "patient")).all())
        assert plan_reminders(db, now=NOW) > 0
        db.commit()
        assert plan_reminders(db, now=NOW) == 0  # ids chosen by the builder left the sequences usable

    response = client.post("/login", data={"email": network.patient_email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/today").status_code == 200
