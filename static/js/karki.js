// Kärki's own small script. Everything works without it; it only moves focus helpfully.
(function () {
  "use strict";
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary], [data-focus-on-load]");
    if (summary) { summary.focus(); }
  }
  function showEstimateFields(select) {
    var form = select.form;
    var kind = select.value;
    form.querySelectorAll("[data-estimate-kinds]").forEach(function (el) {
      var kinds = el.getAttribute("data-estimate-kinds").split(" ");
      el.hidden = kinds.indexOf(kind) === -1;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
    document.querySelectorAll("select[data-estimate-kind]").forEach(function (select) {
      showEstimateFields(select);
      select.addEventListener("change", function () { showEstimateFields(select); });
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) { focusErrorSummary(event.target); });
})();
