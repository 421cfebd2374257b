// Kärki's own small script. Everything works without it; it only moves focus helpfully.
(function () {
  "use strict";
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary], [data-focus-on-load]");
    if (summary) { summary.focus(); }
  }
  function showEstimateFields(select) {
    // A form may hold several estimates (the forecast's what-if rows): each row is its own scope.
    var scope = select.closest("[data-estimate-scope]") || select.form;
    var kind = select.value;
    scope.querySelectorAll("[data-estimate-kinds]").forEach(function (el) {
      var kinds = el.getAttribute("data-estimate-kinds").split(" ");
      el.hidden = kinds.indexOf(kind) === -1;
    });
  }
  function initEstimateFields(root) {
    root.querySelectorAll("select[data-estimate-kind]").forEach(function (select) {
      showEstimateFields(select);
      select.addEventListener("change", function () { showEstimateFields(select); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
    initEstimateFields(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    // An outerHTML swap replaces the target itself; then look in the whole page.
    var root = event.target.isConnected ? event.target : document;
    focusErrorSummary(root);
    initEstimateFields(root);
  });
})();
