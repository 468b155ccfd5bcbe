// Interface strings for static JavaScript, from the same gettext catalogs as the pages (app/i18n/js_catalog.py).
// Mark a string as  I18n.gettext("Saved on this phone")  (or  I18n.gettext("%(n)s entries", {n: 3})) so
// `make translations` extracts it. Until the catalog has loaded, or when a string has no translation, the English
// text is shown: never an empty string. Works in pages (reads <html lang>) and in the service worker (pass a lang).
(function (root) {
  "use strict";
  var messages = {};
  var storageKey = "i18n:";

  function format(text, values) {
    if (!values) return text;
    return text.replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function gettext(msgid, values) {
    var text = Object.prototype.hasOwnProperty.call(messages, msgid) && messages[msgid] ? messages[msgid] : msgid;
    return format(text, values);
  }

  function remember(lang, catalog) {
    messages = catalog || {};
    try { if (root.localStorage) root.localStorage.setItem(storageKey + lang, JSON.stringify(messages)); } catch (e) { /* private mode */ }
  }

  function load(lang) {
    lang = lang || (root.document && root.document.documentElement.lang) || "en";
    try {
      var kept = root.localStorage && root.localStorage.getItem(storageKey + lang);
      if (kept) messages = JSON.parse(kept);
    } catch (e) { /* a damaged copy is replaced below */ }
    if (!root.fetch) return Promise.resolve(gettext);
    return root.fetch("/i18n/" + encodeURIComponent(lang) + ".json", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { messages: messages }; })
      .then(function (body) { remember(lang, body.messages); return gettext; })
      .catch(function () { return gettext; });  // offline: the kept copy, else English
  }

  root.I18n = { gettext: gettext, load: load, ready: root.document ? load() : Promise.resolve(gettext) };
})(typeof self !== "undefined" ? self : this);
