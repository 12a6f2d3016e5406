/* HokweMarket's maps (templates/market/public/*): a static file, the Content-Security-Policy
   allows no inline script. Leaflet (vendor/leaflet, from npm) is loaded with `defer` only on
   the pages that show a map, before this file.

   <div class="market-map" data-map data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        data-attribution="© OpenStreetMap" data-points="map-points" [data-pick]></div>
   <script type="application/json" id="map-points">[{"lat": 6.4, "lng": 2.3, "title": "…",
        "url": "/market/l/…", "price": "85 000 FCFA"}]</script>

   data-center="lat,lng" and data-zoom set the view when there is no point. data-pick: a click on
   the map fills the search form's lat/lng inputs (#id_lat, #id_lng) and draws the radius
   (#id_radius_km), the "near a point" search. The map's toggle (a button
   [data-map-toggle]) shows or hides it on a phone. */
(function () {
  "use strict";

  function readPoints(el) {
    var id = el.getAttribute("data-points");
    var node = id ? document.getElementById(id) : null;
    if (!node) {
      return [];
    }
    try {
      return JSON.parse(node.textContent) || [];
    } catch (e) {
      return [];
    }
  }

  function text(tag, value) {
    var node = document.createElement(tag);
    node.textContent = value;
    return node;
  }

  function popup(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.title;
    box.appendChild(link);
    if (point.price) {
      box.appendChild(document.createElement("br"));
      box.appendChild(text("strong", point.price));
    }
    return box;
  }

  function field(id) {
    return document.getElementById(id);
  }

  function initMap(el) {
    if (el.getAttribute("data-ready") || typeof window.L === "undefined") {
      return;
    }
    el.setAttribute("data-ready", "1");
    var L = window.L;
    L.Icon.Default.imagePath = el.getAttribute("data-icons") || "";
    var map = L.map(el, { scrollWheelZoom: false });
    var tiles = el.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, {
        maxZoom: 19,
        attribution: el.getAttribute("data-attribution") || "",
      }).addTo(map);
    }
    var points = readPoints(el);
    var bounds = [];
    points.forEach(function (point) {
      if (typeof point.lat !== "number" || typeof point.lng !== "number") {
        return;
      }
      var marker = L.marker([point.lat, point.lng], { title: point.title || "" }).addTo(map);
      if (point.url) {
        marker.bindPopup(popup(point));
      }
      bounds.push([point.lat, point.lng]);
    });
    var center = (el.getAttribute("data-center") || "").split(",").map(Number);
    var zoom = Number(el.getAttribute("data-zoom") || 13);
    var circle = null;
    var lat = field("id_lat");
    var lng = field("id_lng");
    var radius = field("id_radius_km");

    function drawCircle() {
      if (!lat || !lng || !lat.value || !lng.value) {
        return;
      }
      var km = radius && radius.value ? Number(radius.value) : 2;
      var where = [Number(lat.value), Number(lng.value)];
      if (circle) {
        circle.setLatLng(where).setRadius(km * 1000);
      } else {
        circle = L.circle(where, { radius: km * 1000, color: "#0b6e4f", weight: 2, fillOpacity: 0.08 }).addTo(map);
      }
    }

    if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    } else if (bounds.length === 1) {
      map.setView(bounds[0], zoom);
    } else if (center.length === 2 && !isNaN(center[0]) && !isNaN(center[1])) {
      map.setView(center, zoom);
    } else {
      map.setView([6.3703, 2.3912], 12); // Cotonou
    }
    // « Chercher dans cette zone »: the map's bounds become the search's (south,west,north,east)
    var area = document.querySelector("[data-search-area]");
    var boundsInput = field("id_bounds");
    if (area && boundsInput && boundsInput.form) {
      // shown once the person moves the map (a drag or a zoom), not when the page draws it
      map.on("dragend zoomend", function () {
        area.hidden = false;
      });
      area.addEventListener("click", function () {
        var b = map.getBounds();
        boundsInput.value = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]
          .map(function (v) { return v.toFixed(5); })
          .join(",");
        [lat, lng, radius].forEach(function (input) {
          if (input) {
            input.value = "";
          }
        });
        boundsInput.form.submit();
      });
    }
    if (el.hasAttribute("data-pick") && lat && lng) {
      drawCircle();
      map.on("click", function (event) {
        lat.value = event.latlng.lat.toFixed(5);
        lng.value = event.latlng.lng.toFixed(5);
        if (radius && !radius.value) {
          radius.value = "2";
        }
        drawCircle();
      });
      if (radius) {
        radius.addEventListener("change", drawCircle);
      }
    }
    el._hokweMap = map;
  }

  // « Autour de moi »: the phone's position fills the point (2 km unless a radius is given) and
  // the search starts. Shown only where the browser can tell its position (the pages with the
  // search form allow geolocation for this site: web/public.py).
  function nearMe(button) {
    if (!navigator.geolocation) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        var lat = field("id_lat");
        var lng = field("id_lng");
        var radius = field("id_radius_km");
        if (!lat || !lng) {
          return;
        }
        lat.value = position.coords.latitude.toFixed(5);
        lng.value = position.coords.longitude.toFixed(5);
        if (radius && !radius.value) {
          radius.value = "2";
        }
        if (lat.form) {
          lat.form.submit();
        }
      });
    });
  }

  // A search's address stays short enough to share: the empty criteria are not sent.
  function shortUrls(form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (input) {
        if (input.name && input.value === "" && !input.disabled && input.type !== "checkbox") {
          input.disabled = true;
        }
      });
    });
  }

  function init() {
    document.querySelectorAll("form[data-short-url]").forEach(shortUrls);
    document.querySelectorAll("[data-near-me]").forEach(nearMe);
    document.querySelectorAll("[data-map]").forEach(function (el) {
      if (el.offsetParent !== null) {
        initMap(el);
      }
    });
    document.querySelectorAll("[data-map-toggle]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("aria-controls"));
        if (!target) {
          return;
        }
        var open = target.classList.toggle("is-open");
        button.setAttribute("aria-expanded", open ? "true" : "false");
        target.querySelectorAll("[data-map]").forEach(function (el) {
          initMap(el);
          if (el._hokweMap) {
            el._hokweMap.invalidateSize();
          }
        });
      });
    });
    // a map hidden on a phone (toggle closed) is drawn when the window grows past the breakpoint
    window.addEventListener("resize", function () {
      document.querySelectorAll("[data-map]").forEach(function (el) {
        if (el.offsetParent !== null) {
          initMap(el);
          if (el._hokweMap) {
            el._hokweMap.invalidateSize();
          }
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
