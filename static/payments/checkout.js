/* Hokwe Pay embeddable checkout (docs/checkout.md).
 *
 *   <script src="https://checkout.hokwepay.me/static/payments/checkout.js"
 *           data-token="<pay token of the intent>" data-target="#pay-here" async></script>
 *
 * Inserts an iframe on /checkout/<token> (only hosts listed in CHECKOUT_EMBED_ORIGINS may
 * frame it) and re-dispatches its messages as a `hokwe:checkout` DOM event on the target:
 *   event.detail = {type: "hokwe.checkout", status: "open" | "paid" | "closed",
 *                   token, receiptNumber, height}
 * The partner page must still check the payment server-side (REST GET
 * /api/v1/payments/intents/<id>, or the PaymentSucceeded event): a browser message is a hint.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.token) { return; }
  var origin = new URL(script.src, window.location.href).origin;
  var target = script.dataset.target ? document.querySelector(script.dataset.target) : null;
  var frame = document.createElement("iframe");
  frame.src = origin + "/checkout/" + encodeURIComponent(script.dataset.token);
  frame.title = script.dataset.title || "Hokwe Pay";
  frame.setAttribute("allow", "payment");
  frame.setAttribute("loading", "lazy");
  frame.style.cssText = "width:100%;max-width:30rem;min-height:420px;border:0;display:block;margin:0 auto;";
  var host = target || script.parentNode;
  if (target) { target.appendChild(frame); } else { host.insertBefore(frame, script); }
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) { return; }
    var data = event.data || {};
    if (data.type !== "hokwe.checkout") { return; }
    if (data.height) { frame.style.height = Math.max(420, data.height + 24) + "px"; }
    host.dispatchEvent(new CustomEvent("hokwe:checkout", { detail: data, bubbles: true }));
  });
})();
