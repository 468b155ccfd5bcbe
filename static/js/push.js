// Push subscription for the signed-in person: registers /sw.js, re-syncs an existing subscription with the server
// at every page start, and drives the "This device" buttons on the reminder settings page.
// On a browser without web push it says why in plain words; on iPhone/iPad Safari it shows the Home Screen guide
// (iOS delivers web push only to installed apps). Permission is asked only after the person taps the button.
(function () {
  "use strict";
  var statusText = document.querySelector("[data-push-status]");
  function say(text) { if (statusText) statusText.textContent = text; }
  function reveal(selector) { var el = document.querySelector(selector); if (el) el.hidden = false; }

  var ua = navigator.userAgent || "";
  var apple = /iPhone|iPad|iPod/.test(ua) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  var installed = (window.matchMedia && window.matchMedia("(display-mode: standalone)").matches) ||
    navigator.standalone === true;
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    if (apple && !installed) {
      say(I18n.gettext("To get reminders on this %(device)s, add the app to your Home Screen.", { device: /iPad/.test(ua) ? "iPad" : "iPhone" }));
      reveal("[data-push-install]");
    } else {
      var why = document.querySelector("[data-push-unsupported-why]");
      if (why && apple) why.textContent = I18n.gettext("Reminders need iOS 16.4 or later: update in Settings, General, Software Update.");
      say(I18n.gettext("Reminders are not available in this browser."));
      reveal("[data-push-unsupported]");
    }
    return;
  }

  var csrf = document.querySelector('meta[name="csrf-token"]');
  var enableButton = document.querySelector("[data-push-enable]");
  var disableButton = document.querySelector("[data-push-disable]");
  var offer = document.querySelector("[data-push-offer]");

  function send(method, subscription) {
    return fetch("/api/push/subscriptions", {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.content : "" },
      body: JSON.stringify(method === "DELETE" ? { endpoint: subscription.endpoint } : subscription.toJSON()),
    }).then(function (response) {
      if (!response.ok && response.status !== 204) throw new Error(I18n.gettext("The server did not accept this device."));
      return response;
    });
  }

  function urlBase64ToUint8Array(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function serverKey() {
    return fetch("/api/push/key", { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(I18n.gettext("Reminders are not set up on this server yet."));
      return response.json();
    }).then(function (data) { return urlBase64ToUint8Array(data.publicKey); });
  }

  function subscribe(registration) {
    return serverKey().then(function (key) {
      return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    }).then(function (subscription) {
      return send("POST", subscription).then(function () { return subscription; });
    });
  }

  function show(subscription) {
    var denied = Notification.permission === "denied";
    if (enableButton) enableButton.hidden = !!subscription || denied;
    if (offer) offer.hidden = !!subscription || denied;
    if (disableButton) disableButton.hidden = !subscription;
    if (subscription) say(I18n.gettext("Reminders are on for this device."));
    else if (denied) say(I18n.gettext("Notifications are blocked for this site. Allow them in your browser's settings to get reminders."));
    else say(I18n.gettext("Reminders are off for this device."));
  }

  function resync(registration) {
    // Keep the server's copy current (keys can rotate); re-subscribe if permission stands but the browser dropped it.
    return registration.pushManager.getSubscription().then(function (subscription) {
      if (subscription) return send("POST", subscription).then(function () { return subscription; });
      if (Notification.permission === "granted" && enableButton === null) return subscribe(registration);
      return null;
    });
  }

  // app.js registers the one service worker (versioned URL); wait for it rather than registering another.
  navigator.serviceWorker.ready.then(function (registration) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "push-resync") resync(registration).then(show).catch(function () {});
    });
    if (enableButton) {
      enableButton.addEventListener("click", function () {
        say(I18n.gettext("Asking your browser…"));
        Notification.requestPermission().then(function (permission) {
          if (permission !== "granted") { show(null); return; }
          return subscribe(registration).then(show);
        }).catch(function (error) { say(error.message || I18n.gettext("Could not turn reminders on.")); });
      });
    }
    if (disableButton) {
      disableButton.addEventListener("click", function () {
        registration.pushManager.getSubscription().then(function (subscription) {
          if (!subscription) return null;
          return send("DELETE", subscription).then(function () { return subscription.unsubscribe(); });
        }).then(function () { show(null); }).catch(function (error) { say(error.message); });
      });
    }
    return resync(registration).then(show);
  }).catch(function (error) { say(error.message || I18n.gettext("Reminders are not available in this browser.")); });
})();
