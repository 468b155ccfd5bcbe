// The service worker: precached app shell, network-first pages with an offline fallback, the signed-in patient's
// pages kept for offline use in a cache named for them (Today, the week, every form, recent entries, the crisis
// screen and safety plan), and the outbox flushed on Background Sync where it exists.
// Each concern is a named handler below (install, activate, fetch, sync, message); push handlers are separate.
/* global I18n, Outbox */
"use strict";

importScripts("/static/js/i18n.js", "/static/js/outbox.js");

var VERSION = new URL(self.location.href).searchParams.get("v") || "dev";
I18n.load(new URL(self.location.href).searchParams.get("lang") || "en");  // the language the page registered us in
var SHELL_CACHE = "shell-" + VERSION;
var PAGES_PREFIX = "pages-";  // one cache per patient: "pages-<user id>"; only one exists at a time
var OFFLINE_URL = "/offline";
var OFFLINE_LIST_URL = "/offline-pages.json";
var PAGE_MAX_AGE_MS = 30 * 60 * 1000;  // background copies are refreshed at most this often (pages opened online
                                       // are kept fresh as they are opened)
var SIGNED_OUT_PATHS = ["/login", "/logout"];
var currentUser = "";  // the person the open pages say is signed in (forgotten when the worker restarts)

// --- install: precache the app shell named by the server (versioned static URLs and the offline page) ---
function onInstall(event) {
  event.waitUntil(
    fetch("/app-shell.json", { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (shell) {
        return caches.open(SHELL_CACHE).then(function (cache) { return cache.addAll(shell.urls); });
      })
      .then(function () { return self.skipWaiting(); })
  );
}

// --- activate: drop the shell caches of older versions (and the old shared page cache), then control pages ---
function onActivate(event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) {
          return (name.indexOf("shell-") === 0 && name !== SHELL_CACHE) || name === "patient-pages";
        }).map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
  );
}

// --- per-person page caches ---
function pagesCacheName(user) { return PAGES_PREFIX + user; }

function forgetPagesExcept(user) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PAGES_PREFIX) === 0 && name !== pagesCacheName(user);
    }).map(function (name) { return caches.delete(name); }));
  });
}

function pageKey(url) { return new URL(url, self.location.origin).pathname; }

// Keep a page only when the server marked it as this person's offline page (X-Offline-Page: <user id>).
function keepPage(url, response) {
  var user = response.headers.get("X-Offline-Page");
  if (!user || !response.ok || response.redirected || response.type !== "basic") return Promise.resolve();
  currentUser = user;
  var copy = response.clone();
  return forgetPagesExcept(user).then(function () {
    return caches.open(pagesCacheName(user));
  }).then(function (cache) { return cache.put(pageKey(url), copy); });
}

// A saved page is served with data-served="cache" on <html>, so app.js can say so and give its forms new keys.
function savedPage(url) {
  return caches.keys().then(function (names) {
    var mine = names.filter(function (name) { return name.indexOf(PAGES_PREFIX) === 0; });
    var chain = Promise.resolve(null);
    mine.forEach(function (name) {
      chain = chain.then(function (hit) {
        return hit || caches.open(name).then(function (cache) { return cache.match(pageKey(url)); });
      });
    });
    return chain;
  }).then(function (hit) {
    if (!hit) return null;
    var saved = hit.headers.get("Date") || "";
    return hit.text().then(function (html) {
      var marked = html.replace('data-served="network"', 'data-served="cache" data-saved-at="' + saved + '"');
      return new Response(marked, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  });
}

function offlinePage() {
  return caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE }).then(function (hit) {
    return hit || new Response(I18n.gettext("You are offline."), { status: 503, headers: { "Content-Type": "text/plain" } });
  });
}

function signedOut(response) {
  return SIGNED_OUT_PATHS.indexOf(new URL(response.url || "/", self.location.origin).pathname) !== -1;
}

function pageFromNetwork(request) {
  return fetch(request)
    .then(function (response) {
      // On the sign-in page: the session ended, so nothing of the last person may stay on this phone.
      if (signedOut(response)) forgetPagesExcept("");
      else keepPage(request.url, response);
      return response;
    })
    .catch(function () {
      return savedPage(request.url).then(function (hit) { return hit || offlinePage(); });
    });
}

function staticFromCache(request) {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      if (hit) return hit;
      return fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
    });
  });
}

function onFetch(event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));  // the form's entry is already in the outbox
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.indexOf("/static/") === 0 && url.searchParams.has("v")) {
    event.respondWith(staticFromCache(request));
  } else if (request.mode === "navigate") {
    event.respondWith(pageFromNetwork(request));
  }
}

// --- sync: Background Sync (Chromium only) asks us to send the outbox; pages also flush it themselves.
// Only the entries of the person the pages last said is signed in are sent (none if the worker restarted since).
function onSync(event) {
  if (event.tag === Outbox.SYNC_TAG && currentUser) {
    event.waitUntil(Outbox.flush(self.fetch.bind(self), { user: currentUser, token: "" }).then(notifyPages));
  }
}

function notifyPages(sent) {
  var titles = (sent || []).map(function (entry) { return entry.title || I18n.gettext("An entry"); });
  return self.clients.matchAll({ type: "window" }).then(function (pages) {
    pages.forEach(function (page) { page.postMessage({ type: "outbox-changed", sent: titles }); });
  });
}

// --- message: an online patient page asks us to keep this person's pages fresh for offline use ---
// Resolves false when the session has ended (a redirect or refusal): the refresh stops there, so a signed-out
// phone doesn't send a burst of requests whose answers would replace the sign-in page's session cookie.
function refreshOne(cache, url) {
  return cache.match(pageKey(url)).then(function (hit) {
    var age = hit ? Date.now() - Date.parse(hit.headers.get("Date") || 0) : Infinity;
    if (age < PAGE_MAX_AGE_MS) return true;
    // X-Offline-Copy: the server must not treat this background copy as the patient viewing the page.
    var request = new Request(url, { credentials: "same-origin", redirect: "manual", headers: { "X-Offline-Copy": "1" } });
    return fetch(request).then(function (response) {
      if (!response.ok) return false;
      return keepPage(url, response).then(function () { return true; });
    }).catch(function () { return false; });
  });
}

var refreshing = null;  // one refresh at a time: two open pages ask at once

function refreshPages(user) {
  currentUser = String(user);
  if (refreshing) return refreshing;
  refreshing = forgetPagesExcept(currentUser).then(function () {
    return fetch(OFFLINE_LIST_URL, { credentials: "same-origin", cache: "no-store", redirect: "manual" });
  }).then(function (response) {
    if (!response.ok || response.redirected) return null;
    return response.json().then(function (list) {
      if (String(list.user) !== currentUser) return null;
      return caches.open(pagesCacheName(currentUser)).then(function (cache) {
        var chain = Promise.resolve(true);
        list.urls.forEach(function (url) {
          chain = chain.then(function (going) { return going && refreshOne(cache, url); });
        });
        return chain;
      });
    });
  }).catch(function () { return null; }).then(function () { refreshing = null; });
  return refreshing;
}

function onMessage(event) {
  var data = event.data || {};
  if (data.type === "patient-pages" && data.user) event.waitUntil(refreshPages(data.user));
  else if (data.type === "session" && data.user) currentUser = String(data.user);
}

self.addEventListener("install", onInstall);
self.addEventListener("activate", onActivate);
self.addEventListener("fetch", onFetch);
self.addEventListener("sync", onSync);
self.addEventListener("message", onMessage);

// --- push: show every push as a notification, open the app on tap, re-subscribe when the browser asks ---
const PUSH_DEFAULT_URL = "/today";

function pushPayload(event) {
  // Every push must show a notification (Safari revokes subscriptions after silent pushes), even unreadable ones.
  try {
    const data = event.data ? event.data.json() : {};
    return {
      title: data.title || I18n.gettext("Reminder"),
      body: data.body || "",
      url: typeof data.url === "string" && data.url.startsWith("/") && !data.url.startsWith("//") ? data.url : PUSH_DEFAULT_URL,
      tag: data.tag || "",
    };
  } catch (error) {
    return { title: I18n.gettext("Reminder"), body: I18n.gettext("Open the app to see it."), url: PUSH_DEFAULT_URL, tag: "" };
  }
}

function pushShow(event) {
  const payload = pushPayload(event);
  const options = { body: payload.body, data: { url: payload.url } };
  if (payload.tag) options.tag = payload.tag;
  return self.registration.showNotification(payload.title, options);
}

async function pushOpen(event) {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || PUSH_DEFAULT_URL, self.location.origin);
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    if (new URL(client.url).origin !== target.origin) continue;
    if (client.url === target.href) return client.focus();
    if ("navigate" in client) {
      await client.focus();
      return client.navigate(target.href);
    }
  }
  return self.clients.openWindow(target.href);
}

async function pushResubscribe(event) {
  // The browser replaced our subscription. Subscribe again with the same key; the pages post it to the server
  // the next time one opens (the worker has no CSRF token, so it cannot save it itself).
  const old = event.oldSubscription;
  const key = old && old.options ? old.options.applicationServerKey : null;
  if (key) await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  const windows = await self.clients.matchAll({ type: "window" });
  windows.forEach((client) => client.postMessage({ type: "push-resync" }));
}

self.addEventListener("push", (event) => event.waitUntil(pushShow(event)));
self.addEventListener("notificationclick", (event) => event.waitUntil(pushOpen(event)));
self.addEventListener("pushsubscriptionchange", (event) => event.waitUntil(pushResubscribe(event)));
