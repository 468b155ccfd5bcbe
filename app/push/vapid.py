"""VAPID keys (RFC 8292): the P-256 key pair that identifies our server to browser push services.

The private key lives either in PEM files under a directory (``instance/`` in development) or in one
environment value (``VAPID_PRIVATE_KEY`` in deployments); when both exist the environment value wins, so a
deployment never silently falls back to a stray file. Only the private key is ever read: the public key is
derived from it, so the two cannot drift apart. Replacing the key pair invalidates every stored subscription.
"""

import binascii
import os
from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_der_private_key,
    load_pem_private_key,
)

VAPID_PRIVATE_KEY_ENV = "VAPID_PRIVATE_KEY"
PRIVATE_KEY_FILE = "vapid_private.pem"
PUBLIC_KEY_FILE = "vapid_public.pem"


class VapidKeyError(ValueError):
    """A configured VAPID key cannot be used; carries the setting it came from."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class VapidKeys:
    """The server's VAPID key pair as PEM (what webpush takes) plus the key the browser subscribes with."""

    private_pem: bytes
    public_pem: bytes
    application_server_key: str


def generate_vapid_keys(directory: Path) -> VapidKeys:
    """Create a new key pair in ``directory``; refuses to overwrite, since new keys orphan all subscriptions."""
    directory.mkdir(parents=True, exist_ok=True)
    keys = _keys_from_private(ec.generate_private_key(ec.SECP256R1()))
    _write_new_file(directory / PRIVATE_KEY_FILE, keys.private_pem, mode=0o600)
    (directory / PUBLIC_KEY_FILE).write_bytes(keys.public_pem)
    return keys


def load_vapid_keys(directory: Path, *, env_value: str | None = None) -> VapidKeys | None:
    """Keys from the environment value if set, else from ``directory``; None when neither is configured."""
    if env_value is not None and env_value.strip():
        return vapid_keys_from_private_key(env_value, field=VAPID_PRIVATE_KEY_ENV)
    private_path = directory / PRIVATE_KEY_FILE
    if not private_path.exists():
        return None
    return vapid_keys_from_private_key(private_path.read_text(encoding="ascii"), field=str(private_path))


def vapid_keys_from_private_key(value: str, *, field: str = VAPID_PRIVATE_KEY_ENV) -> VapidKeys:
    """Accept a PEM private key (PKCS#8 or SEC1; ``\\n`` escapes allowed, as .env files write them) or
    base64url of the raw 32-byte scalar (what the Node ``web-push`` tool prints) or of a DER key."""
    text = value.strip().replace("\\n", "\n")
    if text.startswith("-----BEGIN"):
        try:
            private_key = load_pem_private_key(text.encode("ascii"), password=None)
        except (ValueError, TypeError, UnicodeEncodeError) as error:
            raise VapidKeyError(field, "is not a readable unencrypted PEM private key") from error
    else:
        private_key = _private_key_from_base64url(text, field)
    if not isinstance(private_key, ec.EllipticCurvePrivateKey) or not isinstance(private_key.curve, ec.SECP256R1):
        raise VapidKeyError(field, "must be a P-256 (prime256v1) elliptic-curve key")
    return _keys_from_private(private_key)


def _private_key_from_base64url(text: str, field: str) -> ec.EllipticCurvePrivateKey:
    try:
        raw = urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise VapidKeyError(field, "is neither PEM nor base64url") from error
    if len(raw) == 32:
        try:
            return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
        except ValueError as error:
            raise VapidKeyError(field, "is not a valid P-256 private scalar") from error
    try:
        private_key = load_der_private_key(raw, password=None)
    except (ValueError, TypeError) as error:
        raise VapidKeyError(field, "is neither a raw 32-byte key nor a DER private key") from error
    if not isinstance(private_key, ec.EllipticCurvePrivateKey):
        raise VapidKeyError(field, "must be a P-256 (prime256v1) elliptic-curve key")
    return private_key


def _keys_from_private(private_key: ec.EllipticCurvePrivateKey) -> VapidKeys:
    public_key = private_key.public_key()
    point = public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return VapidKeys(
        private_pem=private_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()),
        public_pem=public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo),
        application_server_key=urlsafe_b64encode(point).rstrip(b"=").decode("ascii"),
    )


def _write_new_file(path: Path, content: bytes, *, mode: int) -> None:
    """Create exclusively with the final permissions, so the private key is never briefly world-readable."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
