// The territory map: every kelurahan polygon inside a region, coloured by kota/kabupaten.
//
// The map element carries everything as data- attributes (the CSP allows no inline script):
//   data-geojson-url   FeatureCollection to draw
//   data-region-url    link to a kelurahan page, with CODE in place of its code
//   data-tile-url      optional tile server; without it the polygons draw on a plain background
//   data-label-*       translated labels for the popups
// After drawing it sets data-polygon-count and data-loaded="true" (browser tests wait for them).
(function () {
  "use strict";

  // Distinct, colour-blind-friendly hues (Okabe-Ito and Tableau).
  var PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#8c6d31", "#7f7f7f", "#bcbd22", "#17becf"];

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

  function formatNumber(value, lang) {
    if (value === null || value === undefined) {
      return "—";
    }
    return Number(value).toLocaleString(lang);
  }

  function colourFor(features) {
    // Colours follow the sorted kota codes, so each kota keeps its colour across a page.
    var codes = [];
    features.forEach(function (f) {
      var code = f.properties.city_code;
      if (codes.indexOf(code) === -1) {
        codes.push(code);
      }
    });
    codes.sort();
    return function (code) {
      return PALETTE[codes.indexOf(code) % PALETTE.length];
    };
  }

  function popup(props, box, lang) {
    var root = el("div", "map-popup");
    root.appendChild(el("div", "map-popup-title", props.name));
    if (props.kecamatan) {
      root.appendChild(el("div", "text-body-secondary small", box.dataset.labelKecamatan + " " + props.kecamatan));
    }
    var list = el("dl");
    [
      [box.dataset.labelPopulation, formatNumber(props.population, lang)],
      ["RW", formatNumber(props.rw, lang)],
      ["RT", formatNumber(props.rt, lang)]
    ].forEach(function (row) {
      list.appendChild(el("dt", null, row[0]));
      list.appendChild(el("dd", null, row[1]));
    });
    root.appendChild(list);
    var link = el("a", null, box.dataset.labelOpen);
    link.href = box.dataset.regionUrl.replace("CODE", encodeURIComponent(props.code));
    root.appendChild(link);
    return root;
  }

  function showNote(box, text) {
    var note = el("div", "alert alert-secondary small mt-2 mb-0", text);
    note.setAttribute("role", "status");
    box.insertAdjacentElement("afterend", note);
  }

  function draw(box) {
    var lang = document.documentElement.lang || undefined;
    var map = L.map(box, { zoomSnap: 0.25, attributionControl: Boolean(box.dataset.tileUrl) });
    if (box.dataset.tileUrl) {
      L.tileLayer(box.dataset.tileUrl, { maxZoom: 19, attribution: box.dataset.tileAttribution }).addTo(map);
    }
    // A view before the data arrives, so the controls work at once: Jakarta.
    map.setView([-6.2, 106.83], 10);

    fetch(box.dataset.geojsonUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var colour = colourFor(data.features);
        var layer = L.geoJSON(data, {
          style: function (feature) {
            // A dark hairline keeps the smallest islands (Kepulauan Seribu) visible at province zoom.
            return { color: "#1f2937", weight: 0.6, opacity: 0.7, fillColor: colour(feature.properties.city_code), fillOpacity: 0.6 };
          },
          onEachFeature: function (feature, polygon) {
            polygon.bindTooltip(el("span", null, feature.properties.name), { sticky: true });
            polygon.bindPopup(popup(feature.properties, box, lang));
            polygon.on("mouseover", function () {
              polygon.setStyle({ weight: 2.5, opacity: 1, fillOpacity: 0.8 });
            });
            polygon.on("mouseout", function () {
              layer.resetStyle(polygon);
            });
          }
        }).addTo(map);
        var count = layer.getLayers().length;
        if (count > 0) {
          map.fitBounds(layer.getBounds(), { padding: [8, 8], maxZoom: 16 });
        } else {
          showNote(box, box.dataset.labelEmpty);
        }
        box.dataset.polygonCount = String(count);
        box.dataset.loaded = "true";
      })
      .catch(function () {
        showNote(box, box.dataset.labelError);
        box.dataset.polygonCount = "0";
        box.dataset.loaded = "error";
      });
  }

  document.querySelectorAll("[data-geojson-url]").forEach(draw);
})();
