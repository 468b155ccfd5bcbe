"""Fan-out benchmark: N subscriptions, one message each, through PushSender to a loopback fake push service.

Prints the delivery rate, the raw encryption rate (build_request alone, same run, same messages) and their
ratio against the goal of 0.5. Run from the repository root:

    .venv/bin/python -m bench.push_fanout --count 10000

The fake service runs in a child process by default, as a real push service would be elsewhere; ``--in-process``
puts it on this interpreter's GIL instead, which shows how much of the cost is the server's. One sending thread is
the default because on loopback encryption and the HTTP client are both CPU-bound under the GIL, so ``--workers`` > 1
measured slower; against real push services (tens of milliseconds per request) threads sharing the sender are what
count. Measured (2 CPUs, --count 10000): a pooled httpx.Client gave a ratio of 0.22-0.30; the sender's keep-alive
http.client connection per thread gave 0.52-0.70 on one machine but 0.35 on another (2026-11-25), where the wait for
each answer was the cost. There `send_all`, which encrypts the next message while the service answers the previous
one, gave 0.50-0.51, and writing headers and body in one system call 0.53-0.56.
"""

import argparse
import multiprocessing
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from app.push.sender import Outcome, PushMessage, PushSender, build_request
from app.push.vapid import generate_vapid_keys
from tests.support.fake_push import FakePushService, make_browser_subscription

GOAL_RATIO = 0.5
SUBSCRIBER = "bench@clinic.example"


def main(argv: list[str]) -> int:
    options = _parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        keys = generate_vapid_keys(Path(directory) / "instance")
    base_url, stop_server = _start_fake_service(in_process=options.in_process)
    try:
        subscriptions = _subscriptions(base_url, count=options.count, pool=options.pool)
        message = PushMessage(
            title="Homework due this afternoon",
            body="Your thought record is waiting for you in the app. It takes about ten minutes.",
            url="/today",
            tag="homework-reminder",
        )

        started = time.perf_counter()
        for subscription in subscriptions:
            build_request(keys, subscription, message, subscriber_email=SUBSCRIBER)
        encrypt_seconds = time.perf_counter() - started

        with PushSender(
            keys,
            subscriber_email=SUBSCRIBER,
            allow_insecure_hosts=["127.0.0.1"],
        ) as sender:
            started = time.perf_counter()
            if options.workers == 1:
                results = sender.send_all([(subscription, message) for subscription in subscriptions])
            else:
                with ThreadPoolExecutor(max_workers=options.workers) as pool:
                    results = list(pool.map(lambda subscription: sender.send(subscription, message), subscriptions))
            send_seconds = time.perf_counter() - started
    finally:
        stop_server()

    delivered = sum(result.outcome is Outcome.DELIVERED for result in results)
    encrypt_rate = options.count / encrypt_seconds
    send_rate = options.count / send_seconds
    ratio = send_rate / encrypt_rate
    server = "in-process" if options.in_process else "child process"
    print(f"messages: {options.count} ({options.pool} browser key pairs), delivered: {delivered}")
    how = "send_all: next message encrypted while the previous is answered" if options.workers == 1 else "send per thread"
    print(f"sender: {options.workers} worker thread(s) ({how}), keep-alive connection per thread; fake service: {server}")
    print(f"raw encryption (build_request only): {encrypt_rate:,.0f} messages/s ({encrypt_seconds:.2f} s)")
    print(f"delivery (PushSender over HTTP): {send_rate:,.0f} messages/s ({send_seconds:.2f} s)")
    verdict = "PASS" if ratio >= GOAL_RATIO and delivered == options.count else "FAIL"
    print(f"ratio delivery/encryption: {ratio:.2f} (goal >= {GOAL_RATIO}) {verdict}")
    return 0


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="subscriptions, one message each")
    parser.add_argument("--pool", type=int, default=200, help="distinct browser key pairs reused across endpoints")
    parser.add_argument("--workers", type=int, default=1, help="sending threads sharing the one client")
    parser.add_argument("--in-process", action="store_true", help="run the fake service in this process")
    options = parser.parse_args(argv)
    if options.count < 1 or options.pool < 1 or options.workers < 1:
        parser.error("--count, --pool and --workers must be at least 1")
    return options


def _subscriptions(base_url: str, *, count: int, pool: int) -> list[dict[str, Any]]:
    """Distinct endpoints; browser keys come from a smaller pool because generating them dominates set-up."""
    browsers = [make_browser_subscription(base_url, "/unused")[0]["keys"] for _ in range(min(pool, count))]
    return [
        {"endpoint": f"{base_url}/push/{index}", "keys": browsers[index % len(browsers)]} for index in range(count)
    ]


def _start_fake_service(*, in_process: bool) -> tuple[str, Any]:
    if in_process:
        service = FakePushService(record_bodies=False).start()
        return service.base_url, service.stop
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(target=_serve, args=(child,), daemon=True)
    process.start()
    base_url = parent.recv()

    def stop() -> None:
        parent.send("stop")
        process.join(timeout=10)

    return base_url, stop


def _serve(connection: Connection) -> None:
    with FakePushService(record_bodies=False) as service:
        connection.send(service.base_url)
        connection.recv()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
