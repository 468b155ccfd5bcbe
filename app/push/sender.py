"""The network edge of web push (RFC 8030 delivery, RFC 8291 encryption, RFC 8292 VAPID), without a database.

Encryption and the VAPID token come from the customer-mandated ``webpush`` 1.0.6, called through one function,
``build_request``, that passes every value explicitly and sets TTL, Urgency and Topic itself. Callers own state:
on GONE they delete the subscription, on RETRY they reschedule with ``next_retry_delay``, on REJECTED they log.
"""

import http.client
import ipaddress
import json
import re
import ssl
import threading
from base64 import urlsafe_b64decode, urlsafe_b64encode
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from hashlib import sha256
from types import TracebackType
from typing import Any, NamedTuple, Self
from urllib.parse import urlsplit

from webpush import WebPush
from webpush.types import WebPushKeys, WebPushSubscription

from app.push.vapid import VapidKeys

DEFAULT_TTL = 12 * 60 * 60
SAFETY_ALERT_TTL = 24 * 60 * 60
MAX_TTL = 28 * 24 * 60 * 60  # FCM's ceiling; a reminder older than that is no longer worth showing
MAX_PAYLOAD_BYTES = 3900  # 4096-byte record minus 86 header, 16 tag and 1 padding byte, with margin
MAX_TOPIC_LENGTH = 32
MAX_ENDPOINT_LENGTH = 2048
VAPID_TOKEN_LIFETIME = 12 * 60 * 60
BASE_RETRY_DELAY = 30.0
MAX_RETRY_DELAY = 60.0 * 60.0

DEFAULT_PUSH_ALLOWLIST: tuple[str, ...] = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "web.push.apple.com",
    "*.push.apple.com",
    "*.notify.windows.com",
)

_TOPIC_SAFE = re.compile(r"[A-Za-z0-9_-]{1,32}")
_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_DIGITS = re.compile(r"[0-9]+")
_SUBSCRIBER = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class Urgency(StrEnum):
    """RFC 8030 section 5.3: how eagerly a phone should wake its radio for the message."""

    VERY_LOW = "very-low"
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class Outcome(StrEnum):
    """What the caller does next: nothing, delete the subscription, try again later, or log and drop."""

    DELIVERED = "delivered"
    GONE = "gone"
    RETRY = "retry"
    REJECTED = "rejected"


class PushValueError(ValueError):
    """A push value cannot be used; carries the field name and a message fit to show beside it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InvalidPushMessage(PushValueError):
    """A notification's content breaks a rule of ours or of the push protocol."""


class PayloadTooLarge(InvalidPushMessage):
    """Push services refuse bodies over 4096 bytes; we stop at 3900 bytes of plaintext to leave margin."""


class InvalidSubscription(PushValueError):
    """A browser subscription that no message can ever reach (malformed endpoint or keys)."""


@dataclass(frozen=True)
class PushMessage:
    """One notification; ``url`` is the in-app path opened on tap, ``tag`` groups and replaces notifications."""

    title: str
    body: str
    url: str = "/"
    tag: str = ""
    urgency: Urgency = Urgency.NORMAL
    ttl: int = DEFAULT_TTL

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise InvalidPushMessage("title", "A notification needs a title.")
        if not self.url.startswith("/") or self.url.startswith("//") or not self.url.isprintable() or "\\" in self.url:
            raise InvalidPushMessage("url", "Must be a path inside the app, such as /today.")
        try:
            object.__setattr__(self, "urgency", Urgency(self.urgency))
        except ValueError as error:
            raise InvalidPushMessage("urgency", "Must be very-low, low, normal or high.") from error
        if isinstance(self.ttl, bool) or not isinstance(self.ttl, int) or not 0 < self.ttl <= MAX_TTL:
            raise InvalidPushMessage("ttl", f"Must be a whole number of seconds from 1 to {MAX_TTL}.")

    @classmethod
    def safety_alert(cls, *, title: str, body: str, url: str, event_id: int | str) -> "PushMessage":
        """Therapist alert for a safety event (CLINICAL.md, Safety: nothing may be lost): high urgency, kept 24 h,
        tagged per event because a push service drops a pending message whose Topic a newer one repeats.

        Lock screens show title and body, so keep the patient's identity and clinical detail out of them."""
        tag = f"safety-{event_id}"
        return cls(title=title, body=body, url=url, tag=tag, urgency=Urgency.HIGH, ttl=SAFETY_ALERT_TTL)


class PushRequest(NamedTuple):
    """Everything needed to POST one encrypted message to a push service."""

    url: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class DeliveryResult:
    """How one delivery attempt ended; ``status_code`` is None when no HTTP response arrived."""

    status_code: int | None
    outcome: Outcome
    retry_after: float | None = None
    detail: str = ""


def encode_payload(msg: PushMessage) -> bytes:
    """The JSON our service worker reads; too large a body would be refused by the push service after encryption."""
    payload = json.dumps(
        {"title": msg.title, "body": msg.body, "url": msg.url, "tag": msg.tag},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise PayloadTooLarge("body", f"The notification is {len(payload)} bytes; the limit is {MAX_PAYLOAD_BYTES}.")
    return payload


def topic_header_value(tag: str) -> str | None:
    """RFC 8030 Topic: at most 32 characters of the URL-safe base64 alphabet; other tags are hashed to fit."""
    if not tag:
        return None
    if _TOPIC_SAFE.fullmatch(tag):
        return tag
    digest = urlsafe_b64encode(sha256(tag.encode("utf-8")).digest()).rstrip(b"=").decode("ascii")
    return digest[:MAX_TOPIC_LENGTH]


def build_request(
    keys: VapidKeys, subscription: Mapping[str, Any], msg: PushMessage, *, subscriber_email: str
) -> PushRequest:
    """Encrypt ``msg`` for one subscription with webpush, passing ttl, subscriber and expiration on every call.

    A fresh WebPush per call costs about 8 microseconds (3 % of the call) and keeps webpush's per-call state
    (it stores ttl and subscriber on the instance) from leaking between messages or threads."""
    payload = encode_payload(msg)
    endpoint, parsed = _parse_subscription(subscription)
    try:
        pushed = WebPush(private_key=keys.private_pem, public_key=keys.public_pem).get(
            payload,
            parsed,
            subscriber=subscriber_address(subscriber_email),
            ttl=msg.ttl,
            expiration=VAPID_TOKEN_LIFETIME,
        )
    except ValueError as error:
        raise InvalidSubscription("keys.p256dh", "The browser key is not a point on the P-256 curve.") from error
    headers = {
        "TTL": str(msg.ttl),
        "Urgency": msg.urgency.value,
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "Authorization": pushed.headers["authorization"],
    }
    topic = topic_header_value(msg.tag)
    if topic is not None:
        headers["Topic"] = topic
    return PushRequest(url=endpoint, headers=headers, body=pushed.encrypted)


def subscriber_address(value: str) -> str:
    """The VAPID contact without its scheme, because webpush always prefixes ``mailto:`` itself."""
    address = value.strip()
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:") :]
    if not _SUBSCRIBER.fullmatch(address):
        raise PushValueError("subscriber_email", "Must be an email address push services can write to.")
    return address


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or HTTP-date, RFC 9110 10.2.3); None if absent."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if _DIGITS.fullmatch(text):
        return float(int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def classify_response(status_code: int, retry_after_header: str | None, *, now: datetime) -> DeliveryResult:
    """Map a push service's status to what we do next (RFC 8030 sections 5 and 8.3; 404/410 mean unsubscribed)."""
    if 200 <= status_code < 300:
        return DeliveryResult(status_code, Outcome.DELIVERED)
    if status_code in (404, 410):
        return DeliveryResult(status_code, Outcome.GONE)
    if status_code == 429 or 500 <= status_code < 600:
        return DeliveryResult(status_code, Outcome.RETRY, parse_retry_after(retry_after_header, now=now))
    return DeliveryResult(status_code, Outcome.REJECTED)


def next_retry_delay(attempt: int, retry_after: float | None) -> float:
    """Seconds before the next try after ``attempt`` failed tries: 30 s doubling to a 1 h cap, or the push
    service's Retry-After when that is longer. The caller stops once the reminder is stale."""
    if attempt < 1:
        raise ValueError("attempt counts failed tries and starts at 1")
    backoff = min(MAX_RETRY_DELAY, BASE_RETRY_DELAY * 2 ** min(attempt - 1, 32))
    if retry_after is not None and retry_after > backoff:
        return float(retry_after)
    return backoff


def endpoint_allowed(endpoint: str, allowlist: Iterable[str], allow_insecure_hosts: Iterable[str]) -> bool:
    """Only POST to known push services over https on port 443, so a forged subscription cannot make the
    server call arbitrary hosts; ``allow_insecure_hosts`` (tests: 127.0.0.1) may use http and any port."""
    if not endpoint or len(endpoint) > MAX_ENDPOINT_LENGTH or not endpoint.isascii() or not endpoint.isprintable():
        return False
    if any(character in endpoint for character in " \\#"):
        return False
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return False
    host = parts.hostname
    if not host or "@" in parts.netloc or parts.path in ("", "/"):
        return False
    if host in {insecure.lower() for insecure in allow_insecure_hosts}:
        return parts.scheme in _DEFAULT_PORTS
    if parts.scheme != "https" or port not in (None, 443) or _is_ip_literal(host):
        return False
    if not all(_HOST_LABEL.fullmatch(label) for label in host.split(".")):
        return False
    return any(_host_matches(host, entry.lower()) for entry in allowlist)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class _OneWrite:
    """http.client writes the headers and the body with two system calls (two TCP segments); a push message is
    under 4 KB, so both go in one write. Uses http.client's header buffer, as its own _send_output does."""

    def _send_output(self, message_body=None, encode_chunked=False):
        if isinstance(message_body, bytes) and not encode_chunked:
            self._buffer.extend((b"", message_body))  # joined with CRLF: headers, blank line, body
            self.send(b"\r\n".join(self._buffer))
            del self._buffer[:]
            return
        super()._send_output(message_body, encode_chunked)  # type: ignore[misc]


class _HTTPConnection(_OneWrite, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_OneWrite, http.client.HTTPSConnection):
    pass


_IDLE_CLOSED = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)
"""What a kept-alive connection the server closed while idle raises on its next use."""


@dataclass(frozen=True)
class _InFlight:
    """A request sent (or that failed to send: `error`) whose answer is still to be read."""

    request: PushRequest
    connection: http.client.HTTPConnection | None
    reused: bool
    error: BaseException | None


class PushSender:
    """Sends over keep-alive connections, one per push-service origin per thread (http.client), so a fan-out may
    share one sender across threads. http.client rather than a pooled httpx client: on the fan-out bench the
    client's own per-request overhead, not the network, was what kept delivery at 0.2-0.3 of encryption speed."""

    def __init__(
        self,
        keys: VapidKeys,
        *,
        subscriber_email: str,
        allowlist: Iterable[str] = DEFAULT_PUSH_ALLOWLIST,
        allow_insecure_hosts: Iterable[str] = (),
        timeout: float = 10.0,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._keys = keys
        self._subscriber = subscriber_address(subscriber_email)
        self._allowlist = tuple(allowlist)
        self._insecure_hosts = tuple(allow_insecure_hosts)
        self._clock = clock
        self._timeout = timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: set[http.client.HTTPConnection] = set()
        self._ssl = ssl.create_default_context()
        self._closed = False

    def send(self, subscription: Mapping[str, Any], msg: PushMessage) -> DeliveryResult:
        """One delivery attempt; raises only for a message that no subscription could take (PayloadTooLarge)."""
        return self.send_all([(subscription, msg)])[0]

    def send_all(self, items: Sequence[tuple[Mapping[str, Any], PushMessage]]) -> list[DeliveryResult]:
        """One delivery attempt per (subscription, message), in order, on this thread's connections. The next
        message is encrypted while the push service answers the previous one (one request in flight at a time,
        so this is not HTTP pipelining and any server handles it); a person's devices, or a fan-out, go out
        faster than one `send` after another."""
        results: list[DeliveryResult | None] = [None] * len(items)
        in_flight: tuple[int, _InFlight] | None = None
        try:
            for index, (subscription, msg) in enumerate(items):
                prepared = self._prepare(subscription, msg)
                if in_flight is not None:
                    results[in_flight[0]] = self._finish(in_flight[1])
                    in_flight = None
                if isinstance(prepared, DeliveryResult):
                    results[index] = prepared
                else:
                    in_flight = (index, self._start(prepared))
            if in_flight is not None:
                results[in_flight[0]] = self._finish(in_flight[1])
                in_flight = None
        except BaseException:
            if in_flight is not None and in_flight[1].connection is not None:
                self._discard(in_flight[1].connection)  # its answer is unread: the connection must not be reused
            raise
        return results  # type: ignore[return-value]  (every index was filled above)

    def _prepare(self, subscription: Mapping[str, Any], msg: PushMessage) -> PushRequest | DeliveryResult:
        """The encrypted request, or the reason it cannot be sent (a DeliveryResult that needs no request)."""
        endpoint = subscription.get("endpoint")
        if not isinstance(endpoint, str) or not endpoint_allowed(endpoint, self._allowlist, self._insecure_hosts):
            return DeliveryResult(None, Outcome.REJECTED, detail="endpoint is not on the push allow-list")
        try:
            return build_request(self._keys, subscription, msg, subscriber_email=self._subscriber)
        except InvalidSubscription as error:
            return DeliveryResult(None, Outcome.REJECTED, detail=str(error))

    def _start(self, request: PushRequest) -> _InFlight:
        """Send the request on this thread's connection to its origin; the answer is read by `_finish`."""
        parts = urlsplit(request.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection, reused = self._connection(parts.scheme, parts.hostname or "", parts.port)
        try:
            connection.request("POST", target, body=request.body, headers=request.headers)
        except (OSError, http.client.HTTPException) as error:
            self._discard(connection)
            return _InFlight(request, None, reused, error)
        except BaseException:
            self._discard(connection)
            raise
        return _InFlight(request, connection, reused, None)

    def _finish(self, in_flight: _InFlight) -> DeliveryResult:
        """Read the answer. A kept-alive connection the server had closed while idle fails before anything was
        delivered on it: the request is sent once more on a new connection (so this cannot deliver twice)."""
        while True:
            error = in_flight.error
            if in_flight.connection is not None:
                try:
                    return self._answer(in_flight.connection)
                except (OSError, http.client.HTTPException) as raised:
                    error = raised
            if not (in_flight.reused and isinstance(error, _IDLE_CLOSED)):
                return DeliveryResult(None, Outcome.RETRY, detail=f"{type(error).__name__}: {error}")
            in_flight = self._start(in_flight.request)  # a new connection is not `reused`: one more try at most

    def _answer(self, connection: http.client.HTTPConnection) -> DeliveryResult:
        try:
            response = connection.getresponse()
            body = response.read(4096)
        except BaseException:
            self._discard(connection)
            raise
        if response.will_close:
            self._discard(connection)
        result = classify_response(response.status, response.getheader("Retry-After"), now=self._clock())
        if result.outcome is Outcome.REJECTED:
            return DeliveryResult(result.status_code, result.outcome, detail=body.decode("utf-8", "replace")[:200])
        return result

    def _connection(self, scheme: str, host: str, port: int | None) -> tuple[http.client.HTTPConnection, bool]:
        if self._closed:
            raise RuntimeError("this PushSender is closed")
        pool: dict[tuple[str, str, int | None], http.client.HTTPConnection] = self._local.__dict__.setdefault("pool", {})
        key = (scheme, host, port)
        connection = pool.get(key)
        if connection is not None:
            return connection, True
        timeout = self._timeout
        if scheme == "https":
            connection = _HTTPSConnection(host, port, timeout=timeout, context=self._ssl)
        else:
            connection = _HTTPConnection(host, port, timeout=timeout)
        pool[key] = connection
        with self._lock:
            self._open.add(connection)
        return connection, False

    def _discard(self, connection: http.client.HTTPConnection) -> None:
        connection.close()
        pool = self._local.__dict__.get("pool", {})
        for key, value in list(pool.items()):
            if value is connection:
                del pool[key]
        with self._lock:
            self._open.discard(connection)

    def close(self) -> None:
        """Close every thread's connections; the sender cannot be used afterwards."""
        self._closed = True
        with self._lock:
            connections, self._open = list(self._open), set()
        for connection in connections:
            connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def _parse_subscription(subscription: Mapping[str, Any]) -> tuple[str, WebPushSubscription]:
    endpoint = subscription.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
        raise InvalidSubscription("endpoint", "The subscription has no http(s) endpoint.")
    keys = subscription.get("keys")
    if not isinstance(keys, Mapping):
        raise InvalidSubscription("keys", "The subscription has no keys.")
    if len(_decode_base64url(keys.get("p256dh"), "keys.p256dh")) != 65:
        raise InvalidSubscription("keys.p256dh", "The browser key must be a 65-byte uncompressed P-256 point.")
    if len(_decode_base64url(keys.get("auth"), "keys.auth")) != 16:
        raise InvalidSubscription("keys.auth", "The auth secret must be 16 bytes.")
    audience = _Audience.of(endpoint)
    parsed = WebPushSubscription.model_construct(
        endpoint=audience, keys=WebPushKeys.model_construct(p256dh=keys["p256dh"], auth=keys["auth"])
    )
    return endpoint, parsed


def _decode_base64url(value: object, field: str) -> bytes:
    if not isinstance(value, str) or not value.isascii():
        raise InvalidSubscription(field, "Must be base64url text.")
    try:
        return urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except ValueError as error:
        raise InvalidSubscription(field, "Must be base64url text.") from error


class _Audience(NamedTuple):
    """All webpush 1.0.6 reads from ``subscription.endpoint``: it signs ``aud`` as ``{scheme}://{host}``.

    Its pydantic URL's ``host`` drops the port, which breaks ``aud`` off the default port, so we hand it the
    RFC 6454 origin's host[:port] instead; for real push services (https, port 443) both are the same."""

    scheme: str
    host: str

    @classmethod
    def of(cls, endpoint: str) -> "_Audience":
        try:
            parts = urlsplit(endpoint)
            port = parts.port
        except ValueError as error:
            raise InvalidSubscription("endpoint", "The subscription endpoint is not a valid URL.") from error
        if not parts.hostname:
            raise InvalidSubscription("endpoint", "The subscription endpoint has no host.")
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        if port is None or port == _DEFAULT_PORTS[parts.scheme]:
            return cls(parts.scheme, host)
        return cls(parts.scheme, f"{host}:{port}")


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _host_matches(host: str, entry: str) -> bool:
    if entry.startswith("*."):
        suffix = entry[1:]
        return host.endswith(suffix) and len(host) > len(suffix)
    return host == entry
