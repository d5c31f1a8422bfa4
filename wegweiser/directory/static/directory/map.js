/* The directory map: Kreis boundaries as a choropleth of matching offers, offer markers with
 * clustering, both loaded from the API with the same filters as the list. When htmx replaces the
 * result list, the map reloads with the new filters, so list and map always show the same search.
 * No tile layer unless one is configured: no request leaves our server by default. */
(function () {
  "use strict";

  var COLOURS = ["#f2f2f2", "#dbe9f6", "#a6cbe6", "#5b9bd0", "#2166ac"];

  function bucket(count, max) {
    if (!count) return 0;
    if (max <= 1) return 4;
    return Math.min(4, 1 + Math.floor((3 * (count - 1)) / Math.max(1, max - 1)));
  }

  function baseMap(el) {
    var map = L.map(el, { scrollWheelZoom: false, minZoom: 5, maxZoom: 18 });
    map.attributionControl.setPrefix(false);
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.tilesAttribution, maxZoom: 18 }).addTo(map);
    }
    map.attributionControl.addAttribution(el.dataset.attribution);
    return map;
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function offerPage(el) {
    var parts = el.dataset.point.split(",");
    var latlng = [parseFloat(parts[0]), parseFloat(parts[1])];
    var map = baseMap(el);
    map.setView(latlng, 14);
    L.marker(latlng, { title: el.dataset.pointLabel, alt: el.dataset.pointLabel }).addTo(map);
  }

  /* The self-check's result: the postcode and the nearest fitting offers, read from a JSON
   * script in the page (no request: the person's answers must not go into a URL). */
  function nearestPage(el) {
    var data = JSON.parse(document.getElementById(el.dataset.pointsId).textContent);
    var map = baseMap(el);
    var centre = [data.centre.lat, data.centre.lon];
    var bounds = L.latLngBounds([centre]);
    L.circleMarker(centre, { radius: 6, color: "#555", weight: 2, fillOpacity: 0.2 })
      .bindTooltip(escapeHtml(data.centre.title))
      .addTo(map);
    data.offers.forEach(function (offer, i) {
      var latlng = [offer.lat, offer.lon];
      var label = i + 1 + ". " + offer.title;
      L.marker(latlng, { title: label, alt: label }).addTo(map);
      bounds.extend(latlng);
    });
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
  }

  function searchPage(el) {
    var map = baseMap(el);
    map.setView([50.6, 9.0], 7);
    var status = document.getElementById("map-status");
    var regions = L.geoJSON(null, {
      style: function () {
        return { color: "#555", weight: 1, fillOpacity: 0.45, fillColor: COLOURS[0] };
      },
      filter: function (feature) {
        return feature.geometry.type !== "Point";
      },
    }).addTo(map);
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    map.addLayer(cluster);
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      this._div = L.DomUtil.create("div", "map-legend");
      return this._div;
    };
    legend.addTo(map);
    var markers = {};
    var generation = 0;

    function drawRegions(data) {
      var max = 0;
      data.features.forEach(function (f) {
        if (f.geometry.type !== "Point") max = Math.max(max, f.properties.offer_count);
      });
      regions.clearLayers();
      regions.addData(data);
      regions.eachLayer(function (layer) {
        var p = layer.feature.properties;
        layer.setStyle({ fillColor: COLOURS[bucket(p.offer_count, max)] });
        layer.bindTooltip(escapeHtml(p.label) + ": " + p.offer_count + " " + escapeHtml(el.dataset.labelOffers));
      });
      legend._div.innerHTML =
        "<strong>" + escapeHtml(el.dataset.labelOffers) + "</strong><br>" +
        "<i style=\"background:" + COLOURS[0] + "\"></i>0<br>" +
        "<i style=\"background:" + COLOURS[4] + "\"></i>" + max;
    }

    function drawOffers(data, fit) {
      cluster.clearLayers();
      markers = {};
      var layers = data.features.map(function (f) {
        var c = f.geometry.coordinates;
        var m = L.marker([c[1], c[0]], { title: f.properties.name, alt: f.properties.name });
        m.bindPopup(
          "<a href=\"" + f.properties.url + "\">" + escapeHtml(f.properties.name) + "</a><br>" +
          escapeHtml(f.properties.organisation)
        );
        markers[f.id] = m;
        return m;
      });
      cluster.addLayers(layers);
      el.dataset.markers = String(layers.length);
      el.dataset.markerIds = data.features.map(function (f) { return f.id; }).join(" ");
      if (status) {
        status.textContent = layers.length
          ? layers.length + " " + el.dataset.labelOffers
          : el.dataset.labelNone;
      }
      if (fit && layers.length) {
        map.fitBounds(cluster.getBounds(), { maxZoom: 13, padding: [20, 20] });
      }
    }

    function load(results) {
      if (!results) return;
      var mine = ++generation;
      el.dataset.loading = "true";
      var hasFilter = results.dataset.geojsonUrl.indexOf("?") !== -1;
      Promise.all([
        fetch(results.dataset.regionsUrl, { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); }),
        fetch(results.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } }).then(function (r) { return r.json(); }),
      ]).then(function (data) {
        if (mine !== generation) return;
        if (data[0].features) drawRegions(data[0]);
        if (data[1].features) drawOffers(data[1], hasFilter);
        else drawOffers({ features: [] }, false);
        el.dataset.loadedUrl = results.dataset.geojsonUrl;
        el.dataset.loading = "false";
      });
    }

    // Hovering or focusing an entry of the list opens its marker's popup on the map.
    document.addEventListener("focusin", highlight);
    document.addEventListener("mouseover", highlight);
    function highlight(event) {
      var card = event.target.closest && event.target.closest(".offer-card");
      if (!card) return;
      var marker = markers[card.dataset.offerId];
      if (marker && cluster.getVisibleParent(marker) === marker) marker.openPopup();
    }

    document.body.addEventListener("htmx:afterSettle", function () {
      load(document.getElementById("results"));
      // One live region outside the swapped list announces the new result count.
      var heading = document.getElementById("results-heading");
      var live = document.getElementById("results-status");
      if (heading && live) live.textContent = heading.textContent.trim().replace(/\s+/g, " ");
    });
    load(document.getElementById("results"));
  }

  function init() {
    var el = document.getElementById("map");
    if (!el || !window.L) return;
    if (el.dataset.point) offerPage(el);
    else if (el.dataset.pointsId) nearestPage(el);
    else searchPage(el);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
