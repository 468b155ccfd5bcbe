"""Versioned static URLs: hashed once per process in production (no disk access per page), re-hashed on edit in
debug mode."""
import os
import re

from flask import Flask

from app.pwa.static_files import static_url, static_version


def _app(static_folder, *, debug: bool) -> Flask:
    app = Flask(__name__, static_folder=str(static_folder), static_url_path="/static")
    app.debug = debug
    return app


def _version_of(url: str) -> str:
    return re.fullmatch(r"/static/app\.css\?v=([0-9a-f]{8})", url).group(1)


def _edit(path, text: str) -> None:
    stat = path.stat()
    path.write_text(text)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_production_keeps_the_first_hash_for_the_life_of_the_process(tmp_path):
    css = tmp_path / "app.css"
    css.write_text("body{color:black}")
    app = _app(tmp_path, debug=False)
    with app.test_request_context():
        first, folder = _version_of(static_url("app.css")), static_version()
        _edit(css, "body{color:navy}")
        assert _version_of(static_url("app.css")) == first
        assert static_version() == folder


def test_debug_mode_re_hashes_an_edited_file(tmp_path):
    css = tmp_path / "app.css"
    css.write_text("body{color:black}")
    app = _app(tmp_path, debug=True)
    with app.test_request_context():
        first, folder = _version_of(static_url("app.css")), static_version()
        _edit(css, "body{color:navy}")
        assert _version_of(static_url("app.css")) != first
        assert static_version() != folder


def test_different_contents_get_different_versions(tmp_path):
    (tmp_path / "app.css").write_text("a{}")
    one = _app(tmp_path, debug=False)
    with one.test_request_context():
        before = _version_of(static_url("app.css"))
    (tmp_path / "app.css").write_text("b{}")
    two = _app(tmp_path, debug=False)
    with two.test_request_context():
        assert _version_of(static_url("app.css")) != before
