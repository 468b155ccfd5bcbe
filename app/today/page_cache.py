"""Today's rendered HTML, kept per patient in this process and served again while nothing it shows has changed.

Rendering the page is the largest part of a repeat visit. The page is a function of: the patient's data version
(app/data_version.py moves it with every change to what Today shows, and with a site's zone: app/sites/services.py),
the day, the patient's name, zone and language, the mount point, and what the current time makes of the kept rows
(which tasks are open, late or done, which windows are open, which questionnaires are due, which visit can be
confirmed). The key holds all of these, so a new check-in, a therapist's comment, a changed language or the date
rollover shows on the very next request. Anyone changing what index.html shows from the clock must add it to
`time_state`.

The form token differs per session and request: the kept HTML holds a marker in its place, and each response gets
the current token. A request with flashed messages pending is rendered fresh (the messages are shown once).
"""
from collections import OrderedDict
from threading import Lock

from flask import current_app, request, session
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

KEPT_PAGES = 1024
"""Per process, like the snapshots: a page is ~10 KB."""
TOKEN_MARK = "\x00csrf-token\x00"
"""Stands for the form token in kept HTML; a NUL never occurs in a rendered page."""


def _views(views) -> tuple:
    return tuple((v.assignment.id, v.occurrence.key, v.status) for v in views)


def time_state(agenda, due, can_confirm) -> tuple:
    """What the current time decides on the page, beyond the day: lists, statuses, windows, due questionnaires."""
    return (
        tuple((s.id, can_confirm(s)) for s in agenda.sessions_today),
        tuple((w.session.id if w.session else None, w.opened_at, w.closes_at, _views(w.items)) for w in agenda.windows),
        tuple(a.id for a in agenda.after_tms),
        _views(agenda.due_today),
        _views(agenda.catch_up),
        _views(agenda.done_today),
        tuple(s.id for s in agenda.next_sessions),
        tuple((d.instrument.code, d.due_on, d.overdue) for d in due),
    )


class PageCache:
    """One page per patient, least recently used dropped first; thread-safe (the dev server is threaded)."""

    def __init__(self, size: int = KEPT_PAGES):
        self._size = size
        self._entries: OrderedDict[int, tuple[tuple, str]] = OrderedDict()
        self._lock = Lock()

    def get(self, patient_id: int, key: tuple) -> str | None:
        with self._lock:
            entry = self._entries.get(patient_id)
            if entry is None or entry[0] != key:
                return None
            self._entries.move_to_end(patient_id)
            return entry[1]

    def put(self, patient_id: int, key: tuple, page: str) -> None:
        with self._lock:
            self._entries[patient_id] = (key, page)
            self._entries.move_to_end(patient_id)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


def page_key(patient, snapshot, state: tuple) -> tuple:
    return (patient.data_version, snapshot.day, snapshot.clinic_zone, patient.first_name, patient.timezone,
            str(get_locale()), request.script_root, state)


def cached_page(patient, key: tuple, render) -> str:
    """The kept page with this request's form token, else `render()` (kept for the next request)."""
    cache: PageCache = current_app.extensions.setdefault("today_pages", PageCache())
    token = generate_csrf()
    if "_flashes" in session:
        return render()
    if (page := cache.get(patient.id, key)) is not None:
        return page.replace(TOKEN_MARK, token)
    page = render()
    cache.put(patient.id, key, page.replace(token, TOKEN_MARK))
    return page
