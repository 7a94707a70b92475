// The intake map: kelurahan boundaries on a plain background (tiles only when configured). A tap
// inside a kelurahan sets the hidden latitude/longitude and chooses that kelurahan in the select
// (the server decides the kelurahan again from the full boundaries). Without JavaScript the select
// alone works. Sets data-loaded="true" when drawn (browser tests wait for it).
(function () {
  "use strict";

  // Whether [lng, lat] lies inside a ring (ray casting), a polygon (outer ring minus holes) or a feature.
  function inRing(point, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > point[1]) !== (yj > point[1]) && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi) {
        inside = !inside;
      }
    }
    return inside;
  }

  function inPolygon(point, rings) {
    if (!rings.length || !inRing(point, rings[0])) {
      return false;
    }
    for (var k = 1; k < rings.length; k++) {
      if (inRing(point, rings[k])) {
        return false;
      }
    }
    return true;
  }

  function contains(geometry, point) {
    if (!geometry) {
      return false;
    }
    if (geometry.type === "Polygon") {
      return inPolygon(point, geometry.coordinates);
    }
    if (geometry.type === "MultiPolygon") {
      return geometry.coordinates.some(function (rings) {
        return inPolygon(point, rings);
      });
    }
    if (geometry.type === "GeometryCollection") {
      return geometry.geometries.some(function (g) {
        return contains(g, point);
      });
    }
    return false;
  }

  function setup(box) {
    var form = box.closest("form");
    var lat = form.querySelector("[name=latitude]");
    var lng = form.querySelector("[name=longitude]");
    var select = form.querySelector("[name=region]");
    var note = document.getElementById("case-map-note");
    var map = L.map(box, { zoomSnap: 0.25, attributionControl: Boolean(box.dataset.tileUrl) });
    if (box.dataset.tileUrl) {
      L.tileLayer(box.dataset.tileUrl, { maxZoom: 19, attribution: box.dataset.tileAttribution }).addTo(map);
    }
    map.setView([-6.2, 106.83], 11);
    map.on("moveend", function () {
      var c = map.getCenter();
      box.dataset.center = c.lat.toFixed(5) + "," + c.lng.toFixed(5) + "," + map.getZoom();
    });
    var marker = null;
    var byCode = {};

    function choose(latlng, props) {
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.circleMarker(latlng, { radius: 8, color: "#b91c1c", weight: 3 }).addTo(map);
      }
      if (props && select) {
        select.value = props.code;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        note.textContent = box.dataset.labelChosen + " " + props.name;
      } else {
        note.textContent = box.dataset.labelOutside;
      }
      box.dataset.chosen = props ? props.code : "";
    }

    fetch(box.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: function () {
            return { color: "#1f2937", weight: 0.6, opacity: 0.7, fillColor: "#0b5e55", fillOpacity: 0.15 };
          },
          onEachFeature: function (feature, polygon) {
            byCode[feature.properties.code] = polygon;
            polygon.bindTooltip(feature.properties.name, { sticky: true });
          }
        }).addTo(map);
        // A tap anywhere: the kelurahan is the feature whose boundary holds the point.
        map.on("click", function (event) {
          var point = [event.latlng.lng, event.latlng.lat];
          var found = null;
          data.features.some(function (feature) {
            if (contains(feature.geometry, point)) {
              found = feature.properties;
              return true;
            }
            return false;
          });
          choose(event.latlng, found);
        });
        if (layer.getLayers().length) {
          // Not animated: a kelurahan chosen right after must not be undone by the end of an animation.
          map.fitBounds(layer.getBounds(), { padding: [8, 8], animate: false });
        }
        box.dataset.loaded = "true";
      })
      .catch(function () {
        box.dataset.loaded = "error";
      });

    if (select) {
      select.addEventListener("change", function () {
        var polygon = byCode[select.value];
        if (polygon && !lat.value) {
          map.fitBounds(polygon.getBounds(), { animate: false });
          box.dataset.focus = select.value;
        }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("case-map");
    if (box && window.L) {
      setup(box);
    }
  });
})();
