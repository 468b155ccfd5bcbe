// The outbox: entries saved on this phone (IndexedDB) until the server has them. Shared by the pages and the
// service worker (importScripts), so it touches no DOM. Each entry carries its idempotency key, so sending it
// twice (page and Background Sync, or a retry after a lost response) still stores it once on the server.
(function (root) {
  "use strict";
  var DB_NAME = "homework-outbox";
  var STORE = "entries";
  var flushing = null;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = root.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function put(entry) { return withStore("readwrite", function (s) { return s.put(entry); }); }
  function remove(key) { return withStore("readwrite", function (s) { return s.delete(key); }); }
  function clear() { return withStore("readwrite", function (s) { return s.clear(); }); }

  // Every entry, oldest first; with `user`, only that person's (a shared phone never shows one person another's).
  function all(user) {
    return withStore("readonly", function (s) { return s.getAll(); }).then(function (entries) {
      return (entries || []).filter(function (e) { return !user || String(e.user) === String(user); })
        .sort(function (a, b) { return a.createdAt - b.createdAt; });
    });
  }

  var ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&#x27;": "'" };

  function plainText(html) {
    return html.replace(/<[^>]*>/g, " ").replace(/&(amp|lt|gt|quot|#39|#x27);/g, function (m) { return ENTITIES[m]; })
      .replace(/\s+/g, " ").trim();
  }

  // Why the server refused an entry, in its own words: a JSON message, else the errors on the page it sent back.
  function refusalReason(response) {
    var fallback = I18n.gettext("The app could not accept it (error %(status)s).", { status: response.status });
    return response.text().then(function (body) {
      if ((response.headers.get("Content-Type") || "").indexOf("json") !== -1) {
        try {
          var data = JSON.parse(body);
          return data.message || data.error || data.description || fallback;
        } catch (e) { return fallback; }
      }
      var found = [];
      var pattern = /<p class="(?:error|flash flash-error)"[^>]*>([\s\S]*?)<\/p>/g;
      var match;
      while ((match = pattern.exec(body)) && found.length < 5) found.push(plainText(match[1]));
      return found.length ? found.join(" ") : fallback;
    }, function () { return fallback; });
  }

  function withToken(body, token) {
    var params = new URLSearchParams(body);
    params.set("csrf_token", token);
    return params.toString();
  }

  // "sent": the server has it (2xx, or a redirect: the view's 303 or a replay); "signed-out": 401, keep it until
  // the patient signs in; "retry": offline or a server error; "attention": refused (any other 4xx), with `reason`.
  function send(entry, fetchFn, session) {
    var sameUser = session && session.user && session.token && String(entry.user) === String(session.user);
    var token = sameUser ? session.token : new URLSearchParams(entry.body).get("csrf_token") || "";
    return fetchFn(entry.url, {
      method: "POST",
      body: sameUser ? withToken(entry.body, session.token) : entry.body,
      credentials: "same-origin",
      redirect: "manual",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Idempotency-Key": entry.key,
        "X-CSRFToken": token
      }
    }).then(function (response) {
      if (response.type === "opaqueredirect" || (response.status >= 200 && response.status < 400)) return { outcome: "sent" };
      if (response.status === 401) return { outcome: "signed-out" };
      if (response.status >= 500 || response.status === 429) return { outcome: "retry" };
      return refusalReason(response).then(function (reason) { return { outcome: "attention", reason: reason }; });
    }, function () { return { outcome: "retry" }; });
  }

  // Oldest first; stops at the first network failure; resolves with the entries the server now has. `session`
  // ({user, token}) is who is signed in: only their entries are sent, with the page's fresh CSRF token when it has
  // one (the service worker knows the user but not the token, so it sends the stored one).
  function flush(fetchFn, session) {
    if (flushing) return flushing;
    if (session && !session.user) return Promise.resolve([]);  // nobody signed in: nothing may be sent
    var sent = [];
    flushing = all(session && session.user).then(function (entries) {
      var chain = Promise.resolve(false);
      entries.forEach(function (entry) {
        chain = chain.then(function (stop) {
          if (stop || entry.state === "attention") return stop;
          return send(entry, fetchFn, session).then(function (result) {
            if (result.outcome === "sent") {
              sent.push(entry);
              return remove(entry.key).then(function () { return false; });
            }
            entry.state = result.outcome;
            if (result.reason) entry.reason = result.reason;
            return put(entry).then(function () { return result.outcome === "retry"; });
          });
        });
      });
      return chain;
    }).then(function () { flushing = null; return sent; }, function (error) { flushing = null; throw error; });
    return flushing;
  }

  // A fresh Idempotency-Key (UUID v4), for the pages and the offline safety module alike.
  function newKey() {
    if (root.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  root.Outbox = { SYNC_TAG: "outbox", newKey: newKey, put: put, remove: remove, clear: clear, all: all, flush: flush };
})(self);
