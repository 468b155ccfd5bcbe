"""Exposure through the client: ladders, ordering with stale views, re-rating history, practice logs and scoping."""
import pytest
from sqlmodel import select

from app.exposure import services
from app.homework.schedule import local_today
from app.models import HomeworkCompletion, HomeworkKind
from app.models.exposure import ExposurePractice, Hierarchy, HierarchyItem, ItemStatus, PracticeRating, SudsRating
from app.models.types import utcnow
from tests.conftest import sign_in
from tests.factories import make_assignment, make_patient


def make_ladder(db, patient, items=(("Touch the door handle", 40), ("Touch the bin lid", 70)), kind="erp"):
    hierarchy = services.create_hierarchy(db, patient=patient, title="Contamination")
    made = [services.add_item(db, hierarchy=hierarchy, kind=kind, description=text, ritual="Wash hands",
                              suds=suds, by=patient, at=utcnow()) for text, suds in items]
    db.commit()
    return hierarchy, made


def practice_data(**overrides):
    data = {"entry_token": "tok-1", "started_at": "", "suds_before": "40", "suds_peak": "65", "suds_after": "30",
            "duration_minutes": "20", "ritual_resisted": "fully", "feared_outcome": "I'll get ill",
            "likelihood_before": "80", "what_happened": "Nothing", "likelihood_after": "30", "notes": ""}
    data.update(overrides)
    return data


def test_patient_logs_practice_and_it_is_saved(patient_client, db, patient):
    _, (item, _) = make_ladder(db, patient)
    response = patient_client.post(f"/exposure/items/{item.id}/practice", data=practice_data())
    assert response.status_code == 303
    practice = db.exec(select(ExposurePractice)).one()
    assert (practice.suds_before, practice.suds_peak, practice.suds_after) == (40, 65, 30)
    assert practice.ritual_resisted == "fully" and practice.likelihood_after == 30


def test_peak_below_before_is_refused_beside_the_peak_with_the_words_kept(patient_client, db, patient):
    _, (item, _) = make_ladder(db, patient)
    response = patient_client.post(f"/exposure/items/{item.id}/practice",
                                   data=practice_data(suds_before="50", suds_peak="20", suds_after="10",
                                                      notes="my own words"))
    assert response.status_code == 400
    assert "lower than your rating before (50)" in response.text and "my own words" in response.text
    assert db.exec(select(ExposurePractice)).first() is None


def test_the_timers_ratings_are_stored_as_the_practice_curve(patient_client, db, patient, therapist):
    _, (item, _) = make_ladder(db, patient)
    response = patient_client.post(f"/exposure/items/{item.id}/practice",
                                   data=practice_data(suds_peak="70", timed_ratings="5:70,10:55,15:40"))
    assert response.status_code == 303
    practice = db.exec(select(ExposurePractice)).one()
    curve = db.exec(select(PracticeRating).where(PracticeRating.practice_id == practice.id)
                    .order_by(PracticeRating.minute)).all()
    assert [(r.minute, r.suds) for r in curve] == [(5, 70), (10, 55), (15, 40)]

    sign_in(patient_client, therapist)
    page = patient_client.get(f"/patients/{patient.id}/exposure/items/{item.id}")
    assert "SUDS during this practice: 40 at the start, 70 at 5 min, 55 at 10 min, 40 at 15 min, 30 at 20 min" \
        in page.text


def test_a_practice_without_the_timer_has_no_curve(patient_client, db, patient):
    """The plain form (no JavaScript) sends no timed ratings: before, peak and end only."""
    _, (item, _) = make_ladder(db, patient)
    data = practice_data()
    del data["started_at"]
    assert patient_client.post(f"/exposure/items/{item.id}/practice", data=data).status_code == 303
    assert db.exec(select(PracticeRating)).all() == []


def test_a_timed_rating_above_the_peak_is_refused_and_nothing_saved(patient_client, db, patient):
    _, (item, _) = make_ladder(db, patient)
    response = patient_client.post(f"/exposure/items/{item.id}/practice",
                                   data=practice_data(suds_peak="65", timed_ratings="5:80"))
    assert response.status_code == 400
    assert "lower than the 80 you gave at minute 5" in response.text
    assert 'value="5:80"' in response.text  # the curve is kept for the corrected submission
    assert db.exec(select(ExposurePractice)).first() is None and db.exec(select(PracticeRating)).all() == []


def test_suds_outside_range_is_refused_and_typing_kept(patient_client, db, patient):
    _, (item, _) = make_ladder(db, patient)
    response = patient_client.post(f"/exposure/items/{item.id}/practice",
                                   data=practice_data(suds_peak="101", notes="kept note"))
    assert response.status_code == 400
    assert "SUDS goes from 0 to 100" in response.text
    assert "kept note" in response.text
    assert db.exec(select(ExposurePractice)).first() is None


def test_likelihood_outside_range_is_refused(patient_client, db, patient):
    _, (item, _) = make_ladder(db, patient)
    response = patient_client.post(f"/exposure/items/{item.id}/practice", data=practice_data(likelihood_before="120"))
    assert response.status_code == 400
    assert "0 to 100 %" in response.text


@pytest.mark.parametrize(("field", "message"), [
    ("suds_peak", "SUDS goes from 0 to 100."),
    ("duration_minutes", "Give the time you spent, from 1 to 600 minutes."),
    ("likelihood_after", "Give a likelihood from 0 to 100 %."),
])
def test_a_number_too_big_for_a_float_is_out_of_range_and_the_text_is_kept(patient_client, db, patient, field, message):
    _, (item, _) = make_ladder(db, patient)
    response = patient_client.post(f"/exposure/items/{item.id}/practice",
                                   data=practice_data(**{field: "9" * 400, "what_happened": "Nothing bad at all"}))
    assert response.status_code == 400
    assert message in response.text and "Nothing bad at all" in response.text
    assert db.exec(select(ExposurePractice)).all() == []


def test_erp_practice_needs_ritual_answer(patient_client, db, patient):
    _, (item, _) = make_ladder(db, patient)
    response = patient_client.post(f"/exposure/items/{item.id}/practice", data=practice_data(ritual_resisted=""))
    assert response.status_code == 400
    assert "hold off the ritual" in response.text


def test_imaginal_practice_needs_no_ritual_answer(patient_client, db, patient):
    _, (item,) = make_ladder(db, patient, items=(("Listen to the recording", 70),), kind="pe_imaginal")
    response = patient_client.post(f"/exposure/items/{item.id}/practice", data=practice_data(ritual_resisted=""))
    assert response.status_code == 303


def test_resubmitted_practice_is_saved_once(patient_client, db, patient):
    _, (item, _) = make_ladder(db, patient)
    patient_client.post(f"/exposure/items/{item.id}/practice", data=practice_data())
    again = patient_client.post(f"/exposure/items/{item.id}/practice", data=practice_data())
    assert again.status_code == 303
    assert len(db.exec(select(ExposurePractice)).all()) == 1


def test_timer_start_is_used_as_practice_start(patient_client, db, patient):
    _, (item, _) = make_ladder(db, patient)
    started_ms = int(utcnow().timestamp() * 1000) - 25 * 60_000
    patient_client.post(f"/exposure/items/{item.id}/practice", data=practice_data(started_at=str(started_ms)))
    practice = db.exec(select(ExposurePractice)).one()
    assert abs(practice.started_at.timestamp() * 1000 - started_ms) < 1000


def test_practice_completes_assignment_for_that_item(patient_client, db, patient):
    _, (item, other) = make_ladder(db, patient)
    today = local_today(patient, utcnow())
    for_item = make_assignment(db, patient=patient, kind=HomeworkKind.exposure_practice, target=f"item:{item.id}",
                               start_date=today, local_time=None, timing_kind="once", due_date=today)
    for_other = make_assignment(db, patient=patient, kind=HomeworkKind.exposure_practice, target=f"item:{other.id}",
                                start_date=today, local_time=None, timing_kind="once", due_date=today)
    patient_client.post(f"/exposure/items/{item.id}/practice", data=practice_data())
    done = {c.assignment_id for c in db.exec(select(HomeworkCompletion))}
    assert for_item.id in done and for_other.id not in done


def test_another_patients_item_and_ladder_are_404(client, db, patient, therapist):
    other = make_patient(db, therapist=therapist, email="other@example.org")
    hierarchy, (item, _) = make_ladder(db, other)
    sign_in(client, patient)
    assert client.get(f"/exposure/items/{item.id}/practice").status_code == 404
    assert client.get(f"/exposure/ladders/{hierarchy.id}").status_code == 404
    assert client.post(f"/exposure/items/{item.id}/rating", data={"suds": "10"}).status_code == 404


def test_other_therapists_patient_is_404(client, db, patient):
    from tests.factories import make_therapist

    stranger = make_therapist(db, email="stranger@example.org")
    hierarchy, _ = make_ladder(db, patient)
    sign_in(client, stranger)
    assert client.get(f"/patients/{patient.id}/exposure").status_code == 404
    assert client.get(f"/patients/{patient.id}/exposure/ladders/{hierarchy.id}").status_code == 404


def test_reorder_with_current_version_applies(patient_client, db, patient):
    hierarchy, (low, high) = make_ladder(db, patient)
    response = patient_client.post(f"/exposure/ladders/{hierarchy.id}/order",
                                   data={"order": f"{high.id},{low.id}", "version": str(hierarchy.version)})
    assert response.status_code == 303
    db.expire_all()
    assert [i.id for i in services.items_of(db, db.get(Hierarchy, hierarchy.id))] == [high.id, low.id]


def test_reorder_from_stale_view_is_409_and_order_unchanged(patient_client, db, patient):
    hierarchy, (low, high) = make_ladder(db, patient)
    seen = hierarchy.version
    services.add_item(db, hierarchy=hierarchy, kind="erp", description="Touch the toilet seat", ritual="",
                      suds=90, by=patient, at=utcnow())
    db.commit()
    response = patient_client.post(f"/exposure/ladders/{hierarchy.id}/order",
                                   data={"order": f"{high.id},{low.id}", "version": str(seen)})
    assert response.status_code == 409
    assert "changed on another screen" in response.text
    db.expire_all()
    order = [i.description for i in services.items_of(db, db.get(Hierarchy, hierarchy.id))]
    assert order == ["Touch the door handle", "Touch the bin lid", "Touch the toilet seat"]


def test_reorder_with_missing_or_foreign_ids_is_409(patient_client, db, patient, therapist):
    hierarchy, (low, high) = make_ladder(db, patient)
    for order in (f"{high.id}", f"{high.id},{low.id},{low.id}", f"{high.id},{low.id},9999", "x,y"):
        response = patient_client.post(f"/exposure/ladders/{hierarchy.id}/order",
                                       data={"order": order, "version": str(hierarchy.version)})
        assert response.status_code == 409, order


def test_rerating_keeps_history(therapist_client, db, patient, therapist):
    hierarchy, (item, _) = make_ladder(db, patient)
    response = therapist_client.post(f"/patients/{patient.id}/exposure/items/{item.id}/rating", data={"suds": "25"})
    assert response.status_code == 303
    ratings = db.exec(select(SudsRating).where(SudsRating.item_id == item.id).order_by(SudsRating.id)).all()
    assert [r.suds for r in ratings] == [40, 25]
    assert ratings[-1].rated_by_id == therapist.id
    db.expire_all()
    assert db.get(HierarchyItem, item.id).suds == 25


def test_rerating_out_of_range_is_400_and_nothing_changes(patient_client, db, patient):
    _, (item, _) = make_ladder(db, patient)
    response = patient_client.post(f"/exposure/items/{item.id}/rating", data={"suds": "-1"})
    assert response.status_code == 400
    assert len(db.exec(select(SudsRating).where(SudsRating.item_id == item.id)).all()) == 1


def test_archived_item_leaves_ladder_and_restores_at_end(patient_client, db, patient):
    hierarchy, (low, high) = make_ladder(db, patient)
    patient_client.post(f"/exposure/items/{low.id}/status", data={"status": "archived"})
    db.expire_all()
    assert [i.id for i in services.items_of(db, db.get(Hierarchy, hierarchy.id))] == [high.id]
    patient_client.post(f"/exposure/items/{low.id}/status", data={"status": "active"})
    db.expire_all()
    assert [i.id for i in services.items_of(db, db.get(Hierarchy, hierarchy.id))] == [high.id, low.id]


def test_mastered_item_stays_on_ladder(patient_client, db, patient):
    _, (low, _) = make_ladder(db, patient)
    patient_client.post(f"/exposure/items/{low.id}/status", data={"status": "mastered"})
    db.expire_all()
    assert db.get(HierarchyItem, low.id).status == ItemStatus.mastered


def test_add_item_validates_suds(patient_client, db, patient):
    hierarchy, _ = make_ladder(db, patient)
    response = patient_client.post(f"/exposure/ladders/{hierarchy.id}/items",
                                   data={"kind": "erp", "description": "Touch the floor", "ritual": "", "suds": "150"})
    assert response.status_code == 400
    assert "Touch the floor" in response.text


def test_therapist_builds_ladder_for_patient(therapist_client, db, patient):
    response = therapist_client.post(f"/patients/{patient.id}/exposure", data={"title": "Driving"})
    assert response.status_code == 303
    hierarchy = db.exec(select(Hierarchy)).one()
    assert hierarchy.patient_id == patient.id
    response = therapist_client.post(f"/patients/{patient.id}/exposure/ladders/{hierarchy.id}/items",
                                     data={"kind": "pe_in_vivo", "description": "Drive past the junction", "suds": "60"})
    assert response.status_code == 303
    assert therapist_client.get(f"/patients/{patient.id}/exposure").status_code == 200


def test_therapist_item_page_shows_chart_and_table(therapist_client, db, patient):
    _, (item, _) = make_ladder(db, patient)
    from app.exposure.rules import check_practice

    for day, (b, p, a) in enumerate([(50, 70, 40), (45, 60, 30), (40, 50, 20)]):
        entry = check_practice(kind=item.kind, started_at=None, duration_minutes=20, suds_before=b, suds_peak=p,
                               suds_after=a, ritual_resisted="fully", feared_outcome="ill", likelihood_before=80,
                               what_happened="fine", likelihood_after=30, notes="", now=utcnow())
        services.log_practice(db, patient=patient, item=item, entry=entry, entry_token=f"t{day}", at=utcnow())
    db.commit()
    response = therapist_client.get(f"/patients/{patient.id}/exposure/items/{item.id}")
    assert response.status_code == 200
    assert "<svg" in response.text and "SUDS across practices" in response.text
    assert "Peak SUDS went from 70 to 50" in response.text
    assert "How likely the feared outcome felt" in response.text


def test_patient_cannot_use_therapist_urls(patient_client, patient):
    assert patient_client.get(f"/patients/{patient.id}/exposure").status_code in (403, 404)


def test_practice_picker_lists_active_items(patient_client, db, patient):
    make_ladder(db, patient)
    response = patient_client.get("/exposure")
    assert response.status_code == 200
    assert "Touch the door handle" in response.text


def test_ladder_pages_render_for_patient_and_therapist(client, db, patient, therapist):
    hierarchy, (item, _) = make_ladder(db, patient)
    sign_in(client, patient)
    page = client.get(f"/exposure/ladders/{hierarchy.id}")
    assert page.status_code == 200 and "Sort by SUDS" in page.text
    form = client.get(f"/exposure/items/{item.id}/practice")
    assert form.status_code == 200 and 'name="entry_token"' in form.text and "Did you hold off the ritual?" in form.text
    sign_in(client, therapist)
    page = client.get(f"/patients/{patient.id}/exposure/ladders/{hierarchy.id}")
    assert page.status_code == 200 and f"/patients/{patient.id}/exposure/ladders/{hierarchy.id}/order" in page.text


def test_only_the_imaginal_practice_page_may_use_the_microphone(patient_client, db, patient):
    _, (erp, _) = make_ladder(db, patient)
    _, (imaginal,) = make_ladder(db, patient, items=(("Listen to the recording", 70),), kind="pe_imaginal")
    in_vivo = patient_client.get(f"/exposure/items/{erp.id}/practice")
    assert "microphone=()" in in_vivo.headers["Permissions-Policy"] and "Session recording" not in in_vivo.text
    page = patient_client.get(f"/exposure/items/{imaginal.id}/practice")
    assert "microphone=(self)" in page.headers["Permissions-Policy"] and "camera=()" in page.headers["Permissions-Policy"]
    assert "Session recording" in page.text and "stays on this phone unless you choose to send it" in page.text
    assert "microphone=()" in patient_client.get("/today").headers["Permissions-Policy"]
