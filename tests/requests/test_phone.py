"""The phone experience (issue 17) where the server decides: reminders page, test notification, exposure SUDS,
PHQ-9 gaps named, drafts keyed per person, navigation (Today · Practice · Me), Practice limited to what was given,
and unread therapist comments on Today."""
import re

from sqlmodel import select

from app.exposure import services as exposure
from app.models import HomeworkKind, ThoughtComment
from app.models.exposure import ExposurePractice
from app.models.push import Notification
from app.models.types import utcnow
from tests.conftest import sign_in
from tests.factories import make_assignment, make_patient
from tests.requests.test_thoughts import COMPLETE, records


def ids_in(page: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page))


# --- reminders page ---

def test_test_notification_with_no_device_says_so_and_queues_nothing(patient_client, db):
    response = patient_client.post("/settings/reminders/test", follow_redirects=True)

    assert "on its way" not in response.text
    assert "No device gets reminders yet" in response.text and "Turn on reminders on this device first" in response.text
    assert db.exec(select(Notification)).all() == []


def test_lock_screen_warning_is_rendered_where_its_checkbox_points(patient_client):
    page = patient_client.get("/settings/reminders").text

    described = re.search(r'<input[^>]*id="detailed_text"[^>]*>', page).group(0)
    target = re.search(r'aria-describedby="([^"]+)"', described).group(1)
    assert target in ids_in(page)
    assert "anyone who sees your phone could read" in page


def test_reminders_page_carries_the_install_guide_plain_words_and_a_preview(patient_client):
    page = patient_client.get("/settings/reminders").text

    assert "Add to Home Screen" in page and "only delivers reminders to apps added to the Home Screen" in page
    assert page.count("<li") >= 3 and "data-push-install" in page
    assert "This browser can't show reminders" in page and "data-push-unsupported" in page
    assert "What a reminder looks like" in page and "Time for your practice" in page
    assert "Reminders need this page's script" not in page


# --- exposure ---

def _item(db, patient):
    ladder = exposure.create_hierarchy(db, patient=patient, title="Lifts")
    item = exposure.add_item(db, hierarchy=ladder, kind="pe_in_vivo", description="Ride the lift",
                             ritual="", suds=50, by=patient, at=utcnow())
    db.commit()
    return item


def test_practice_with_only_minutes_stores_no_suds(patient_client, db, patient):
    item = _item(db, patient)
    response = patient_client.post(f"/exposure/items/{item.id}/practice",
                                   data={"entry_token": "t", "duration_minutes": "12"})

    assert response.status_code == 400
    assert "Choose a SUDS rating" in response.text
    assert db.exec(select(ExposurePractice)).all() == []


def test_end_suds_above_the_peak_is_refused_beside_the_field(patient_client, db, patient):
    item = _item(db, patient)
    response = patient_client.post(f"/exposure/items/{item.id}/practice", data={
        "entry_token": "t", "suds_before": "40", "suds_peak": "50", "suds_after": "70", "duration_minutes": "10",
        "notes": "kept words"})

    assert response.status_code == 400
    assert "be higher than the peak" in response.text and "kept words" in response.text
    assert db.exec(select(ExposurePractice)).all() == []


def test_practice_form_starts_with_suds_unset(patient_client, db, patient):
    item = _item(db, patient)
    page = patient_client.get(f"/exposure/items/{item.id}/practice").text

    for name in ("suds_before", "suds_peak", "suds_after"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'value=""' in field or "value=" not in field
    assert not re.search(r'<input[^>]*type="range"[^>]*name=', page)


# --- PHQ-9 names the missing question ---

def test_phq9_names_each_missing_question_and_links_to_it(patient_client):
    data = {f"item{n}": "1" for n in range(1, 10) if n != 4} | {"item9": "0"}
    page = patient_client.post("/questionnaires/phq9", data=data).text

    assert "Question 4 still needs an answer" in page
    assert 'href="#q4"' in page and "data-error-summary" in page


# --- drafts keyed per person ---

def test_draft_keys_name_the_person(client, db, therapist, patient):
    other = make_patient(db, therapist=therapist, email="b@example.org", name="Bea")
    item = _item(db, patient)
    sign_in(client, patient)
    thought_key = re.search(r'data-draft-key="([^"]+)"', client.get("/thoughts/new").text).group(1)
    practice_key = re.search(r'data-draft-key="([^"]+)"', client.get(f"/exposure/items/{item.id}/practice").text).group(1)
    sign_in(client, other)
    other_key = re.search(r'data-draft-key="([^"]+)"', client.get("/thoughts/new").text).group(1)

    assert thought_key != other_key
    assert f":{patient.id}:" in thought_key and f":{patient.id}:" in practice_key and f":{other.id}:" in other_key


# --- navigation, Me, Practice ---

def test_bottom_nav_is_today_practice_progress_me_and_sign_out_lives_under_me(patient_client):
    today = patient_client.get("/today").text
    nav = re.search(r'<nav class="bottom-nav".*?</nav>', today, re.S).group(0)

    assert [label.strip() for label in re.findall(r"</span>([^<]+)</a>", nav)] == ["Today", "Practice", "Progress", "Me"]
    assert "logout" not in nav
    me = patient_client.get("/me").text
    assert 'action="/logout"' in me and "data-confirm" in me
    for label in ("Reminders", "Install on this phone", "Password", "My data"):
        assert label in me


def test_practice_lists_only_modules_given_to_the_patient(patient_client, db, patient):
    page = patient_client.get("/practice").text
    assert "Daily check-in" in page and "Safety plan" in page
    for label in ("Thought record", "Exposure practice", "Diary card", "Activities"):
        assert label not in page
    assert "Reminders" not in page  # settings live under Me

    make_assignment(db, patient=patient, kind=HomeworkKind.thought_record)
    db.commit()
    page = patient_client.get("/practice").text
    assert "Thought record" in page and "Exposure practice" not in page


def test_practice_shows_exposure_once_a_ladder_exists(patient_client, db, patient):
    _item(db, patient)
    assert "Exposure practice" in patient_client.get("/practice").text


# --- unread therapist comments on Today ---

def test_unread_therapist_comment_shows_on_today_until_read(client, db, therapist, patient):
    sign_in(client, patient)
    client.post("/thoughts/new", data=COMPLETE)
    [record] = records(db)
    assert "commented" not in client.get("/today").text
    sign_in(client, therapist)
    client.post(f"/patients/{patient.id}/thoughts/{record.id}/comments", data={"body": "Nice work."})
    sign_in(client, patient)

    today = client.get("/today").text
    assert "Your therapist commented on 1 thought record" in today and f'href="/thoughts/{record.id}"' in today
    client.get(f"/thoughts/{record.id}")
    assert "Your therapist commented" not in client.get("/today").text
    db.expire_all()
    assert all(c.read_at is not None for c in db.exec(select(ThoughtComment)))


def test_therapist_viewing_a_record_does_not_mark_comments_read(client, db, therapist, patient):
    sign_in(client, patient)
    client.post("/thoughts/new", data=COMPLETE)
    [record] = records(db)
    sign_in(client, therapist)
    client.post(f"/patients/{patient.id}/thoughts/{record.id}/comments", data={"body": "Nice work."})
    client.get(f"/patients/{patient.id}/thoughts/{record.id}")
    db.expire_all()
    assert all(c.read_at is None for c in db.exec(select(ThoughtComment)))
