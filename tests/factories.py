"""Small factories that build real rows for tests (no mocking of our own database)."""
from functools import lru_cache

from sqlmodel import Session

from app.auth.passwords import hash_password
from app.models import Role, User

TEST_PASSWORD = "correct horse battery staple"


@lru_cache(maxsize=1)
def _test_password_hash() -> str:
    """Argon2 is deliberately slow; hash the shared test password once per run."""
    return hash_password(TEST_PASSWORD)


def make_user(db: Session, *, role: Role, email: str, name: str, timezone: str = "America/New_York",
              therapist: User | None = None, password: bool = True, active: bool = True) -> User:
    user = User(
        email=email.lower(),
        name=name,
        role=role,
        timezone=timezone,
        therapist_id=therapist.id if therapist else None,
        password_hash=_test_password_hash() if password else None,
        active=active,
    )
    db.add(user)
    db.commit()
    db.refresh(user)
    return user


def make_therapist(db: Session, *, email: str = "t@example.org", name: str = "Dr. Test", **kwargs) -> User:
    return make_user(db, role=Role.therapist, email=email, name=name, **kwargs)


def make_admin(db: Session, *, email: str = "a@example.org", name: str = "Admin", **kwargs) -> User:
    return make_user(db, role=Role.admin, email=email, name=name, **kwargs)


def make_patient(db: Session, *, therapist: User, email: str = "p@example.org", name: str = "Pat", **kwargs) -> User:
    return make_user(db, role=Role.patient, email=email, name=name, therapist=therapist, **kwargs)
