"""Account operations: create users, issue and redeem one-time links, set passwords, deactivate.

Each function does one unit of work and only flushes; the request or CLI command commits.
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select, update

from app.auth.events import user_deactivated
from app.auth.passwords import check_password_policy, hash_password, verify_password
from app.i18n.languages import is_supported
from app.models import AccountToken, Role, TokenPurpose, User
from app.timezones import validate_timezone
from app.validation import FieldError


class AccountError(FieldError):
    """A user-facing problem with account input; `field` names the form field it belongs beside."""


class StillHasPatients(AccountError):
    """A therapist who still treats patients cannot be deactivated: their alerts would go to nobody."""

    def __init__(self, patients: list[User]):
        self.patients = patients
        count = len(patients)
        super().__init__("active", f"still has {count} patient{'s' if count != 1 else ''}. Reassign them first.")


class LinkInvalid(ValueError):
    """An invite or reset link that is unknown, used or expired; `reason` says which, for the page."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IssuedLink:
    token: str
    expires_at: datetime


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _validate_email(email: str) -> str:
    email = normalise_email(email)
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > 254 or " " in email:
        raise AccountError("email", "Enter an email address like name@example.com.")
    return email


def find_user_by_email(db: Session, email: str) -> User | None:
    return db.exec(select(User).where(User.email == normalise_email(email))).first()


def create_user(
    db: Session,
    *,
    role: Role,
    email: str,
    name: str,
    timezone: str = "America/New_York",
    therapist: User | None = None,
    password: str | None = None,
    demo: bool = False,
    language: str = "en",
    site=None,
) -> User:
    """Create an account; a patient must have a treating therapist. Without a password the user needs an invite.
    A patient is placed at `site`, and staff work there (the default site when None)."""
    email = _validate_email(email)
    name = (name or "").strip()
    if not name:
        raise AccountError("name", "Enter a name.")
    if len(name) > 120:
        raise AccountError("name", "Names can be at most 120 characters.")
    try:
        validate_timezone(timezone)
    except ValueError as exc:
        raise AccountError("timezone", str(exc)) from None
    if role == Role.patient and (therapist is None or therapist.role != Role.therapist or not therapist.active):
        raise AccountError("therapist_id", "Choose the patient's treating therapist.")
    if not is_supported(language):
        raise AccountError("language", "Choose one of the languages shown.")
    if find_user_by_email(db, email):
        raise AccountError("email", "There is already an account with that email.")
    user = User(
        email=email,
        name=name,
        role=role,
        timezone=timezone.strip(),
        language=language,
        therapist_id=therapist.id if role == Role.patient and therapist else None,
    )
    if password is not None:
        check_password_policy(password, email=email, name=name, demo=demo)
        user.password_hash = hash_password(password)
    db.add(user)
    db.flush()
    place_at_site(db, user, site)
    return user


def place_at_site(db: Session, user: User, site=None) -> None:
    """A new patient belongs to `site`; new staff work there (the default site when None)."""
    from app.sites import services as sites

    site = site or sites.default_site(db)
    if user.role == Role.patient:
        sites.assign_patient(db, patient=user, site=site)
    else:
        sites.assign_staff(db, staff=user, site=site)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(db: Session, *, user: User, purpose: TokenPurpose, by: User | None, now: datetime, hours: int = 72) -> IssuedLink:
    """A fresh single-use link; earlier unused links of the same purpose stop working."""
    for old in db.exec(
        select(AccountToken).where(
            AccountToken.user_id == user.id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None)
        )
    ):
        old.used_at = now
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=hours)
    db.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=_token_hash(token),
            created_by_id=by.id if by else None,
            created_at=now,
            expires_at=expires_at,
        )
    )
    db.flush()
    return IssuedLink(token=token, expires_at=expires_at)


def check_link(db: Session, token: str, *, now: datetime) -> tuple[AccountToken, User]:
    """The link's record and user, or LinkInvalid saying why (unknown, used, expired, account closed)."""
    record = db.exec(select(AccountToken).where(AccountToken.token_hash == _token_hash(token or ""))).first()
    if record is None:
        raise LinkInvalid("unknown")
    if record.used_at is not None:
        raise LinkInvalid("used")
    if record.expires_at <= now:
        raise LinkInvalid("expired")
    user = db.get(User, record.user_id)
    if user is None or not user.active:
        raise LinkInvalid("unknown")
    return record, user


def redeem_link(db: Session, token: str, *, password: str, timezone: str | None, now: datetime) -> User:
    """Set the password from an invite or reset link, once; signs out every other device."""
    record, user = check_link(db, token, now=now)
    check_password_policy(password, email=user.email, name=user.name)
    if timezone:
        try:
            validate_timezone(timezone)
        except ValueError as exc:
            raise AccountError("timezone", str(exc)) from None
        user.timezone = timezone.strip()
    claimed = db.exec(
        update(AccountToken).where(AccountToken.id == record.id, AccountToken.used_at.is_(None)).values(used_at=now)
    )
    if claimed.rowcount != 1:  # a parallel request redeemed it first: one link, one password
        raise LinkInvalid("used")
    _set_password(user, password)
    db.flush()
    return user


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.session_version += 1


def set_password(db: Session, *, user: User, password: str) -> None:
    """A new password; bumping the session version signs out every other device."""
    check_password_policy(password, email=user.email, name=user.name)
    _set_password(user, password)
    db.flush()


def authenticate(db: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, else None (same answer for every failure)."""
    user = find_user_by_email(db, email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if not user.active:
        return None
    return user


def assigned_patients(db: Session, therapist: User) -> list[User]:
    """Active patients whose treating therapist this is (their safety alerts go to them)."""
    return list(db.exec(
        select(User).where(User.role == Role.patient, User.therapist_id == therapist.id, User.active).order_by(User.name)
    ))


def deactivate(db: Session, *, user: User) -> None:
    """Block sign-in and end every session; the records stay. Receivers of user_deactivated (push) clean up.

    Refused for a therapist who still has active patients (CLINICAL.md, Safety): reassign them first."""
    if user.role == Role.therapist and (patients := assigned_patients(db, user)):
        raise StillHasPatients(patients)
    user.active = False
    user.session_version += 1
    db.flush()
    user_deactivated.send(user, db=db)


def reactivate(db: Session, *, user: User) -> None:
    user.active = True
    db.flush()


def assign_therapist(db: Session, *, patient: User, therapist: User) -> None:
    if patient.role != Role.patient:
        raise AccountError("therapist_id", "Only patients have a treating therapist.")
    if therapist.role != Role.therapist or not therapist.active:
        raise AccountError("therapist_id", "Choose an active therapist.")
    patient.therapist_id = therapist.id
    db.flush()
