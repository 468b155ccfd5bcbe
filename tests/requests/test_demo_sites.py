"""The demo network: two sites in different time zones, patients at each; the admin switches, the technician
works in Manhattan only and never sees Chicago's patients."""
from sqlmodel import select

from app.demo import seed
from app.models import Site, User
from tests.conftest import sign_in


def _user(db, email):
    return db.exec(select(User).where(User.email == email)).one()


def test_demo_has_two_sites_in_different_zones_with_patients_at_each(client, db):
    seed(db)
    seed(db)  # idempotent
    sites = {s.name: s for s in db.exec(select(Site))}
    assert {s.timezone for s in sites.values()} == {"America/New_York", "America/Chicago"}
    sam, dana = _user(db, "sam@demo.clinic"), _user(db, "dana@demo.clinic")
    assert sam.site_id == sites["Chicago Loop"].id and dana.site_id == sites["Manhattan"].id

    sign_in(client, _user(db, "technician@demo.clinic"))
    day_list = client.get("/clinic/today").text
    assert 'id="site-switcher"' not in day_list  # one site: no extra step
    assert client.get(f"/patients/{sam.id}/tms").status_code == 404
    assert client.get(f"/patients/{dana.id}/tms").status_code == 200

    sign_in(client, _user(db, "staff@demo.clinic"))
    assert 'id="site-switcher"' in client.get("/clinic/today").text
    assert client.get("/admin/network").status_code == 200
    client.post("/sites/current", data={"site_id": sites["Chicago Loop"].id})
    assert "America/Chicago" in client.get("/clinic/today").text

    sign_in(client, sam)
    assert 'href="tel:3125550100"' in client.get("/safety/crisis").text
