// Kärki's own small script. Everything works without it; it only moves focus helpfully and lets wide
// tables scroll in a box of their own on narrow screens.
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
  function wireEstimateKinds(root) {
    root.querySelectorAll("select[data-estimate-kind]").forEach(function (select) {
      showEstimateFields(select);
      if (select.hasAttribute("data-wired")) { return; }
      select.setAttribute("data-wired", "");
      select.addEventListener("change", function () { showEstimateFields(select); });
    });
  }
  // A table wider than the screen scrolls sideways inside its own box instead of making the whole page
  // wider (WCAG 1.4.10 Reflow). A box that scrolls can be reached with Tab and scrolled with the arrow
  // keys (2.1.1), and is named after the table's caption or the heading above it.
  function tableName(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var section = box.closest("section") || document;
    var heading = section.querySelector("h2, h1");
    return heading ? heading.textContent.trim() : document.title;
  }
  function markScrollable() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", tableName(box));
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  function wrapTables(root) {
    root.querySelectorAll("table").forEach(function (table) {
      if (table.parentElement.classList.contains("table-scroll")) { return; }
      var box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    markScrollable();
  }
  document.addEventListener("DOMContentLoaded", function () {
    wrapTables(document);
    focusErrorSummary(document);
    wireEstimateKinds(document);
  });
  window.addEventListener("resize", markScrollable);
  document.addEventListener("htmx:afterSwap", function (event) {
    // An outerHTML swap replaces the target itself; then look in the whole page.
    var root = event.target.isConnected ? event.target : document;
    wrapTables(root);
    wireEstimateKinds(root);
    focusErrorSummary(root);
  });
})();
