/* Map helpers for the dashboard's Leaflet map.
 *
 * Every string these functions put into the page (tooltips, popups, labels, panels, the events' text
 * tables) arrives as escaped HTML from the Python side: it is built there as dashboard.mapping.text.Html
 * (data escaped, `$ { }` and backticks as character references, bidi controls replaced), and the map's
 * elements refuse to send anything else (dashboard/mapping/elements.py). Here only fixed markup is
 * added around those strings, and numbers (counts, sizes) or colours checked against COLOUR; nothing
 * builds markup from raw data or evaluates template literals.
 */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  var SHAPES = {
    circle: '<circle cx="12" cy="12" r="8"/>',
    square: '<rect x="4.5" y="4.5" width="15" height="15"/>',
    triangle: '<polygon points="12,3 21,20 3,20"/>',
    "triangle-down": '<polygon points="3,4 21,4 12,21"/>',
    diamond: '<polygon points="12,2 22,12 12,22 2,12"/>',
    star: '<polygon points="12,2 14.9,8.6 22,9.3 16.6,14 18.2,21 12,17.3 5.8,21 7.4,14 2,9.3 9.1,8.6"/>',
    hexagon: '<polygon points="12,2.5 20.5,7.3 20.5,16.7 12,21.5 3.5,16.7 3.5,7.3"/>',
    pentagon: '<polygon points="12,2.5 21.5,9.4 17.9,20.5 6.1,20.5 2.5,9.4"/>',
    cross: '<polygon points="9,3 15,3 15,9 21,9 21,15 15,15 15,21 9,21 9,15 3,15 3,9 9,9"/>'
  };
  var COLOUR = /^#[0-9a-fA-F]{3,8}$/;

  function svg(shape, colour, size) {
    var body = SHAPES[shape] || SHAPES.circle;
    var fill = COLOUR.test(colour) ? colour : "#444444";
    return '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="' + size + '" height="' +
      size + '"><g fill="' + fill + '" stroke="#ffffff" stroke-width="1.6">' + body + "</g></svg>";
  }

  /* Clicks report only {kind, id}: st_folium sends layer.toGeoJSON() back to the server, and a
   * province's full outline would be a needless payload. */
  function identify(layer, props) {
    layer.toGeoJSON = function () {
      return { type: "Feature", geometry: null, properties: { kind: props.kind, id: props.id } };
    };
  }

  function bindText(layer, props) {
    if (props.tooltip) { layer.bindTooltip(props.tooltip, { sticky: false, direction: "top", className: "dm-tooltip" }); }
    if (props.popup) { layer.bindPopup(props.popup, { maxWidth: 460, maxHeight: 360, className: "dm-popup" }); }
    if (props.kind) { identify(layer, props); }
  }

  /* Events' tooltips and popups, assembled when first shown from the layer's text tables: every
   * string in text.strings arrives escaped from the server, and only fixed markup is added here, in the
   * same shape as dashboard/mapping/popups.py (record_html, records_popup). */
  function eventTooltip(p, text) {
    var s = text.strings;
    return "<b>" + s[p.s] + "</b><br>" + s[p.w] + "<br>Place: " + s[p.pl];
  }

  function recordHtml(rec, s) {
    var head = "<b>" + s[rec[0]] + " " + s[rec[1]] + "</b>: " + s[rec[2]];
    if (s[rec[3]]) { head += " — <b>" + s[rec[3]] + "</b>"; }
    var meta = [];
    if (s[rec[5]]) { meta.push("Claimant: " + s[rec[5]]); }
    if (s[rec[6]]) { meta.push("Relayed by: " + s[rec[6]]); }
    meta.push("Date: " + s[rec[7]]);
    meta.push("Document: " + s[rec[8]]);
    return "<div class='dm-record'>" + head + "<blockquote>“" + s[rec[4]] + "”</blockquote>" +
      "<div class='dm-meta'>" + meta.join("<br>") + "</div></div>";
  }

  function eventPopup(p, text) {
    var s = text.strings, limit = text.limit || 6, ids = p.r || [];
    var html = "<h4>" + s[p.s] + "</h4><div class='dm-meta'>" + s[p.w] + "</div>";
    for (var i = 0; i < ids.length && i < limit; i++) { html += recordHtml(text.records[ids[i]], s); }
    if (ids.length > limit) {
      html += "<div class='dm-meta'>… and " + (ids.length - limit) + " more report(s): see the side panel.</div>";
    }
    if (!ids.length) { html += "<div class='dm-meta'>No report in the current filter window.</div>"; }
    return html;
  }

  function bindEventText(layer, p, text) {
    layer.bindTooltip(function () { return eventTooltip(p, text); },
      { sticky: false, direction: "top", className: "dm-tooltip" });
    layer.bindPopup(function () { return eventPopup(p, text); },
      { maxWidth: 460, maxHeight: 360, className: "dm-popup" });
    identify(layer, p);
  }

  var DashMap = {};

  DashMap.symbolHtml = svg;

  /* Polygons and lines styled per feature (properties.style), with escaped tooltip/popup. */
  DashMap.areas = function (data, options) {
    options = options || {};
    return L.geoJSON(data, {
      interactive: options.interactive !== false,
      style: function (feature) { return feature.properties.style || {}; },
      onEachFeature: function (feature, layer) {
        if (options.interactive !== false) { bindText(layer, feature.properties); }
      }
    });
  };

  /* Text labels at points (country, province and border names). */
  DashMap.labels = function (data, options) {
    options = options || {};
    var group = L.featureGroup();
    data.features.forEach(function (feature) {
      var p = feature.properties, c = feature.geometry.coordinates;
      var icon = L.divIcon({ className: "dm-label " + (p.className || ""), html: p.html, iconSize: null });
      var opts = { icon: icon, interactive: !!p.kind, keyboard: false };
      if (options.pane) { opts.pane = options.pane; }
      var marker = L.marker([c[1], c[0]], opts);
      bindText(marker, p);
      marker.addTo(group);
    });
    return group;
  };

  /* Point symbols (events, bases): an SVG DivIcon per feature, a dashed circle for location
   * uncertainty, and a small pixel offset for records that share one point so none hides another. */
  DashMap.points = function (data, options) {
    options = options || {};
    var size = options.size || 18;
    var markers = options.cluster && L.markerClusterGroup
      ? L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 40 })
      : L.featureGroup();
    var circles = L.featureGroup();
    data.features.forEach(function (feature) {
      var p = feature.properties, c = feature.geometry.coordinates;
      var latlng = [c[1], c[0]];
      if (p.radius_m > 0 && !options.cluster) {
        L.circle(latlng, {
          radius: p.radius_m, color: p.colour, weight: 1.2, dashArray: options.dash || "5 5",
          fillColor: p.colour, fillOpacity: options.uncertaintyOpacity || 0.08, interactive: false
        }).addTo(circles);
      }
      var slot = p.slot || 0, dx = 0, dy = 0;
      if (slot > 0) {
        var angle = (slot - 1) * 2 * Math.PI / Math.max(6, p.slots || 6);
        var ring = size * (1 + Math.floor((slot - 1) / 6) * 0.9);
        dx = Math.round(Math.cos(angle) * ring);
        dy = Math.round(Math.sin(angle) * ring);
      }
      var icon = L.divIcon({
        className: p.vague ? "dm-symbol dm-vague" : "dm-symbol",
        html: svg(p.shape, p.colour, size),
        iconSize: [size, size],
        iconAnchor: [size / 2 - dx, size / 2 - dy],
        popupAnchor: [dx, dy - size / 2],
        tooltipAnchor: [dx, dy - size / 2]
      });
      var marker = L.marker(latlng, { icon: icon, riseOnHover: true, title: "" });
      if (options.text && p.r) { bindEventText(marker, p, options.text); } else { bindText(marker, p); }
      marker.addTo(markers);
    });
    return L.featureGroup([circles, markers]);
  };

  /* A block of (escaped) HTML pinned to a corner of the map that comes and goes with its layer
   * group, so the legend and the title follow the filtered layers when the app redraws them. */
  DashMap.Panel = L.Layer.extend({
    initialize: function (html, options) {
      this._html = html;
      L.setOptions(this, options);
    },
    onAdd: function (map) {
      var html = this._html, cls = this.options.className || "", remember = this.options.remember;
      if (!map._dmPopupHook) {
        map._dmPopupHook = true;
        map.on("popupopen", function () { L.DomUtil.addClass(map.getContainer(), "dm-popup-open"); });
        map.on("popupclose", function () { L.DomUtil.removeClass(map.getContainer(), "dm-popup-open"); });
      }
      this._control = L.control({ position: this.options.position || "topright" });
      this._control.onAdd = function () {
        var div = L.DomUtil.create("div", "dm-panel " + cls);
        div.innerHTML = html;
        if (remember) { DashMap.rememberFold(div, remember); }
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      };
      this._control.addTo(map);
      if (this.options.containerClass) { L.DomUtil.addClass(map.getContainer(), this.options.containerClass); }
    },
    onRemove: function (map) {
      if (this._control) { map.removeControl(this._control); this._control = null; }
      if (this.options.containerClass) { L.DomUtil.removeClass(map.getContainer(), this.options.containerClass); }
    }
  });
  DashMap.panel = function (html, options) { return new DashMap.Panel(html, options); };

  /* The open/closed state of a panel's <details> (the legend) as the reader left it: kept in this
   * page while the app swaps the layers, and in sessionStorage across reloads when it is allowed. */
  var folds = {};
  function storedFold(key) {
    if (Object.prototype.hasOwnProperty.call(folds, key)) { return folds[key]; }
    try {
      var v = window.sessionStorage.getItem("dm-fold-" + key);
      return v === null ? null : v === "1";
    } catch (e) { return null; }
  }
  function storeFold(key, open) {
    folds[key] = open;
    try { window.sessionStorage.setItem("dm-fold-" + key, open ? "1" : "0"); } catch (e) { /* not kept */ }
  }
  DashMap.rememberFold = function (div, key) {
    var details = div.querySelector("details");
    if (!details || !key) { return; }
    var open = storedFold(key);
    if (open !== null) { details.open = open; }
    details.addEventListener("toggle", function () { storeFold(key, details.open); });
  };

  window.DashMap = DashMap;
})();
