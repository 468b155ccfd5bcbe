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
    """Store (or refresh) a subscription; an endpoint already stored moves to this person, since a browser
    belongs to whoever is signed in on it now. Only endpoints of allowed push services are accepted."""
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
    else:
        subscription.user_id, subscription.p256dh, subscription.auth = user.id, p256dh, auth
    db.flush()
    return subscription


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
