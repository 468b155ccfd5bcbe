// The safety pathway on the phone: an alert or a risky answer made without a connection waits in the outbox
// (outbox.js) with the time it was made, and the patient is told plainly, with 988 and 911 first, that nobody
// has been alerted yet. Also: every entry carries its client time, a page read from the phone's cache gets fresh
// idempotency keys, and the crisis screen tells the server it was seen with a POST (never a side effect of GET).
/* global Outbox */
(function () {
  "use strict";
  var canQueue = "indexedDB" in window && window.Outbox;

  function askForSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register(Outbox.SYNC_TAG);
    }).catch(function () { /* no Background Sync: app.js flushes on online and visibilitychange */ });
  }

  // --- every entry says when it was made (capture phase: before app.js reads the form) ---
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.querySelectorAll) return;
    form.querySelectorAll("input[data-client-time]").forEach(function (input) {
      input.value = new Date().toISOString();
    });
  }, true);

  // --- a page served from the phone's cache must not reuse the key it was cached with ---
  if (!navigator.onLine) {
    document.querySelectorAll("form[data-offline] input[data-fresh-uuid]").forEach(function (input) {
      input.value = Outbox.newKey();
    });
  }

  // --- the honest offline screen ---
  function showOfflineCrisis() {
    var panel = document.querySelector("[data-offline-crisis]");
    if (!panel) return;
    panel.hidden = false;
    window.scrollTo(0, 0);
    panel.focus();
  }

  // PHQ-9 item 9 above 0, a diary urge at the threshold, an "acted on": decided on the phone when offline.
  function atRisk(form) {
    var high = Array.prototype.some.call(form.querySelectorAll("input[data-risk-min]:checked"), function (input) {
      return Number(input.value) >= Number(input.getAttribute("data-risk-min"));
    });
    return high || form.querySelector("input[data-risk-flag]:checked") !== null;
  }

  // Forms app.js queues (data-offline="queue"): app.js keeps the entry; this shows the crisis screen if needed.
  document.querySelectorAll("form[data-offline=queue]").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (!navigator.onLine && atRisk(form)) showOfflineCrisis();
    });
  });

  // --- "Alert my therapist": into the outbox first; sent at once online, later (with its time) offline ---
  function queueAlert(event) {
    var form = event.target;
    var key = form.querySelector("input[name=idempotency_key]");
    if (!canQueue || !key || event.defaultPrevented) return;
    event.preventDefault();
    var box = document.querySelector("[data-outbox]");
    var entry = {
      key: key.value, url: form.action, body: new URLSearchParams(new FormData(form)).toString(),
      createdAt: Date.now(), user: box ? box.getAttribute("data-user") : "", page: window.location.href,
      title: document.title.split(" · ")[0], state: "queued"
    };
    var saved = Outbox.put(entry);
    if (navigator.onLine) {
      // Sent normally; the outbox copy is the safety net if the connection drops mid-way (replayed once).
      saved.then(function () { form.submit(); }, function () { form.submit(); });
      return;
    }
    saved.then(function () {
      key.value = Outbox.newKey();  // pressing again later is a new alert, not a copy of this one
      askForSync();
    }).catch(function () { /* nothing more this phone can do: the numbers are on screen */ });
    showOfflineCrisis();
  }

  document.querySelectorAll("form[data-offline=safety]").forEach(function (form) {
    form.addEventListener("submit", queueAlert);
  });

  // --- the crisis screen tells the server it was seen, by POST from the page itself ---
  var seen = document.querySelector("form[data-crisis-seen]");
  function postSeen() {
    if (!seen || !navigator.onLine || document.visibilityState !== "visible") return;
    var form = seen;
    seen = null;
    window.fetch(form.action, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Requested-With": "fetch" },
      body: new URLSearchParams(new FormData(form)).toString()
    }).then(function (response) {
      if (response.ok) form.hidden = true; else seen = form;
    }, function () { seen = form; });
  }
  postSeen();
  document.addEventListener("visibilitychange", postSeen);
  window.addEventListener("online", postSeen);
})();
