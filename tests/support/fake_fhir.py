"""A small FHIR server on 127.0.0.1 for tests: takes transaction Bundles and honours conditional creates.

Only what the export relies on: POST of a `transaction` Bundle to the base URL; each entry a POST with
`ifNoneExist` searching by `identifier=system|value` or `url=...`. A match answers 200 with the existing resource's
location (nothing created); no match stores the resource with a new id and answers 201. `urn:uuid:` references
inside the bundle are rewritten to the ids they got, as a real server does. More than one match is a 412, as
the FHIR spec requires.
"""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl


def _matches(resource: dict, query: str) -> bool:
    """Does `resource` satisfy the search `query` (identifier=system|value and/or url=...)?"""
    for name, value in parse_qsl(query, keep_blank_values=True, strict_parsing=True):
        if name == "identifier":
            system, _, code = value.rpartition("|")
            found = resource.get("identifier") or []
            found = found if isinstance(found, list) else [found]
            if not any(i.get("system") == system and i.get("value") == code for i in found):
                return False
        elif name == "url":
            if resource.get("url") != value:
                return False
        else:
            raise ValueError(f"unsupported search parameter {name}")
    return True


def _rewrite(value: Any, locations: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: (locations.get(v, v) if k == "reference" and isinstance(v, str) else _rewrite(v, locations))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite(v, locations) for v in value]
    return value


class FakeFhirServer:
    """`resources[type]` is a list of what was created; `url` is the base to POST a transaction to."""

    def __init__(self) -> None:
        self.resources: dict[str, list[dict]] = {}
        self.requests = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, answer = server.handle(self.path, self.headers.get("Content-Type", ""), body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/fhir+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/fhir"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def count(self, resource_type: str) -> int:
        return len(self.resources.get(resource_type, []))

    def handle(self, path: str, content_type: str, body: bytes) -> tuple[int, dict]:
        with self._lock:
            self.requests += 1
            if path.rstrip("/") != "/fhir" or "json" not in content_type:
                return 400, _outcome("POST a FHIR JSON transaction Bundle to the base URL")
            bundle = json.loads(body)
            if bundle.get("resourceType") != "Bundle" or bundle.get("type") != "transaction":
                return 400, _outcome("not a transaction Bundle")
            return self._transaction(bundle)

    def _transaction(self, bundle: dict) -> tuple[int, dict]:
        locations: dict[str, str] = {}
        plan = []
        for entry in bundle["entry"]:
            request, resource = entry["request"], entry["resource"]
            if request["method"] != "POST" or request["url"] != resource["resourceType"]:
                return 400, _outcome(f"unsupported request {request}")
            existing = [r for r in self.resources.get(resource["resourceType"], [])
                        if _matches(r, request["ifNoneExist"])] if request.get("ifNoneExist") else []
            if len(existing) > 1:
                return 412, _outcome(f"{request['ifNoneExist']} matches more than one resource")
            if existing:
                locations[entry["fullUrl"]] = f"{resource['resourceType']}/{existing[0]['id']}"
                plan.append(("200 OK", None))
            else:
                new_id = str(sum(len(v) for v in self.resources.values()) + len(plan) + 1)
                locations[entry["fullUrl"]] = f"{resource['resourceType']}/{new_id}"
                plan.append(("201 Created", {**resource, "id": new_id}))
        responses = []
        for entry, (status, created) in zip(bundle["entry"], plan, strict=True):
            if created is not None:
                self.resources.setdefault(created["resourceType"], []).append(_rewrite(created, locations))
            responses.append({"response": {"status": status, "location": locations[entry["fullUrl"]]}})
        return 200, {"resourceType": "Bundle", "type": "transaction-response", "entry": responses}


def _outcome(message: str) -> dict:
    return {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "invalid", "diagnostics": message}]}
