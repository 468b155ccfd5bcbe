import stat
from base64 import urlsafe_b64decode, urlsafe_b64encode
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from app.push.vapid import (
    PRIVATE_KEY_FILE,
    PUBLIC_KEY_FILE,
    VAPID_PRIVATE_KEY_ENV,
    VapidKeyError,
    generate_vapid_keys,
    load_vapid_keys,
    vapid_keys_from_private_key,
)


def _b64url(raw: bytes) -> str:
    return urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_generated_keys_are_written_as_pem_with_a_private_file_only_the_owner_reads(tmp_path: Path) -> None:
    directory = tmp_path / "instance"
    keys = generate_vapid_keys(directory)
    private_file = directory / PRIVATE_KEY_FILE
    assert private_file.read_bytes() == keys.private_pem
    assert (directory / PUBLIC_KEY_FILE).read_bytes() == keys.public_pem
    assert stat.S_IMODE(private_file.stat().st_mode) == 0o600
    assert keys.private_pem.startswith(b"-----BEGIN PRIVATE KEY-----")


def test_application_server_key_is_the_unpadded_base64url_uncompressed_p256_point(tmp_path: Path) -> None:
    keys = generate_vapid_keys(tmp_path)
    assert "=" not in keys.application_server_key
    point = urlsafe_b64decode(keys.application_server_key + "=")
    assert len(point) == 65
    assert point[0] == 0x04
    private_key = load_pem_private_key(keys.private_pem, password=None)
    assert isinstance(private_key, ec.EllipticCurvePrivateKey)
    assert ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point) == private_key.public_key()


def test_generating_again_refuses_to_replace_keys_that_subscriptions_depend_on(tmp_path: Path) -> None:
    first = generate_vapid_keys(tmp_path)
    with pytest.raises(FileExistsError):
        generate_vapid_keys(tmp_path)
    assert load_vapid_keys(tmp_path) == first


def test_loading_from_an_empty_directory_finds_no_keys(tmp_path: Path) -> None:
    assert load_vapid_keys(tmp_path / "missing") is None
    assert load_vapid_keys(tmp_path, env_value="  ") is None


def test_loaded_keys_equal_the_generated_ones(tmp_path: Path) -> None:
    assert load_vapid_keys(tmp_path) is None
    generated = generate_vapid_keys(tmp_path)
    assert load_vapid_keys(tmp_path) == generated


def test_public_key_is_derived_from_the_private_key_not_read_from_its_file(tmp_path: Path) -> None:
    generated = generate_vapid_keys(tmp_path)
    (tmp_path / PUBLIC_KEY_FILE).write_bytes(generate_vapid_keys(tmp_path / "other").public_pem)
    assert load_vapid_keys(tmp_path) == generated


def test_environment_value_wins_over_the_key_files(tmp_path: Path) -> None:
    generate_vapid_keys(tmp_path)
    from_env = generate_vapid_keys(tmp_path / "deploy")
    loaded = load_vapid_keys(tmp_path, env_value=from_env.private_pem.decode())
    assert loaded == from_env


def test_environment_pem_with_escaped_newlines_is_accepted(tmp_path: Path) -> None:
    keys = generate_vapid_keys(tmp_path)
    one_line = keys.private_pem.decode().strip().replace("\n", "\\n")
    assert vapid_keys_from_private_key(one_line) == keys


def test_raw_base64url_private_scalar_gives_the_same_keys(tmp_path: Path) -> None:
    keys = generate_vapid_keys(tmp_path)
    private_key = load_pem_private_key(keys.private_pem, password=None)
    assert isinstance(private_key, ec.EllipticCurvePrivateKey)
    scalar = private_key.private_numbers().private_value.to_bytes(32, "big")
    assert vapid_keys_from_private_key(_b64url(scalar)) == keys


def test_base64url_der_and_sec1_pem_keys_are_accepted() -> None:
    private_key = ec.generate_private_key(ec.SECP256R1())
    der = private_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    sec1 = private_key.private_bytes(Encoding.PEM, PrivateFormat.TraditionalOpenSSL, NoEncryption()).decode()
    assert vapid_keys_from_private_key(_b64url(der)) == vapid_keys_from_private_key(sec1)


@pytest.mark.parametrize(
    "value",
    [
        "not a key",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
        _b64url(b"\x00" * 32),
        _b64url(b"\x01" * 31),
    ],
)
def test_unusable_environment_values_name_the_setting(value: str) -> None:
    with pytest.raises(VapidKeyError) as error:
        vapid_keys_from_private_key(value)
    assert error.value.field == VAPID_PRIVATE_KEY_ENV


def test_keys_on_another_curve_are_refused() -> None:
    p384 = ec.generate_private_key(ec.SECP384R1()).private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    with pytest.raises(VapidKeyError, match="P-256"):
        vapid_keys_from_private_key(p384.decode())
