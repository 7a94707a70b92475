// The situation picture: kelurahan coloured by the worst severity reported in the window (darker
// with more reports), and a stacked chart of reports per day by severity.
//
// The map element carries its URLs and labels as data- attributes (the CSP allows no inline script).
// After drawing it sets data-loaded="true" and data-reported-areas (browser tests wait for them).
(function () {
  "use strict";

  var FILL = ["#f3f4f6", "#9ca3af", "#0ea5e9", "#f59e0b", "#dc2626"];

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) {
        throw new Error(r.status);
      }
      return r.json();
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function drawMap(box, geojson, counts) {
    var map = L.map(box, { zoomSnap: 0.25, attributionControl: false });
    map.setView([-6.2, 106.83], 11);
    var max = 1;
    Object.keys(counts.areas).forEach(function (code) {
      max = Math.max(max, counts.areas[code].count);
    });
    var reported = 0;
    var layer = L.geoJSON(geojson, {
      style: function (feature) {
        var c = counts.areas[feature.properties.code];
        var worst = c ? c.worst : 0;
        var share = c ? c.count / max : 0;
        return { color: "#1f2937", weight: 0.6, opacity: 0.8, fillColor: FILL[worst] || FILL[0], fillOpacity: c ? 0.35 + 0.55 * share : 0.25 };
      },
      onEachFeature: function (feature, polygon) {
        var c = counts.areas[feature.properties.code] || { count: 0, high: 0 };
        if (c.count) {
          reported += 1;
        }
        var root = el("div", "map-popup");
        root.appendChild(el("div", "map-popup-title", feature.properties.name));
        root.appendChild(el("div", null, c.count + " " + box.dataset.labelReports + ", " + c.high + " " + box.dataset.labelHigh));
        var link = el("a", null, box.dataset.labelOpen);
        link.href = box.dataset.listUrl + "?area=" + encodeURIComponent(feature.properties.code);
        root.appendChild(link);
        polygon.bindPopup(root);
        polygon.bindTooltip(el("span", null, feature.properties.name + ": " + c.count), { sticky: true });
      }
    }).addTo(map);
    if (layer.getLayers().length) {
      map.fitBounds(layer.getBounds(), { padding: [8, 8], maxZoom: 16 });
    }
    box.dataset.reportedAreas = String(reported);
    box.dataset.total = String(counts.total);
    box.dataset.loaded = "true";
  }

  function drawTrend(canvas, trend) {
    if (!canvas || !window.Chart) {
      return;
    }
    var colours = { 1: FILL[1], 2: FILL[2], 3: FILL[3], 4: FILL[4] };
    var datasets = ["1", "2", "3", "4"].map(function (key) {
      return { label: canvas.dataset["label" + key], data: trend.series[key], backgroundColor: colours[key], stack: "s" };
    });
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: trend.days, datasets: datasets },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
    canvas.dataset.loaded = "true";
  }

  var box = document.getElementById("ew-map");
  if (!box) {
    return;
  }
  Promise.all([getJson(box.dataset.geojsonUrl), getJson(box.dataset.countsUrl)])
    .then(function (results) {
      var total = document.getElementById("ew-total");
      if (total) {
        total.textContent = "(" + results[1].total + ")";
      }
      drawMap(box, results[0], results[1]);
      drawTrend(document.getElementById("ew-trend"), results[1].trend);
    })
    .catch(function () {
      var note = el("div", "alert alert-secondary small mt-2 mb-0", box.dataset.labelError);
      note.setAttribute("role", "status");
      box.insertAdjacentElement("afterend", note);
      box.dataset.loaded = "error";
    });
})();
