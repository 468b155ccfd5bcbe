"""A real HTTP push service on 127.0.0.1 for tests and the fan-out bench.

It records each request and answers as a test programs it per endpoint path. The checks a browser and a push
service would make (RFC 8291 decryption, RFC 8292 VAPID) use http_ece and PyJWT, never webpush's own code, so a
bug in webpush or in our wrapper cannot hide itself.
"""

import os
import re
import sys
import threading
import time
from base64 import urlsafe_b64decode, urlsafe_b64encode
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import http_ece
import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

MAX_VAPID_LIFETIME = 24 * 60 * 60
_AUTHORIZATION = re.compile(r"vapid t=(?P<token>[A-Za-z0-9_.-]+),\s*k=(?P<key>[A-Za-z0-9_-]+)")


class VapidVerificationFailed(AssertionError):
    """The Authorization header is not what a push service accepts."""


@dataclass(frozen=True)
class Reply:
    """One programmed answer; ``headers`` such as Retry-After are sent as given, ``delay`` seconds after the request
    was recorded (a push that arrived but whose answer the sender may never see)."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class RecordedRequest:
    """What reached the service; header names are lower-cased, ``raw_headers`` keeps repeats and order."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes
    raw_headers: tuple[tuple[str, str], ...] = ()
    client_port: int = 0

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class BrowserState:
    """The secrets a browser keeps for one subscription: its P-256 private key and 16-byte auth secret."""

    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes


class FakePushService:
    """ThreadingHTTPServer on a random loopback port; unprogrammed paths answer 201 Created."""

    def __init__(self, *, record_bodies: bool = True) -> None:
        self._record_bodies = record_bodies
        self._lock = threading.Lock()
        self._programs: dict[str, list[Reply]] = {}
        self._requests: list[RecordedRequest] = []
        self._count = 0
        self.unavailable = False
        """While True every request is answered 503 (an outage), whatever is programmed."""
        self._server = _QuietServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-push", daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def request_count(self) -> int:
        with self._lock:
            return self._count

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [request for request in self.requests if request.path == path]

    def program(self, path: str, *replies: int | Reply) -> None:
        """Answer requests to ``path`` with ``replies`` in order; the last one repeats."""
        if not replies:
            raise ValueError("program at least one reply")
        with self._lock:
            self._programs[path] = [reply if isinstance(reply, Reply) else Reply(reply) for reply in replies]

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def _handle(self, method: str, path: str, raw_headers: list[tuple[str, str]], body: bytes, port: int) -> Reply:
        with self._lock:
            self._count += 1
            if self._record_bodies:
                headers = {name.lower(): value for name, value in raw_headers}
                self._requests.append(
                    RecordedRequest(method, self.base_url + path, headers, body, tuple(raw_headers), port)
                )
            if self.unavailable:
                return Reply(503)
            program = self._programs.get(path)
            if not program:
                return Reply(201)
            return program.pop(0) if len(program) > 1 else program[0]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A sender that hung up before reading its answer (it may, after an error mid-batch) is not a failure."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        fake: FakePushService = self.server.fake  # type: ignore[attr-defined]
        reply = fake._handle("POST", self.path, list(self.headers.items()), body, self.client_address[1])
        if reply.delay:
            time.sleep(reply.delay)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


def make_browser_subscription(base_url: str, path: str) -> tuple[dict[str, Any], BrowserState]:
    """What ``PushManager.subscribe()`` hands the page as JSON, and the secrets the browser keeps."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    auth_secret = os.urandom(16)
    point = private_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    subscription = {
        "endpoint": base_url + path,
        "expirationTime": None,
        "keys": {"p256dh": _b64url(point), "auth": _b64url(auth_secret)},
    }
    return subscription, BrowserState(private_key=private_key, auth_secret=auth_secret)


def decrypt(request: RecordedRequest, state: BrowserState) -> bytes:
    """Decrypt as the browser would (RFC 8291, aes128gcm) with http_ece."""
    if request.header("content-encoding") != "aes128gcm":
        raise AssertionError(f"Content-Encoding is {request.header('content-encoding')!r}, not aes128gcm")
    return http_ece.decrypt(
        request.body, private_key=state.private_key, auth_secret=state.auth_secret, version="aes128gcm"
    )


def verify_vapid(request: RecordedRequest, public_key_b64: str, *, now: float | None = None) -> dict[str, Any]:
    """Check ``Authorization: vapid t=<jwt>, k=<key>`` as a push service does (RFC 8292) and return the claims."""
    checked_at = time.time() if now is None else now
    match = _AUTHORIZATION.fullmatch(request.header("authorization") or "")
    if match is None:
        raise VapidVerificationFailed(f"not a vapid Authorization header: {request.header('authorization')!r}")
    if match["key"] != public_key_b64:
        raise VapidVerificationFailed("k= is not the application server key the browser subscribed with")
    point = urlsafe_b64decode(public_key_b64 + "=" * (-len(public_key_b64) % 4))
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    claims: dict[str, Any] = jwt.decode(
        match["token"],
        public_key,
        algorithms=["ES256"],
        audience=_origin(request.url),
        options={"require": ["aud", "exp", "sub"], "verify_exp": False},
    )
    if not checked_at < claims["exp"] <= checked_at + MAX_VAPID_LIFETIME:
        raise VapidVerificationFailed(f"exp {claims['exp']} is not within 24 h after {checked_at:.0f}")
    if not str(claims["sub"]).startswith("mailto:"):
        raise VapidVerificationFailed(f"sub {claims['sub']!r} is not a mailto: contact")
    return claims


def _origin(url: str) -> str:
    parts = urlsplit(url)
    default_port = {"http": 80, "https": 443}[parts.scheme]
    port = "" if parts.port in (None, default_port) else f":{parts.port}"
    return f"{parts.scheme}://{parts.hostname}{port}"


def _b64url(raw: bytes) -> str:
    return urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
