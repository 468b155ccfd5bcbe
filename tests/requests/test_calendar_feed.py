"""The calendar feed as calendar apps use it: stable UIDs, SEQUENCE that moves on changes, conditional GET,
escaped text, and the patient's choice of entry name. Parsed by icalendar and, independently, by vobject."""
from datetime import UTC, date, datetime

import pytest
import vobject
from icalendar import Calendar
from sqlmodel import select

from app.homework.timing import SessionStatus
from app.models import TmsSession
from app.models.tms import CalendarFeed
from app.tms import calendar
from app.tms.services import calendar_status_changes
from tests.factories import make_course


@pytest.fixture
def feed_url(app, db, patient, therapist):
    make_course(db, patient=patient, by=therapist, start=date(2026, 3, 2), weeks=1)
    token = calendar.new_feed_token(db, patient=patient, now=datetime(2026, 2, 20, tzinfo=UTC))
    db.commit()
    return f"/calendar/{token}.ics"


def sessions(db, patient):
    db.expire_all()
    return db.exec(select(TmsSession).where(TmsSession.patient_id == patient.id).order_by(TmsSession.scheduled_at)).all()


def events(body: bytes) -> dict[str, dict]:
    """UID -> the event's properties as icalendar reads them."""
    parsed = Calendar.from_ical(body)
    return {str(e["uid"]): e for e in parsed.walk("VEVENT")}


def test_reschedule_increments_sequence_and_moves_dtstamp_to_the_change(client, admin_client, db, patient, feed_url):
    first = sessions(db, patient)[0]
    before = events(client.get(feed_url).data)
    uid = next(u for u in before if u.startswith(f"tms-session-{first.id}@"))
    assert int(before[uid]["sequence"]) == 0

    assert admin_client.post(f"/tms/sessions/{first.id}/reschedule", data={"date": "2026-03-02", "time": "15:30"}).status_code == 303

    after = events(client.get(feed_url).data)
    moved = sessions(db, patient)[0]
    assert int(after[uid]["sequence"]) == 1
    assert after[uid]["dtstart"].dt == datetime(2026, 3, 2, 20, 30, tzinfo=UTC)
    assert after[uid]["dtstamp"].dt == moved.updated_at.replace(microsecond=0)
    assert after[uid]["last-modified"].dt == after[uid]["dtstamp"].dt
    others = [u for u in after if u != uid]
    assert all(int(after[u]["sequence"]) == 0 for u in others)


def test_cancelling_and_restoring_each_increment_sequence_but_completing_does_not(client, admin_client, db, patient,
                                                                                   feed_url):
    first = sessions(db, patient)[0]
    uid_prefix = f"tms-session-{first.id}@"

    def sequence() -> int:
        return next(int(e["sequence"]) for u, e in events(client.get(feed_url).data).items() if u.startswith(uid_prefix))

    for status, expected in (("cancelled", 1), ("scheduled", 2), ("completed", 2), ("missed", 2)):
        admin_client.post(f"/tms/sessions/{first.id}/status", data={"status": status})
        assert sequence() == expected, status
    assert sessions(db, patient)[0].sequence == 2


def test_dtstamp_is_the_last_change_not_the_fetch_time(client, db, patient, feed_url):
    first = client.get(feed_url).data
    again = client.get(feed_url).data

    assert first == again
    stamps = {e["dtstamp"].dt for e in events(first).values()}
    assert stamps == {max(s.updated_at, datetime(1970, 1, 1, tzinfo=UTC)).replace(microsecond=0)
                      for s in sessions(db, patient)}


def test_repeat_fetch_with_if_none_match_or_if_modified_since_gets_304(client, admin_client, db, patient, feed_url):
    response = client.get(feed_url)
    etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    assert response.status_code == 200 and etag.startswith('"')

    assert client.get(feed_url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(feed_url, headers={"If-Modified-Since": modified}).status_code == 304

    first = sessions(db, patient)[0]
    admin_client.post(f"/tms/sessions/{first.id}/status", data={"status": "cancelled"})
    changed = client.get(feed_url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "STATUS:CANCELLED" in changed.text


def test_feed_is_private_to_the_link_and_never_stored_by_shared_caches(client, feed_url):
    response = client.get(feed_url)
    assert "private" in response.headers["Cache-Control"]
    assert response.mimetype == "text/calendar"


def test_uids_come_from_configuration_not_the_host_header(app, client, feed_url):
    app.config["PUBLIC_BASE_URL"] = ""
    via_localhost = client.get(feed_url, base_url="http://localhost").data
    via_ip = client.get(feed_url, base_url="http://127.0.0.1:5000").data

    assert via_localhost == via_ip
    assert all(uid.endswith(f"@install-{app.config['INSTANCE_ID']}.invalid") for uid in events(via_ip))

    app.config["PUBLIC_BASE_URL"] = "https://homework.clinic.example"
    assert all(uid.endswith("@homework.clinic.example") for uid in events(client.get(feed_url).data))


def test_calendar_name_with_commas_and_semicolons_reads_back_whole_in_both_parsers(app, client, feed_url):
    app.config["CLINIC_NAME"] = "Mind, Body; Brain \\ Clinic"

    body = client.get(feed_url).data

    assert b"Mind\\, Body\\; Brain \\\\ Clinic" in body
    assert b"X-WR-CALNAME:TMS sessions \xc2\xb7 Mind\\, Body\\; Brain \\\\ Clinic\r\n" in body
    assert {str(e["location"]) for e in events(body).values()} == {"Mind, Body; Brain \\ Clinic"}
    parsed = vobject.readOne(body.decode())
    assert parsed.contents["x-wr-calname"][0].value == "TMS sessions · Mind, Body; Brain \\ Clinic"
    assert {e.location.value for e in parsed.vevent_list} == {"Mind, Body; Brain \\ Clinic"}


def test_independent_parser_reads_the_same_events(client, admin_client, db, patient, feed_url):
    first = sessions(db, patient)[0]
    admin_client.post(f"/tms/sessions/{first.id}/reschedule", data={"date": "2026-03-02", "time": "15:30"})

    body = client.get(feed_url).data

    ours = events(body)
    theirs = {e.uid.value: e for e in vobject.readOne(body.decode()).vevent_list}
    assert set(theirs) == set(ours) and len(theirs) == 5
    for uid, event in theirs.items():
        assert int(event.sequence.value) == int(ours[uid]["sequence"])
        assert event.dtstart.value == ours[uid]["dtstart"].dt
        assert event.dtstamp.value == ours[uid]["dtstamp"].dt
        assert event.summary.value == "TMS session"


def test_patient_chooses_a_neutral_name_and_every_entry_changes_with_a_new_dtstamp(patient_client, client, db,
                                                                                   patient, feed_url):
    before = client.get(feed_url)

    assert patient_client.post("/calendar/title", data={"event_title": "neutral"}).status_code == 303

    after = client.get(feed_url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "TMS" not in after.text
    assert "Clinic" not in after.text and "LOCATION" not in after.text
    parsed = events(after.data)
    assert {str(e["summary"]) for e in parsed.values()} == {"Appointment"}
    feed = db.exec(select(CalendarFeed).where(CalendarFeed.patient_id == patient.id)).one()
    assert {e["dtstamp"].dt for e in parsed.values()} == {feed.settings_changed_at.replace(microsecond=0)}
    assert "“Appointment”" in patient_client.get("/calendar").text


def test_an_unknown_title_changes_nothing(patient_client, client, feed_url):
    before = client.get(feed_url).data
    assert patient_client.post("/calendar/title", data={"event_title": "Therapy!"}).status_code == 303
    assert client.get(feed_url).data == before


def test_the_title_is_chosen_when_the_link_is_made(patient_client, client, db, patient):
    page = patient_client.post("/calendar", data={"event_title": "neutral"}).text
    url = page.split('id="feed-url" class="copy-field" type="text" readonly value="')[1].split('"')[0]
    feed = db.exec(select(CalendarFeed).where(CalendarFeed.patient_id == patient.id)).one()
    assert feed.event_title == "neutral"
    assert "X-WR-CALNAME:Appointments" in client.get("/" + url.split("://", 1)[1].split("/", 1)[1]).text


def test_title_without_a_feed_asks_for_a_link_first(patient_client):
    response = patient_client.post("/calendar/title", data={"event_title": "neutral"}, follow_redirects=True)
    assert "Create a calendar link first." in response.text


@pytest.mark.parametrize("old, new, bumps", [
    (SessionStatus.SCHEDULED, SessionStatus.CANCELLED, True),
    (SessionStatus.CANCELLED, SessionStatus.SCHEDULED, True),
    (SessionStatus.SCHEDULED, SessionStatus.COMPLETED, False),
    (SessionStatus.COMPLETED, SessionStatus.MISSED, False),
    (SessionStatus.CANCELLED, SessionStatus.CANCELLED, False),
])
def test_only_a_change_a_calendar_can_see_is_a_new_sequence(old, new, bumps):
    assert calendar_status_changes(old, new) is bumps
