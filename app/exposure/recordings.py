"""PE imaginal recordings a patient sends to the clinic: which audio is accepted, and the rows that keep it.

The phone keeps its own copy (static/js/recorder.js); the clinic gets one only when the patient sends it, one per
ladder item (a new one replaces the old), until the patient removes it or the item is archived or deleted.
"""
from dataclasses import dataclass
from datetime import datetime

from flask import request
from flask_babel import gettext as _
from sqlalchemy import delete
from sqlmodel import Session, select

from app.models import User
from app.models.exposure import ExposureRecording, HierarchyItem
from app.validation import whole_number

ALLOWED_TYPES = ("audio/webm", "audio/ogg", "audio/mp4")
"""What MediaRecorder produces: Chrome and Firefox (WebM/Opus, Ogg/Opus) and Safari (MP4/AAC)."""
MAX_SECONDS = 36000
FORM_ALLOWANCE = 64 * 1024
"""Room for the multipart headers and the small fields beside the audio in one request (MAX_CONTENT_LENGTH)."""


class RecordingRefused(Exception):
    """Audio the clinic won't keep: `status` is the HTTP answer (413 too large, 415 wrong type, 400 otherwise)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def wants_json() -> bool:
    """The recorder's fetch asks for JSON (Accept: application/json); a plain form post gets a page."""
    return request.accept_mimetypes.best == "application/json"


def megabytes(size: int) -> str:
    """Whole MB for a real limit; two significant digits below 1 MB (as recorder.js writes it)."""
    mb = size / (1024 * 1024)
    return f"{mb:.0f}" if mb >= 1 else f"{mb:.2g}"


def too_large_message(limit: int) -> str:
    return _("This recording is too large to send: the limit is %(limit)s MB. It is still on this phone; "
             "record a shorter session to send one.", limit=megabytes(limit))


def _looks_like(mime_type: str, data: bytes) -> bool:
    """The file starts the way its type says (EBML for WebM, OggS, an MP4 'ftyp' box): not some other file renamed."""
    if mime_type == "audio/webm":
        return data.startswith(b"\x1a\x45\xdf\xa3")
    if mime_type == "audio/ogg":
        return data.startswith(b"OggS")
    return data[4:8] == b"ftyp"


@dataclass(frozen=True)
class CheckedRecording:
    mime_type: str
    duration_seconds: int
    audio: bytes


def check_recording(*, content_type: str | None, data: bytes, seconds: str | None, limit: int) -> CheckedRecording:
    """The audio as the clinic keeps it, or RecordingRefused with the sentence the patient sees."""
    if not data:
        raise RecordingRefused(400, _("No recording was sent. Record the session, then send it."))
    if len(data) > limit:
        raise RecordingRefused(413, too_large_message(limit))
    mime_type = (content_type or "").split(";")[0].strip().lower()
    if mime_type not in ALLOWED_TYPES or not _looks_like(mime_type, data):
        raise RecordingRefused(415, _("This phone recorded in a format the clinic can't keep (WebM, Ogg or MP4 audio "
                                      "only). The recording is still on this phone."))
    duration = whole_number(seconds)
    if duration is None or duration > MAX_SECONDS:
        raise RecordingRefused(400, _("The recording's length was missing. Reload the page and send it again."))
    return CheckedRecording(mime_type=mime_type, duration_seconds=duration, audio=data)


@dataclass(frozen=True)
class RecordingDetails:
    """What a page shows about a kept recording, read without the audio."""

    mime_type: str
    size_bytes: int
    duration_seconds: int
    created_at: datetime


DETAIL_COLUMNS = (ExposureRecording.mime_type, ExposureRecording.size_bytes, ExposureRecording.duration_seconds,
                  ExposureRecording.created_at)
"""What RecordingDetails holds, in its order: every reader of details selects these, never the audio column."""


def details_of(db: Session, item: HierarchyItem) -> RecordingDetails | None:
    row = db.exec(select(*DETAIL_COLUMNS).where(ExposureRecording.item_id == item.id)).first()
    return RecordingDetails(*row) if row else None


def sent_by(db: Session, patient_id: int) -> list[tuple[int, RecordingDetails]]:
    """(ladder item id, details) of every recording this patient sent to the clinic, oldest first (their export)."""
    rows = db.exec(select(ExposureRecording.item_id, *DETAIL_COLUMNS)
                   .where(ExposureRecording.patient_id == patient_id).order_by(ExposureRecording.created_at))
    return [(item_id, RecordingDetails(*details)) for item_id, *details in rows]


def audio_of(db: Session, item: HierarchyItem) -> ExposureRecording | None:
    return db.exec(select(ExposureRecording).where(ExposureRecording.item_id == item.id)).first()


def keep(db: Session, *, patient: User, item: HierarchyItem, recording: CheckedRecording, at: datetime) -> None:
    """Keep the patient's recording of this item, replacing the one sent before."""
    remove(db, item=item)
    db.add(ExposureRecording(item_id=item.id, patient_id=patient.id, mime_type=recording.mime_type,
                             size_bytes=len(recording.audio), duration_seconds=recording.duration_seconds,
                             audio=recording.audio, created_at=at))
    db.flush()


def remove(db: Session, *, item: HierarchyItem) -> bool:
    """Delete the clinic's copy of this item's recording; True if there was one."""
    result = db.exec(delete(ExposureRecording).where(ExposureRecording.item_id == item.id))
    return bool(result.rowcount)
