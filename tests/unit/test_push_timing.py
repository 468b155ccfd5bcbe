from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from app.models.push import ReminderKind
from app.push import texts
from app.push.sender import PushMessage, encode_payload
from app.push.timing import QuietHours, QuietHoursError, defer_past_quiet_hours, local_instant, release_time

NEW_YORK = ZoneInfo("America/New_York")
NIGHT = QuietHours(time(22, 0), time(7, 0))


def ny(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK).astimezone(UTC)


def test_a_reminder_outside_quiet_hours_keeps_its_time() -> None:
    assert defer_past_quiet_hours(ny(2026, 1, 12, 21, 59), NIGHT, NEW_YORK) == ny(2026, 1, 12, 21, 59)


def test_quiet_hours_start_inclusive_and_end_exclusive() -> None:
    assert defer_past_quiet_hours(ny(2026, 1, 12, 22, 0), NIGHT, NEW_YORK) == ny(2026, 1, 13, 7, 0)
    assert defer_past_quiet_hours(ny(2026, 1, 13, 7, 0), NIGHT, NEW_YORK) == ny(2026, 1, 13, 7, 0)


def test_reminder_after_midnight_in_quiet_hours_waits_until_that_morning() -> None:
    assert defer_past_quiet_hours(ny(2026, 1, 13, 3, 15), NIGHT, NEW_YORK) == ny(2026, 1, 13, 7, 0)


def test_daytime_quiet_hours_end_the_same_day() -> None:
    nap = QuietHours(time(13, 0), time(14, 30))
    assert defer_past_quiet_hours(ny(2026, 1, 12, 13, 45), nap, NEW_YORK) == ny(2026, 1, 12, 14, 30)
    assert defer_past_quiet_hours(ny(2026, 1, 12, 12, 59), nap, NEW_YORK) == ny(2026, 1, 12, 12, 59)


def test_quiet_hours_end_in_local_time_across_the_spring_forward_night() -> None:
    deferred = defer_past_quiet_hours(ny(2026, 3, 7, 23, 0), NIGHT, NEW_YORK)
    assert deferred == datetime(2026, 3, 8, 11, 0, tzinfo=UTC)
    assert deferred.astimezone(NEW_YORK).hour == 7


def test_quiet_hours_end_in_local_time_across_the_fall_back_night() -> None:
    deferred = defer_past_quiet_hours(ny(2026, 10, 31, 23, 0), NIGHT, NEW_YORK)
    assert deferred == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    assert deferred.astimezone(NEW_YORK).hour == 7


def test_quiet_hours_ending_inside_the_spring_forward_gap_end_when_the_clock_jumps() -> None:
    early = QuietHours(time(22, 0), time(2, 30))
    deferred = defer_past_quiet_hours(ny(2026, 3, 8, 1, 0), early, NEW_YORK)
    assert deferred == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert deferred.astimezone(NEW_YORK).strftime("%H:%M") == "03:30"


def test_second_pass_of_a_repeated_hour_never_defers_into_the_past() -> None:
    early = QuietHours(time(22, 0), time(1, 45))
    second_one_thirty = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST, after 01:30 EDT
    deferred = defer_past_quiet_hours(second_one_thirty, early, NEW_YORK)
    assert deferred == datetime(2026, 11, 1, 6, 45, tzinfo=UTC)


def test_local_instant_uses_the_days_own_offset() -> None:
    assert local_instant(date(2026, 3, 7), time(19, 0), NEW_YORK) == datetime(2026, 3, 8, 0, 0, tzinfo=UTC)
    assert local_instant(date(2026, 3, 8), time(19, 0), NEW_YORK) == datetime(2026, 3, 8, 23, 0, tzinfo=UTC)


def test_safety_alerts_and_tests_ignore_quiet_hours_but_reminders_wait() -> None:
    night = ny(2026, 1, 12, 23, 30)
    assert release_time(ReminderKind.safety_alert, night, NIGHT, NEW_YORK) == night
    assert release_time(ReminderKind.test, night, NIGHT, NEW_YORK) == night
    assert release_time(ReminderKind.daily_checkin, night, NIGHT, NEW_YORK) == ny(2026, 1, 13, 7, 0)


def test_quiet_hours_need_two_different_times() -> None:
    with pytest.raises(QuietHoursError) as error:
        QuietHours(time(7, 0), time(7, 0))
    assert error.value.field == "quiet_end"


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError):
        defer_past_quiet_hours(datetime(2026, 1, 12, 23, 0), NIGHT, NEW_YORK)


# Lock-screen privacy

def test_default_texts_do_not_name_the_homework() -> None:
    title = "OCD exposure: touch the door handle"
    private = [
        texts.post_tms_window(closes="13:00", titles=(title,), detailed=False),
        texts.post_tms_nudge(closes="13:00", titles=(title,), detailed=False),
        texts.homework_due(title=title, due="midnight", detailed=False),
        texts.homework_overdue(title=title, detailed=False),
        texts.questionnaire_due(title="PHQ-9 depression", detailed=False),
    ]
    for text in private:
        combined = f"{text.title} {text.body}"
        assert "OCD" not in combined and "exposure" not in combined and "PHQ" not in combined
        assert "depression" not in combined


def test_detailed_texts_name_the_homework_when_the_patient_opted_in() -> None:
    text = texts.homework_due(title="Exposure: door handle", due="18:00", detailed=True)
    assert "Exposure: door handle" in text.body


def test_window_text_gives_the_closing_time() -> None:
    assert texts.post_tms_window(closes="13:05", titles=(), detailed=False).body == (
        "Your practice window is open until 13:05."
    )


def test_safety_alert_text_carries_no_patient_detail() -> None:
    text = texts.safety_alert()
    assert text.body == "A patient needs your attention — open the app."


def test_the_longest_detailed_text_fits_a_push_payload() -> None:
    text = texts.post_tms_window(closes="13:00", titles=tuple("Ü" * 120 for _ in range(40)), detailed=True)
    payload = encode_payload(PushMessage(title=text.title, body=text.body, url="/today", tag="post_tms_window-1"))
    assert len(text.body) <= texts.MAX_BODY
    assert len(payload) < 4096
