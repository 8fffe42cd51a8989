// kabar: progressive enhancement only; every page works without this file.
// Served from /static (the CSP allows only same-origin scripts, never inline ones).
(function () {
  "use strict";
  // "/" focuses the search box, as on many news and code sites.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      var box = document.getElementById("q");
      if (box) { event.preventDefault(); box.focus(); box.select(); }
    }
  });
  // A chart's numbered event (or its line under the chart) moves keyboard focus to its
  // entry, opening the folded list it may sit in, so screen readers follow the jump.
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest
      ? event.target.closest(".story-chart a.marker, ol.main-events a") : null;
    if (!link) { return; }
    var id = (link.getAttribute("href") || "").slice(1);
    var entry = id ? document.getElementById(id) : null;
    if (!entry) { return; }
    var folded = entry.closest("details");
    if (folded) { folded.open = true; }
    window.setTimeout(function () { entry.focus(); }, 0);
  });
  // The period selector shows its period as soon as one is chosen (its button stays for
  // readers without this script).
  document.addEventListener("change", function (event) {
    var select = event.target;
    var form = select && select.form;
    if (form && form.hasAttribute("data-autosubmit")) { form.submit(); }
  });
})();
