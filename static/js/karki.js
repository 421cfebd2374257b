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
  // The monthly report grid shows each row's realised savings as the total of its cost categories; as
  // the person types in them, the total follows (the same reading of "1,4 M€" as the server's).
  var MILLION = /\s*(m€|meur|m\s*€|mn\s*€|mn|milj\.?\s*€?|milj\.?\s*euroa|m)\s*$/i;
  var EURO = /\s*(€|eur|euroa|euro)\s*$/i;
  function parseMoney(text) {
    var raw = text.trim().replace(/[\u2212\u2013]/g, "-").replace(/[\u00a0\u202f]/g, " ");
    if (!raw) { return 0; }
    var factor = 1;
    var match = raw.match(MILLION);
    if (match) { factor = 1000000; raw = raw.slice(0, match.index); }
    else { match = raw.match(EURO); if (match) { raw = raw.slice(0, match.index); } }
    raw = raw.replace(/ /g, "");
    var commas = (raw.match(/,/g) || []).length;
    var points = (raw.match(/\./g) || []).length;
    if (commas === 1 && points === 0) { raw = raw.replace(",", "."); }
    else if (commas >= 1 && points === 1 && raw.lastIndexOf(",") < raw.lastIndexOf(".")) { raw = raw.replace(/,/g, ""); }
    return /^[+-]?\d+(\.\d+)?$/.test(raw) ? parseFloat(raw) * factor : NaN;
  }
  function wireReportTotals(root) {
    root.querySelectorAll("[data-realised-total]").forEach(function (total) {
      var row = total.closest("fieldset");
      if (!row || total.hasAttribute("data-wired")) { return; }
      total.setAttribute("data-wired", "");
      var inputs = row.querySelectorAll("input[data-saving]");
      var format = new Intl.NumberFormat(document.documentElement.lang || "fi", { maximumFractionDigits: 2 });
      inputs.forEach(function (input) {
        input.addEventListener("input", function () {
          var sum = 0;
          inputs.forEach(function (each) { sum += parseMoney(each.value); });
          total.textContent = isNaN(sum) ? "–" : format.format(sum) + "\u00a0€";
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    wireReportTotals(document);
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
    wireReportTotals(root);
    focusErrorSummary(root);
  });
})();
