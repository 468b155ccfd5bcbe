"""Sites of a clinic network (issue 22): the admin's site pages, moving a patient, staff at sites, per-site time,
closures, day list and crisis numbers, and the organisation-wide view."""
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import select

from app.checkins import services as checkins
from app.checkins.entries import CheckinValues
from app.models import ClinicClosure, MoodCheckin, Role, Site, StaffSite, TmsSession, User
from app.models.types import utcnow
from app.sites.services import assign_staff, default_site, update_site
from tests.conftest import sign_in
from tests.factories import make_course, make_patient, make_site, make_user


def test_admin_adds_a_site_and_bad_input_is_explained_beside_the_field(admin_client, db):
    refused = admin_client.post("/admin/sites", data={"name": "  ", "address": "1 Lake St", "timezone": "America/Chicago"})
    assert refused.status_code == 400 and "Give the site a name." in refused.text and "1 Lake St" in refused.text
    bad_zone = admin_client.post("/admin/sites", data={"name": "Chicago", "timezone": "Mars/Olympus"})
    assert bad_zone.status_code == 400 and "not a time zone we know" in bad_zone.text
    assert admin_client.post("/admin/sites", data={"name": "Chicago", "timezone": "America/Chicago"}).status_code == 303
    site = db.exec(select(Site).where(Site.name == "Chicago")).one()
    assert site.timezone == "America/Chicago"
    clash = admin_client.post("/admin/sites", data={"name": "chicago", "timezone": "America/Chicago"})
    assert clash.status_code == 400 and "Another site has that name." in clash.text


def test_a_site_with_patients_cannot_be_deleted(admin_client, db, admin, patient):
    chicago = make_site(db)
    assign_staff(db, staff=admin, site=chicago)
    db.commit()
    home = default_site(db)
    refused = admin_client.post(f"/admin/sites/{home.id}/delete")
    assert refused.status_code == 409 and "still has 1 patient: move them to another site first" in refused.text
    assert db.get(Site, home.id) is not None
    chicago_id = chicago.id
    assert admin_client.post(f"/admin/sites/{chicago_id}/delete").status_code == 303
    db.expire_all()
    assert db.get(Site, chicago_id) is None


def test_moving_a_patient_keeps_their_history_and_hands_them_to_the_new_sites_staff(client, db, admin, patient,
                                                                                    therapist):
    course = make_course(db, patient=patient, by=therapist, start=date(2026, 3, 2), weeks=1)
    checkins.create_checkin(db, patient=patient, values=CheckinValues(mood=6, anxiety=3, sleep_hours=7.0, note=""),
                            at=utcnow())
    db.commit()
    chicago = make_site(db)
    assign_staff(db, staff=admin, site=chicago)
    technician = make_user(db, role=Role.technician, email="tech@example.org", name="Tess Tech")  # home site only
    db.commit()
    sign_in(client, admin)
    assert client.post(f"/admin/patients/{patient.id}/site", data={"site_id": chicago.id}).status_code == 303
    db.expire_all()
    assert db.get(User, patient.id).site_id == chicago.id
    assert len(db.exec(select(TmsSession).where(TmsSession.course_id == course.id)).all()) == 5
    assert len(db.exec(select(MoodCheckin).where(MoodCheckin.patient_id == patient.id)).all()) == 1
    sign_in(client, therapist)  # the care team is scoped by its seats, not by site
    assert client.get(f"/patients/{patient.id}/tms").status_code == 200
    sign_in(client, technician)
    assert client.get(f"/patients/{patient.id}/tms").status_code == 404


def test_an_admin_cannot_move_a_patient_to_a_site_they_do_not_work_at(admin_client, db, patient):
    elsewhere = make_site(db, name="Denver", timezone="America/Denver")
    admin_client.post(f"/admin/patients/{patient.id}/site", data={"site_id": elsewhere.id})
    db.expire_all()
    assert db.get(User, patient.id).site_id == default_site(db).id


def test_admin_assigns_and_removes_staff_at_a_site(admin_client, db, admin, therapist):
    chicago = make_site(db)
    assign_staff(db, staff=admin, site=chicago)
    db.commit()
    admin_client.post(f"/admin/sites/{chicago.id}/staff", data={"user_id": therapist.id, "assigned": "1"})
    assert db.exec(select(StaffSite).where(StaffSite.user_id == therapist.id, StaffSite.site_id == chicago.id)).first()
    admin_client.post(f"/admin/sites/{chicago.id}/staff", data={"user_id": therapist.id, "assigned": "0"})
    db.expire_all()
    assert not db.exec(select(StaffSite).where(StaffSite.user_id == therapist.id,
                                               StaffSite.site_id == chicago.id)).first()


def test_another_sites_pages_are_not_found_for_an_admin_who_does_not_work_there(admin_client, db):
    elsewhere = make_site(db, name="Denver", timezone="America/Denver")
    assert admin_client.get(f"/admin/sites/{elsewhere.id}").status_code == 404
    assert admin_client.post(f"/admin/sites/{elsewhere.id}/delete").status_code == 404
    assert admin_client.post("/sites/current", data={"site_id": elsewhere.id}).status_code == 404


def test_the_switcher_is_remembered_and_the_day_list_is_the_chosen_sites(client, db, admin, therapist):
    chicago = make_site(db)
    assign_staff(db, staff=admin, site=chicago)
    home_patient = make_patient(db, therapist=therapist, email="ny@example.org", name="Nia York")
    chicago_patient = make_patient(db, therapist=therapist, email="chi@example.org", name="Cal Chicago", site=chicago)
    for person in (home_patient, chicago_patient):
        make_course(db, patient=person, by=therapist, start=date(2026, 3, 2), weeks=1)
    sign_in(client, admin)
    first = client.get("/clinic/today?day=2026-03-02").text
    assert 'id="site-switcher"' in first and "Nia York" in first and "Cal Chicago" not in first
    client.post("/sites/current", data={"site_id": chicago.id})
    chosen = client.get("/clinic/today?day=2026-03-02").text
    assert "Cal Chicago" in chosen and "Nia York" not in chosen and "America/Chicago" in chosen


def test_staff_at_one_site_see_no_switcher(therapist_client):
    assert 'id="site-switcher"' not in therapist_client.get("/clinic/today").text


def test_a_course_is_booked_in_its_sites_zone_and_skips_its_sites_closures(db, therapist):
    chicago = make_site(db)
    patient = make_patient(db, therapist=therapist, site=chicago, timezone="America/New_York")
    db.add(ClinicClosure(site_id=default_site(db).id, day=date(2026, 3, 3), label="New York only"))
    db.add(ClinicClosure(site_id=chicago.id, day=date(2026, 3, 4), label="Chicago training"))
    db.commit()
    course = make_course(db, patient=patient, by=therapist, start=date(2026, 3, 2), weeks=1)
    starts = db.exec(select(TmsSession.scheduled_at).where(TmsSession.course_id == course.id)
                     .order_by(TmsSession.scheduled_at)).all()
    days = [s.date() for s in starts]
    assert date(2026, 3, 3) in days and date(2026, 3, 4) not in days
    assert {s.astimezone(ZoneInfo("America/Chicago")).hour for s in starts} == {9}  # Chicago time, not New York


def test_closures_page_and_clinic_time_are_the_current_sites(client, db, admin):
    chicago = make_site(db)
    assign_staff(db, staff=admin, site=chicago)
    db.add(ClinicClosure(site_id=default_site(db).id, day=date(2031, 1, 2), label="New York training"))
    db.commit()
    sign_in(client, admin)
    client.post("/sites/current", data={"site_id": chicago.id})
    page = client.get("/clinic/closures").text
    assert "New York training" not in page and "America/Chicago" in page
    client.post("/clinic/closures", data={"first_day": "2031-01-05", "label": "Chicago inventory"})
    assert db.exec(select(ClinicClosure).where(ClinicClosure.label == "Chicago inventory")).one().site_id == chicago.id


def test_the_crisis_screen_shows_the_patients_own_sites_numbers(client, db, therapist):
    update_site(db, default_site(db), clinic_phone="(212) 555-0100")
    chicago = make_site(db, clinic_phone="(312) 555-0100", emergency_number="911")
    patient = make_patient(db, therapist=therapist, site=chicago)
    sign_in(client, patient)
    page = client.get("/safety/crisis").text
    assert 'href="tel:3125550100"' in page and "2125550100" not in page


def test_the_network_view_counts_by_site_without_names_and_only_for_an_org_admin(client, db, admin, therapist):
    chicago = make_site(db)
    patient = make_patient(db, therapist=therapist, name="Private Person", site=chicago)
    make_course(db, patient=patient, by=therapist, start=utcnow().date(), weeks=1, weekdays=frozenset(range(7)))
    sign_in(client, admin)
    assert client.get("/admin/network").status_code == 403  # not at every site
    assign_staff(db, staff=admin, site=chicago)
    db.commit()
    page = client.get("/admin/network").text
    assert "Chicago" in page and "Private Person" not in page and "Active courses" in page


def test_the_calendar_feed_names_the_patients_site_as_where_visits_are(client, db, therapist):
    from datetime import UTC, datetime

    from icalendar import Calendar

    from app.tms import calendar

    chicago = make_site(db, address="55 E Monroe St, Chicago")
    patient = make_patient(db, therapist=therapist, site=chicago)
    make_course(db, patient=patient, by=therapist, start=date(2026, 3, 2), weeks=1)
    token = calendar.new_feed_token(db, patient=patient, now=datetime(2026, 2, 20, tzinfo=UTC))
    db.commit()
    entries = Calendar.from_ical(client.get(f"/calendar/{token}.ics").data).walk("VEVENT")
    assert {str(e["location"]) for e in entries} == {"Chicago, 55 E Monroe St, Chicago"}


def test_a_site_zone_change_refreshes_its_patients_today_pages(admin_client, db, patient):
    before = patient.data_version
    admin_client.post("/clinic/time", data={"timezone": "America/Chicago", "opens_at": "07:00", "closes_at": "19:00",
                                            "holiday_country": "US", "holiday_region": ""})
    db.expire_all()
    assert db.get(User, patient.id).data_version > before
    assert default_site(db).timezone == "America/Chicago"


def test_safety_alerts_go_to_the_patients_sites_safety_contacts_only(client, db, therapist):
    from datetime import timedelta

    from app.models import Notification, SafetyEventSource
    from app.safety import routing
    from app.safety import services as safety

    chicago = make_site(db)
    new_york_contact = make_user(db, role=Role.admin, email="ny-duty@example.org", name="NY Duty", safety_contact=True)
    chicago_contact = make_user(db, role=Role.technician, email="chi-duty@example.org", name="Chicago Duty",
                                safety_contact=True, site=chicago)
    patient = make_patient(db, therapist=therapist, name="Cal Chicago", site=chicago)
    start = utcnow()
    event = safety.record_safety_event(db, patient=patient, source=SafetyEventSource.patient_button, at=start)
    db.commit()
    routing.escalate_overdue(db, now=start + timedelta(hours=2))  # nobody has a device: escalated at once
    db.commit()
    told = {n.user_id for n in db.exec(select(Notification))}
    assert chicago_contact.id in told and new_york_contact.id not in told
    sign_in(client, new_york_contact)  # another site's patient: not named on their pages, safety tab closed
    assert "Cal Chicago" not in client.get("/admin").text
    assert client.get(f"/patients/{patient.id}/safety").status_code == 404
    assert event.id is not None
