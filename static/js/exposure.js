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

  // The session: SUDS before, Start, the timer asks for a SUDS every few minutes (kept as "minute:suds" pairs in
  // a hidden field, the practice's curve), a gentle signal at the target length, then peak, end and expectancy.
  function practiceForm(form) {
    var key = form.getAttribute("data-draft-key");
    var startInput = form.querySelector("[data-started-at]");
    var minutes = form.querySelector("[name=duration_minutes]");
    var display = document.querySelector("[data-timer-display]");
    var startButton = document.querySelector("[data-timer-start]");
    var stopButton = document.querySelector("[data-timer-stop]");
    var rateNow = document.querySelector("[data-rate-now]");
    var target = form.querySelector("[name=target_minutes]");
    var every = form.querySelector("[name=prompt_every]");
    var targetText = document.querySelector("[data-timer-target]");
    var prompt = document.querySelector("[data-suds-prompt]");
    var promptInput = document.getElementById("prompt-suds");
    var promptError = document.querySelector("[data-prompt-error]");
    var message = document.querySelector("[data-session-message]");
    var curve = document.querySelector("[data-curve]");
    var curveList = document.querySelector("[data-curve-list]");
    var timed = form.querySelector("[data-timed-ratings]");
    var stoppedAt = null;
    var ticking = null;
    var promptSlot = 0;   // the last "every N minutes" slot already asked about
    var signalled = false;  // the target-length signal, once per run

    document.querySelector("[data-session-settings]").hidden = false;

    function save() {
      var s = store();
      if (!s) return;
      try {
        s.setItem(key, JSON.stringify({ fields: formFields(form), stoppedAt: stoppedAt, promptSlot: promptSlot,
                                        signalled: signalled, savedAt: Date.now() }));
      } catch (e) { /* storage full or private mode: the form still submits normally */ }
    }

    function elapsedMs() {
      var start = parseInt(startInput.value, 10);
      if (!start) return 0;
      return Math.max(0, (stoppedAt || Date.now()) - start);
    }

    function targetMinutes() {
      var value = parseInt(target.value, 10);
      return value > 0 ? value : 0;
    }

    function say(text) { message.textContent = text; }

    function ratings() {
      return timed.value ? timed.value.split(",").map(function (pair) {
        var parts = pair.split(":");
        return { minute: parseInt(parts[0], 10), suds: parseInt(parts[1], 10) };
      }) : [];
    }

    function showCurve() {
      var list = ratings();
      curve.hidden = list.length === 0 && !curve.classList.contains("has-error");
      curveList.textContent = "";
      list.forEach(function (rating) {
        var item = document.createElement("li");
        item.textContent = I18n.gettext("%(minute)s min: %(suds)s", rating);
        curveList.appendChild(item);
      });
    }

    function ask() {
      prompt.hidden = false;
      promptInput.value = "";
      promptError.hidden = true;
      say(I18n.gettext("Time for a SUDS rating."));
    }

    function checkSignals() {
      if (!ticking) return;
      var elapsed = elapsedMs();
      var step = parseInt(every.value, 10);
      if (step > 0) {
        var slot = Math.floor(elapsed / (step * 60000));
        if (slot > promptSlot) {
          promptSlot = slot;
          ask();
          save();
        }
      }
      var goal = targetMinutes();
      if (goal && !signalled && elapsed >= goal * 60000) {
        signalled = true;
        if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
        say(I18n.gettext("You've reached your %(n)s minutes. Stop the timer when you're ready.", { n: goal }));
        save();
      }
    }

    function render() {
      var seconds = Math.floor(elapsedMs() / 1000);
      var m = Math.floor(seconds / 60), sec = seconds % 60;
      display.textContent = m + ":" + (sec < 10 ? "0" : "") + sec;
      var goal = targetMinutes();
      targetText.hidden = !goal;
      targetText.textContent = goal ? I18n.gettext("of %(n)s min", { n: goal }) : "";
      checkSignals();
    }

    function showRunning(running) {
      startButton.hidden = running;
      stopButton.hidden = !running;
      rateNow.hidden = !running;
      if (!running) prompt.hidden = true;
      startButton.textContent = startInput.value ? I18n.gettext("Restart") : I18n.gettext("Start");
    }

    function run() {
      if (ticking) clearInterval(ticking);
      ticking = setInterval(render, 1000);
      showRunning(true);
      render();
    }

    startButton.addEventListener("click", function () {
      if (startInput.value && !window.confirm(I18n.gettext(
          "Start the timer again from 0:00? The time so far and the ratings during it will be lost."))) return;
      startInput.value = String(Date.now());
      stoppedAt = null;
      timed.value = "";
      promptSlot = 0;
      signalled = false;
      say("");
      showCurve();
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
      say(I18n.gettext("Timer stopped at %(time)s. Now rate the peak and how you feel at the end.",
                       { time: display.textContent }));
      save();
      var after = document.getElementById("after-heading");
      if (after) after.focus();
    });
    rateNow.addEventListener("click", function () { ask(); promptInput.focus(); });
    promptInput.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();  // Enter records the rating; it must not submit the whole practice
      document.querySelector("[data-prompt-save]").click();
    });
    document.querySelector("[data-prompt-save]").addEventListener("click", function () {
      var raw = promptInput.value.trim();
      var suds = /^\d{1,3}$/.test(raw) ? parseInt(raw, 10) : -1;
      if (suds < 0 || suds > 100) {
        promptError.hidden = false;
        promptInput.setAttribute("aria-invalid", "true");
        promptInput.focus();
        return;
      }
      promptInput.removeAttribute("aria-invalid");
      var minute = Math.floor(elapsedMs() / 60000);
      timed.value = (timed.value ? timed.value + "," : "") + minute + ":" + suds;
      prompt.hidden = true;
      showCurve();
      say(I18n.gettext("Recorded %(suds)s at %(minute)s min.", { suds: suds, minute: minute }));
      save();
    });
    document.querySelector("[data-prompt-skip]").addEventListener("click", function () {
      prompt.hidden = true;
      say("");
    });
    target.addEventListener("input", function () { signalled = elapsedMs() >= targetMinutes() * 60000 && signalled; render(); });

    var draft = readDraft(key);
    var resumed = null;
    if (draft && draft.fields && form.hasAttribute("data-fresh")) {
      fillForm(form, draft.fields);
      resumed = draft;
      var notice = document.querySelector("[data-restored-notice]");
      if (notice) notice.hidden = false;
    } else if (draft && draft.fields && draft.fields.started_at === startInput.value) {
      resumed = draft;
    }
    if (resumed) {
      stoppedAt = resumed.stoppedAt || null;
      promptSlot = resumed.promptSlot || 0;
      signalled = !!resumed.signalled;
    }
    var discard = document.querySelector("[data-discard-draft]");
    if (discard) discard.addEventListener("click", function () {
      var s = store();
      if (s) s.removeItem(key);
      window.location.replace(window.location.pathname);
    });

    showCurve();
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
