"""The welcome tour's steps and where a patient is in it: one place for the order and for skip and resume."""
from app.models import Onboarding, User

STEPS = ("tms", "install", "reminders", "language", "safety")
"""In the order shown; a patient's `onboarding_step` is the index of the step to resume at."""


def resume_step(user: User) -> str:
    """Where the tour opens: the step a patient stopped or skipped at, or the start once it was finished."""
    if user.onboarding == Onboarding.done:
        return STEPS[0]
    return STEPS[min(max(user.onboarding_step, 0), len(STEPS) - 1)]


def step_after(step: str) -> str | None:
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def step_before(step: str) -> str | None:
    index = STEPS.index(step)
    return STEPS[index - 1] if index > 0 else None


def advance(user: User, step: str) -> str | None:
    """The patient has seen `step`: the next one to show, or None when the tour is finished (done for good)."""
    following = step_after(step)
    if following is None:
        user.onboarding = Onboarding.done
        user.onboarding_step = 0
    else:
        if user.onboarding != Onboarding.done:
            user.onboarding_step = max(user.onboarding_step, STEPS.index(following))
    return following


def skip(user: User, step: str) -> None:
    """Not now: the tour stops being shown after sign-in and reopens from the Me page at this step."""
    if user.onboarding != Onboarding.done:
        user.onboarding = Onboarding.skipped
        user.onboarding_step = STEPS.index(step)
