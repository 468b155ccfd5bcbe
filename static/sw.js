// The service worker: precached app shell, network-first pages with an offline fallback, the patient's crisis
// screen and safety plan kept for offline reading, and the outbox flushed on Background Sync where it exists.
// Each concern is a named handler below (install, activate, fetch, sync, message); push handlers are separate.
/* global Outbox */
"use strict";

importScripts("/static/js/outbox.js");

var VERSION = new URL(self.location.href).searchParams.get("v") || "dev";
var SHELL_CACHE = "shell-" + VERSION;
var PATIENT_CACHE = "patient-pages";
var OFFLINE_URL = "/offline";
// Only these authenticated pages are ever stored, and only for patients (staff pages are never cached).
var PATIENT_PAGES = ["/safety/crisis", "/safety/plan"];
// The safety pathway works offline too: the "not safe" page and every questionnaire (safety-offline.js).
PATIENT_PAGES = PATIENT_PAGES.concat(["/safety/not-safe", "/questionnaires/phq9", "/questionnaires/gad7", "/questionnaires/pcl5"]);
var PATIENT_PAGE_MAX_AGE_MS = 60 * 60 * 1000;

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

// --- activate: drop the shell caches of older versions, then control open pages at once ---
function onActivate(event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf("shell-") === 0 && name !== SHELL_CACHE;
        }).map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
  );
}

// --- fetch: static files cache-first (their URLs carry a content hash), pages network-first ---
function isPatientPage(url) {
  return PATIENT_PAGES.indexOf(url.pathname) !== -1 && !url.search;
}

function keepPatientPage(request, response) {
  if (!response.ok || response.redirected || response.type !== "basic") return;
  var copy = response.clone();
  caches.open(PATIENT_CACHE).then(function (cache) { return cache.put(request.url, copy); });
}

function offlinePage() {
  return caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE }).then(function (hit) {
    return hit || new Response("You are offline.", { status: 503, headers: { "Content-Type": "text/plain" } });
  });
}

function pageFromNetwork(request) {
  var url = new URL(request.url);
  return fetch(request)
    .then(function (response) {
      if (isPatientPage(url)) keepPatientPage(request, response);
      return response;
    })
    .catch(function () {
      var saved = isPatientPage(url) ? caches.match(request.url, { cacheName: PATIENT_CACHE }) : Promise.resolve();
      return saved.then(function (hit) { return hit || offlinePage(); });
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

// --- sync: Background Sync (Chromium only) asks us to send the outbox; pages also flush it themselves ---
function onSync(event) {
  if (event.tag === Outbox.SYNC_TAG) {
    event.waitUntil(Outbox.flush(self.fetch.bind(self)).then(notifyPages));
  }
}

function notifyPages() {
  return self.clients.matchAll({ type: "window" }).then(function (pages) {
    pages.forEach(function (page) { page.postMessage({ type: "outbox-changed" }); });
  });
}

// --- message: patient pages ask us to keep their crisis screen and safety plan fresh for offline reading ---
function refreshPatientPages() {
  return caches.open(PATIENT_CACHE).then(function (cache) {
    return Promise.all(PATIENT_PAGES.map(function (path) {
      return cache.match(path).then(function (hit) {
        var age = hit ? Date.now() - Date.parse(hit.headers.get("Date") || 0) : Infinity;
        if (age < PATIENT_PAGE_MAX_AGE_MS) return null;
        // X-Offline-Copy: the server must not treat this background copy as the patient viewing the page.
        var request = new Request(path, { credentials: "same-origin", headers: { "X-Offline-Copy": "1" } });
        return fetch(request).then(function (response) {
          if (response.ok && !response.redirected) return cache.put(path, response);
          return null;
        }).catch(function () { return null; });
      });
    }));
  });
}

function onMessage(event) {
  var type = event.data && event.data.type;
  if (type === "patient-pages") event.waitUntil(refreshPatientPages());
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
      title: data.title || "Reminder",
      body: data.body || "",
      url: typeof data.url === "string" && data.url.startsWith("/") && !data.url.startsWith("//") ? data.url : PUSH_DEFAULT_URL,
      tag: data.tag || "",
    };
  } catch (error) {
    return { title: "Reminder", body: "Open the app to see it.", url: PUSH_DEFAULT_URL, tag: "" };
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
