"""PE imaginal recordings sent to the clinic: only when the patient sends one, only audio that fits, only their
therapists play it, and the patient (or archiving the item) takes it back. Every step is in the audit log."""
import io

import pytest
from sqlalchemy import delete
from sqlmodel import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from app.careteam import services as careteam
from app.exposure import services
from app.models import AuditEntry, CareTeamRole
from app.models.exposure import ExposureRecording, HierarchyItem, SudsRating
from app.models.types import utcnow
from tests.conftest import sign_in
from tests.factories import make_patient, make_therapist

WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 2000
"""The EBML header MediaRecorder's WebM files start with, then some bytes."""
OGG = b"OggS" + b"\x01" * 1000
MP4 = b"\x00\x00\x00\x20ftypM4A " + b"\x02" * 1000


def imaginal_item(db, patient, kind="pe_imaginal"):
    ladder = services.create_hierarchy(db, patient=patient, title="The accident")
    item = services.add_item(db, hierarchy=ladder, kind=kind, description="Listen to the session recording",
                             ritual="", suds=70, by=patient, at=utcnow())
    db.commit()
    return item


def send(client, item, data=WEBM, content_type="audio/webm;codecs=opus", seconds="95", json=True):
    """Post the audio as recorder.js does (FormData: the blob and its length in seconds)."""
    body, _length, boundary = stream_encode_multipart({"seconds": seconds,
                                              "audio": FileStorage(io.BytesIO(data), "session-recording",
                                                                   content_type=content_type)},
                                             use_tempfile=False)
    headers = {"Accept": "application/json"} if json else {}
    return client.post(f"/exposure/items/{item.id}/recording", data=body.getvalue(), headers=headers,
                       content_type=f"multipart/form-data; boundary={boundary}")


def kept(db):
    db.expire_all()
    return db.exec(select(ExposureRecording)).all()


def actions(db):
    return [entry.action for entry in db.exec(select(AuditEntry).order_by(AuditEntry.id))]


def test_sending_keeps_the_audio_with_its_type_size_and_length(patient_client, db, patient):
    item = imaginal_item(db, patient)
    response = send(patient_client, item)
    assert response.status_code == 201 and response.json == {"message": "Sent to your therapist."}
    (recording,) = kept(db)
    assert (recording.item_id, recording.patient_id, recording.mime_type) == (item.id, patient.id, "audio/webm")
    assert (recording.size_bytes, recording.duration_seconds, bytes(recording.audio)) == (len(WEBM), 95, WEBM)
    assert actions(db) == ["recording.upload"]
    page = patient_client.get(f"/exposure/items/{item.id}/practice")
    assert "Your therapist has a copy, sent" in page.text and "(1:35)" in page.text


def test_a_plain_form_post_goes_back_to_the_practice_page(patient_client, db, patient):
    item = imaginal_item(db, patient)
    response = send(patient_client, item, json=False)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/exposure/items/{item.id}/practice#recording-heading")


@pytest.mark.parametrize("data,content_type,stored", [(OGG, "audio/ogg; codecs=opus", "audio/ogg"),
                                                      (MP4, "audio/mp4", "audio/mp4")])
def test_other_phones_formats_are_kept_too(patient_client, db, patient, data, content_type, stored):
    item = imaginal_item(db, patient)
    assert send(patient_client, item, data=data, content_type=content_type).status_code == 201
    assert [r.mime_type for r in kept(db)] == [stored]


def test_sending_again_replaces_the_earlier_recording(patient_client, db, patient):
    item = imaginal_item(db, patient)
    send(patient_client, item, data=WEBM, seconds="95")
    assert send(patient_client, item, data=OGG, content_type="audio/ogg", seconds="240").status_code == 201
    (recording,) = kept(db)
    assert (recording.mime_type, recording.duration_seconds, bytes(recording.audio)) == ("audio/ogg", 240, OGG)


def test_a_recording_over_the_limit_is_refused_with_the_reason(app, patient_client, db, patient):
    app.config["RECORDING_MAX_BYTES"] = 1024 * 1024
    item = imaginal_item(db, patient)
    assert send(patient_client, item, data=WEBM[:4] + b"\x00" * (1024 * 1024 - 4)).status_code == 201  # just fits
    response = send(patient_client, item, data=WEBM[:4] + b"\x00" * (1024 * 1024 - 3))
    assert response.status_code == 413
    assert response.json["message"] == ("This recording is too large to send: the limit is 1 MB. It is still on this "
                                         "phone; record a shorter session to send one.")
    page = send(patient_client, item, data=WEBM + b"\x00" * 1024 * 1024, json=False)
    assert page.status_code == 413 and "too large to send" in page.text
    assert [r.size_bytes for r in kept(db)] == [1024 * 1024]  # the one that fit, not replaced
    assert actions(db) == ["recording.upload"]


def test_a_request_over_max_content_length_is_refused_before_it_is_read(app, patient_client, db, patient):
    item = imaginal_item(db, patient)
    assert app.config["MAX_CONTENT_LENGTH"] > app.config["RECORDING_MAX_BYTES"] == 25 * 1024 * 1024
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = send(patient_client, item)
    assert response.status_code == 413
    assert "too large to send: the limit is 25 MB" in response.json["message"]
    page = send(patient_client, item, json=False)
    assert page.status_code == 413 and "the limit is 25 MB" in page.text
    assert kept(db) == []


@pytest.mark.parametrize("data,content_type", [
    (WEBM, "video/webm"), (WEBM, "audio/mpeg"), (b"<html>not audio</html>", "audio/webm"), (OGG, "audio/webm"),
    (WEBM, ""),
])
def test_anything_but_webm_ogg_or_mp4_audio_is_refused(patient_client, db, patient, data, content_type):
    item = imaginal_item(db, patient)
    response = send(patient_client, item, data=data, content_type=content_type)
    assert response.status_code == 415 and "WebM, Ogg or MP4" in response.json["message"]
    assert kept(db) == []


@pytest.mark.parametrize("seconds", ["", "-3", "1.5", "99999999"])
def test_a_missing_or_impossible_length_is_refused(patient_client, db, patient, seconds):
    item = imaginal_item(db, patient)
    assert send(patient_client, item, seconds=seconds).status_code == 400
    assert kept(db) == []


def test_no_audio_at_all_is_refused(patient_client, db, patient):
    item = imaginal_item(db, patient)
    response = patient_client.post(f"/exposure/items/{item.id}/recording", data={"seconds": "5"},
                                   headers={"Accept": "application/json"})
    assert response.status_code == 400 and "No recording was sent" in response.json["message"]


def test_without_the_csrf_token_nothing_is_kept(patient_client, db, patient):
    item = imaginal_item(db, patient)
    response = patient_client.post(f"/exposure/items/{item.id}/recording", csrf=False, content_type="multipart/form-data",
                                   data={"seconds": "5", "audio": (io.BytesIO(WEBM), "r", "audio/webm")})
    assert response.status_code == 400 and kept(db) == []


def test_only_imaginal_items_of_ones_own_ladder_take_a_recording(patient_client, db, patient, therapist):
    erp = imaginal_item(db, patient, kind="erp")
    assert send(patient_client, erp).status_code == 404
    other = make_patient(db, therapist=therapist, email="other@example.org", name="Other")
    db.commit()
    theirs = imaginal_item(db, other)
    assert send(patient_client, theirs).status_code == 404
    assert kept(db) == []


def listen_url(patient, item):
    return f"/patients/{patient.id}/exposure/items/{item.id}/recording"


def test_the_treating_therapist_plays_it_from_the_item_page(client, db, patient, therapist):
    item = imaginal_item(db, patient)
    sign_in(client, patient)
    send(client, item)
    sign_in(client, therapist)
    page = client.get(f"/patients/{patient.id}/exposure/items/{item.id}")
    assert f'<audio controls preload="none" src="{listen_url(patient, item)}">' in page.text
    audio = client.get(listen_url(patient, item))
    assert audio.status_code == 200 and audio.data == WEBM
    assert audio.headers["Content-Type"] == "audio/webm"
    assert audio.headers["Cache-Control"] == "no-store" and audio.headers["Content-Disposition"] == "inline"
    part = client.get(listen_url(patient, item), headers={"Range": "bytes=0-3"})  # Safari asks for ranges first
    assert part.status_code == 206 and part.data == WEBM[:4]
    assert actions(db)[0] == "recording.upload" and "exposure.listen_recording" in actions(db)


def test_a_co_therapist_on_the_care_team_plays_it(client, db, patient, admin):
    item = imaginal_item(db, patient)
    co = make_therapist(db, email="co@example.org", name="Dr. Co")
    careteam.add_member(db, patient=patient, member_id=co.id, role=CareTeamRole.co_therapist, by=admin)
    db.commit()
    sign_in(client, patient)
    send(client, item)
    sign_in(client, co)
    assert client.get(listen_url(patient, item)).status_code == 200


def test_nobody_else_hears_it(client, db, patient, therapist, admin):
    item = imaginal_item(db, patient)
    sign_in(client, patient)
    send(client, item)
    assert client.get(listen_url(patient, item)).status_code == 403  # the patient keeps their own copy
    external = make_therapist(db, email="ext@example.org", name="Eve External", external=True)
    make_patient(db, therapist=external, email="c@example.org", name="Casey")
    other = make_therapist(db, email="other@example.org", name="Dr. Other")
    db.commit()
    for someone in (external, other):
        sign_in(client, someone)
        assert client.get(listen_url(patient, item)).status_code == 404
        assert "<audio" not in client.get(f"/patients/{patient.id}/exposure/items/{item.id}").text
    sign_in(client, admin)
    assert client.get(listen_url(patient, item)).status_code == 403


def test_no_recording_sent_means_no_player_and_a_404(therapist_client, db, patient):
    item = imaginal_item(db, patient)
    assert "<audio" not in therapist_client.get(f"/patients/{patient.id}/exposure/items/{item.id}").text
    assert therapist_client.get(listen_url(patient, item)).status_code == 404


def test_the_patient_removes_it_from_the_clinic(client, db, patient, therapist):
    item = imaginal_item(db, patient)
    sign_in(client, patient)
    send(client, item)
    response = client.post(f"/exposure/items/{item.id}/recording/remove")
    assert response.status_code == 303 and kept(db) == []
    page = client.get(response.headers["Location"])
    assert "Removed from the clinic" in page.text and "Your therapist has a copy" not in page.text
    assert actions(db) == ["recording.upload", "recording.delete"]
    sign_in(client, therapist)
    assert client.get(listen_url(patient, item)).status_code == 404


def test_another_patient_cannot_remove_it(client, db, patient, therapist):
    item = imaginal_item(db, patient)
    sign_in(client, patient)
    send(client, item)
    other = make_patient(db, therapist=therapist, email="other@example.org", name="Other")
    db.commit()
    sign_in(client, other)
    assert client.post(f"/exposure/items/{item.id}/recording/remove").status_code == 404
    assert len(kept(db)) == 1


def test_archiving_the_item_deletes_the_clinics_copy(client, db, patient, therapist):
    item = imaginal_item(db, patient)
    sign_in(client, patient)
    send(client, item)
    sign_in(client, therapist)
    response = client.post(f"/patients/{patient.id}/exposure/items/{item.id}/status", data={"status": "archived"})
    assert response.status_code == 303 and kept(db) == []
    assert "recording.delete" in actions(db)


def test_deleting_the_item_deletes_the_recording(patient_client, db, patient):
    item = imaginal_item(db, patient)
    send(patient_client, item)
    db.exec(delete(SudsRating).where(SudsRating.item_id == item.id))
    db.exec(delete(HierarchyItem).where(HierarchyItem.id == item.id))  # no page deletes items yet: the schema does
    db.commit()
    assert kept(db) == []


def test_the_audit_log_and_app_log_hold_no_audio_or_its_details(patient_client, db, patient, caplog):
    item = imaginal_item(db, patient)
    send(patient_client, item)
    entry = db.exec(select(AuditEntry)).one()
    assert (entry.user_id, entry.patient_id, entry.reason) == (patient.id, patient.id, None)
    assert "webm" not in caplog.text.lower() and "session-recording" not in caplog.text
