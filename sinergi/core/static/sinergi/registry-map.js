// An organisation's secretariat on a small map, inside its kelurahan's boundary.
//
// The element carries everything as data- attributes (the CSP allows no inline script):
//   data-lat, data-lng   the map point
//   data-name            the marker's label
//   data-geojson-url     the kelurahan boundary (optional)
//   data-tile-url        optional tile server; without it the map draws on a plain background
(function () {
  "use strict";

  function draw(element) {
    var lat = parseFloat(element.getAttribute("data-lat"));
    var lng = parseFloat(element.getAttribute("data-lng"));
    if (isNaN(lat) || isNaN(lng) || !window.L) {
      return;
    }
    var map = window.L.map(element, { scrollWheelZoom: false }).setView([lat, lng], 16);
    var tiles = element.getAttribute("data-tile-url");
    if (tiles) {
      window.L.tileLayer(tiles, { maxZoom: 19, attribution: element.getAttribute("data-tile-attribution") || "" }).addTo(map);
    }
    // Leaflet puts a string tooltip in as HTML; the name is the user's text, so it goes in as text.
    var label = document.createElement("span");
    label.textContent = element.getAttribute("data-name") || "";
    // A circle marker needs no image files, which keeps the CSP and the static files simple.
    window.L.circleMarker([lat, lng], { radius: 8, color: "#0b5e55", fillOpacity: 0.8 })
      .bindTooltip(label)
      .addTo(map);
    var url = element.getAttribute("data-geojson-url");
    if (url) {
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data) {
            window.L.geoJSON(data, { style: { color: "#555", weight: 1, fillOpacity: 0.05 } }).addTo(map);
          }
          element.setAttribute("data-loaded", "true");
        })
        .catch(function () { element.setAttribute("data-loaded", "true"); });
    } else {
      element.setAttribute("data-loaded", "true");
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#organisation-map").forEach(draw);
  });
})();
