"""A second web node in its own process, as another machine behind the load balancer would be: its own memory, its
own Flask-Limiter, the same database and settings. `python -m tests.support.web_node PORT CONFIG_JSON` serves it."""
import json
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def web_node(config: dict):
    """Start a node with this app config; yields its base URL and stops it afterwards."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.web_node", str(port), json.dumps(config)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/login", timeout=2)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"web node did not start: {process.stderr.read().decode()[-2000:]}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        process.stderr.close()


def _serve(port: int, config: dict) -> None:
    from werkzeug.serving import make_server

    from app import create_app

    make_server("127.0.0.1", port, create_app(config)).serve_forever()


if __name__ == "__main__":
    _serve(int(sys.argv[1]), json.loads(sys.argv[2]))
