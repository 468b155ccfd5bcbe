"""Saving and removing a browser's push subscription for the signed-in person (several devices each)."""
from base64 import urlsafe_b64decode
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from app.models import User
from app.models.push import PushSubscription
from app.push.sender import endpoint_allowed


class SubscriptionError(ValueError):
    """A subscription we will not store, with the JSON field it concerns and a message for the page."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class SubscriptionTaken(SubscriptionError):
    """A known endpoint posted by another account without proof that this browser holds it (409)."""


MAX_DEVICES = 10
"""Phones, tablets and browsers per person: more is no real use and lets one account swamp the clock."""


def _key_bytes(value: object, field: str, length: int) -> str:
    if not isinstance(value, str) or not value.isascii() or len(value) > 120:
        raise SubscriptionError(field, "Must be base64url text.")
    try:
        raw = urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except ValueError as error:
        raise SubscriptionError(field, "Must be base64url text.") from error
    if len(raw) != length:
        raise SubscriptionError(field, f"Must be {length} bytes.")
    return value.rstrip("=")


def save_subscription(
    db: Session,
    *,
    user: User,
    data: Mapping[str, Any],
    allowlist: Iterable[str],
    insecure_hosts: Iterable[str],
    now: datetime,
) -> PushSubscription:
    """Store (or refresh) a subscription. Only endpoints of allowed push services are accepted.

    An endpoint already stored for someone else moves to this person only with proof of possession: the same
    p256dh and auth keys, which only the browser holding the subscription has (a browser belongs to whoever is
    signed in on it now). Anything else is refused, so a patient who learned a therapist's endpoint cannot take
    that device off the therapist's safety alerts. A person keeps at most MAX_DEVICES; the oldest goes first.
    """
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint_allowed(endpoint, allowlist, insecure_hosts):
        raise SubscriptionError("endpoint", "This browser's push service is not one we can send to.")
    keys = data.get("keys")
    if not isinstance(keys, Mapping):
        raise SubscriptionError("keys", "The subscription has no keys.")
    p256dh = _key_bytes(keys.get("p256dh"), "keys.p256dh", 65)
    auth = _key_bytes(keys.get("auth"), "keys.auth", 16)
    if urlsafe_b64decode(p256dh + "=" * (-len(p256dh) % 4))[0] != 0x04:
        raise SubscriptionError("keys.p256dh", "Must be an uncompressed P-256 point.")
    subscription = db.exec(select(PushSubscription).where(PushSubscription.endpoint == endpoint)).first()
    if subscription is None:
        subscription = PushSubscription(user_id=user.id, endpoint=endpoint, p256dh=p256dh, auth=auth, created_at=now)
        db.add(subscription)
    elif subscription.user_id == user.id:
        subscription.p256dh, subscription.auth = p256dh, auth
    elif (subscription.p256dh, subscription.auth) == (p256dh, auth):
        subscription.user_id = user.id
    else:
        raise SubscriptionTaken("endpoint", "This device is set up for someone else's reminders. Sign out there first.")
    db.flush()
    _keep_newest(db, user, keep=subscription)
    return subscription


def _keep_newest(db: Session, user: User, *, keep: PushSubscription) -> None:
    devices = db.exec(select(PushSubscription).where(PushSubscription.user_id == user.id)
                      .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())).all()
    extra = [device for device in devices if device.id != keep.id][MAX_DEVICES - 1:]
    for device in extra:
        db.delete(device)
    if extra:
        db.flush()


def delete_subscription(db: Session, *, user: User, endpoint: str) -> bool:
    """Remove this person's subscription for `endpoint`; someone else's is left alone (and reported as absent)."""
    subscription = db.exec(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint, PushSubscription.user_id == user.id)
    ).first()
    if subscription is None:
        return False
    db.delete(subscription)
    db.flush()
    return True


def delete_all_subscriptions(db: Session, *, user: User) -> int:
    """Every device of this person stops getting pushes (deactivation)."""
    devices = devices_of(db, user)
    for device in devices:
        db.delete(device)
    db.flush()
    return len(devices)


def devices_of(db: Session, user: User) -> list[PushSubscription]:
    return list(db.exec(select(PushSubscription).where(PushSubscription.user_id == user.id).order_by(PushSubscription.id)))
