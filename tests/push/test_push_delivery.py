import json
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from app.push.sender import (
    Outcome,
    PayloadTooLarge,
    PushMessage,
    PushSender,
    Urgency,
    build_request,
    encode_payload,
)
from app.push.vapid import VapidKeys, generate_vapid_keys
from tests.support.fake_push import (
    FakePushService,
    RecordedRequest,
    Reply,
    VapidVerificationFailed,
    decrypt,
    make_browser_subscription,
    verify_vapid,
)

SUBSCRIBER = "push@clinic.example"
REMINDER = PushMessage(
    title="Thought record",
    body="A few minutes for today's thought record? Ünïcode stays intact.",
    url="/thoughts/new",
    tag="homework-42",
    urgency=Urgency.LOW,
    ttl=3 * 60 * 60,
)


def test_delivered_message_decrypts_to_the_exact_json_and_carries_a_valid_vapid_token(
    fake_push: FakePushService, sender: PushSender, vapid_keys: VapidKeys
) -> None:
    subscription, browser = make_browser_subscription(fake_push.base_url, "/push/delivered")

    result = sender.send(subscription, REMINDER)

    assert result.outcome is Outcome.DELIVERED
    assert result.status_code == 201
    (request,) = fake_push.requests_to("/push/delivered")
    assert decrypt(request, browser) == encode_payload(REMINDER)
    assert json.loads(decrypt(request, browser))["body"] == REMINDER.body
    claims = verify_vapid(request, vapid_keys.application_server_key)
    assert claims["aud"] == fake_push.base_url
    assert claims["sub"] == f"mailto:{SUBSCRIBER}"


def test_delivery_sets_ttl_urgency_and_topic_headers_once_each(
    fake_push: FakePushService, sender: PushSender
) -> None:
    subscription, _ = make_browser_subscription(fake_push.base_url, "/push/headers")

    sender.send(subscription, REMINDER)

    (request,) = fake_push.requests
    names = [name.lower() for name, _ in request.raw_headers]
    assert request.header("TTL") == "10800"
    assert request.header("Urgency") == "low"
    assert request.header("Topic") == "homework-42"
    assert request.header("Content-Encoding") == "aes128gcm"
    for name in ("ttl", "urgency", "topic", "authorization", "content-encoding"):
        assert names.count(name) == 1, name


def test_safety_alert_goes_out_with_high_urgency_and_a_day_to_live(
    fake_push: FakePushService, sender: PushSender
) -> None:
    subscription, _ = make_browser_subscription(fake_push.base_url, "/push/therapist")
    alert = PushMessage.safety_alert(
        title="Safety alert", body="A patient needs you. Open the dashboard.", url="/therapist", event_id=31
    )

    sender.send(subscription, alert)

    (request,) = fake_push.requests
    assert request.header("TTL") == "86400"
    assert request.header("Urgency") == "high"
    assert request.header("Topic") == "safety-31"


def test_message_without_tag_has_no_topic(fake_push: FakePushService, sender: PushSender) -> None:
    subscription, _ = make_browser_subscription(fake_push.base_url, "/push/untagged")

    sender.send(subscription, PushMessage(title="Check-in", body="How is your mood today?"))

    assert fake_push.requests[0].header("Topic") is None


def test_ttl_of_one_message_does_not_leak_into_the_next(fake_push: FakePushService, sender: PushSender) -> None:
    subscription, _ = make_browser_subscription(fake_push.base_url, "/push/sequence")
    alert = PushMessage.safety_alert(title="Safety alert", body="Open the dashboard", url="/therapist", event_id=1)

    sender.send(subscription, alert)
    sender.send(subscription, REMINDER)

    assert [request.header("TTL") for request in fake_push.requests] == ["86400", "10800"]
    assert [request.header("Urgency") for request in fake_push.requests] == ["high", "low"]


def test_concurrent_sends_keep_each_message_its_own_headers_and_contact(
    fake_push: FakePushService, sender: PushSender, vapid_keys: VapidKeys
) -> None:
    subscription, _ = make_browser_subscription(fake_push.base_url, "/unused")
    jobs = [
        ({**subscription, "endpoint": f"{fake_push.base_url}/push/{ttl}"}, PushMessage(title="t", body="b", ttl=ttl))
        for ttl in range(100, 140)
    ]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda job: sender.send(*job), jobs))

    assert all(result.outcome is Outcome.DELIVERED for result in results)
    for request in fake_push.requests:
        assert request.header("TTL") == request.path.rsplit("/", 1)[1]
        assert verify_vapid(request, vapid_keys.application_server_key)["sub"] == f"mailto:{SUBSCRIBER}"


def test_each_message_is_encrypted_afresh(fake_push: FakePushService, sender: PushSender) -> None:
    subscription, browser = make_browser_subscription(fake_push.base_url, "/push/twice")

    sender.send(subscription, REMINDER)
    sender.send(subscription, REMINDER)

    first, second = fake_push.requests
    assert first.body != second.body
    assert decrypt(first, browser) == decrypt(second, browser) == encode_payload(REMINDER)


def test_consecutive_messages_reuse_one_kept_alive_connection(
    fake_push: FakePushService, sender: PushSender
) -> None:
    for index in range(3):
        subscription, _ = make_browser_subscription(fake_push.base_url, f"/push/keepalive-{index}")
        sender.send(subscription, REMINDER)

    assert len({request.client_port for request in fake_push.requests}) == 1


@pytest.mark.parametrize("status", [404, 410])
def test_unknown_or_expired_subscription_is_gone(fake_push: FakePushService, sender: PushSender, status: int) -> None:
    subscription, _ = make_browser_subscription(fake_push.base_url, "/push/expired")
    fake_push.program("/push/expired", status)

    result = sender.send(subscription, REMINDER)

    assert result.outcome is Outcome.GONE
    assert result.status_code == status


def test_throttled_delivery_is_retried_after_the_seconds_the_service_asks_for(
    fake_push: FakePushService, sender: PushSender
) -> None:
    subscription, _ = make_browser_subscription(fake_push.base_url, "/push/busy")
    fake_push.program("/push/busy", Reply(429, {"Retry-After": "120"}))

    result = sender.send(subscription, REMINDER)

    assert result.outcome is Outcome.RETRY
    assert result.status_code == 429
    assert result.retry_after == 120.0


def test_throttled_delivery_with_a_retry_date_waits_until_that_date(
    fake_push: FakePushService, vapid_keys: VapidKeys
) -> None:
    now = datetime(2025, 3, 4, 15, 0, tzinfo=UTC)
    subscription, _ = make_browser_subscription(fake_push.base_url, "/push/busy-until")
    retry_at = format_datetime(now + timedelta(minutes=10), usegmt=True)
    fake_push.program("/push/busy-until", Reply(429, {"Retry-After": retry_at}))

    with PushSender(
        vapid_keys, subscriber_email=SUBSCRIBER, allow_insecure_hosts=["127.0.0.1"], clock=lambda: now
    ) as sender:
        result = sender.send(subscription, REMINDER)

    assert result.outcome is Outcome.RETRY
    assert result.retry_after == 600.0


def test_server_error_is_retried_and_a_later_attempt_is_delivered(
    fake_push: FakePushService, sender: PushSender
) -> None:
    subscription, browser = make_browser_subscription(fake_push.base_url, "/push/flaky")
    fake_push.program("/push/flaky", 500, 201)

    first = sender.send(subscription, REMINDER)
    second = sender.send(subscription, REMINDER)

    assert (first.outcome, first.status_code, first.retry_after) == (Outcome.RETRY, 500, None)
    assert (second.outcome, second.status_code) == (Outcome.DELIVERED, 201)
    assert decrypt(fake_push.requests[1], browser) == encode_payload(REMINDER)


@pytest.mark.parametrize("status", [400, 403, 413])
def test_malformed_or_refused_request_is_rejected(fake_push: FakePushService, sender: PushSender, status: int) -> None:
    subscription, _ = make_browser_subscription(fake_push.base_url, "/push/refused")
    fake_push.program("/push/refused", status)

    result = sender.send(subscription, REMINDER)

    assert (result.outcome, result.status_code, result.retry_after) == (Outcome.REJECTED, status, None)


def test_refused_connection_is_retried(sender: PushSender) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    subscription, _ = make_browser_subscription(f"http://127.0.0.1:{closed_port}", "/push/nobody")

    result = sender.send(subscription, REMINDER)

    assert result.outcome is Outcome.RETRY
    assert result.status_code is None
    assert result.retry_after is None


def test_endpoint_off_the_allowlist_is_rejected_without_a_request(
    fake_push: FakePushService, vapid_keys: VapidKeys
) -> None:
    subscription, _ = make_browser_subscription(fake_push.base_url, "/push/not-allowed")

    with PushSender(vapid_keys, subscriber_email=SUBSCRIBER) as strict_sender:
        result = strict_sender.send(subscription, REMINDER)

    assert result.outcome is Outcome.REJECTED
    assert result.status_code is None
    assert fake_push.request_count == 0


@pytest.mark.parametrize(
    "keys",
    [
        {"p256dh": "BAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"},
        {"p256dh": "B" + "A" * 86, "auth": "AAAAAAAAAAAAAAAAAAAAAA"},
        {"auth": "AAAAAAAAAAAAAAAAAAAAAA"},
    ],
)
def test_subscription_with_unusable_keys_is_rejected_without_a_request(
    fake_push: FakePushService, sender: PushSender, keys: dict[str, str]
) -> None:
    subscription = {"endpoint": f"{fake_push.base_url}/push/broken", "keys": keys}

    result = sender.send(subscription, REMINDER)

    assert result.outcome is Outcome.REJECTED
    assert "keys" in result.detail
    assert fake_push.request_count == 0


def test_oversized_message_raises_before_any_request(fake_push: FakePushService, sender: PushSender) -> None:
    subscription, _ = make_browser_subscription(fake_push.base_url, "/push/big")

    with pytest.raises(PayloadTooLarge):
        sender.send(subscription, PushMessage(title="t", body="x" * 4000))

    assert fake_push.request_count == 0


def test_request_for_a_real_push_service_is_signed_for_its_origin_and_decrypts(vapid_keys: VapidKeys) -> None:
    subscription, browser = make_browser_subscription("https://fcm.googleapis.com", "/fcm/send/abc:APA91b")

    request = build_request(vapid_keys, subscription, REMINDER, subscriber_email=f"mailto:{SUBSCRIBER}")

    recorded = RecordedRequest(
        "POST", request.url, {name.lower(): value for name, value in request.headers.items()}, request.body
    )
    claims = verify_vapid(recorded, vapid_keys.application_server_key)
    assert claims["aud"] == "https://fcm.googleapis.com"
    assert claims["sub"] == f"mailto:{SUBSCRIBER}"
    assert decrypt(recorded, browser) == encode_payload(REMINDER)


def test_vapid_check_fails_for_a_token_from_other_keys(
    fake_push: FakePushService, sender: PushSender, tmp_path: Path
) -> None:
    subscription, browser = make_browser_subscription(fake_push.base_url, "/push/other-keys")
    sender.send(subscription, REMINDER)
    other_keys = generate_vapid_keys(tmp_path / "other")

    with pytest.raises(VapidVerificationFailed):
        verify_vapid(fake_push.requests[0], other_keys.application_server_key)


# Several messages at once: send_all encrypts the next while the service answers the previous.


def test_send_all_answers_each_message_in_order_with_refusals_in_place(
    fake_push: FakePushService, sender: PushSender
) -> None:
    fake_push.program("/push/gone", 410)
    delivered, _ = make_browser_subscription(fake_push.base_url, "/push/ok")
    gone, _ = make_browser_subscription(fake_push.base_url, "/push/gone")
    unknown_service, _ = make_browser_subscription("https://push.example.net", "/push/elsewhere")

    results = sender.send_all([(delivered, REMINDER), (unknown_service, REMINDER), (gone, REMINDER), (delivered, REMINDER)])

    assert [result.outcome for result in results] == [Outcome.DELIVERED, Outcome.REJECTED, Outcome.GONE, Outcome.DELIVERED]
    assert [request.path for request in fake_push.requests] == ["/push/ok", "/push/gone", "/push/ok"]


def test_an_error_mid_batch_leaves_no_unread_answer_on_the_connection(
    fake_push: FakePushService, sender: PushSender
) -> None:
    fake_push.program("/push/later", 404)
    first, _ = make_browser_subscription(fake_push.base_url, "/push/first")
    later, _ = make_browser_subscription(fake_push.base_url, "/push/later")

    with pytest.raises(PayloadTooLarge):
        sender.send_all([(first, REMINDER), (first, PushMessage(title="t", body="x" * 4000))])

    assert sender.send(later, REMINDER).outcome is Outcome.GONE  # not the 201 still waiting for /push/first


def test_a_connection_the_service_closed_while_idle_is_replaced_once(sender: PushSender) -> None:
    """Each connection answers one request and is then closed by the service, as push services do with idle ones."""
    received: list[bytes] = []

    def serve_one_request_per_connection(listener: socket.socket) -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += connection.recv(65536)
                head, _, body = data.partition(b"\r\n\r\n")
                length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
                while len(body) < length:
                    body += connection.recv(65536)
                received.append(head.split(b"\r\n")[0])
                connection.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        threading.Thread(target=serve_one_request_per_connection, args=(listener,), daemon=True).start()
        base_url = "http://127.0.0.1:%d" % listener.getsockname()[1]
        subscriptions = [make_browser_subscription(base_url, f"/push/{index}")[0] for index in range(3)]

        results = sender.send_all([(subscription, REMINDER) for subscription in subscriptions])
        listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() above

    assert [result.outcome for result in results] == [Outcome.DELIVERED] * 3
    assert received == [b"POST /push/0 HTTP/1.1", b"POST /push/1 HTTP/1.1", b"POST /push/2 HTTP/1.1"]
