import json
import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from app.push.sender import (
    DEFAULT_PUSH_ALLOWLIST,
    DEFAULT_TTL,
    MAX_ENDPOINT_LENGTH,
    MAX_PAYLOAD_BYTES,
    MAX_RETRY_DELAY,
    MAX_TTL,
    SAFETY_ALERT_TTL,
    InvalidPushMessage,
    Outcome,
    PayloadTooLarge,
    PushMessage,
    PushValueError,
    Urgency,
    classify_response,
    encode_payload,
    endpoint_allowed,
    next_retry_delay,
    parse_retry_after,
    subscriber_address,
    topic_header_value,
)

NOW = datetime(2025, 3, 4, 15, 0, tzinfo=UTC)


def allowed(endpoint: str, insecure: tuple[str, ...] = ()) -> bool:
    return endpoint_allowed(endpoint, DEFAULT_PUSH_ALLOWLIST, insecure)


# endpoint_allowed


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/dGhpcyBpcyBhIHRva2Vu:APA91bH",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABh",
        "https://web.push.apple.com/QGuQyavXutnMH7RyhCAfX",
        "https://api.push.apple.com/3/device/abc",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB",
        "https://fcm.googleapis.com:443/fcm/send/abc",
        "https://FCM.googleapis.com/fcm/send/abc",
    ],
)
def test_endpoints_of_the_browser_push_services_are_allowed(endpoint: str) -> None:
    assert allowed(endpoint)


@pytest.mark.parametrize(
    ("endpoint", "why"),
    [
        ("http://fcm.googleapis.com/fcm/send/abc", "plain http to a real push service"),
        ("https://notify.windows.com/w/?token=a", "a wildcard entry does not cover its own apex"),
        ("https://evilnotify.windows.com/w/?token=a", "suffix must match on a label boundary"),
        ("https://fcm.googleapis.com.evil.example/fcm/send/a", "allowed name as a prefix of another host"),
        ("https://example.com/fcm/send/a", "host not on the list"),
        ("https://user@fcm.googleapis.com/fcm/send/a", "userinfo"),
        ("https://user:pw@fcm.googleapis.com/fcm/send/a", "userinfo with password"),
        ("https://fcm.googleapis.com:8443/fcm/send/a", "port other than 443"),
        ("https://fcm.googleapis.com:99999/fcm/send/a", "invalid port"),
        ("https://fcm.googleapis.com./fcm/send/a", "trailing dot"),
        ("https://142.250.74.74/fcm/send/a", "IPv4 literal"),
        ("https://[2a00:1450:4001::200a]/fcm/send/a", "IPv6 literal"),
        ("https://fcm.googleapis.com/fcm/send/a#frag", "fragment"),
        ("https://fcm.googleapis.com\\@evil.example/a", "backslash"),
        ("https://fcm.googleapis.com/fcm/send/a b", "space"),
        ("https://fcm.googleapis.com/fcm/send/a\n", "control character"),
        ("https://fcm.googleäpis.com/fcm/send/a", "non-ASCII host"),
        ("https://fcm.googleapis.com", "no path"),
        ("https://fcm.googleapis.com/", "root path only"),
        ("ftp://fcm.googleapis.com/fcm/send/a", "other scheme"),
        ("", "empty"),
        ("http://127.0.0.1:8000/push/1", "loopback not declared insecure"),
    ],
)
def test_endpoints_that_could_misdirect_the_server_are_refused(endpoint: str, why: str) -> None:
    assert not allowed(endpoint), why


def test_endpoint_longer_than_the_limit_is_refused() -> None:
    prefix = "https://fcm.googleapis.com/fcm/send/"
    assert allowed(prefix + "a" * (MAX_ENDPOINT_LENGTH - len(prefix)))
    assert not allowed(prefix + "a" * (MAX_ENDPOINT_LENGTH - len(prefix) + 1))


@pytest.mark.parametrize(
    "endpoint", ["http://127.0.0.1:8123/push/1", "http://localhost:9000/push/1", "https://127.0.0.1:4443/push/1"]
)
def test_declared_insecure_hosts_may_use_http_and_any_port(endpoint: str) -> None:
    assert allowed(endpoint, insecure=("127.0.0.1", "localhost"))


def test_insecure_hosts_still_refuse_userinfo_and_other_schemes() -> None:
    insecure = ("127.0.0.1",)
    assert not allowed("http://user@127.0.0.1:8123/push/1", insecure)
    assert not allowed("ftp://127.0.0.1:8123/push/1", insecure)


def test_exact_allowlist_entry_does_not_cover_subdomains() -> None:
    assert not allowed("https://x.fcm.googleapis.com/fcm/send/a")


# PushMessage


def test_message_defaults_keep_it_for_twelve_hours_at_normal_urgency() -> None:
    msg = PushMessage(title="Homework", body="Your thought record is ready")
    assert msg.ttl == DEFAULT_TTL == 12 * 60 * 60
    assert msg.urgency is Urgency.NORMAL


def test_safety_alert_is_high_urgency_and_kept_for_a_day() -> None:
    msg = PushMessage.safety_alert(title="Safety alert", body="Open the dashboard", url="/therapist", event_id=7)
    assert msg.urgency is Urgency.HIGH
    assert msg.ttl == SAFETY_ALERT_TTL == 24 * 60 * 60


def test_safety_alerts_for_different_events_never_share_a_topic() -> None:
    first = PushMessage.safety_alert(title="Safety alert", body="Open the dashboard", url="/therapist", event_id=7)
    second = PushMessage.safety_alert(title="Safety alert", body="Open the dashboard", url="/therapist", event_id=8)
    assert topic_header_value(first.tag) != topic_header_value(second.tag)


@pytest.mark.parametrize("ttl", [0, -1, MAX_TTL + 1, True, 1.5])
def test_message_ttl_must_be_positive_whole_seconds_within_the_maximum(ttl: object) -> None:
    with pytest.raises(InvalidPushMessage) as error:
        PushMessage(title="t", body="b", ttl=ttl)  # type: ignore[arg-type]
    assert error.value.field == "ttl"


@pytest.mark.parametrize("ttl", [1, MAX_TTL])
def test_message_ttl_boundaries_are_accepted(ttl: int) -> None:
    assert PushMessage(title="t", body="b", ttl=ttl).ttl == ttl


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", "today", "/a\\b", "/a\nb", ""])
def test_message_url_must_be_a_path_inside_the_app(url: str) -> None:
    with pytest.raises(InvalidPushMessage) as error:
        PushMessage(title="t", body="b", url=url)
    assert error.value.field == "url"


def test_message_urgency_accepts_the_protocol_words_only() -> None:
    assert PushMessage(title="t", body="b", urgency="very-low").urgency is Urgency.VERY_LOW  # type: ignore[arg-type]
    with pytest.raises(InvalidPushMessage) as error:
        PushMessage(title="t", body="b", urgency="urgent")  # type: ignore[arg-type]
    assert error.value.field == "urgency"


def test_message_needs_a_title() -> None:
    with pytest.raises(InvalidPushMessage) as error:
        PushMessage(title="  ", body="b")
    assert error.value.field == "title"


# encode_payload


def test_payload_is_the_json_the_service_worker_reads() -> None:
    msg = PushMessage(title="Exposure", body="Time for practice", url="/exposure/3", tag="exposure-3")
    assert json.loads(encode_payload(msg)) == {
        "title": "Exposure",
        "body": "Time for practice",
        "url": "/exposure/3",
        "tag": "exposure-3",
    }


def _message_with_payload_size(size: int, filler: str = "a") -> PushMessage:
    overhead = len(encode_payload(PushMessage(title="t", body="")))
    return PushMessage(title="t", body=filler * ((size - overhead) // len(filler.encode())))


def test_payload_at_the_limit_is_accepted() -> None:
    assert len(encode_payload(_message_with_payload_size(MAX_PAYLOAD_BYTES))) == MAX_PAYLOAD_BYTES


def test_payload_one_byte_over_the_limit_is_refused() -> None:
    msg = _message_with_payload_size(MAX_PAYLOAD_BYTES + 1)
    with pytest.raises(PayloadTooLarge) as error:
        encode_payload(msg)
    assert error.value.field == "body"
    assert isinstance(error.value, ValueError)


def test_payload_limit_counts_utf8_bytes_not_characters() -> None:
    msg = PushMessage(title="t", body="é" * 1990)
    assert len(msg.body) < MAX_PAYLOAD_BYTES
    with pytest.raises(PayloadTooLarge):
        encode_payload(msg)


# topic_header_value

TOPIC_ALPHABET = re.compile(r"[A-Za-z0-9_-]{1,32}")


@pytest.mark.parametrize("tag", ["homework", "checkin-2025-03-04", "a" * 32, "A_b-9"])
def test_topic_keeps_tags_already_in_the_protocol_alphabet(tag: str) -> None:
    assert topic_header_value(tag) == tag


@pytest.mark.parametrize("tag", ["a" * 33, "daily mood", "thought/record", "safety:patient=7", "übung", "a.b"])
def test_topic_hashes_other_tags_to_32_safe_characters(tag: str) -> None:
    topic = topic_header_value(tag)
    assert topic is not None
    assert TOPIC_ALPHABET.fullmatch(topic)
    assert len(topic) == 32
    assert topic == topic_header_value(tag)


def test_topic_hashes_keep_different_tags_apart() -> None:
    assert topic_header_value("daily mood") != topic_header_value("daily  mood")


def test_no_topic_without_a_tag() -> None:
    assert topic_header_value("") is None


# parse_retry_after and classify_response


def test_retry_after_in_seconds() -> None:
    assert parse_retry_after("120", now=NOW) == 120.0
    assert parse_retry_after(" 0 ", now=NOW) == 0.0


def test_retry_after_as_http_date_is_seconds_from_now() -> None:
    assert parse_retry_after(format_datetime(NOW + timedelta(seconds=90), usegmt=True), now=NOW) == 90.0


def test_retry_after_date_in_the_past_means_retry_now() -> None:
    assert parse_retry_after(format_datetime(NOW - timedelta(minutes=5), usegmt=True), now=NOW) == 0.0


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5", "Mon, 99 Foo 2025 25:61:00 GMT"])
def test_unusable_retry_after_is_ignored(value: str | None) -> None:
    assert parse_retry_after(value, now=NOW) is None


@pytest.mark.parametrize("status", [200, 201, 202])
def test_success_statuses_are_delivered(status: int) -> None:
    assert classify_response(status, None, now=NOW).outcome is Outcome.DELIVERED


@pytest.mark.parametrize("status", [404, 410])
def test_not_found_and_gone_mean_the_subscription_is_gone(status: int) -> None:
    assert classify_response(status, None, now=NOW).outcome is Outcome.GONE


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_throttling_and_server_errors_are_retried_with_their_retry_after(status: int) -> None:
    result = classify_response(status, "30", now=NOW)
    assert result.outcome is Outcome.RETRY
    assert result.retry_after == 30.0
    assert result.status_code == status


@pytest.mark.parametrize("status", [301, 400, 401, 403, 413])
def test_other_statuses_are_rejected_without_retry(status: int) -> None:
    result = classify_response(status, "30", now=NOW)
    assert result.outcome is Outcome.REJECTED
    assert result.retry_after is None


# next_retry_delay


def test_retry_delay_doubles_from_thirty_seconds() -> None:
    assert [next_retry_delay(attempt, None) for attempt in range(1, 6)] == [30.0, 60.0, 120.0, 240.0, 480.0]


def test_retry_delay_is_capped_at_one_hour() -> None:
    assert next_retry_delay(7, None) == 1920.0
    assert next_retry_delay(8, None) == MAX_RETRY_DELAY == 3600.0
    assert next_retry_delay(10_000, None) == MAX_RETRY_DELAY


def test_retry_after_longer_than_the_backoff_is_honoured() -> None:
    assert next_retry_delay(1, 31.0) == 31.0
    assert next_retry_delay(20, 7200.0) == 7200.0


def test_retry_after_shorter_than_the_backoff_does_not_shorten_it() -> None:
    assert next_retry_delay(3, 5.0) == 120.0
    assert next_retry_delay(1, 0.0) == 30.0


def test_retry_attempts_start_at_one() -> None:
    with pytest.raises(ValueError):
        next_retry_delay(0, None)


def test_retries_double_up_to_an_hour_apart_and_stay_there() -> None:
    delays = [next_retry_delay(attempt, None) for attempt in range(1, 12)]
    assert delays[:4] == [30.0, 60.0, 120.0, 240.0]
    assert delays[-3:] == [3600.0] * 3


# subscriber_address


def test_subscriber_address_drops_mailto_because_webpush_adds_it() -> None:
    assert subscriber_address("mailto:push@clinic.example") == "push@clinic.example"
    assert subscriber_address(" push@clinic.example ") == "push@clinic.example"


@pytest.mark.parametrize("value", ["", "clinic.example", "a@b", "a b@c.example", "a@b.example, c@d.example"])
def test_subscriber_address_must_be_an_email(value: str) -> None:
    with pytest.raises(PushValueError) as error:
        subscriber_address(value)
    assert error.value.field == "subscriber_email"
