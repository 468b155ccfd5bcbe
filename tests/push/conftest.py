from collections.abc import Iterator

import pytest

from app.push.sender import PushSender
from app.push.vapid import VapidKeys, generate_vapid_keys
from tests.support.fake_push import FakePushService


@pytest.fixture
def fake_push() -> Iterator[FakePushService]:
    with FakePushService() as service:
        yield service


@pytest.fixture
def vapid_keys(tmp_path) -> VapidKeys:
    return generate_vapid_keys(tmp_path / "instance")


@pytest.fixture
def sender(vapid_keys: VapidKeys) -> Iterator[PushSender]:
    with PushSender(
        vapid_keys, subscriber_email="push@clinic.example", allow_insecure_hosts=["127.0.0.1"], timeout=5.0
    ) as push_sender:
        yield push_sender
