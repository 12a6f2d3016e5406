/* The point of sale (templates payments/merchant_*.html), under the page CSP: no inline
   handler. A print button ([data-print]) prints the receipt or the cash report; a form is
   sent once (a double tap on a slow network disables its button). The live status is htmx
   polling (hx-trigger="every 2s" in merchant_status.html), nothing to do here. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) { event.preventDefault(); window.print(); }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches(".pos-form")) { return; }
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });
})();
