"""DBT through the client: skill cards and "used it", clinic cards, diary card ranges, days and the week grid."""
from datetime import timedelta

from sqlmodel import select

from app.homework.schedule import local_today
from app.models import HomeworkCompletion, HomeworkKind
from app.models.dbt import ClinicSkillCard, DiaryCard, DiaryRating, DiaryTargetRow, SkillUse
from app.models.types import utcnow
from tests.conftest import sign_in
from tests.factories import make_assignment, make_patient, make_therapist


def test_skill_library_lists_all_four_modules(patient_client):
    page = patient_client.get("/skills")
    assert page.status_code == 200
    for module in ("Mindfulness", "Distress tolerance", "Emotion regulation", "Interpersonal effectiveness"):
        assert module in page.text
    assert "/skills/dear-man" in page.text


def test_card_shows_purpose_steps_and_when(patient_client):
    page = patient_client.get("/skills/stop")
    assert page.status_code == 200
    assert "Put a pause between a strong urge" in page.text and "The moment you feel an urge" in page.text


def test_unknown_card_is_404(patient_client):
    assert patient_client.get("/skills/no-such-skill").status_code == 404


def test_used_it_is_logged_and_completes_skill_homework(patient_client, db, patient):
    today = local_today(patient, utcnow())
    stop = make_assignment(db, patient=patient, kind=HomeworkKind.dbt_skill, target="skill:stop", start_date=today,
                           timing_kind="once", due_date=today)
    tipp = make_assignment(db, patient=patient, kind=HomeworkKind.dbt_skill, target="skill:tipp", start_date=today,
                           timing_kind="once", due_date=today)
    response = patient_client.post("/skills/stop", data={"helped": "6", "note": "Paused before replying"})
    assert response.status_code == 303
    use = db.exec(select(SkillUse)).one()
    assert (use.skill_slug, use.helped, use.note) == ("stop", 6, "Paused before replying")
    done = {c.assignment_id for c in db.exec(select(HomeworkCompletion))}
    assert stop.id in done and tipp.id not in done


def test_assigned_cards_are_shown_first(patient_client, db, patient):
    make_assignment(db, patient=patient, kind=HomeworkKind.dbt_skill, target="skill:tipp",
                    start_date=local_today(patient, utcnow()))
    page = patient_client.get("/skills")
    assert page.text.index("Assigned to you") < page.text.index("TIPP")


def test_helped_outside_0_to_7_is_refused(patient_client, db):
    for bad in ("8", "-1", "", "x"):
        response = patient_client.post("/skills/stop", data={"helped": bad, "note": "kept"})
        assert response.status_code == 400, bad
        assert "from 0 to 7" in response.text and "kept" in response.text
    assert db.exec(select(SkillUse)).first() is None


def test_therapist_adds_clinic_card_patients_see_it(client, db, therapist, patient):
    sign_in(client, therapist)
    response = client.post("/skills/clinic/new", data={
        "name": "Stop (clinic version)", "module": "distress_tolerance", "purpose": "A short pause.",
        "steps": "Breathe\n\nCount to ten\n", "when_to_use": "When rushed."})
    assert response.status_code == 303
    card = db.exec(select(ClinicSkillCard)).one()
    assert card.slug == "stop-clinic-version" and card.steps == "Breathe\nCount to ten"
    sign_in(client, patient)
    assert "Stop (clinic version)" in client.get("/skills").text
    page = client.get(f"/skills/{card.slug}")
    assert page.status_code == 200 and "Count to ten" in page.text


def test_clinic_card_never_shadows_a_built_in_slug(therapist_client, db):
    therapist_client.post("/skills/clinic/new", data={"name": "STOP", "module": "distress_tolerance",
                                                      "purpose": "p", "steps": "s", "when_to_use": "w"})
    assert db.exec(select(ClinicSkillCard)).one().slug == "stop-2"


def test_clinic_card_needs_steps(therapist_client, db):
    response = therapist_client.post("/skills/clinic/new", data={"name": "X", "module": "mindfulness", "purpose": "p",
                                                                 "steps": "  \n ", "when_to_use": "w"})
    assert response.status_code == 400
    assert db.exec(select(ClinicSkillCard)).first() is None


def test_patient_cannot_add_clinic_cards(patient_client):
    assert patient_client.get("/skills/clinic/new").status_code == 403


def diary_data(**overrides):
    data = {"urge-self_harm": "2", "acted-self_harm": "", "urge-suicide": "0", "urge-substance_use": "1",
            "emotion-sadness": "3", "emotion-joy": "1", "skills_used": "5", "notes": "Hard evening"}
    data.update(overrides)
    return data


def test_diary_card_is_saved_and_completes_homework(patient_client, db, patient):
    today = local_today(patient, utcnow())
    assignment = make_assignment(db, patient=patient, kind=HomeworkKind.diary_card, start_date=today,
                                 timing_kind="once", due_date=today)
    response = patient_client.post("/diary", data=diary_data(**{"acted-substance_use": "yes"}))
    assert response.status_code == 303
    card = db.exec(select(DiaryCard)).one()
    assert card.day == today and card.skills_used == 5 and card.notes == "Hard evening"
    ratings = {(r.kind, r.key): r for r in db.exec(select(DiaryRating))}
    assert ratings[("urge", "self_harm")].value == 2 and ratings[("urge", "self_harm")].acted_on is False
    assert ratings[("urge", "substance_use")].acted_on is True
    assert ("emotion", "shame") not in ratings
    assert [c.assignment_id for c in db.exec(select(HomeworkCompletion))] == [assignment.id]


def test_diary_resave_updates_the_same_card(patient_client, db):
    patient_client.post("/diary", data=diary_data())
    patient_client.post("/diary", data=diary_data(**{"urge-self_harm": "4", "emotion-joy": ""}))
    card = db.exec(select(DiaryCard)).one()
    ratings = {(r.kind, r.key): r.value for r in db.exec(select(DiaryRating).where(DiaryRating.card_id == card.id))}
    assert ratings[("urge", "self_harm")] == 4 and ("emotion", "joy") not in ratings
    assert len(db.exec(select(HomeworkCompletion)).all()) == 0


def test_diary_edit_form_shows_saved_values(patient_client):
    patient_client.post("/diary", data=diary_data())
    page = patient_client.get("/diary")
    assert 'name="urge-self_harm" value="2" checked' in page.text
    assert "Hard evening" in page.text


def test_diary_ranges_are_enforced_on_server(patient_client, db):
    for field, bad, message in (("urge-self_harm", "6", "0 to 5"), ("emotion-fear", "9", "0 to 5"),
                                ("skills_used", "8", "0 to 7"), ("urge-suicide", "-1", "0 to 5")):
        response = patient_client.post("/diary", data=diary_data(**{field: bad}))
        assert response.status_code == 400, field
        assert message in response.text and "Hard evening" in response.text
    assert db.exec(select(DiaryCard)).first() is None


def test_acted_on_without_rating_is_refused(patient_client):
    response = patient_client.post("/diary", data={"acted-self_harm": "yes"})
    assert response.status_code == 400
    assert "Rate how strong the urge was" in response.text


def test_yesterday_is_allowed_older_days_are_not(patient_client, db, patient):
    today = local_today(patient, utcnow())
    yesterday = (today - timedelta(days=1)).isoformat()
    assert patient_client.post(f"/diary?day={yesterday}", data=diary_data()).status_code == 303
    assert db.exec(select(DiaryCard)).one().day.isoformat() == yesterday
    older = (today - timedelta(days=2)).isoformat()
    assert patient_client.get(f"/diary?day={older}").status_code == 404
    assert patient_client.post(f"/diary?day={older}", data=diary_data()).status_code == 404
    assert patient_client.get("/diary?day=nonsense").status_code == 404


def test_therapist_targets_appear_on_card_and_grid(client, db, therapist, patient):
    sign_in(client, therapist)
    assert client.post(f"/patients/{patient.id}/dbt/targets", data={"label": "Urge to skip meals"}).status_code == 303
    assert client.post(f"/patients/{patient.id}/dbt/targets", data={"label": "Urge to skip meals"}).status_code == 400
    sign_in(client, patient)
    assert "Urge to skip meals" in client.get("/diary").text
    client.post("/diary", data=diary_data(**{"urge-t_urge_to_skip_meals": "3", "acted-t_urge_to_skip_meals": "yes"}))
    sign_in(client, therapist)
    grid = client.get(f"/patients/{patient.id}/dbt")
    assert grid.status_code == 200
    assert "Urge to skip meals" in grid.text and 'class="acted">yes' in grid.text
    target = db.exec(select(DiaryTargetRow)).one()
    client.post(f"/patients/{patient.id}/dbt/targets/{target.id}/remove")
    sign_in(client, patient)
    assert "Urge to skip meals" not in client.get("/diary").text


def test_week_grid_shows_days_and_values(therapist_client, db, patient):
    from app.dbt import services
    from app.dbt.rules import check_diary
    from app.dbt.skills_library import DIARY_DEFAULT_EMOTIONS, DIARY_DEFAULT_URGES

    today = local_today(patient, utcnow())
    entry = check_diary(urge_targets=DIARY_DEFAULT_URGES, emotion_targets=DIARY_DEFAULT_EMOTIONS,
                        urges={"self_harm": 4}, acted_on={}, emotions={"anger": 5}, skills_used=7, notes="")
    services.save_diary(db, patient=patient, day=today, entry=entry, at=utcnow())
    db.commit()
    page = therapist_client.get(f"/patients/{patient.id}/dbt?week={today.isoformat()}")
    assert "<td>4</td>" in page.text and "<td>5</td>" in page.text and "<td>7</td>" in page.text
    assert f"{today.strftime('%a')} {today.day}" in page.text


def test_another_therapists_patient_is_404(client, db, patient):
    sign_in(client, make_therapist(db, email="stranger@example.org"))
    assert client.get(f"/patients/{patient.id}/dbt").status_code == 404
    assert client.post(f"/patients/{patient.id}/dbt/targets", data={"label": "x"}).status_code == 404


def test_removing_another_patients_target_is_404(client, db, therapist, patient):
    other = make_patient(db, therapist=therapist, email="other@example.org")
    row = DiaryTargetRow(patient_id=other.id, key="k", label="K", created_by_id=therapist.id, created_at=utcnow())
    db.add(row)
    db.commit()
    sign_in(client, therapist)
    assert client.post(f"/patients/{patient.id}/dbt/targets/{row.id}/remove").status_code == 404


def test_therapist_assigns_a_card(therapist_client, db, patient):
    from app.models import Assignment

    response = therapist_client.post(f"/patients/{patient.id}/dbt/assign", data={"slug": "tipp", "days": "7"})
    assert response.status_code == 303
    assignment = db.exec(select(Assignment)).one()
    assert assignment.target == "skill:tipp" and assignment.kind == HomeworkKind.dbt_skill
    assert (assignment.end_date - assignment.start_date).days == 6
