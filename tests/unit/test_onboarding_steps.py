"""The welcome tour's rules: where it resumes, what finishing and skipping store."""
from app.models import Onboarding, Role, User
from app.onboarding.steps import STEPS, advance, resume_step, skip


def patient(**state) -> User:
    return User(email="p@example.org", name="P", role=Role.patient, **state)


def test_a_new_patient_starts_at_the_first_step():
    user = patient()
    assert user.onboarding == Onboarding.pending and resume_step(user) == "tms"


def test_next_moves_on_and_the_last_step_finishes_the_tour():
    user = patient()
    shown = [resume_step(user)]
    while (following := advance(user, shown[-1])) is not None:
        shown.append(following)
    assert shown == list(STEPS)
    assert user.onboarding == Onboarding.done


def test_skipping_stops_the_tour_and_resumes_at_the_skipped_step():
    user = patient()
    advance(user, "tms")
    skip(user, "install")
    assert user.onboarding == Onboarding.skipped and resume_step(user) == "install"
    assert advance(user, "install") == "reminders" and resume_step(user) == "reminders"


def test_going_back_never_loses_how_far_the_patient_got():
    user = patient(onboarding_step=3)
    advance(user, "tms")
    assert resume_step(user) == "language"


def test_a_finished_tour_reopens_at_the_start_and_stays_finished():
    user = patient(onboarding=Onboarding.done)
    assert resume_step(user) == "tms"
    advance(user, "tms")
    skip(user, "install")
    assert user.onboarding == Onboarding.done


def test_a_stored_step_out_of_range_resumes_inside_the_tour():
    assert resume_step(patient(onboarding_step=99)) == STEPS[-1]
    assert resume_step(patient(onboarding_step=-4)) == STEPS[0]
