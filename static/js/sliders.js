// Each 0-N scale has a typed number (the real field) and a slider revealed here; moving either updates the other.
(function () {
  "use strict";
  document.querySelectorAll("input[data-scale-for]").forEach(function (slider) {
    var number = document.getElementById(slider.getAttribute("data-scale-for"));
    if (!number) { return; }
    var row = slider.closest(".scale-row");
    function markUnset() {
      if (row) { row.classList.toggle("is-unset", number.value.trim() === ""); }
    }
    slider.hidden = false;
    slider.addEventListener("input", function () {
      number.value = slider.value;
      markUnset();
      number.dispatchEvent(new Event("input", { bubbles: true }));
    });
    number.addEventListener("input", function () {
      var value = parseInt(number.value, 10);
      if (!isNaN(value)) { slider.value = String(value); }
      markUnset();
    });
    markUnset();
  });
})();
