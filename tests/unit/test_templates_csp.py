"""Templates hold no inline script or style, so the strict Content-Security-Policy never breaks a page."""
import re
from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "templates").rglob("*.html"))

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
JS_URL = re.compile(r"javascript:", re.IGNORECASE)


def inline_code(text: str) -> list[str]:
    problems = []
    for name, pattern in [("<script> without src", INLINE_SCRIPT), ("<style> element", STYLE_ELEMENT),
                          ("style= attribute", STYLE_ATTRIBUTE), ("on*= event handler", EVENT_HANDLER),
                          ("javascript: URL", JS_URL)]:
        problems += [f"{name} at line {text[:m.start()].count(chr(10)) + 1}" for m in pattern.finditer(text)]
    return problems


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_template_has_no_inline_script_or_style(template):
    assert inline_code(template.read_text()) == []


def test_scanner_catches_each_kind_of_inline_code():
    text = '<script>alert(1)</script>\n<style>p{}</style>\n<p style="color:red" onclick="x()"><a href="javascript:x()">'
    assert len(inline_code(text)) == 5
    assert inline_code('<script defer src="/static/js/a.js"></script>') == []
