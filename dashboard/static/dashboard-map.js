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

  function bindText(layer, props, sticky) {
    if (props.tooltip) {
      layer.bindTooltip(props.tooltip, { sticky: !!sticky, direction: "top", className: "dm-tooltip", offset: sticky ? [0, -8] : [0, 0] });
    }
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

  /* Diagonal hatching in a colour (a figure shared by several provinces): an SVG pattern in the
   * renderer's <defs>, made once per colour. */
  function hatch(layer, colour) {
    if (!COLOUR.test(colour) || !layer._path || !layer._renderer || !layer._renderer._container) { return; }
    var root = layer._renderer._container, ns = "http://www.w3.org/2000/svg";
    var id = "dm-hatch-" + colour.slice(1);
    if (!root.querySelector("#" + id)) {
      var defs = root.querySelector("defs") || root.insertBefore(document.createElementNS(ns, "defs"), root.firstChild);
      var pattern = document.createElementNS(ns, "pattern");
      pattern.setAttribute("id", id);
      pattern.setAttribute("patternUnits", "userSpaceOnUse");
      pattern.setAttribute("width", "10");
      pattern.setAttribute("height", "10");
      pattern.setAttribute("patternTransform", "rotate(45)");
      var stripe = document.createElementNS(ns, "rect");
      stripe.setAttribute("width", "5");
      stripe.setAttribute("height", "10");
      stripe.setAttribute("fill", colour);
      pattern.appendChild(stripe);
      defs.appendChild(pattern);
    }
    layer._path.setAttribute("fill", "url(#" + id + ")");
  }

  /* Polygons and lines styled per feature (properties.style), with escaped tooltip/popup; a feature
   * with properties.hatch is filled with stripes of that colour. */
  DashMap.areas = function (data, options) {
    options = options || {};
    return L.geoJSON(data, {
      interactive: options.interactive !== false,
      style: function (feature) { return feature.properties.style || {}; },
      onEachFeature: function (feature, layer) {
        if (options.interactive !== false) { bindText(layer, feature.properties, true); }
        if (feature.properties.hatch) {
          layer.on("add", function () { hatch(layer, feature.properties.hatch); });
        }
      }
    });
  };

  /* Text labels at points (country, province, town, border and base names). A label never takes a
   * click or a hover: its box (often much larger than its text) would sit over the symbols under it.
   * What it names is clickable on the map itself (the border line, the base symbol). */
  DashMap.labels = function (data, options) {
    options = options || {};
    var group = L.featureGroup();
    data.features.forEach(function (feature) {
      var p = feature.properties, c = feature.geometry.coordinates;
      var icon = L.divIcon({ className: "dm-label " + (p.className || ""), html: p.html, iconSize: null });
      var opts = { icon: icon, interactive: false, keyboard: false };
      if (options.pane) { opts.pane = options.pane; }
      var marker = L.marker([c[1], c[0]], opts);
      marker.on("add", function () {  // the framing keeps boxed labels whole and clear of panels
        var el = marker.getElement();
        if (el) { el._dmAt = marker.getLatLng(); }
      });
      marker.addTo(group);
    });
    return group;
  };

  /* The map's type scale (--dm-scale, see setScale): 1 where type does not grow with the map. */
  function typeScale(map) {
    var k = map ? parseFloat(map.getContainer().style.getPropertyValue("--dm-scale")) : NaN;
    return isFinite(k) && k > 0 ? k : 1;
  }

  /* Place `slot` (1, 2, ...) of `count` round a spot: six to a ring, evenly spaced, the first at
   * `start` radians (0 east, clockwise on the screen), each ring `ring` pixels further out. */
  function ringOffset(slot, count, ring, start) {
    var round = Math.floor((slot - 1) / 6), onRing = Math.min(6, count - round * 6);
    var angle = (start || 0) + ((slot - 1) % 6) * 2 * Math.PI / onRing + round * Math.PI / 6;
    var r = ring * (1 + round * 0.9);
    return [Math.round(Math.cos(angle) * r), Math.round(Math.sin(angle) * r)];
  }

  function symbolIcon(p, s, dx, dy) {
    return L.divIcon({
      className: p.vague ? "dm-symbol dm-vague" : "dm-symbol",
      html: svg(p.shape, p.colour, s),
      iconSize: [s, s],
      iconAnchor: [s / 2 - dx, s / 2 - dy],
      popupAnchor: [dx, dy - s / 2],
      tooltipAnchor: [dx, dy - s / 2]
    });
  }

  /* Names a symbol in the page (data-dm-id), for keyboard users' focus and for tests. */
  function nameSymbol(marker, kind, id) {
    var el = marker.getElement();
    if (el && kind && id) { el.setAttribute("data-dm-id", kind + ":" + id); }
  }

  /* A symbol drawn `s` pixels wide, `dx`, `dy` pixels from its point (rebuilt only when that changes). */
  function place(marker, s, dx, dy) {
    var key = s + "," + dx + "," + dy, p = marker._dmP;
    if (marker._dmPlaced === key) { return; }
    marker._dmPlaced = key;
    marker.setIcon(symbolIcon(p, s, dx, dy));
    nameSymbol(marker, p.kind, p.id);
  }

  /* Words for a stack's count, by the kind of its symbols (fixed text). */
  var NOUNS = { event: "events", base: "base sites" };

  /* A stack's popup: one line per record (each line arrives escaped from the server: an event's
   * text.entries[e] or a feature's entry, built by dashboard/mapping/stacks.py), each line a button
   * that opens the record's own popup. Only the count and fixed markup are added here. */
  function stackPopup(members, noun, text) {
    var html = "<h4>" + members.length + " " + noun + " here</h4><ol class='dm-stack-list'>";
    members.forEach(function (m, i) {
      var p = m._dmP;
      var entry = typeof p.e === "number" && text && text.entries ? text.entries[p.e] : (p.entry || p.tooltip || "");
      html += "<li><button type='button' class='dm-stack-entry' data-dm-entry='" + i + "'>" + entry +
        "</button></li>";
    });
    return html + "</ol><div class='dm-meta'>Choose one to open it.</div>";
  }

  /* Opens a record's own popup as a click on its symbol does; the click also reaches the app (the
   * map component listens on the layer groups), which selects the record and shows its panel. */
  function openMember(member) {
    var map = member._map;
    if (!map) { return; }
    map.closePopup();
    member.fire("click", { latlng: member.getLatLng() }, true);
  }

  /* The numbered disc of a stack: hover names the count, a click opens the list. */
  function stackHub(stack, s, offset, options) {
    var n = stack.members.length, d = Math.max(12, Math.round(s * 0.8)), dx = offset[0], dy = offset[1];
    var kinds = {};
    stack.members.forEach(function (m) { kinds[m._dmP.kind] = true; });
    var names = Object.keys(kinds), noun = (names.length === 1 && NOUNS[names[0]]) || "records";
    var icon = L.divIcon({
      className: "dm-stack", html: "<b>" + n + "</b>", iconSize: [d, d],
      iconAnchor: [d / 2 - dx, d / 2 - dy], popupAnchor: [dx, dy - d / 2], tooltipAnchor: [dx, dy - d / 2]
    });
    var hub = L.marker(stack.latlng, {  // above place names, which would hide the count
      icon: icon, riseOnHover: true, title: "", zIndexOffset: (options.zIndexOffset || 0) + 500,
      pane: options.hubPane || "markerPane"
    });
    var props = { kind: "stack", id: stack.members.map(function (m) { return m._dmP.id; }).join(",") };
    identify(hub, props);
    hub.bindTooltip("<b>" + n + " " + noun + " here</b><br>Click for the list",
      { direction: "top", className: "dm-tooltip" });
    hub.bindPopup(function () { return stackPopup(stack.members, noun, options.text); },
      { maxWidth: 460, maxHeight: 360, className: "dm-popup" });
    hub.on("popupopen", function (e) {
      var el = e.popup.getElement(), buttons = el ? el.querySelectorAll(".dm-stack-entry") : [];
      Array.prototype.forEach.call(buttons, function (button, i) {
        L.DomEvent.on(button, "click", function (ev) { L.DomEvent.stop(ev); openMember(stack.members[i]); });
      });
    });
    hub.on("add", function () { nameSymbol(hub, props.kind, props.id); });
    return hub;
  }

  /* Symbols that sit on (nearly) one spot at this zoom form a stack: they are spread on a ring round
   * the spot, and a numbered disc in the middle lists them. Where a base site holds the spot (the
   * symbols are `beside` it), the disc takes a place on the ring instead. */
  function arrange(map, markers, hubs, size, options) {
    var s = Math.round(size * typeScale(map)), z = map.getZoom(), stacks = [];
    options = L.extend({}, options, { hubPane: map.getPane("dmStacks") ? "dmStacks" : "markerPane" });
    markers.eachLayer(function (m) {
      var at = map.project(m.getLatLng(), z), stack = null;
      for (var i = 0; i < stacks.length && !stack; i++) {
        if (stacks[i].at.distanceTo(at) < s * 0.9) { stack = stacks[i]; }
      }
      if (!stack) { stack = { at: at, latlng: m.getLatLng(), members: [], beside: false }; stacks.push(stack); }
      if (m._dmP.beside && !stack.beside) { stack.at = at; stack.latlng = m.getLatLng(); stack.beside = true; }
      stack.members.push(m);
    });
    hubs.clearLayers();
    stacks.forEach(function (stack) {
      var n = stack.members.length;
      if (n === 1 && !stack.beside) { place(stack.members[0], s, 0, 0); return; }
      // Round a free spot the ring starts at the top; beside a base site it starts below the base and
      // the disc takes the last place, leaving the base's label (east of it) clear.
      var count = stack.beside && n > 1 ? n + 1 : n, start = stack.beside ? Math.PI / 2 : -Math.PI / 2;
      stack.members.forEach(function (m, i) {
        var o = ringOffset(i + 1, count, s, start), own = map.project(m.getLatLng(), z);
        place(m, s, Math.round(o[0] + stack.at.x - own.x), Math.round(o[1] + stack.at.y - own.y));
      });
      if (n > 1) {
        hubs.addLayer(stackHub(stack, s, stack.beside ? ringOffset(n + 1, count, s, start) : [0, 0], options));
      }
    });
  }

  /* Point symbols (events, bases): an SVG DivIcon per feature, a dashed circle for location
   * uncertainty, and stacks where symbols share a spot (see arrange). Symbols grow with the map's type. */
  DashMap.points = function (data, options) {
    options = options || {};
    var size = options.size || 18;
    var markers = options.cluster && L.markerClusterGroup
      ? L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 40 })
      : L.featureGroup();
    var circles = L.featureGroup(), hubs = L.featureGroup();
    data.features.forEach(function (feature) {
      var p = feature.properties, c = feature.geometry.coordinates;
      var latlng = [c[1], c[0]];
      if (p.radius_m > 0 && !options.cluster) {
        L.circle(latlng, {
          radius: p.radius_m, color: p.colour, weight: 1.2, dashArray: options.dash || "5 5",
          fillColor: p.colour, fillOpacity: options.uncertaintyOpacity || 0.08, interactive: false
        }).addTo(circles);
      }
      var marker = L.marker(latlng, {
        icon: symbolIcon(p, size, 0, 0), riseOnHover: true, title: "", zIndexOffset: options.zIndexOffset || 0
      });
      marker._dmP = p;
      marker._dmPlaced = size + ",0,0";
      if (options.text && p.r) { bindEventText(marker, p, options.text); } else { bindText(marker, p); }
      marker.on("add", function () { nameSymbol(marker, p.kind, p.id); });
      marker.addTo(markers);
    });
    var group = L.featureGroup([circles, markers, hubs]);
    if (!options.cluster) {  // a cluster layer (thousands of events) groups its symbols itself
      var onMap = null;
      var rearrange = function () { if (onMap) { arrange(onMap, markers, hubs, size, options); } };
      group.on("add", function () { onMap = group._map; onMap.on("zoomend resize", rearrange); rearrange(); });
      group.on("remove", function () { if (onMap) { onMap.off("zoomend resize", rearrange); } onMap = null; });
    }
    return group;
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
      DashMap.hooks(map);
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
      if (this.options.locator) { this._locate = trackFrame(map, this._control.getContainer(), this.options.locator); }
      if (this.options.containerClass) {
        L.DomUtil.addClass(map.getContainer(), this.options.containerClass);
        map.invalidateSize({ pan: false });  // presentation mode's map is as tall as the screen
      }
      DashMap.refit(map);  // the panels take room: frame the focus area clear of them
    },
    onRemove: function (map) {
      if (this._locate) { map.off("moveend zoomend resize", this._locate); this._locate = null; }
      if (this._control) { map.removeControl(this._control); this._control = null; }
      if (this.options.containerClass) {
        this.options.containerClass.split(" ").forEach(function (c) {
          if (c) { L.DomUtil.removeClass(map.getContainer(), c); }
        });
      }
    }
  });
  DashMap.panel = function (html, options) { return new DashMap.Panel(html, options); };

  /* A locator inset's frame rectangle kept on the map's bounds (p: west, north, k = pixels per degree
   * of the inset's equirectangular drawing, width, height). */
  function trackFrame(map, div, p) {
    var frame = div.querySelector(".dm-locator-frame");
    if (!frame) { return null; }
    var update = function () {
      var b = map.getBounds();
      var x0 = Math.max(0, (b.getWest() - p.west) * p.k), x1 = Math.min(p.width, (b.getEast() - p.west) * p.k);
      var y0 = Math.max(0, (p.north - b.getNorth()) * p.k), y1 = Math.min(p.height, (p.north - b.getSouth()) * p.k);
      frame.setAttribute("x", x0.toFixed(1));
      frame.setAttribute("y", y0.toFixed(1));
      frame.setAttribute("width", Math.max(2, x1 - x0).toFixed(1));
      frame.setAttribute("height", Math.max(2, y1 - y0).toFixed(1));
    };
    map.on("moveend zoomend resize", update);
    update();
    return update;
  }

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

  /* -- Map-wide behaviour --------------------------------------------------------------------- */

  /* Panels fade while a popup or tooltip is open (Leaflet draws controls above both); the open
   * popup names its feature on the container (data-dm-popup) so that a reader's tools can tell. */
  DashMap.hooks = function (map) {
    if (map._dmHooks) { return; }
    map._dmHooks = true;
    var box = map.getContainer();
    map.on("popupopen", function (e) {
      L.DomUtil.addClass(box, "dm-popup-open");
      var src = e.popup && e.popup._source, props = src && src.toGeoJSON ? src.toGeoJSON().properties : null;
      var name = props && props.kind ? props.kind + ":" + props.id : "";
      box.setAttribute("data-dm-popup", name);
      (map._dmOpened = map._dmOpened || []).push(name);  // what opened, in order (tests read it)
    });
    map.on("popupclose", function () { L.DomUtil.removeClass(box, "dm-popup-open"); box.removeAttribute("data-dm-popup"); });
    map.on("tooltipopen", function () { L.DomUtil.addClass(box, "dm-tooltip-open"); });
    map.on("tooltipclose", function () { L.DomUtil.removeClass(box, "dm-tooltip-open"); });
  };

  /* A tooltip is never drawn off the map: once Leaflet has placed it, it is moved inside the map's
   * box (its pointer is hidden when it had to move, as it no longer points at the anchor). */
  var placeTooltip = L.Tooltip.prototype._setPosition;
  L.Tooltip.include({
    _setPosition: function (pos) {
      placeTooltip.call(this, pos);
      var map = this._map, el = this._container;
      if (!map || !el) { return; }
      var size = map.getSize(), at = map.layerPointToContainerPoint(L.DomUtil.getPosition(el));
      var w = el.offsetWidth, h = el.offsetHeight, margin = 4;
      var x = Math.max(margin, Math.min(at.x, size.x - w - margin));
      var y = Math.max(margin, Math.min(at.y, size.y - h - margin));
      L.DomUtil[x !== at.x || y !== at.y ? "addClass" : "removeClass"](el, "dm-tooltip-moved");
      if (x !== at.x || y !== at.y) {
        L.DomUtil.setPosition(el, map.containerPointToLayerPoint(L.point(x, y)));
      }
    }
  });

  /* Popups grow with the map's type (a wall screen's popup is as wide, in letters, as a laptop's). */
  var popupLayout = L.Popup.prototype._updateLayout;
  L.Popup.include({
    _updateLayout: function () {
      var k = typeScale(this._map), o = this.options;
      this._dmBase = this._dmBase || { maxWidth: o.maxWidth, minWidth: o.minWidth, maxHeight: o.maxHeight };
      o.maxWidth = this._dmBase.maxWidth * k;
      o.minWidth = this._dmBase.minWidth * k;
      o.maxHeight = this._dmBase.maxHeight ? this._dmBase.maxHeight * k : this._dmBase.maxHeight;
      popupLayout.call(this);
    }
  });

  /* The scale bar is as long, in letters, as its label: its longest bar grows with the map's type. */
  var scaleUpdate = L.Control.Scale.prototype._update;
  var scaleAdd = L.Control.Scale.prototype.onAdd;
  L.Control.Scale.include({
    onAdd: function (map) {
      map._dmScaleBar = this;
      return scaleAdd.call(this, map);
    },
    _update: function () {
      this._dmWidth = this._dmWidth || this.options.maxWidth;
      this.options.maxWidth = Math.round(this._dmWidth * typeScale(this._map));
      scaleUpdate.call(this);
    }
  });

  /* A place name is drawn whole or not at all: one cut by the map's edge ("(Faryab)") is hidden. */
  function hideCutLabels(map) {
    var box = map.getContainer().getBoundingClientRect();
    // A map with no area (its frame collapsed while the page redraws) shows nothing to cut: judging
    // against it would hide every name until the next move.
    if (!box.width || !box.height) { return; }
    var nodes = map.getContainer().querySelectorAll(".leaflet-dmLabels-pane .dm-label");
    for (var i = 0; i < nodes.length; i++) {
      var span = nodes[i].querySelector("span");
      if (!span) { continue; }
      L.DomUtil.removeClass(nodes[i], "dm-cut");
      var r = span.getBoundingClientRect();
      var cut = r.width > 0 && (r.left < box.left || r.top < box.top || r.right > box.right || r.bottom > box.bottom);
      if (cut) { L.DomUtil.addClass(nodes[i], "dm-cut"); }
    }
  }

  /* An online tile layer that cannot load (no internet) says so on the map instead of staying blank. */
  function watchTiles(map) {
    map.on("layeradd", function (e) {
      var layer = e.layer;
      if (!(layer instanceof L.TileLayer) || layer._dmWatched) { return; }
      layer._dmWatched = true;
      var failed = 0, loaded = 0;
      layer.on("tileload", function () { loaded += 1; });
      layer.on("tileerror", function () {
        failed += 1;
        if (failed === 3 && loaded === 0) { DashMap.notice(map, "tiles", layer.options.dmName || "The online layer"); }
      });
      layer.on("remove", function () { DashMap.notice(map, "tiles", null); });
    });
  }

  /* A one-line notice at the top of the map (fixed wording; the name comes from the layer's options,
   * which the server sets from its own constants). */
  DashMap.notice = function (map, key, name) {
    map._dmNotices = map._dmNotices || {};
    var old = map._dmNotices[key];
    if (old) { map.removeControl(old); delete map._dmNotices[key]; }
    if (!name) { return; }
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "dm-panel dm-notice");
      div.setAttribute("role", "alert");
      div.textContent = name + " could not load: this computer has no connection to the tile server. " +
        "The offline basemap is still drawn.";
      return div;
    };
    control.addTo(map);
    map._dmNotices[key] = control;
  };

  /* Type that scales with the screen: --dm-scale is 1 up to a 1280 x 720 map and grows with it
   * (1.5 at 1920 x 1080, 3 at 3840 x 2160), unless a fixed scale is given (pictures). */
  function setScale(map, fixed) {
    var size = map.getSize();
    var scale = fixed || Math.max(1, Math.min(size.x / 1280, size.y / 720));
    map.getContainer().style.setProperty("--dm-scale", scale.toFixed(3));
    if (map._dmScaleBar) { map._dmScaleBar._update(); }
  }

  /* Map-wide setup, once per map: panes for labels, hooks, the basemap's extent, type scale, framing.
   *   options.extent   [south, west, north, east]: the basemap's extent; the view never leaves it
   *   options.scale    true to scale type with the map's size, or a number (fixed scale)
   *   options.fit      {required: [[lat, lon], ...], optional: [...]}: frame these points clear of the
   *                    map's panels and controls, at the largest zoom that shows them all
   *   options.refit    keep framing when the map is resized (presentation mode), until the reader moves
   */
  DashMap.setup = function (map, options) {
    options = options || {};
    var labels = map.createPane("dmLabels");  // place names above the symbols, below tooltips
    labels.style.zIndex = 620;
    labels.style.pointerEvents = "none";
    var boxes = map.createPane("dmBoxes");  // boxed labels (borders, bases) below the symbols
    boxes.style.zIndex = 590;
    boxes.style.pointerEvents = "none";
    map.createPane("dmStacks").style.zIndex = 630;  // the numbered discs of stacks, above place names
    DashMap.hooks(map);
    watchTiles(map);
    var cut = function () { hideCutLabels(map); };
    map.on("moveend zoomend resize", cut);
    map.whenReady(function () { L.Util.requestAnimFrame(cut); });
    if (window.ResizeObserver) {  // the container changes size without the window (presentation mode)
      new ResizeObserver(function () {
        map.invalidateSize({ pan: false });
        cut();  // also when Leaflet's own size did not change (no "resize" event) but the frame did
      }).observe(map.getContainer());
    }
    if (options.scale) {
      setScale(map, typeof options.scale === "number" ? options.scale : null);
      if (options.scale === true) { map.on("resize", function () { setScale(map, null); }); }
    }
    if (options.extent) {
      var e = options.extent, extent = L.latLngBounds([e[0], e[1]], [e[2], e[3]]);
      map.setMaxBounds(extent);
      map.options.maxBoundsViscosity = 1.0;
      var floor = function () {  // never zoomed out past the basemap's edge
        var z = map.getBoundsZoom(extent, true);
        if (isFinite(z)) { map.setMinZoom(Math.max(map.options.minZoom || 0, Math.ceil(z * 4) / 4)); }
      };
      floor();
      map.on("resize", floor);
    }
    if (options.fit) {
      map._dmFit = { required: options.fit.required || [], optional: options.fit.optional || [],
        extent: options.extent || null, refit: !!options.refit, moved: false };
      var moved = function () { map._dmFit.moved = true; };
      L.DomEvent.on(map.getContainer(), "mousedown touchstart wheel keydown", moved);
      map.on("resize", function () { if (map._dmFit.refit) { DashMap.refit(map); } });
      DashMap.refit(map);
    }
  };

  /* Boxes on the map that stay put while it moves (panels, controls), in container pixels. */
  function fixedBoxes(map) {
    var box = map.getContainer().getBoundingClientRect(), out = [];
    var nodes = map.getContainer().querySelectorAll(".leaflet-control");
    for (var i = 0; i < nodes.length; i++) {
      var r = nodes[i].getBoundingClientRect();
      if (r.width > 0 && r.height > 0) {
        out.push([r.left - box.left - 6, r.top - box.top - 6, r.right - box.left + 6, r.bottom - box.top + 6]);
      }
    }
    return out;
  }

  /* Boxed labels (borders, bases, shared figures) as offsets from their anchor, in container pixels. */
  function labelBoxes(map) {
    var box = map.getContainer().getBoundingClientRect(), out = [];
    var nodes = map.getContainer().querySelectorAll(".dm-label-border, .dm-label-base, .dm-label-group");
    for (var i = 0; i < nodes.length; i++) {
      var span = nodes[i].querySelector("span"), at = nodes[i]._dmAt;
      if (!span || !at) { continue; }
      var r = span.getBoundingClientRect(), p = map.latLngToContainerPoint(at);
      if (r.width < 1) { continue; }
      out.push({ at: map.project(at, 0), x0: r.left - box.left - p.x, y0: r.top - box.top - p.y,
        x1: r.right - box.left - p.x, y1: r.bottom - box.top - p.y });
    }
    return out;
  }

  function overlaps(a, boxes) {
    for (var i = 0; i < boxes.length; i++) {
      var b = boxes[i];
      if (a[0] < b[2] && a[2] > b[0] && a[1] < b[3] && a[3] > b[1]) { return true; }
    }
    return false;
  }

  function covered(x, y, boxes) {
    for (var i = 0; i < boxes.length; i++) {
      var b = boxes[i];
      if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]) { return true; }
    }
    return false;
  }

  /* Frame map._dmFit's points: the largest zoom (in the map's zoom steps) and a centre at which every
   * required point is on the map and under no panel or control, the basemap covering the whole frame; among
   * those, the one that shows most of the optional points. Runs again (debounced) when panels change. */
  DashMap.refit = function (map) {
    var fit = map._dmFit;
    if (!fit || fit.moved || fit.pending) { return; }
    fit.pending = true;
    L.Util.requestAnimFrame(function () {
      fit.pending = false;
      if (!fit.moved && map._loaded) {
        frame(map, fit);
        // Exploring, the map is framed once: later redraws (a filter, a shading mode) leave it put.
        if (!fit.refit && document.querySelector(".dm-panel")) { fit.moved = true; }
      }
    });
  };

  function frame(map, fit) {
    var size = map.getSize();
    if (!size.x || !size.y || !fit.required.length) { return; }
    var boxes = fixedBoxes(map), labels = labelBoxes(map);
    var req = fit.required.map(function (p) { return map.project(p, 0); });
    var opt = fit.optional.map(function (p) { return map.project(p, 0); });
    var bounds = L.latLngBounds(fit.required);
    var top = Math.min(map.getBoundsZoom(bounds, false, L.point(8, 8)), map.getMaxZoom());
    var ext = fit.extent ? [map.project([fit.extent[2], fit.extent[1]], 0), map.project([fit.extent[0], fit.extent[3]], 0)] : null;
    var best = null, fallback = null, limit = 0, report = {};
    map._dmFitReport = report;  // zoom -> fewest points hidden at it (for a reader's tools)
    var snap = map.options.zoomSnap || 0.25;
    for (var z = Math.floor(top / snap) * snap; z >= top - 3 && !best; z -= snap) {
      var k = Math.pow(2, z), minx = Infinity, maxx = -Infinity, miny = Infinity, maxy = -Infinity;
      req.forEach(function (p) {
        minx = Math.min(minx, p.x * k); maxx = Math.max(maxx, p.x * k);
        miny = Math.min(miny, p.y * k); maxy = Math.max(maxy, p.y * k);
      });
      var cx0 = (minx + maxx) / 2, cy0 = (miny + maxy) / 2;
      var step = Math.max(6, Math.round(Math.min(size.x, size.y) / 48));
      for (var dy = -size.y / 2; dy <= size.y / 2; dy += step) {
        for (var dx = -size.x / 2; dx <= size.x / 2; dx += step) {
          var cx = cx0 + dx, cy = cy0 + dy, ox = cx - size.x / 2, oy = cy - size.y / 2;
          if (minx - ox < 4 || maxx - ox > size.x - 4 || miny - oy < 4 || maxy - oy > size.y - 4) { continue; }
          if (ext && (ox < ext[0].x * k || oy < ext[0].y * k || ox + size.x > ext[1].x * k || oy + size.y > ext[1].y * k)) { continue; }
          var bad = 0;
          for (var i = 0; i < req.length; i++) {
            if (covered(req[i].x * k - ox, req[i].y * k - oy, boxes)) { bad += 1; }
          }
          for (var l = 0; l < labels.length; l++) {  // a boxed label whole on the map, under no panel
            var a = labels[l], ax = a.at.x * k - ox, ay = a.at.y * k - oy;
            var r = [ax + a.x0, ay + a.y0, ax + a.x1, ay + a.y1];
            if (r[0] < 2 || r[1] < 2 || r[2] > size.x - 2 || r[3] > size.y - 2 || overlaps(r, boxes)) { bad += 1; }
          }
          var seen = 0;
          for (var j = 0; j < opt.length; j++) {
            var x = opt[j].x * k - ox, y = opt[j].y * k - oy;
            if (x > 4 && y > 4 && x < size.x - 4 && y < size.y - 4 && !covered(x, y, boxes)) { seen += 1; }
          }
          var score = seen * 1000 - Math.sqrt(dx * dx + dy * dy);
          var here = { score: score, bad: bad, z: z, cx: cx, cy: cy };
          if (bad <= limit && (!best || score > best.score)) { best = here; }
          report[z] = Math.min(report[z] === undefined ? Infinity : report[z], bad);
          // Where nothing is clear of every panel: the view that hides least, the closer the better.
          if (!fallback || bad < fallback.bad || (bad === fallback.bad && z > fallback.z)) { fallback = here; }
        }
      }
    }
    best = best || fallback;
    if (!best) { map.fitBounds(bounds); return; }
    var centre = map.unproject(L.point(best.cx, best.cy), best.z);
    var now = map.project(map.getCenter(), best.z);
    if (Math.abs(map.getZoom() - best.z) < 0.01 && now.distanceTo(L.point(best.cx, best.cy)) < 2) { return; }
    map.setView(centre, best.z, { animate: false });
  }

  window.DashMap = DashMap;
})();
