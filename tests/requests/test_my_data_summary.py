"""'My data' as a page a patient can read and print: their entries by month, in their zone, without scores."""
from datetime import UTC, date, datetime, time

from app.exports.summary import by_month, summary_lines
from app.exports.records import load_patient_record
from app.models import Activity, ActivityStatus, MoodCheckin, QuestionnaireResponse
from app.models.exposure import ExposureKind, ExposurePractice, Hierarchy, HierarchyItem
from tests.factories import make_patient


def add(db, *rows):
    for row in rows:
        db.add(row)
    db.commit()
    return rows[0]


def seed(db, patient, marker="pineapple"):
    add(db, MoodCheckin(patient_id=patient.id, mood=6, anxiety=3, sleep_hours=7.5, note=f"{marker} slept ok",
                        recorded_at=datetime(2026, 3, 10, 14, tzinfo=UTC)),
        MoodCheckin(patient_id=patient.id, mood=4, note="", recorded_at=datetime(2026, 4, 1, 3, 30, tzinfo=UTC)),
        QuestionnaireResponse(patient_id=patient.id, instrument="phq9", answers={str(n): 2 for n in range(1, 10)},
                              total=18, band="moderately severe", safety_flag=True,
                              submitted_at=datetime(2026, 4, 2, 15, tzinfo=UTC)),
        Activity(patient_id=patient.id, created_by_id=patient.id, title=f"{marker} walk", planned_date=date(2026, 4, 3),
                 planned_time=time(10), status=ActivityStatus.done, pleasure=6, mastery=5,
                 recorded_at=datetime(2026, 4, 3, 16, tzinfo=UTC)))
    ladder = add(db, Hierarchy(patient_id=patient.id, title="Contamination"))
    item = add(db, HierarchyItem(hierarchy_id=ladder.id, patient_id=patient.id, kind=ExposureKind.erp,
                                 description="Touch the door handle", suds=40))
    add(db, ExposurePractice(patient_id=patient.id, item_id=item.id, started_at=datetime(2026, 4, 4, 15, tzinfo=UTC),
                             duration_minutes=20, suds_before=40, suds_peak=60, suds_after=20, notes="easier"))


def test_entries_are_grouped_by_month_in_the_patients_time_zone(db, patient):
    seed(db, patient)

    months = by_month(summary_lines(load_patient_record(db, patient), now=datetime(2026, 5, 1, tzinfo=UTC)))

    assert [m.label for m in months] == ["March 2026", "April 2026"]
    # 03:30 UTC on 1 April is still 31 March in New York
    assert [line.text for line in months[0].lines] == ["mood 6/10 · anxiety 3/10 · slept 7.5 h", "mood 4/10"]
    assert [line.kind for line in months[1].lines] == ["Questionnaire", "Activity", "Exposure practice"]


def test_page_lists_the_patients_entries_by_month_without_scores(patient_client, db, patient):
    seed(db, patient)

    response = patient_client.get("/my-data/summary")

    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert page.index("March 2026") < page.index("April 2026")
    assert "pineapple slept ok" in page and "pineapple walk · done · pleasure 6/10 · achievement 5/10" in page
    assert "Patient Health Questionnaire (PHQ-9) answered" in page
    assert "Touch the door handle · 20 min · distress 40 → peak 60 → 20" in page
    assert "18" not in page.split("<main", 1)[1] and "moderately severe" not in page
    assert 'class="table compact-print"' in page  # the therapist review's print rules apply


def test_page_shows_nothing_of_another_patient(patient_client, db, patient, therapist):
    other = make_patient(db, therapist=therapist, email="other@example.org", name="Other")
    seed(db, other, marker="kumquat")

    page = patient_client.get("/my-data/summary").get_data(as_text=True)

    assert "kumquat" not in page and "Nothing entered yet." in page


def test_my_data_links_the_readable_page(patient_client):
    assert "/my-data/summary" in patient_client.get("/my-data").get_data(as_text=True)


def test_my_data_json_includes_the_details_the_clinic_recorded_for_the_ehr(client, db, therapist):
    from tests.conftest import sign_in
    from tests.factories import EHR_DETAILS

    patient = make_patient(db, therapist=therapist, email="d@example.org", **EHR_DETAILS)
    sign_in(client, patient)

    data = client.get("/my-data.json").get_json(force=True)

    assert data["account"]["recorded_by_the_clinic"] == {
        "family_name": "Example", "given_name": "Pat", "birth_date": "1984-07-23",
        "administrative_gender": "female", "mrn": "MRN-0001"}
