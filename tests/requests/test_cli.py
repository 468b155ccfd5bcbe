"""The clinic's operations commands."""
from sqlmodel import select

from app.auth import accounts
from app.demo import DEMO_PASSWORD, PEOPLE
from app.models import Role, User


def test_create_user_then_sign_in(runner, db, client):
    result = runner.invoke(args=["create-user", "--role", "therapist", "--email", "T@x.org", "--password", "a long enough passphrase", "--name", "Dr T"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["create-user", "--role", "patient", "--email", "p@x.org", "--password", "another long passphrase", "--therapist", "t@x.org", "--timezone", "Europe/Berlin"])
    assert result.exit_code == 0, result.output
    patient = db.exec(select(User).where(User.email == "p@x.org")).one()
    assert patient.timezone == "Europe/Berlin" and patient.therapist_id is not None
    assert client.post("/login", data={"email": "p@x.org", "password": "another long passphrase"}).status_code == 302


def test_create_user_rejects_bad_input_clearly(runner):
    result = runner.invoke(args=["create-user", "--role", "patient", "--email", "p@x.org", "--password", "a long enough passphrase"])
    assert result.exit_code != 0 and "therapist" in result.output
    result = runner.invoke(args=["create-user", "--role", "admin", "--email", "a@x.org", "--password", "short"])
    assert result.exit_code != 0 and "12 characters" in result.output
    result = runner.invoke(args=["create-user", "--role", "admin", "--email", "a@x.org", "--password", "a long enough passphrase", "--timezone", "Nowhere/Land"])
    assert result.exit_code != 0 and "time zone" in result.output


def test_set_password(runner, db, admin):
    result = runner.invoke(args=["set-password", "--email", admin.email, "--password", "a brand new passphrase"])
    assert result.exit_code == 0, result.output
    db.expire_all()
    assert accounts.authenticate(db, admin.email, "a brand new passphrase") is not None


def test_seed_demo_is_idempotent(runner, db):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    counts = {role: len(db.exec(select(User).where(User.role == role)).all()) for role in Role}
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert {role: len(db.exec(select(User).where(User.role == role)).all()) for role in Role} == counts
    for person in PEOPLE:
        assert accounts.authenticate(db, person.email, DEMO_PASSWORD) is not None
