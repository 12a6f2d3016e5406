/* Ads' slot on the public sites (docs/ads.md, "Placements"): the page is the same for every
   visitor (cached), the slot asks the delivery endpoint for this visitor's ad, shows it with its
   label « Sponsorisé », loads its impression beacon once shown, and opens it through the signed
   click beacon. Text only through textContent: nothing an advertiser wrote becomes markup. */
(function () {
  "use strict";
  var slots = document.querySelectorAll("aside.site-ad[data-fetch]");
  Array.prototype.forEach.call(slots, function (slot) {
    var url = slot.getAttribute("data-fetch");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (ads) {
        if (!ads || !ads.length) { return; }
        var ad = ads[0];
        var link = document.createElement("a");
        link.href = ad.click_url;
        link.rel = "sponsored noopener";
        link.className = "site-ad-link";
        var label = document.createElement("span");
        label.className = "site-ad-label";
        label.textContent = ad.label;
        link.appendChild(label);
        if (ad.image_url) {
          var image = document.createElement("img");
          image.src = ad.image_url;
          image.alt = ad.headline || "";
          image.loading = "lazy";
          link.appendChild(image);
        }
        var title = document.createElement("strong");
        title.textContent = ad.headline;
        link.appendChild(title);
        if (ad.body) {
          var body = document.createElement("span");
          body.textContent = ad.body;
          link.appendChild(body);
        }
        slot.appendChild(link);
        slot.hidden = false;
        var beacon = new Image();
        beacon.src = ad.impression_url;
      })
      .catch(function () { /* no ad: the slot stays hidden */ });
  });
})();
