"""How long a patient may correct or delete their own entries (pure: values in, values out, the time passed in).

A week covers "I typed 2 instead of 7 yesterday" and a missed weekend; after that the entry is what the therapist
has reviewed, so it stays as it was (a correction is a new entry).
"""
from datetime import datetime, timedelta
from enum import StrEnum

EDIT_WINDOW = timedelta(days=7)


class EntryKind(StrEnum):
    """The entries a patient may correct: each names its table (also the homework completion's source)."""

    checkin = "mood_checkins"
    practice = "exposure_practices"
    activity = "activities"
    diary = "dbt_diary_cards"


def editable_until(made_at: datetime) -> datetime:
    return made_at + EDIT_WINDOW


def may_change(made_at: datetime, now: datetime) -> bool:
    """Within 7 days of when the entry was first made (a correction never extends the window)."""
    return now < editable_until(made_at)
