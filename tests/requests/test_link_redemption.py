"""Single-use links are single use under concurrency too (issue 19, finding 8): the link is claimed with one
UPDATE ... WHERE used_at IS NULL, so of two parallel redemptions exactly one sets the password."""
import pytest
from sqlmodel import Session

from app.auth import accounts
from app.models import TokenPurpose
from app.models.types import utcnow

FIRST, SECOND = "first winter morning light", "second summer evening rain"


def test_two_parallel_redemptions_of_one_link_set_one_password(app, db, therapist, patient):
    link = accounts.issue_link(db, user=patient, purpose=TokenPurpose.password_reset, by=therapist, now=utcnow())
    db.commit()
    engine = app.extensions["engine"]
    with Session(engine) as one, Session(engine) as two:
        accounts.check_link(one, link.token, now=utcnow())  # both requests saw an unused link
        accounts.check_link(two, link.token, now=utcnow())
        accounts.redeem_link(one, link.token, password=FIRST, timezone=None, now=utcnow())
        one.commit()
        with pytest.raises(accounts.LinkInvalid) as problem:
            accounts.redeem_link(two, link.token, password=SECOND, timezone=None, now=utcnow())
        assert problem.value.reason == "used"
        two.rollback()
    db.expire_all()
    assert accounts.authenticate(db, patient.email, FIRST) is not None
    assert accounts.authenticate(db, patient.email, SECOND) is None
