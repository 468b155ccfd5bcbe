// Service worker, served from /sw.js so its scope is the whole app. Push handling lives in the push* functions
// below; the PWA work adds its caching beside them without touching these.
"use strict";

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

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("push", (event) => event.waitUntil(pushShow(event)));
self.addEventListener("notificationclick", (event) => event.waitUntil(pushOpen(event)));
self.addEventListener("pushsubscriptionchange", (event) => event.waitUntil(pushResubscribe(event)));
