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

  function all() {
    return withStore("readonly", function (s) { return s.getAll(); }).then(function (entries) {
      return (entries || []).sort(function (a, b) { return a.createdAt - b.createdAt; });
    });
  }

  function withToken(body, token) {
    var params = new URLSearchParams(body);
    params.set("csrf_token", token);
    return params.toString();
  }

  // "sent": the server has it (2xx, or a redirect: the view's 303 or a replay); "signed-out": 401, keep it until
  // the patient signs in; "retry": offline or a server error; "attention": refused (e.g. a validation error).
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
      if (response.type === "opaqueredirect" || (response.status >= 200 && response.status < 400)) return "sent";
      if (response.status === 401) return "signed-out";
      if (response.status === 422) entry.problem = "Its key was used for a different entry, so it was not saved.";
      if (response.status >= 500 || response.status === 429) return "retry";
      return "attention";
    }, function () { return "retry"; });
  }

  // Oldest first; stops at the first network failure. `session` ({user, token}) is the page's current sign-in,
  // used to refresh the CSRF token after a new sign-in; the service worker sends the stored one.
  function flush(fetchFn, session) {
    if (flushing) return flushing;
    flushing = all().then(function (entries) {
      var chain = Promise.resolve(false);
      entries.forEach(function (entry) {
        chain = chain.then(function (stop) {
          if (stop) return true;
          return send(entry, fetchFn, session).then(function (outcome) {
            if (outcome === "sent") return remove(entry.key).then(function () { return false; });
            entry.state = outcome;
            return put(entry).then(function () { return outcome === "retry"; });
          });
        });
      });
      return chain;
    }).then(function () { flushing = null; }, function (error) { flushing = null; throw error; });
    return flushing;
  }

  root.Outbox = { SYNC_TAG: "outbox", put: put, remove: remove, clear: clear, all: all, flush: flush };
})(self);
