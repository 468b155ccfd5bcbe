// Every page: register the service worker, keep entries made offline in the outbox (outbox.js) and send them when
// the connection returns, say what was sent, bring a refused entry back with its reason and the words intact,
// and forget this phone's copies on sign-out. Everything is per person: a shared phone never mixes two people.
/* global Outbox */
(function () {
  "use strict";
  var script = document.currentScript;
  var box = document.querySelector("[data-outbox]");
  var canQueue = "indexedDB" in window && window.Outbox;
  var waitingCount = canQueue ? null : 0;  // known after the first look at the outbox
  var KEEP_PAGES_AFTER_MS = 2000;

  function session() {
    var token = document.querySelector("input[name=csrf_token]");
    var meta = document.querySelector("meta[name=csrf-token]");
    return { user: box ? box.getAttribute("data-user") : "", token: token ? token.value : (meta ? meta.content : "") };
  }

  // --- the waiting count and what needs the patient ---
  function plural(n) { return n === 1 ? I18n.gettext("1 entry") : I18n.gettext("%(n)s entries", { n: n }); }

  function render(entries, message) {
    waitingCount = entries.length;
    if (!box) return;
    var text = box.querySelector("[data-outbox-text]");
    var list = box.querySelector("[data-outbox-attention]");
    var waiting = entries.filter(function (e) { return e.state !== "attention"; });
    var attention = entries.filter(function (e) { return e.state === "attention"; });
    var signedOut = entries.some(function (e) { return e.state === "signed-out"; });
    var parts = [];
    if (message) parts.push(message + ".");
    if (waiting.length) {
      parts.push(signedOut ? I18n.gettext("Sign in to send %(entries)s saved on this phone.", { entries: plural(waiting.length) })
        : I18n.gettext("%(entries)s saved on this phone, not sent yet.", { entries: plural(waiting.length) }));
    }
    if (attention.length) {
      parts.push(attention.length === 1 ? I18n.gettext("1 entry could not be sent and needs your attention:")
        : I18n.gettext("%(n)s entries could not be sent and need your attention:", { n: attention.length }));
    }
    text.textContent = parts.join(" ");
    list.textContent = "";
    attention.forEach(function (entry) {
      var item = document.createElement("li");
      var why = document.createElement("span");
      why.textContent = (entry.title || I18n.gettext("An entry")) + ": " + (entry.reason || I18n.gettext("the app could not accept it.")) + " ";
      var link = document.createElement("a");
      link.href = entry.page.split("#")[0] + "#outbox-" + entry.key;
      link.textContent = I18n.gettext("Open it again with your words");
      item.appendChild(why);
      item.appendChild(link);
      if (entry.problem) item.appendChild(document.createTextNode(" " + entry.problem));
      list.appendChild(item);
    });
    list.hidden = !attention.length;
    box.querySelector("[data-outbox-send]").hidden = !waiting.length;
    box.hidden = !parts.length;
  }

  function refresh(message) {
    if (!canQueue) return Promise.resolve();
    var user = session().user;
    if (!user) { render([], message); return Promise.resolve(); }  // signed out: nobody's entries are shown
    return Outbox.all(user).then(function (entries) { render(entries, message); });
  }

  function sentMessage(titles) {
    if (!titles || !titles.length) return "";
    return I18n.gettext("Sent %(entries)s: %(titles)s", { entries: plural(titles.length), titles: titles.join(", ") });
  }

  function flush() {
    if (!canQueue) return Promise.resolve();
    return Outbox.flush(window.fetch.bind(window), session()).then(function (sent) {
      return refresh(sentMessage((sent || []).map(function (e) { return e.title || I18n.gettext("An entry"); })));
    });
  }

  function askForSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register(Outbox.SYNC_TAG);
    }).catch(function () { /* no Background Sync: the page flushes on online and visibilitychange */ });
  }

  // --- forms marked data-offline="queue": written to the outbox before sending, sent later if offline ---
  function serialise(form, submitter) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) { if (typeof value === "string") params.append(name, value); });
    if (submitter && submitter.name) params.append(submitter.name, submitter.value);
    return params.toString();
  }

  function startAfresh(form) {
    var forget = form.getAttribute("data-offline-forget");
    try { if (forget) window.localStorage.removeItem(forget); } catch (e) { /* storage unavailable */ }
    form.reset();
    form.querySelectorAll("[data-fresh-uuid]").forEach(function (input) { input.value = Outbox.newKey(); });
    form.querySelectorAll("input[type=range]").forEach(function (input) {
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  function submitNatively(form, submitter) {
    if (submitter && submitter.name) {
      var carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = submitter.name;
      carried.value = submitter.value;
      form.appendChild(carried);
    }
    form.submit();
  }

  function onQueuedSubmit(event) {
    var form = event.target;
    var key = form.querySelector("input[name=idempotency_key]");
    if (!key || event.defaultPrevented) return;
    event.preventDefault();
    var entry = {
      key: key.value, url: form.action, body: serialise(form, event.submitter), createdAt: Date.now(),
      user: session().user, page: window.location.href, title: document.title.split(" · ")[0], state: "queued"
    };
    var saved = Outbox.put(entry);
    if (navigator.onLine) {
      // Sent normally; the copy is a safety net if the connection drops mid-way (the next page replays it).
      saved.then(function () { submitNatively(form, event.submitter); },
        function () { submitNatively(form, event.submitter); });
      return;
    }
    saved.then(function () {
      startAfresh(form);
      askForSync();
      window.scrollTo(0, 0);
      return refresh(I18n.gettext("Saved on this phone — will sync when you're back online"));
    }, function () { submitNatively(form, event.submitter); });
  }

  // --- a page served from this phone's copy (offline): say so, and give its forms new keys (each entry is new) ---
  function markSavedCopy() {
    if (document.documentElement.getAttribute("data-served") !== "cache") return;
    document.querySelectorAll("[data-fresh-uuid]").forEach(function (input) { input.value = Outbox.newKey(); });
    var note = document.createElement("p");
    note.className = "notice";
    note.setAttribute("role", "status");
    note.textContent = I18n.gettext("You're offline: this is the copy saved on this phone. What you save here is kept and sent when you're back online.");
    var main = document.getElementById("main");
    if (main) main.insertBefore(note, main.firstChild);
    window.addEventListener("online", function () {
      note.textContent = I18n.gettext("You're back online. This page is the copy saved on this phone: open it again for the latest.");
    });
  }

  // --- a refused entry opened again (#outbox-<key>): its words back in the form, with the reason at the top ---
  function reopenRefused() {
    var match = /^#outbox-(.+)$/.exec(window.location.hash);
    if (!canQueue || !match) return Promise.resolve();
    return Outbox.all(session().user).then(function (entries) {
      var entry = entries.filter(function (e) { return e.key === decodeURIComponent(match[1]); })[0];
      var form = entry && (document.querySelector("form[data-offline=queue][action='" + entry.url + "']") ||
        document.querySelector("form[data-offline=queue]"));
      if (!form) return;
      new URLSearchParams(entry.body).forEach(function (value, name) {
        if (name === "csrf_token" || name === "idempotency_key" || name === "entry_token") return;
        Array.prototype.forEach.call(form.querySelectorAll("[name='" + name + "']"), function (el) {
          if (el.type === "radio" || el.type === "checkbox") { if (el.value === value) el.checked = true; }
          else el.value = value;
          el.dispatchEvent(new Event("input", { bubbles: true }));
        });
      });
      var notice = document.createElement("div");
      notice.className = "error-summary";
      notice.setAttribute("role", "alert");
      notice.setAttribute("tabindex", "-1");
      notice.textContent = I18n.gettext("This wasn't sent: %(reason)s Your words are below; change what's needed and save again.",
        { reason: entry.reason || I18n.gettext("the app could not accept it.") });
      form.parentNode.insertBefore(notice, form);
      notice.focus();
      form.addEventListener("submit", function () { Outbox.remove(entry.key).then(function () { refresh(); }); });
    });
  }

  // --- drafts typed on this phone by someone else who used it before (keys carry the person's id) ---
  function forgetOtherPeoplesDrafts() {
    var me = session().user;
    if (!me) return;
    try {
      var store = window.localStorage;
      for (var i = store.length - 1; i >= 0; i--) {
        var found = /^(?:homework:thoughts|exposure-draft):([^:]+):/.exec(store.key(i) || "");
        if (found && found[1] !== String(me)) store.removeItem(store.key(i));
      }
      // PE session recordings (recorder.js) are kept for one person: another person's are deleted here.
      var owner = store.getItem("recordings-owner");
      if (owner && owner !== String(me) && window.indexedDB) {
        indexedDB.deleteDatabase("recordings");
        store.removeItem("recordings-owner");
      }
    } catch (e) { /* storage unavailable */ }
  }

  // A form re-shown by the server (e.g. a validation error) carries the same key: the page is now the live copy.
  function dropShownEntries() {
    if (!canQueue) return Promise.resolve();
    var shown = Array.prototype.map.call(document.querySelectorAll("input[name=idempotency_key]"),
      function (input) { return input.value; });
    return Promise.all(shown.map(function (key) { return Outbox.remove(key); }));
  }

  // --- sign-out: nothing of this patient stays on the phone (for browsers that ignore Clear-Site-Data) ---
  function forgetThisPhone() {
    var jobs = [];
    if (window.caches) jobs.push(caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) { return caches.delete(name); }));
    }));
    if (canQueue) jobs.push(Outbox.clear());
    if (window.indexedDB) jobs.push(new Promise(function (resolve) {
      var request = indexedDB.deleteDatabase("recordings");  // PE session recordings (recorder.js)
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
    }));
    try { window.localStorage.clear(); } catch (e) { /* storage unavailable */ }
    return Promise.all(jobs).catch(function () { /* the server's Clear-Site-Data header follows */ });
  }

  function onSignOut(event) {
    var form = event.target;
    var ask = form.getAttribute("data-confirm");
    if (waitingCount === 0) {
      if (ask && !window.confirm(ask)) { event.preventDefault(); return; }
      forgetThisPhone();  // nothing unsent: sign out at once (the server's Clear-Site-Data backs this up)
      return;
    }
    event.preventDefault();
    var pending = canQueue ? (navigator.onLine ? flush() : Promise.resolve()).then(function () {
      return Outbox.all(session().user);
    }) : Promise.resolve([]);
    pending.catch(function () { return []; }).then(function (entries) {
      if (entries.length && !window.confirm(I18n.gettext("%(entries)s on this phone could not be sent yet. Signing out deletes them. Sign out anyway?",
          { entries: plural(entries.length) }))) return;
      return forgetThisPhone().then(function () { form.submit(); });
    });
  }

  // --- start ---
  if ("serviceWorker" in navigator && script && script.getAttribute("data-sw")) {
    navigator.serviceWorker.register(script.getAttribute("data-sw"), { scope: "/" }).then(function () {
      var user = session().user;
      if (!user) return;
      return navigator.serviceWorker.ready.then(function (registration) {
        registration.active.postMessage({ type: "session", user: user });
        // Online patient pages keep this person's pages fresh on the phone for offline use, once the page itself
        // has loaded (the copies are fetched in the background and must not slow what the patient opened).
        if (document.querySelector("[data-patient-pages]") && navigator.onLine &&
            document.documentElement.getAttribute("data-served") !== "cache") {
          window.setTimeout(function () {
            if (registration.active) registration.active.postMessage({ type: "patient-pages", user: user });
          }, KEEP_PAGES_AFTER_MS);
        }
      });
    }).catch(function () { /* the app works without a service worker */ });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "outbox-changed") refresh(sentMessage(event.data.sent));
    });
  }

  markSavedCopy();
  forgetOtherPeoplesDrafts();
  document.querySelectorAll("form[action$='/logout']").forEach(function (form) {
    form.addEventListener("submit", onSignOut);
  });

  if (!canQueue) return;
  document.querySelectorAll("form[data-offline=queue]").forEach(function (form) {
    form.addEventListener("submit", onQueuedSubmit);
  });
  if (box) {
    box.querySelector("[data-outbox-send]").addEventListener("click", function () {
      flush().then(function () { return refresh(navigator.onLine ? "" : I18n.gettext("Still offline")); });
    });
  }
  window.addEventListener("online", flush);
  window.addEventListener("hashchange", reopenRefused);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && navigator.onLine) flush();
  });
  dropShownEntries().then(reopenRefused).then(function () { return navigator.onLine ? flush() : refresh(); });
})();
