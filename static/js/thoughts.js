// Thought records on the phone: keep what is typed in localStorage until the server has it, bring it back after an
// interruption, and keep the "how you feel now" labels in step with the emotions named above.
(function () {
  "use strict";
  var PREFIX = "homework:";

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  var store = storage();
  var forget = document.querySelector("[data-forget-draft]");
  if (store && forget) { store.removeItem(PREFIX + forget.getAttribute("data-forget-draft")); }

  var form = document.querySelector("form[data-draft-key]");
  if (!form) { return; }
  var key = PREFIX + form.getAttribute("data-draft-key");

  function values() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.type === "submit" || el.type === "button") { return; }
      if (el.type === "checkbox") {
        data[el.name] = data[el.name] || [];
        if (el.checked) { data[el.name].push(el.value); }
      } else {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function apply(data) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in data)) { return; }
      if (el.type === "checkbox") { el.checked = data[el.name].indexOf(el.value) !== -1; }
      else if (el.type !== "submit") { el.value = data[el.name]; }
      el.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  function syncEmotionRows() {
    form.querySelectorAll("[data-emotion-row]").forEach(function (row, index) {
      var name = document.getElementById(row.getAttribute("data-emotion-row"));
      var label = row.querySelector("[data-emotion-label]");
      var text = name ? name.value.trim() : "";
      if (label) { label.textContent = text || I18n.gettext("Emotion %(n)s", { n: index + 1 }); }
      var rerated = row.querySelector("input.scale-value");
      row.hidden = index > 0 && !text && !(rerated && rerated.value.trim());
    });
  }

  if (store && form.hasAttribute("data-restore")) {
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (error) { saved = null; }
    var serverTime = Date.parse(form.getAttribute("data-saved-at") || "") || 0;
    if (saved && saved.values && saved.at > serverTime) {
      apply(saved.values);
      var status = form.querySelector("[data-draft-status]");
      if (status) {
        status.hidden = false;
        status.querySelector("[data-draft-discard]").addEventListener("click", function () {
          store.removeItem(key);
          form.reset();
          Array.prototype.forEach.call(form.elements, function (el) {
            el.dispatchEvent(new Event("input", { bubbles: true }));
          });
          status.hidden = true;
        });
      }
    }
  }

  function save() {
    if (store) { store.setItem(key, JSON.stringify({ at: Date.now(), values: values() })); }
  }

  form.addEventListener("input", function () { save(); syncEmotionRows(); });
  form.addEventListener("change", save);
  syncEmotionRows();
})();
