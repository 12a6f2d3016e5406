// The contact form's suggestions as the user types (/help/suggest, JSON): the articles that may
// already answer, under the subject field. Without JavaScript the form shows them on a first submit.
(function () {
  "use strict";
  function init() {
    var input = document.querySelector("[data-help-suggest]");
    var box = document.querySelector("[data-suggest-url]");
    if (!input || !box) return;
    var timer = null, last = "";
    function render(results) {
      box.textContent = "";
      if (!results.length) { box.hidden = true; return; }
      var title = document.createElement("p");
      title.textContent = box.getAttribute("data-title") || (document.documentElement.lang === "en" ? "These articles may answer you:" : "Ces articles peuvent vous répondre :");
      var list = document.createElement("ul");
      results.forEach(function (r) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = r.url; a.textContent = r.title; a.setAttribute("data-testid", "help-suggestion");
        li.appendChild(a); list.appendChild(li);
      });
      box.appendChild(title); box.appendChild(list); box.hidden = false;
    }
    function ask() {
      var q = input.value.trim();
      if (q === last) return;
      last = q;
      if (q.length < 3) { render([]); return; }
      var url = box.getAttribute("data-suggest-url");
      url += (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === q) render(data.results || []); })
        .catch(function () { render([]); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 250); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
