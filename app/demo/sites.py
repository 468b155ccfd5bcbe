"""Two demo sites in different time zones: the default site becomes Manhattan (New York) and Chicago Loop is added;
Sam and Lucía are treated in Chicago. The TMS team's admin and the physician work at both (the admin is then the
network's org admin and sees the switcher); the technician works in Manhattan only."""
from sqlmodel import Session, select

from app.models import Site
from app.sites import services as sites

MANHATTAN = {"name": "Manhattan", "timezone": "America/New_York", "address": "200 W 57th St, New York, NY 10019",
             "clinic_phone": "(212) 555-0100", "after_hours_phone": "(212) 555-0199", "holiday_region": "NY"}
CHICAGO = {"name": "Chicago Loop", "timezone": "America/Chicago", "address": "55 E Monroe St, Chicago, IL 60603",
           "clinic_phone": "(312) 555-0100", "after_hours_phone": "(312) 555-0199", "holiday_region": "IL"}
CHICAGO_PATIENTS = ("sam", "lucia")
BOTH_SITES = ("staff", "physician")


def seed_sites(db: Session, clinic) -> None:
    home = sites.default_site(db)
    if home.name != MANHATTAN["name"] and db.exec(select(Site).where(Site.name == MANHATTAN["name"])).first() is None:
        sites.update_site(db, home, **MANHATTAN)
    chicago = db.exec(select(Site).where(Site.name == CHICAGO["name"])).first()
    if chicago is None:
        chicago = sites.create_site(db, **CHICAGO)
    for key in CHICAGO_PATIENTS:
        sites.assign_patient(db, patient=clinic.people[key], site=chicago)
    for key in BOTH_SITES:
        sites.assign_staff(db, staff=clinic.people[key], site=chicago)
    db.flush()
