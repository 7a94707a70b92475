// The progress map of an announcement: every kelurahan of the area, shaded by the share of its
// organisations that acknowledged the announcement.
//
// The map element carries everything as data- attributes (the CSP allows no inline script):
//   data-geojson-url   the kelurahan boundaries (the territory's cached GeoJSON)
//   data-rates-id      id of a JSON script element: kelurahan code -> rates
//   data-tile-url      optional tile server; without it the polygons draw on a plain background
//   data-label-*       translated labels
// After drawing it sets data-loaded="true" (browser tests wait for it).
(function () {
  "use strict";

  // Light to dark green: share acknowledged, in fifths.
  var SHADES = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  function popup(name, rates, box) {
    var root = el("div", "map-popup");
    root.appendChild(el("div", "map-popup-title", name));
    if (!rates) {
      root.appendChild(el("div", "small", box.dataset.labelNone));
      return root;
    }
    var list = el("dl");
    [
      [box.dataset.labelTotal, rates.total],
      [box.dataset.labelRead, rates.read + "%"],
      [box.dataset.labelAcknowledged, rates.acknowledged + "%"],
      [box.dataset.labelRelayed, rates.relayed + "%"],
      [box.dataset.labelReached, rates.reached]
    ].forEach(function (row) {
      list.appendChild(el("dt", null, row[0]));
      list.appendChild(el("dd", null, String(row[1])));
    });
    root.appendChild(list);
    return root;
  }

  function draw(box) {
    var source = document.getElementById(box.dataset.ratesId);
    var rates = source ? JSON.parse(source.textContent) : {};
    var map = L.map(box, { zoomSnap: 0.25, attributionControl: Boolean(box.dataset.tileUrl) });
    if (box.dataset.tileUrl) {
      L.tileLayer(box.dataset.tileUrl, { maxZoom: 19, attribution: box.dataset.tileAttribution }).addTo(map);
    }
    map.setView([-6.2, 106.83], 10);
    fetch(box.dataset.geojsonUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: function (feature) {
            var r = rates[feature.properties.code];
            var fill = r ? SHADES[Math.min(4, Math.floor(r.acknowledged / 20))] : "#d1d5db";
            return { color: "#1f2937", weight: 0.6, opacity: 0.7, fillColor: fill, fillOpacity: r ? 0.85 : 0.3 };
          },
          onEachFeature: function (feature, polygon) {
            var r = rates[feature.properties.code];
            polygon.bindTooltip(el("span", null, feature.properties.name + (r ? " · " + r.acknowledged + "%" : "")), { sticky: true });
            polygon.bindPopup(popup(feature.properties.name, r, box));
          }
        }).addTo(map);
        if (layer.getLayers().length > 0) {
          map.fitBounds(layer.getBounds(), { padding: [8, 8], maxZoom: 16 });
        }
        box.dataset.loaded = "true";
      })
      .catch(function () {
        var note = el("div", "alert alert-secondary small mt-2 mb-0", box.dataset.labelError);
        box.insertAdjacentElement("afterend", note);
        box.dataset.loaded = "error";
      });
  }

  document.querySelectorAll("#progress-map").forEach(draw);
})();
