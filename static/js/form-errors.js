// A form the server sent back with errors: list them at the top, each linking to its field, and move focus there
// so a phone user sees at once what to fix (the message beside each field stays too).
(function () {
  "use strict";
  function fieldOf(box) {
    return box.querySelector("input:not([type=hidden]):not([type=range]), select, textarea") || box;
  }

  function labelOf(box) {
    var label = box.querySelector("legend, label");
    return label ? label.textContent.replace(/\s+/g, " ").replace(/\(optional\)/, "").trim() : "";
  }

  function build(boxes) {
    var summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("role", "alert");
    summary.setAttribute("tabindex", "-1");
    summary.setAttribute("data-error-summary", "");
    var heading = document.createElement("h2");
    heading.textContent = boxes.length === 1 ? "1 thing needs your attention" : boxes.length + " things need your attention";
    var list = document.createElement("ul");
    boxes.forEach(function (box, index) {
      var target = fieldOf(box);
      if (!target.id) target.id = "error-field-" + index;
      var message = box.querySelector(".error");
      var label = labelOf(box);
      var link = document.createElement("a");
      link.href = "#" + target.id;
      // The label only: the message itself stays beside the field (read there, and not said twice).
      link.textContent = label || (message ? message.textContent.trim() : I18n.gettext("Check this answer"));
      var item = document.createElement("li");
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.appendChild(heading);
    summary.appendChild(list);
    var form = boxes[0].closest("form");
    (form || boxes[0]).parentNode.insertBefore(summary, form || boxes[0]);
    return summary;
  }

  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      var boxes = Array.prototype.slice.call(document.querySelectorAll("main .has-error"));
      if (!boxes.length) return;
      summary = build(boxes);
    }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      var control = target.matches("input, select, textarea") ? target : fieldOf(target);
      control.scrollIntoView({ block: "center" });
      control.focus();
    });
    summary.focus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
