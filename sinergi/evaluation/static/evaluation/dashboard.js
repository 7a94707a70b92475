// The home page's map and chart of an area: kelurahan polygons coloured by their latest evaluation
// score, and a bar chart of organisations and open cases per child area. Clicking a bar or a
// polygon drills down to that area. Everything comes from data- attributes and one JSON request
// (the CSP allows no inline script). Sets data-loaded="true" on the map when done.
(function () {
  "use strict";

  function colour(score) {
    if (score === null || score === undefined) {
      return "#cbd5e1";
    }
    if (score >= 80) { return "#1a9850"; }
    if (score >= 65) { return "#91cf60"; }
    if (score >= 50) { return "#fee08b"; }
    if (score >= 35) { return "#fc8d59"; }
    return "#d73027";
  }

  function drillUrl(code) {
    var url = new URL(window.location.href);
    url.searchParams.set("area", code);
    return url.toString();
  }

  function drawMap(box, data) {
    var map = L.map(box, { zoomSnap: 0.25, attributionControl: false });
    map.setView([-6.2, 106.83], 10);
    var scores = data.village_scores || {};
    return fetch(data.geojson, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (geo) {
        var layer = L.geoJSON(geo, {
          style: function (feature) {
            return { color: "#1f2937", weight: 0.6, opacity: 0.7, fillColor: colour(scores[feature.properties.code]), fillOpacity: 0.7 };
          },
          onEachFeature: function (feature, polygon) {
            var score = scores[feature.properties.code];
            var label = document.createElement("span");
            label.textContent = feature.properties.name + " · " + box.dataset.labelScore + ": " +
              (score === undefined ? box.dataset.labelNone : score);
            polygon.bindTooltip(label, { sticky: true });
            polygon.on("click", function () {
              window.location.href = drillUrl(feature.properties.code);
            });
          }
        }).addTo(map);
        if (layer.getLayers().length > 0) {
          map.fitBounds(layer.getBounds(), { padding: [8, 8], maxZoom: 16 });
        }
        box.dataset.polygonCount = String(layer.getLayers().length);
        box.dataset.loaded = "true";
      });
  }

  function drawChart(canvas, data) {
    if (!window.Chart || !data.children.length) {
      return;
    }
    var rows = data.children;
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: rows.map(function (r) { return r.name; }),
        datasets: [
          { label: canvas.dataset.labelOrganisations, data: rows.map(function (r) { return r.organisations; }), backgroundColor: "#0072b2" },
          { label: canvas.dataset.labelCases, data: rows.map(function (r) { return r.cases_open; }), backgroundColor: "#e69f00" },
          { label: canvas.dataset.labelOverdue, data: rows.map(function (r) { return r.cases_overdue; }), backgroundColor: "#d55e00" }
        ]
      },
      options: {
        indexAxis: rows.length > 8 ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        onClick: function (event, elements) {
          if (elements.length) {
            window.location.href = rows[elements[0].index].url;
          }
        }
      }
    });
    canvas.dataset.loaded = "true";
  }

  var box = document.getElementById("dashboard-map");
  var canvas = document.getElementById("dashboard-chart");
  var source = box || canvas;
  if (!source) {
    return;
  }
  fetch(source.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    })
    .then(function (data) {
      if (canvas) { drawChart(canvas, data); }
      return box ? drawMap(box, data) : null;
    })
    .catch(function () {
      if (!box) {
        return;
      }
      var note = document.createElement("div");
      note.className = "alert alert-secondary small mt-2 mb-0";
      note.setAttribute("role", "status");
      note.textContent = box.dataset.labelError;
      box.insertAdjacentElement("afterend", note);
      box.dataset.loaded = "error";
    });
})();
