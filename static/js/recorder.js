// PE imaginal: record the session (MediaRecorder) and play it back, kept on this phone in IndexedDB under this
// person and this ladder item. Sign-out deletes the database (app.js), and so does another person signing in on
// this phone ("recordings-owner" in localStorage says whose it is). It goes to the clinic only when the patient
// ticks "Send this recording to my therapist" and sends it, online (a multi-MB blob is never queued in the outbox).
(function () {
  "use strict";
  var DB = "recordings", STORE = "recordings", OWNER = "recordings-owner";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, action) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = action(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request && request.result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function minutesText(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function bind(section) {
    var user = section.getAttribute("data-user");
    var key = user + ":" + section.getAttribute("data-item");
    var audio = section.querySelector("[data-recording-audio]");
    var status = section.querySelector("[data-recording-status]");
    var start = section.querySelector("[data-record-start]");
    var stop = section.querySelector("[data-record-stop]");
    var remove = section.querySelector("[data-record-delete]");
    var sendBox = section.querySelector("[data-recording-send]");
    var choice = section.querySelector("[data-send-choice]");
    var send = section.querySelector("[data-send-button]");
    var sendStatus = section.querySelector("[data-send-status]");
    var maxBytes = parseInt(section.getAttribute("data-max-bytes"), 10) || 0;
    var recorder = null, startedAt = 0, url = null, kept = null;

    function megabytes(bytes) {
      var mb = bytes / (1024 * 1024);
      return mb >= 1 ? String(Math.round(mb)) : String(Number(mb.toPrecision(2)));
    }

    function tooLarge(blob) { return maxBytes && blob.size > maxBytes; }

    function show(entry) {
      kept = entry || null;
      if (url) URL.revokeObjectURL(url);
      url = kept ? URL.createObjectURL(kept.blob) : null;
      audio.hidden = !kept;
      remove.hidden = !kept;
      if (url) audio.src = url; else audio.removeAttribute("src");
      start.textContent = kept ? I18n.gettext("Record again") : I18n.gettext("Record");
      status.textContent = kept ? I18n.gettext("Recording on this phone: %(length)s.",
                                               { length: minutesText(kept.seconds) }) : "";
      sendBox.hidden = !kept;
      choice.checked = false;  // sending is chosen each time, never remembered
      send.hidden = true;
      sendStatus.textContent = "";
    }

    function recording(on) {
      start.hidden = on;
      stop.hidden = !on;
      remove.hidden = on || !kept;
      if (on) sendBox.hidden = true;
    }

    function sendKept() {
      if (!kept) return;
      if (tooLarge(kept.blob)) {
        sendStatus.textContent = I18n.gettext("This recording is too large to send: the limit is %(limit)s MB. It is still on this phone; record a shorter session to send one.",
                                              { limit: megabytes(maxBytes) });
        return;
      }
      if (!navigator.onLine) {
        sendStatus.textContent = I18n.gettext("Sending needs a connection. The recording is still on this phone: send it when you are online.");
        return;
      }
      var csrf = document.querySelector('meta[name="csrf-token"]');
      var body = new FormData();
      body.append("audio", kept.blob, "session-recording");
      body.append("seconds", String(kept.seconds));
      if (csrf) body.append("csrf_token", csrf.content);
      send.disabled = true;
      sendStatus.textContent = I18n.gettext("Sending…");
      fetch(section.getAttribute("data-send-url"), {
        method: "POST", credentials: "same-origin", body: body,
        headers: { "Accept": "application/json", "X-CSRFToken": csrf ? csrf.content : "" }
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (response.ok) {
            choice.checked = false;
            send.hidden = true;
            sendStatus.textContent = I18n.gettext("Sent to your therapist.");
            return;
          }
          sendStatus.textContent = answer.message || I18n.gettext("The clinic could not keep this recording. It is still on this phone; try again later.");
        });
      }).catch(function () {
        sendStatus.textContent = I18n.gettext("Sending needs a connection. The recording is still on this phone: send it when you are online.");
      }).then(function () { send.disabled = false; });
    }

    start.addEventListener("click", function () {
      if (kept && !window.confirm(I18n.gettext("Record again? The recording on this phone will be replaced."))) return;
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        var chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.ondataavailable = function (event) { if (event.data && event.data.size) chunks.push(event.data); };
        recorder.onstop = function () {
          stream.getTracks().forEach(function (track) { track.stop(); });
          var entry = { key: key, user: user, blob: new Blob(chunks, { type: recorder.mimeType || "audio/webm" }),
                        seconds: Math.round((Date.now() - startedAt) / 1000), savedAt: Date.now() };
          try { localStorage.setItem(OWNER, user); } catch (e) { /* the sign-out clean-up still deletes it */ }
          run("readwrite", function (store) { return store.put(entry); }).then(function () {
            show(entry);
            recording(false);
          }).catch(function () {
            recording(false);
            status.textContent = I18n.gettext("This phone has no room to keep the recording. Free some space and record again.");
          });
        };
        startedAt = Date.now();
        recorder.start(1000);
        recording(true);
        status.textContent = I18n.gettext("Recording…");
      }).catch(function (error) {
        status.textContent = error && (error.name === "NotAllowedError" || error.name === "SecurityError")
          ? I18n.gettext("The microphone is blocked for this site. Allow it in your browser's settings to record.")
          : I18n.gettext("This phone could not start recording. Close other apps using the microphone and try again.");
        if (window.console) console.warn("recording:", error && error.name);
      });
    });
    stop.addEventListener("click", function () { if (recorder && recorder.state !== "inactive") recorder.stop(); });
    remove.addEventListener("click", function () {
      if (!window.confirm(I18n.gettext("Delete the recording from this phone? This can't be undone."))) return;
      run("readwrite", function (store) { return store.delete(key); }).then(function () {
        show(null);
        status.textContent = I18n.gettext("Recording deleted.");
      });
    });

    choice.addEventListener("change", function () {
      send.hidden = !choice.checked;
      sendStatus.textContent = choice.checked && kept && tooLarge(kept.blob)
        ? I18n.gettext("This recording is too large to send: the limit is %(limit)s MB. It is still on this phone; record a shorter session to send one.",
                       { limit: megabytes(maxBytes) })
        : "";
    });
    send.addEventListener("click", sendKept);

    run("readonly", function (store) { return store.get(key); }).then(show).catch(function () { show(null); });
    section.querySelector("[data-recording-unsupported]").hidden = true;
    section.querySelector("[data-recording-controls]").hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-recording]");
    var sent = document.querySelector("[data-recording-sent]");
    if (sent) sent.addEventListener("submit", function (event) {
      if (!window.confirm(sent.getAttribute("data-confirm"))) event.preventDefault();
    });
    var able = window.indexedDB && window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
    if (section && able) bind(section);
  });
})();
