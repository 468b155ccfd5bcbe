"""Static files for a phone on a slow line: content-hashed URLs cached for a year, and gzip for text responses."""
import gzip
import hashlib
from pathlib import Path

from flask import Flask, Response, current_app, request, url_for

LONG_CACHE = "public, max-age=31536000, immutable"
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/manifest+json", "image/svg+xml")
MIN_COMPRESS_BYTES = 512


def content_hash(path: Path) -> str:
    """First 8 hex digits of the file's SHA-256, computed once per process; in debug mode, again whenever the file
    changes (so edits show). Every page links six static files: no disk access per page in production."""
    cache: dict = current_app.extensions.setdefault("static_hashes", {})
    hit = cache.get(path)
    if hit and not current_app.debug:
        return hit[1]
    stamp = path.stat().st_mtime_ns
    if hit and hit[0] == stamp:
        return hit[1]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    cache[path] = (stamp, digest)
    return digest


def static_url(filename: str) -> str:
    """/static/css/app.css?v=<sha8>: a new URL whenever the content changes, so it can be cached for a year.
    Built once per process and mount point (except in debug mode): the layout links six files on every page."""
    urls: dict = current_app.extensions.setdefault("static_urls", {})
    key = (request.script_root, filename)
    if current_app.debug or key not in urls:
        path = Path(current_app.static_folder) / filename
        urls[key] = url_for("static", filename=filename, v=content_hash(path))
    return urls[key]


def static_version() -> str:
    """One hash over every static file: the service worker's shell cache is named after it (once per process,
    except in debug mode)."""
    if not current_app.debug and (known := current_app.extensions.get("static_version")):
        return known
    current_app.extensions["static_version"] = version = _hash_static_folder(Path(current_app.static_folder))
    return version


def _hash_static_folder(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(content_hash(path).encode())
    return digest.hexdigest()[:8]


def _cache_static(response: Response) -> Response:
    if request.endpoint == "static" and "v" in request.args and response.status_code in (200, 304):
        response.headers["Cache-Control"] = LONG_CACHE
    return response


def _compress(response: Response) -> Response:
    """gzip text bodies when the client accepts it; ranges, streams and already-encoded bodies pass through.

    Static files come as file streams, so they are read here (they are small: the whole front end is ~40 KB).
    """
    response.vary.add("Accept-Encoding")
    if (
        response.status_code != 200
        or (response.is_streamed and request.endpoint != "static")
        or "Content-Encoding" in response.headers
        or "Content-Range" in response.headers
        or not (response.mimetype or "").startswith(COMPRESSIBLE)
        or "gzip" not in request.accept_encodings
    ):
        return response
    response.direct_passthrough = False
    source = response.response
    body = response.get_data()
    if hasattr(source, "close"):
        source.close()
    if len(body) < MIN_COMPRESS_BYTES:
        return response
    response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    if response.get_etag()[0]:
        tag, weak = response.get_etag()
        response.set_etag(tag + "-gz", weak=weak)
    return response


def init_app(app: Flask) -> None:
    app.add_template_global(static_url)
    app.add_template_global(static_version)
    app.after_request(_compress)
    app.after_request(_cache_static)

