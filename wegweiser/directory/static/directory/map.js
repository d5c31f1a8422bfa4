/* The maps of the directory search, the offer page and the self-check's result.
 * Search: Kreis boundaries as a choropleth of matching offers, offer markers with clustering,
 * both loaded from the API with the same filters as the list. When htmx replaces the result
 * list, the map reloads with the new filters, so list and map always show the same search.
 * Background: without a configured tile server, our own file (Länder, Hessen and its Kreise,
 * water, names of larger places; directory/basemap.py builds it), so no request leaves our
 * server. With tiles, the tiles are the background. The sources sit behind a "Quellen" button. */
(function () {
  "use strict";

  var COLOURS = ["#f2f2f2", "#dbe9f6", "#a6cbe6", "#5b9bd0", "#2166ac"];
  // Hessen's bounding box (south-west, north-east): the initial view and the view without results.
  var HESSEN = [[49.39, 7.77], [51.66, 10.24]];
  // Without tiles there is nothing to see far outside Germany.
  var GERMANY_PADDED = [[45.5, 2.5], [57.0, 18.5]];
  var backgrounds = {};

  function bucket(count, max) {
    if (!count) return 0;
    if (max <= 1) return 4;
    return Math.min(4, 1 + Math.floor((3 * (count - 1)) / Math.max(1, max - 1)));
  }

  /* Data for the map from our API, in the page's language. The API's addresses carry no
   * language, so it answers in the one the language cookie names, else the one the request
   * asks for: the cookie (left by the language switch) and the browser's own language may both
   * differ from the page's. So no cookie is sent (the map's data are public) and the page's
   * language is asked for. */
  function getJSON(url, accept) {
    return fetch(url, {
      credentials: "omit",
      headers: { Accept: accept || "application/json", "Accept-Language": document.documentElement.lang || "de" },
    }).then(function (r) { return r.json(); });
  }

  /* A cluster of markers, named for screen readers ("Angebote: 6"), not only by its number. */
  function clusterIcon(label) {
    return function (group) {
      var n = group.getChildCount();
      var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      var icon = L.divIcon({
        html: "<div><span>" + n + "</span></div>",
        className: "marker-cluster marker-cluster-" + size,
        iconSize: L.point(40, 40),
      });
      var create = icon.createIcon;
      icon.createIcon = function (old) {
        var div = create.call(icon, old);
        if (label) div.setAttribute("aria-label", label + ": " + n);
        return div;
      };
      return icon;
    };
  }

  function baseMap(el) {
    var tiles = el.dataset.tiles;
    var map = L.map(el, {
      scrollWheelZoom: false,
      minZoom: 5,
      maxZoom: tiles ? 18 : 13,
      attributionControl: false,
      zoomControl: false,
      maxBounds: tiles ? null : GERMANY_PADDED,
      maxBoundsViscosity: 0.8,
    });
    // the zoom buttons named in the page's language (Leaflet's own names are English)
    L.control.zoom({
      zoomInTitle: el.dataset.labelZoomIn || "+",
      zoomOutTitle: el.dataset.labelZoomOut || "−",
    }).addTo(map);
    var sources = [];
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18 }).addTo(map);
      if (el.dataset.tilesAttribution) sources.push(el.dataset.tilesAttribution);
    } else if (el.dataset.background) {
      drawBackground(map, el);
      if (el.dataset.backgroundAttribution) sources.push(el.dataset.backgroundAttribution);
    }
    sources.unshift(el.dataset.attribution);
    sourcesControl(el, sources).addTo(map);
    map.on("moveend", function () {
      var b = map.getBounds();
      el.dataset.view = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map(function (v) { return v.toFixed(3); }).join(",");
    });
    return map;
  }

  function showHessen(map) {
    map.fitBounds(HESSEN, { padding: [6, 6] });
  }

  /* The sources of the map behind a small button ("ⓘ Quellen") that shows and hides them.
   * Closed at first: open, the text covers a good part of a small map. */
  var INFO_ICON =
    "<svg aria-hidden=\"true\" focusable=\"false\" width=\"14\" height=\"14\" viewBox=\"0 0 16 16\">" +
    "<circle cx=\"8\" cy=\"8\" r=\"7\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>" +
    "<rect x=\"7.2\" y=\"7\" width=\"1.6\" height=\"5\" fill=\"currentColor\"/>" +
    "<circle cx=\"8\" cy=\"4.6\" r=\"1\" fill=\"currentColor\"/></svg>";
  function sourcesControl(el, sources) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "map-sources");
      var id = el.id + "-sources";
      var button = L.DomUtil.create("button", "map-sources-toggle", box);
      button.type = "button";
      button.setAttribute("aria-controls", id);
      button.setAttribute("aria-label", el.dataset.labelSourcesLong || el.dataset.labelSources);
      button.innerHTML = INFO_ICON + " " + escapeHtml(el.dataset.labelSources || "");
      var text = L.DomUtil.create("div", "map-sources-text", box);
      text.id = id;
      text.setAttribute("dir", document.documentElement.getAttribute("dir") || "ltr");
      text.innerHTML = sources.filter(Boolean).join(" &middot; ");
      function toggle(open) {
        button.setAttribute("aria-expanded", String(open));
        text.hidden = !open;
        box.classList.toggle("map-sources-open", open);
      }
      toggle(false);
      L.DomEvent.on(button, "click", function () {
        toggle(button.getAttribute("aria-expanded") !== "true");
      });
      L.DomEvent.on(box, "keydown", function (event) {
        if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
          toggle(false);
          button.focus();
          L.DomEvent.stop(event);
        }
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    return control;
  }

  /* Our own background, in panes of its own: land and borders below everything, water above
   * the search map's Kreis colours, place names above the water and below the markers. */
  function drawBackground(map, el) {
    [["wwBackground", 250], ["wwWater", 420], ["wwLabels", 450]].forEach(function (p) {
      var pane = map.createPane(p[0]);
      pane.style.zIndex = String(p[1]);
      pane.style.pointerEvents = "none";
    });
    map.getPane("wwLabels").setAttribute("aria-hidden", "true");
    var url = el.dataset.background;
    if (!backgrounds[url]) {
      backgrounds[url] = fetch(url, { headers: { Accept: "application/geo+json" } })
        .then(function (r) { return r.json(); });
    }
    backgrounds[url].then(function (data) {
      var layers = { land: [], hessen: [], kreis: [], water: [], place: [] };
      data.features.forEach(function (f) {
        var list = layers[f.properties.layer];
        if (list) list.push(f);
      });
      var common = { pane: "wwBackground", interactive: false };
      L.geoJSON(layers.land, L.extend({ style: STYLE.land }, common)).addTo(map);
      L.geoJSON(layers.hessen, L.extend({ style: STYLE.hessen }, common)).addTo(map);
      L.geoJSON(layers.kreis, L.extend({ style: STYLE.kreis }, common)).addTo(map);
      L.geoJSON(layers.water, { pane: "wwWater", interactive: false, style: waterStyle }).addTo(map);
      new PlaceLabels(layers.place).addTo(map);
      el.dataset.backgroundDrawn = "true";
    }).catch(function () {
      el.dataset.backgroundDrawn = "false"; // the map works on, grey behind the markers
    });
  }

  var STYLE = {
    land: { color: "#8c96a0", weight: 1, opacity: 0.8, fillColor: "#f1efe8", fillOpacity: 1 },
    hessen: { color: "#2f3e4c", weight: 2.5, fillColor: "#ffffff", fillOpacity: 1 },
    kreis: { color: "#7d8894", weight: 1, dashArray: "4 3", fill: false },
  };

  function waterStyle(feature) {
    var p = feature.properties;
    if (p.kind === "lake") return { stroke: false, fillColor: "#9cc3e6", fillOpacity: 1 };
    return { color: "#4a8fd0", weight: p.rank <= 4 ? 3 : p.rank <= 8 ? 2 : 1.5, lineCap: "round" };
  }

  /* Place names: a dot and the name beside it (right, left, above or below, whichever is free).
   * Each appears from its zoom level on, the larger places first; a name that has no free
   * place waits for a closer zoom. */
  var DOT = 5;
  var PlaceLabels = L.Layer.extend({
    initialize: function (features) {
      this._features = features;
    },
    onAdd: function (map) {
      this._box = L.DomUtil.create("div", "map-places leaflet-zoom-hide", map.getPane("wwLabels"));
      this._labels = this._features.map(function (f) {
        var dot = L.DomUtil.create("span", "map-place-dot", this._box);
        var span = L.DomUtil.create("span", "map-place map-place-" + f.properties.zoom, this._box);
        span.textContent = f.properties.name;
        var c = f.geometry.coordinates;
        return { el: span, dot: dot, latlng: L.latLng(c[1], c[0]), zoom: f.properties.zoom, size: null };
      }, this);
      this._update();
    },
    onRemove: function () {
      L.DomUtil.remove(this._box);
    },
    getEvents: function () {
      return { zoomend: this._update, viewreset: this._update };
    },
    _update: function () {
      var map = this._map, zoom = map.getZoom(), placed = [];
      function free(box) {
        return placed.every(function (b) {
          return box[2] < b[0] || box[0] > b[2] || box[3] < b[1] || box[1] > b[3];
        });
      }
      this._labels.forEach(function (label) {
        var at = null;
        if (zoom >= label.zoom) {
          if (!label.size) label.size = [label.el.offsetWidth, label.el.offsetHeight];
          var p = map.latLngToLayerPoint(label.latlng), w = label.size[0], h = label.size[1];
          var r = DOT / 2 + 2;
          var dot = [p.x - r, p.y - r, p.x + r, p.y + r];
          var spots = [[p.x + r, p.y - h / 2], [p.x - r - w, p.y - h / 2], [p.x - w / 2, p.y - r - h], [p.x - w / 2, p.y + r]];
          if (free(dot)) {
            for (var i = 0; i < spots.length && !at; i++) {
              var box = [spots[i][0] - 1, spots[i][1], spots[i][0] + w + 1, spots[i][1] + h];
              if (free(box)) {
                at = spots[i];
                placed.push(dot, box);
              }
            }
          }
        }
        if (at) {
          L.DomUtil.setPosition(label.el, L.point(Math.round(at[0]), Math.round(at[1])));
          L.DomUtil.setPosition(label.dot, map.latLngToLayerPoint(label.latlng).subtract([DOT / 2, DOT / 2]).round());
        }
        label.el.classList.toggle("map-place-hidden", !at);
        label.dot.classList.toggle("map-place-hidden", !at);
      });
      this._box.dataset.shown = String(placed.length / 2);
    },
  });

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function offerPage(el) {
    var parts = el.dataset.point.split(",");
    var latlng = [parseFloat(parts[0]), parseFloat(parts[1])];
    var map = baseMap(el);
    map.setView(latlng, el.dataset.tiles ? 14 : 10);
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

  /* The network of a funded project: its partners' offers as markers (name, provider, link),
   * read from a JSON script in the page ({offers: [{lat, lon, title, organisation, url}]}); the
   * list under the map shows the same without JavaScript. */
  function offersPage(el) {
    var data = JSON.parse(document.getElementById(el.dataset.offersId).textContent);
    var map = baseMap(el);
    var cluster = L.markerClusterGroup
      ? L.markerClusterGroup({
          showCoverageOnHover: false,
          maxClusterRadius: 40,
          iconCreateFunction: clusterIcon(el.dataset.labelCluster),
        })
      : L.featureGroup();
    var markers = data.offers.map(function (o) {
      return L.marker([o.lat, o.lon], { title: o.title, alt: o.title }).bindPopup(
        "<a href=\"" + escapeHtml(o.url) + "\">" + escapeHtml(o.title) + "</a><br>" + escapeHtml(o.organisation)
      );
    });
    markers.forEach(function (m) { cluster.addLayer(m); });
    map.addLayer(cluster);
    if (markers.length) map.fitBounds(L.featureGroup(markers).getBounds(), { padding: [24, 24], maxZoom: 12 });
    else showHessen(map);
    el.dataset.markers = String(markers.length);
  }

  /* A choropleth of one value per Kreis, read from a JSON script in the page ({ags: {value,
   * text}}): the funding administration's budget map and the public coverage map. The
   * boundaries come from our regions API (data-regions-url), as on the search page. */
  function valuesPage(el) {
    var map = baseMap(el);
    showHessen(map);
    var values = JSON.parse(document.getElementById(el.dataset.valuesId).textContent);
    var max = 0;
    Object.keys(values).forEach(function (k) { max = Math.max(max, values[k].value); });
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      div.innerHTML =
        "<strong>" + escapeHtml(el.dataset.labelValue || "") + "</strong><br>" +
        "<i class=\"swatch-0\"></i>0<br>" +
        "<i class=\"swatch-4\"></i>" + escapeHtml(el.dataset.labelMax || String(max));
      return div;
    };
    legend.addTo(map);
    getJSON(el.dataset.regionsUrl)
      .then(function (data) {
        var drawn = 0;
        var layer = L.geoJSON(data, {
          filter: function (f) { return f.geometry.type !== "Point"; },
          style: function (f) {
            var v = values[f.properties.ags];
            var colour = COLOURS[v ? bucket(Math.ceil(v.value), Math.ceil(max)) : 0];
            return { color: "#555", weight: 1, fillOpacity: 0.6, fillColor: colour };
          },
          onEachFeature: function (f, l) {
            var v = values[f.properties.ags];
            if (v) drawn += 1;
            l.bindTooltip(escapeHtml(f.properties.label) + (v ? ": " + escapeHtml(v.text) : ""));
          },
        }).addTo(map);
        if (el.dataset.fit === "all") map.fitBounds(layer.getBounds());
        el.dataset.drawn = String(drawn);
      });
  }

  function searchPage(el) {
    var map = baseMap(el);
    showHessen(map);
    var status = document.getElementById("map-status");
    var regions = L.geoJSON(null, {
      style: function () {
        return { color: "#555", weight: 1, fillOpacity: 0.45, fillColor: COLOURS[0] };
      },
      filter: function (feature) {
        return feature.geometry.type !== "Point";
      },
    }).addTo(map);
    var cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 40,
      iconCreateFunction: clusterIcon(el.dataset.labelCluster),
    });
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
        /* "Darmstadt – Angebote: 12": a label and a number, right in every language (no plural
           forms to choose in the browser: "149 العروض" was wrong Arabic) */
        layer.bindTooltip(escapeHtml(p.label) + " – " + escapeHtml(el.dataset.labelOffers) + ": " + p.offer_count);
      });
      legend._div.innerHTML =
        "<strong>" + escapeHtml(el.dataset.labelOffers) + "</strong><br>" +
        "<i class=\"swatch-0\"></i>0<br>" +
        "<i class=\"swatch-4\"></i>" + max;
    }

    /* view: "results" fits the map to the offers found (Hessen when there are none),
     * "hessen" shows Hessen, null leaves the view as it is (same search, e.g. another page). */
    function drawOffers(data, view) {
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
          ? el.dataset.labelOffers + ": " + layers.length
          : el.dataset.labelNone;
      }
      if (view === "results" && layers.length) {
        map.fitBounds(cluster.getBounds(), { maxZoom: 13, padding: [20, 20] });
      } else if (view) {
        showHessen(map);
      }
    }

    /* The form has errors: the list shows them, and the map shows no search (it does not ask
     * the API with the values the page refused). */
    function clear() {
      cluster.clearLayers();
      regions.clearLayers();
      markers = {};
      legend._div.innerHTML = "";
      el.dataset.markers = "0";
      el.dataset.markerIds = "";
      if (status) status.textContent = "";
      el.dataset.loadedUrl = "";
      el.dataset.loading = "false";
    }

    function load(results) {
      if (!results) return;
      var mine = ++generation;
      var url = results.dataset.geojsonUrl;
      if (!url) return clear();
      el.dataset.loading = "true";
      var view = url === el.dataset.loadedUrl ? null : url.indexOf("?") !== -1 ? "results" : "hessen";
      Promise.all([
        getJSON(results.dataset.regionsUrl),
        getJSON(results.dataset.geojsonUrl, "application/geo+json"),
      ]).then(function (data) {
        if (mine !== generation) return;
        if (data[0].features) drawRegions(data[0]);
        drawOffers(data[1].features ? data[1] : { features: [] }, view);
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

  /* The volunteer coordinators' dashboard: per Kreis of their pools, the requests in languages
   * no volunteer there speaks, from a JSON script in the page (the table below the map shows
   * the same for screen readers and without JavaScript). */
  function uncoveredPage(el) {
    var data = JSON.parse(document.getElementById(el.dataset.uncoveredId).textContent);
    var map = baseMap(el);
    var max = 0;
    data.features.forEach(function (f) { max = Math.max(max, f.properties.requests); });
    var layer = L.geoJSON(data, {
      style: function (f) {
        return { color: "#555", weight: 1, fillOpacity: 0.6, fillColor: COLOURS[bucket(f.properties.requests, max)] };
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        var text = escapeHtml(p.label) + ": " + (p.requests
          ? p.requests + " " + escapeHtml(el.dataset.labelRequests) + "<br>" + p.languages.map(escapeHtml).join(", ")
          : escapeHtml(el.dataset.labelNone));
        l.bindTooltip(text);
      },
    }).addTo(map);
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      div.innerHTML = "<strong>" + escapeHtml(el.dataset.labelRequests) + "</strong><br>" +
        "<i class=\"swatch-0\"></i>0<br>" +
        "<i class=\"swatch-4\"></i>" + max;
      return div;
    };
    legend.addTo(map);
    if (data.features.length) map.fitBounds(layer.getBounds(), { padding: [12, 12], maxZoom: 10 });
    else showHessen(map);
    el.dataset.kreise = String(data.features.length);
  }

  function init() {
    var el = document.getElementById("map");
    if (!el || !window.L) return;
    if (el.dataset.uncoveredId) uncoveredPage(el);
    else if (el.dataset.point) offerPage(el);
    else if (el.dataset.pointsId) nearestPage(el);
    else if (el.dataset.valuesId) valuesPage(el);
    else if (el.dataset.offersId) offersPage(el);
    else searchPage(el);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
