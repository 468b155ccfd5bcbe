// Show only the fieldsets that belong to the chosen TMS protocol (without JS, all are shown and the server ignores the rest).
(function () {
  var select = document.getElementById("protocol");
  if (!select) return;
  function update() {
    document.querySelectorAll(".protocol-fields").forEach(function (fieldset) {
      fieldset.hidden = fieldset.dataset.protocol.split(" ").indexOf(select.value) === -1;
    });
  }
  select.addEventListener("change", update);
  update();
})();
