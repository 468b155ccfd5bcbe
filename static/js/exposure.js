// Exposure practice: sliders show their number, the form is autosaved to this device so a locked phone or a
// reload loses nothing, and the timer counts from a stored start time (not from ticks, which stop when locked).
(function () {
  "use strict";
  var PREFIX = "exposure-draft:";

  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function readDraft(key) {
    var s = store();
    if (!s) return null;
    try { return JSON.parse(s.getItem(key) || "null"); } catch (e) { return null; }
  }

  function forgetSaved() {
    var marker = document.querySelector("[data-exposure-saved]");
    var s = store();
    if (!marker || !s) return;
    var token = marker.getAttribute("data-exposure-saved");
    for (var i = s.length - 1; i >= 0; i--) {
      var key = s.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        var draft = readDraft(key);
        if (!draft || !draft.fields || draft.fields.entry_token === token) s.removeItem(key);
      }
    }
  }

  function bindSliders(root) {
    root.querySelectorAll("input[type=range][data-output]").forEach(function (input) {
      var output = document.getElementById(input.getAttribute("data-output"));
      var show = function () { if (output) output.textContent = input.value; };
      input.addEventListener("input", show);
      show();
    });
  }

  function formFields(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token") return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      fields[el.name] = el.value;
    });
    return fields;
  }

  function fillForm(form, fields) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || !(el.name in fields)) return;
      if (el.type === "radio" || el.type === "checkbox") el.checked = fields[el.name] === el.value;
      else el.value = fields[el.name];
      el.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  function practiceForm(form) {
    var key = form.getAttribute("data-draft-key");
    var startInput = form.querySelector("[data-started-at]");
    var minutes = form.querySelector("[name=duration_minutes]");
    var display = document.querySelector("[data-timer-display]");
    var startButton = document.querySelector("[data-timer-start]");
    var stopButton = document.querySelector("[data-timer-stop]");
    var stoppedAt = null;
    var ticking = null;

    function save() {
      var s = store();
      if (!s) return;
      try {
        s.setItem(key, JSON.stringify({ fields: formFields(form), stoppedAt: stoppedAt, savedAt: Date.now() }));
      } catch (e) { /* storage full or private mode: the form still submits normally */ }
    }

    function elapsedMs() {
      var start = parseInt(startInput.value, 10);
      if (!start) return 0;
      return Math.max(0, (stoppedAt || Date.now()) - start);
    }

    function render() {
      var seconds = Math.floor(elapsedMs() / 1000);
      var m = Math.floor(seconds / 60), sec = seconds % 60;
      display.textContent = m + ":" + (sec < 10 ? "0" : "") + sec;
    }

    function showRunning(running) {
      startButton.hidden = running;
      stopButton.hidden = !running;
      startButton.textContent = startInput.value ? "Restart" : "Start";
    }

    function run() {
      if (ticking) clearInterval(ticking);
      ticking = setInterval(render, 1000);
      render();
      showRunning(true);
    }

    startButton.addEventListener("click", function () {
      if (startInput.value && !window.confirm(I18n.gettext("Start the timer again from 0:00? The time so far will be lost."))) return;
      startInput.value = String(Date.now());
      stoppedAt = null;
      save();
      run();
    });
    stopButton.addEventListener("click", function () {
      stoppedAt = Date.now();
      clearInterval(ticking);
      ticking = null;
      minutes.value = String(Math.max(1, Math.round(elapsedMs() / 60000)));
      render();
      showRunning(false);
      save();
    });

    var draft = readDraft(key);
    if (draft && draft.fields && form.hasAttribute("data-fresh")) {
      fillForm(form, draft.fields);
      stoppedAt = draft.stoppedAt || null;
      var notice = document.querySelector("[data-restored-notice]");
      if (notice) notice.hidden = false;
    } else if (draft && draft.fields && draft.fields.started_at === startInput.value) {
      stoppedAt = draft.stoppedAt || null;
    }
    var discard = document.querySelector("[data-discard-draft]");
    if (discard) discard.addEventListener("click", function () {
      var s = store();
      if (s) s.removeItem(key);
      window.location.replace(window.location.pathname);
    });

    if (startInput.value && !stoppedAt) run(); else { render(); showRunning(false); }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save(); else if (ticking) render();
    });
    window.addEventListener("pagehide", save);
  }

  document.addEventListener("DOMContentLoaded", function () {
    forgetSaved();
    var form = document.querySelector("form[data-draft-key]");
    if (form) practiceForm(form);
    bindSliders(document);
  });
})();
