"""The welcome tour through the client: a new patient's first sign-in starts it; skip, resume, language, finish."""
from app.models import Onboarding
from tests.factories import TEST_PASSWORD, make_patient


def new_patient(db, therapist):
    user = make_patient(db, therapist=therapist, email="new@example.org", name="Nia New",
                        onboarding=Onboarding.pending)
    db.commit()
    return user


def sign_in_by_form(client, user):
    return client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})


def test_a_new_patients_first_sign_in_opens_the_tour(client, db, therapist):
    user = new_patient(db, therapist)
    response = sign_in_by_form(client, user)
    assert response.headers["Location"] == "/welcome"
    assert client.get("/welcome").headers["Location"] == "/welcome/tms"
    page = client.get("/welcome/tms")
    assert page.status_code == 200 and "step 1 of 5" in page.text and "Skip the tour" in page.text


def test_a_patient_who_finished_the_tour_signs_in_to_today(client, db, patient):
    assert sign_in_by_form(client, patient).headers["Location"] == "/today"


def test_skip_goes_to_today_and_me_resumes_at_the_same_step(client, db, therapist):
    user = new_patient(db, therapist)
    sign_in_by_form(client, user)
    assert client.post("/welcome/tms", data={"action": "next"}).headers["Location"] == "/welcome/install"
    response = client.post("/welcome/install", data={"action": "skip"})
    assert response.headers["Location"] == "/today"
    db.refresh(user)
    assert (user.onboarding, user.onboarding_step) == (Onboarding.skipped, 1)

    client.post("/logout")
    assert sign_in_by_form(client, user).headers["Location"] == "/today"  # skipped: not shown again
    me = client.get("/me")
    assert 'href="/welcome"' in me.text and "Continue where you left off" in me.text
    assert client.get("/welcome").headers["Location"] == "/welcome/install"


def test_the_language_step_saves_the_choice_and_answers_in_it(client, db, therapist):
    user = new_patient(db, therapist)
    sign_in_by_form(client, user)
    response = client.post("/welcome/language", data={"action": "next", "language": "es"})
    assert response.headers["Location"] == "/welcome/safety"
    db.refresh(user)
    assert user.language == "es"
    assert client.get("/welcome/safety").text.startswith("<!doctype html>\n<html lang=\"es\"")


def test_an_unknown_language_is_refused_beside_the_choice(client, db, therapist):
    user = new_patient(db, therapist)
    sign_in_by_form(client, user)
    response = client.post("/welcome/language", data={"action": "next", "language": "xx"})
    assert response.status_code == 400 and 'id="language-error"' in response.text
    db.refresh(user)
    assert user.language == "en" and user.onboarding_step == 0


def test_finishing_the_tour_lands_on_today_and_marks_it_done(client, db, therapist):
    user = new_patient(db, therapist)
    sign_in_by_form(client, user)
    assert client.post("/welcome/safety", data={"action": "next"}).headers["Location"] == "/today"
    db.refresh(user)
    assert user.onboarding == Onboarding.done
    assert "What the app does" in client.get("/me").text


def test_an_unknown_step_is_not_found(client, db, therapist):
    sign_in_by_form(client, new_patient(db, therapist))
    assert client.get("/welcome/nowhere").status_code == 404
    assert client.post("/welcome/nowhere", data={"action": "next"}).status_code == 404


def test_a_post_without_the_csrf_token_is_refused(client, db, therapist):
    user = new_patient(db, therapist)
    sign_in_by_form(client, user)
    assert client.post("/welcome/tms", data={"action": "skip"}, csrf=False).status_code == 400
    db.refresh(user)
    assert user.onboarding == Onboarding.pending
