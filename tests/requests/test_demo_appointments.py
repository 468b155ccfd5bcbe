"""The demo clinic has weekly therapy appointments around TMS and a treatment plan for every patient."""
from sqlmodel import select

from app.demo import seed
from app.models import TherapyAppointment, TreatmentPlan, User
from app.models.types import utcnow
from tests.conftest import sign_in


def _user(db, email):
    return db.exec(select(User).where(User.email == email)).one()


def test_demo_patients_have_appointments_and_a_plan(client, db):
    seed(db)
    seed(db)  # idempotent
    dana, riley = _user(db, "dana@demo.clinic"), _user(db, "riley@demo.clinic")
    dana_appointments = db.exec(select(TherapyAppointment).where(TherapyAppointment.patient_id == dana.id)).all()
    assert len(dana_appointments) == 7 and any(a.starts_at > utcnow() for a in dana_appointments)
    riley_appointment = db.exec(select(TherapyAppointment).where(TherapyAppointment.patient_id == riley.id)).first()
    assert riley_appointment.therapist_id == _user(db, "community@demo.clinic").id
    assert [p.version for p in db.exec(select(TreatmentPlan).where(TreatmentPlan.patient_id == dana.id))] == [1, 2]

    sign_in(client, _user(db, "therapist@demo.clinic"))
    review = client.get(f"/patients/{dana.id}").text
    assert 'id="what-changed"' in review and "(previous appointment)" in review
    sign_in(client, _user(db, "physician@demo.clinic"))
    assert "Dana Rivera" in client.get("/coordination").text
    assert "Sunday choir" in client.get(f"/patients/{dana.id}/plan").text
