/* geoparks map layers: clustered parks, popups built on demand, cooperation links,
   polygon layers, legends, search and fullscreen. Every catalog value reaches the page
   through esc() or textContent. */
(function () {
  "use strict";

  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function esc(value) {
    return String(value).replace(/[&<>"']/g, function (c) { return ESCAPES[c]; });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function readData(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  /* A column is null (all empty), a plain array, or {t: table, i: 1-based indices, 0 empty}. */
  function cell(column, i) {
    if (!column) return null;
    if (column.t) {
      var k = column.i[i];
      return k ? column.t[k - 1] : null;
    }
    return column[i];
  }

  /* Points as one Int32Array: longitude, latitude (times 10^4) of park i at 2i, 2i + 1. */
  function unpackPoints(points) {
    if (!points) return new Int32Array(0); // no parks: an empty catalog
    var n = points.t ? points.i.length : points.length, xy = new Int32Array(2 * n);
    for (var i = 0; i < n; i++) {
      var p = cell(points, i);
      xy[2 * i] = p[0];
      xy[2 * i + 1] = p[1];
    }
    return xy;
  }

  /* ---- a static k-d tree over points in the unit square, kept in median order ---- */

  var LEAF = 32;

  function KDTree(xs, ys) {
    var n = xs.length;
    this.ids = new Uint32Array(n);
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      this.ids[i] = i;
      this.x[i] = xs[i];
      this.y[i] = ys[i];
    }
    this._build(0, n - 1, 0);
  }

  KDTree.prototype._swap = function (i, j) {
    var ids = this.ids, x = this.x, y = this.y, t;
    t = ids[i]; ids[i] = ids[j]; ids[j] = t;
    t = x[i]; x[i] = x[j]; x[j] = t;
    t = y[i]; y[i] = y[j]; y[j] = t;
  };

  /* Put the k-th smallest value (on one axis) at k, smaller ones before, larger after. */
  KDTree.prototype._select = function (k, lo, hi, axis) {
    var a = axis ? this.y : this.x;
    while (hi > lo) {
      var pivot = a[(lo + hi) >> 1], i = lo, j = hi;
      while (i <= j) {
        while (a[i] < pivot) i++;
        while (a[j] > pivot) j--;
        if (i <= j) {
          this._swap(i, j);
          i++;
          j--;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return;
    }
  };

  KDTree.prototype._build = function (lo, hi, axis) {
    if (hi - lo <= LEAF) return;
    var mid = (lo + hi) >> 1;
    this._select(mid, lo, hi, axis);
    this._build(lo, mid - 1, 1 - axis);
    this._build(mid + 1, hi, 1 - axis);
  };

  /* Ids of the points in the box [x0, x1] x [y0, y1]. */
  KDTree.prototype.range = function (x0, y0, x1, y1) {
    var out = [], x = this.x, y = this.y, ids = this.ids;
    var stack = [0, ids.length - 1, 0];
    while (stack.length) {
      var axis = stack.pop(), hi = stack.pop(), lo = stack.pop();
      if (hi - lo <= LEAF) {
        for (var i = lo; i <= hi; i++) {
          if (x[i] >= x0 && x[i] <= x1 && y[i] >= y0 && y[i] <= y1) out.push(ids[i]);
        }
        continue;
      }
      var m = (lo + hi) >> 1, mx = x[m], my = y[m];
      if (mx >= x0 && mx <= x1 && my >= y0 && my <= y1) out.push(ids[m]);
      var v = axis ? my : mx;
      if ((axis ? y0 : x0) <= v) stack.push(lo, m - 1, 1 - axis);
      if ((axis ? y1 : x1) >= v) stack.push(m + 1, hi, 1 - axis);
    }
    return out;
  };

  /* Ids of the points within distance r of (qx, qy). */
  KDTree.prototype.within = function (qx, qy, r) {
    var out = [], x = this.x, y = this.y, ids = this.ids, r2 = r * r;
    var stack = [0, ids.length - 1, 0];
    while (stack.length) {
      var axis = stack.pop(), hi = stack.pop(), lo = stack.pop();
      var dx, dy;
      if (hi - lo <= LEAF) {
        for (var i = lo; i <= hi; i++) {
          dx = x[i] - qx;
          dy = y[i] - qy;
          if (dx * dx + dy * dy <= r2) out.push(ids[i]);
        }
        continue;
      }
      var m = (lo + hi) >> 1;
      dx = x[m] - qx;
      dy = y[m] - qy;
      if (dx * dx + dy * dy <= r2) out.push(ids[m]);
      var v = axis ? y[m] : x[m], q = axis ? qy : qx;
      if (q - r <= v) stack.push(lo, m - 1, 1 - axis);
      if (q + r >= v) stack.push(m + 1, hi, 1 - axis);
    }
    return out;
  };

  /* ---- clustering: sites (distinct points), then one greedy level per zoom ---- */

  function mercX(lon) { return lon / 360 + 0.5; }
  function mercY(lat) {
    var s = Math.sin((Math.max(-85, Math.min(85, lat)) * Math.PI) / 180);
    return 0.5 - (0.25 * Math.log((1 + s) / (1 - s))) / Math.PI;
  }
  function unmercLon(x) { return (x - 0.5) * 360; }
  function unmercLat(y) {
    return (360 * Math.atan(Math.exp((1 - 2 * y) * Math.PI))) / Math.PI - 90;
  }

  /* Levels[z] holds the nodes shown at zoom z; level maxZoom + 1 holds the sites. A node
     has a weighted position, a park count, per-kind counts and its members one level up. */
  function ClusterIndex(xy, kinds, nKinds, options) {
    var radius = options.radius, maxZoom = options.maxZoom;
    var n = xy.length / 2, byKey = new Map(), siteOf = new Int32Array(n);
    var sx = [], sy = [], sn = [];
    for (var i = 0; i < n; i++) {
      var key = xy[2 * i] * 4e6 + xy[2 * i + 1];
      var s = byKey.get(key);
      if (s === undefined) {
        s = sx.length;
        byKey.set(key, s);
        sx.push(mercX(xy[2 * i] / 1e4));
        sy.push(mercY(xy[2 * i + 1] / 1e4));
        sn.push(0);
      }
      siteOf[i] = s;
      sn[s]++;
    }
    var nSites = sx.length;
    var start = new Uint32Array(nSites + 1), parks = new Uint32Array(n), fill = new Uint32Array(nSites);
    for (s = 0; s < nSites; s++) start[s + 1] = start[s] + sn[s];
    for (i = 0; i < n; i++) parks[start[siteOf[i]] + fill[siteOf[i]]++] = i;
    var siteKinds = new Uint32Array(nSites * nKinds);
    for (i = 0; i < n; i++) siteKinds[siteOf[i] * nKinds + kinds[i]]++;

    this.sitePark = parks;
    this.siteStart = start;
    this.nKinds = nKinds;
    this.maxZoom = maxZoom;
    this.levels = [];
    var level = { x: sx, y: sy, n: sn, kinds: siteKinds, start: null, members: null };
    level.tree = new KDTree(sx, sy);
    this.levels[maxZoom + 1] = level;
    for (var z = maxZoom; z >= 0; z--) {
      level = this._cluster(level, radius / (256 * Math.pow(2, z)));
      this.levels[z] = level;
    }
  }

  ClusterIndex.prototype._cluster = function (prev, r) {
    var m = prev.x.length, K = this.nKinds, seen = new Uint8Array(m);
    var x = [], y = [], cnt = [], kinds = [], start = [0], members = [];
    for (var i = 0; i < m; i++) {
      if (seen[i]) continue;
      seen[i] = 1;
      var near = prev.tree.within(prev.x[i], prev.y[i], r);
      var w = prev.n[i], wx = prev.x[i] * w, wy = prev.y[i] * w, k;
      var c = x.length;
      members.push(i);
      for (k = 0; k < K; k++) kinds.push(prev.kinds[i * K + k]);
      for (var j = 0; j < near.length; j++) {
        var b = near[j];
        if (seen[b]) continue;
        seen[b] = 1;
        members.push(b);
        w += prev.n[b];
        wx += prev.x[b] * prev.n[b];
        wy += prev.y[b] * prev.n[b];
        for (k = 0; k < K; k++) kinds[c * K + k] += prev.kinds[b * K + k];
      }
      x.push(wx / w);
      y.push(wy / w);
      cnt.push(w);
      start.push(members.length);
    }
    var level = { x: x, y: y, n: cnt, kinds: kinds, start: start, members: members };
    level.tree = new KDTree(x, y);
    return level;
  };

  /* The zoom at which node `id` of level z splits, or null if it never does (one site). */
  ClusterIndex.prototype.expansionZoom = function (z, id) {
    while (z <= this.maxZoom) {
      var level = this.levels[z];
      if (level.start[id + 1] - level.start[id] > 1) return z + 1;
      id = level.members[level.start[id]];
      z++;
    }
    return null;
  };

  /* Every park under node `id` of level z. */
  ClusterIndex.prototype.parks = function (z, id) {
    var out = [], stack = [z, id];
    while (stack.length) {
      var node = stack.pop(), zz = stack.pop();
      if (zz === this.maxZoom + 1) {
        for (var p = this.siteStart[node]; p < this.siteStart[node + 1]; p++) out.push(this.sitePark[p]);
        continue;
      }
      var level = this.levels[zz];
      for (var q = level.start[node]; q < level.start[node + 1]; q++) stack.push(zz + 1, level.members[q]);
    }
    return out.sort(function (a, b) { return a - b; });
  };

  /* ---- popups ---- */

  function row(label, value) {
    if (value === null || value === undefined || value === "") return "";
    return "<tr><th>" + esc(label) + "</th><td>" + esc(value) + "</td></tr>";
  }

  function parkPopup(data, i) {
    var c = data.columns, kindIndex = c.kind[i], html = [];
    var zh = cell(c.name_zh, i);
    html.push('<div class="gp-popup"><h3>' + esc(cell(c.name, i)) + "</h3>");
    if (zh) html.push('<div class="gp-zh">' + esc(zh) + "</div>");
    html.push(
      '<div class="gp-kind"><span class="gp-swatch" style="background:' +
        esc(data.kinds[kindIndex].color) + '"></span>' + esc(data.kinds[kindIndex].label) +
        (cell(c.status, i) ? " · " + esc(cell(c.status, i)) : "") + "</div><table>"
    );
    html.push(row("County", cell(c.county, i)));
    html.push(row("City", cell(c.city, i)));
    html.push(row("Province", cell(c.province, i)));
    html.push(row("Investment", cell(c.investment, i)));
    html.push(row("Output", cell(c.output, i)));
    html.push(row("Area", cell(c.area, i)));
    html.push(row("Industries", cell(c.industries, i)));
    html.push(row("Partners", cell(c.partners, i)));
    html.push(row("Regions", cell(c.regions, i)));
    html.push(row("Established", cell(c.established, i)));
    html.push(row("Marker", cell(c.precision, i)));
    var extra = c.extra || { labels: [], columns: [] };
    extra.labels.forEach(function (label, k) {
      html.push(row(label, cell(extra.columns[k], i)));
    });
    html.push("</table>");
    var source = cell(c.source, i);
    if (source) {
      html.push('<div class="gp-source">Source: <cite>' + esc(source[0]) + "</cite>");
      if (source[1]) html.push(" (" + esc(source[1]) + ")");
      if (source[2] && /^https?:\/\//.test(source[2])) {
        html.push(' <a href="' + esc(source[2]) + '" target="_blank" rel="noopener noreferrer">link</a>');
      }
      html.push("</div>");
    }
    var evidence = cell(c.evidence, i);
    if (evidence) html.push('<blockquote class="gp-evidence">' + esc(evidence) + "</blockquote>");
    var note = cell(c.note, i);
    if (note) html.push('<div class="gp-note">' + esc(note) + "</div>");
    html.push("</div>");
    return html.join("");
  }

  function tooltipText(data, i) {
    var city = cell(data.columns.city, i);
    return cell(data.columns.name, i) + (city ? " — " + city : "");
  }

  function openPark(map, data, i) {
    var ll = L.latLng(data.xy[2 * i + 1] / 1e4, data.xy[2 * i] / 1e4);
    L.popup({ maxWidth: 380, autoPanPadding: [20, 20] })
      .setLatLng(ll)
      .setContent(parkPopup(data, i))
      .openOn(map);
  }

  /* A list of the parks at one site (or in a cluster that no zoom splits). */
  function listPopup(map, data, parks, ll) {
    var box = el("div", "gp-list");
    box.appendChild(el("h3", null, parks.length + " parks here"));
    var list = el("ol");
    parks.forEach(function (i) {
      var item = el("li"), link = el("a", null, cell(data.columns.name, i));
      link.href = "#";
      link.addEventListener("click", function (event) {
        L.DomEvent.stop(event); // the map must not take it for a click that closes popups
        openPark(map, data, i);
      });
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    L.popup({ maxWidth: 380, maxHeight: 320 }).setLatLng(ll).setContent(box).openOn(map);
  }

  /* ---- the clustered park layer ---- */

  var ParkLayer = L.Layer.extend({
    initialize: function (data, options) {
      data.xy = unpackPoints(data.points);
      this.data = data;
      this.options = L.Util.extend({ radius: 40, maxZoom: 16 }, options);
      var kinds = data.columns.kind;
      this.index = new ClusterIndex(data.xy, kinds, data.kinds.length, this.options);
      this._group = L.layerGroup();
      this._renderer = L.canvas({ padding: 0.5, pane: "gpParks" });
    },

    onAdd: function (map) {
      if (!map.getPane("gpParks")) map.createPane("gpParks").style.zIndex = 450;
      this._group.addTo(map);
      map.on("moveend", this._update, this);
      this._update();
    },

    onRemove: function (map) {
      map.off("moveend", this._update, this);
      map.removeLayer(this._group);
    },

    parkCount: function () {
      return this.data.xy.length / 2;
    },

    _update: function () {
      var map = this._map;
      if (!map) return;
      var z = Math.max(0, Math.min(this.index.maxZoom + 1, Math.floor(map.getZoom())));
      var level = this.index.levels[z], b = map.getBounds().pad(0.25);
      var x0 = mercX(Math.max(-180, b.getWest())), x1 = mercX(Math.min(180, b.getEast()));
      var y0 = mercY(b.getNorth()), y1 = mercY(b.getSouth());
      var ids = level.tree.range(x0, y0, x1, y1);
      this._group.clearLayers();
      for (var k = 0; k < ids.length; k++) this._group.addLayer(this._node(z, ids[k]));
      map.getContainer().setAttribute("data-gp-nodes", String(ids.length));
    },

    _node: function (z, id) {
      var level = this.index.levels[z], data = this.data, map = this._map, self = this;
      var ll = L.latLng(unmercLat(level.y[id]), unmercLon(level.x[id]));
      if (level.n[id] === 1) {
        var i = this.index.parks(z, id)[0];
        var dot = L.circleMarker(ll, {
          renderer: this._renderer,
          radius: 7,
          weight: 1.5,
          color: "#ffffff",
          fillColor: data.kinds[data.columns.kind[i]].color,
          fillOpacity: 0.95,
        });
        dot.bindTooltip(function () { return esc(tooltipText(data, i)); });
        dot.on("click", function () { openPark(map, data, i); });
        return dot;
      }
      var marker = L.marker(ll, { icon: this._icon(level, id) });
      marker.bindTooltip(function () { return esc(self._summary(level, id)); });
      marker.on("click", function () {
        var to = self.index.expansionZoom(z, id);
        if (to === null || to > map.getMaxZoom()) listPopup(map, data, self.index.parks(z, id), ll);
        else map.setView(ll, Math.max(to, map.getZoom() + 1));
      });
      return marker;
    },

    _summary: function (level, id) {
      var K = this.index.nKinds, parts = [];
      for (var k = 0; k < K; k++) {
        var v = level.kinds[id * K + k];
        if (v) parts.push([v, this.data.kinds[k].label]);
      }
      parts.sort(function (a, b) { return b[0] - a[0]; });
      return level.n[id] + " parks: " + parts.slice(0, 3).map(function (p) {
        return p[0] + " " + p[1];
      }).join(", ") + (parts.length > 3 ? ", …" : "");
    },

    /* A count inside a ring whose arcs show the mix of kinds. */
    _icon: function (level, id) {
      var K = this.index.nKinds, total = level.n[id], stops = [], at = 0;
      for (var k = 0; k < K; k++) {
        var v = level.kinds[id * K + k];
        if (!v) continue;
        var to = at + (360 * v) / total;
        stops.push(this.data.kinds[k].color + " " + at.toFixed(1) + "deg " + to.toFixed(1) + "deg");
        at = to;
      }
      var size = Math.round(26 + 7 * Math.log10(total));
      return L.divIcon({
        className: "gp-cluster",
        iconSize: [size, size],
        html: '<div style="background:conic-gradient(' + stops.join(",") + ')"><span>' +
          total + "</span></div>",
      });
    },
  });

  /* ---- cooperation links: curved arrows from a park to each partner city ---- */

  function ensureArrowHead() {
    if (document.getElementById("gp-arrow")) return;
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "0");
    svg.setAttribute("height", "0");
    svg.style.position = "absolute";
    svg.innerHTML = '<defs><marker id="gp-arrow" viewBox="0 0 10 10" refX="9" refY="5" ' +
      'markerWidth="7" markerHeight="7" orient="auto-start-reverse">' +
      '<path d="M0,0 L10,5 L0,10 z" fill="#6a3d9a"/></marker></defs>';
    document.body.appendChild(svg);
  }

  function arc(from, to) {
    var dx = to[0] - from[0], dy = to[1] - from[1], points = [];
    var cx = (from[0] + to[0]) / 2 - dy * 0.2, cy = (from[1] + to[1]) / 2 + dx * 0.2;
    for (var s = 0; s <= 16; s++) {
      var t = s / 16, u = 1 - t;
      points.push([
        u * u * from[1] + 2 * u * t * cy + t * t * to[1],
        u * u * from[0] + 2 * u * t * cx + t * t * to[0],
      ]);
    }
    return points;
  }

  function linkLayer(parkData, links) {
    ensureArrowHead();
    var group = L.featureGroup(), renderer = L.svg({ padding: 0.5 });
    links.targets.forEach(function (target) {
      var i = target[0], xy = parkData.xy;
      var from = [xy[2 * i] / 1e4, xy[2 * i + 1] / 1e4], to = [target[1] / 1e4, target[2] / 1e4];
      var line = L.polyline(arc(from, to), {
        renderer: renderer, color: "#6a3d9a", weight: 2, opacity: 0.8, className: "gp-link",
      });
      var label = cell(parkData.columns.name, i) + " → " + links.names[target[3]];
      line.bindTooltip(function () { return esc(label); }, { sticky: true });
      line.on("add", function () { this._path.setAttribute("marker-end", "url(#gp-arrow)"); });
      line.on("click", function () { openPark(group._map, parkData, i); });
      group.addLayer(line);
    });
    return group;
  }

  /* ---- polygon layers: choropleth, region outlines, countries ---- */

  /* options.features[feature.id] holds each feature's style, tooltip and label. */
  function polygonLayer(geojson, options) {
    var extra = options.features || [];
    function props(feature) { return extra[feature.id] || {}; }
    var layer = L.geoJSON(geojson, {
      style: function (feature) {
        return L.Util.extend({}, options.style, props(feature).style || {});
      },
      onEachFeature: function (feature, path) {
        var text = props(feature).tooltip;
        if (text) path.bindTooltip(function () { return esc(text); }, { sticky: true });
      },
    });
    var labels = [];
    extra.forEach(function (p) {
      if (!p.label) return;
      labels.push(
        L.tooltip({ permanent: true, direction: p.label_side || "center", className: "gp-label " + (options.labelClass || "") })
          .setLatLng([p.label_at[1], p.label_at[0]])
          .setContent(esc(p.label))
      );
    });
    return labels.length ? L.featureGroup([layer].concat(labels)) : layer;
  }

  /* ---- controls: legend, search, fullscreen ---- */

  function legend(map, spec, layer) {
    var control = L.control({ position: spec.position || "bottomright" });
    control.onAdd = function () {
      var box = el("div", "gp-legend leaflet-bar");
      box.appendChild(el("h4", null, spec.title));
      spec.items.forEach(function (item) {
        var line = el("div", "gp-legend-item"), swatch = el("span", "gp-swatch " + (item.shape || ""));
        swatch.style.background = item.color;
        line.appendChild(swatch);
        line.appendChild(el("span", null, item.label));
        box.appendChild(line);
      });
      if (spec.note) box.appendChild(el("div", "gp-legend-note", spec.note));
      if (spec.missing) box.appendChild(el("div", "gp-legend-missing", spec.missing));
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    if (!layer) return control.addTo(map);
    if (map.hasLayer(layer)) control.addTo(map);
    layer.on("add", function () { control.addTo(map); });
    layer.on("remove", function () { control.remove(); });
    return control;
  }

  function search(map, data) {
    var control = L.control({ position: "topleft" }), lower = null;
    control.onAdd = function () {
      var box = el("div", "gp-search leaflet-bar"), input = el("input"), results = el("ul");
      input.type = "search";
      input.placeholder = "Search parks (English or 中文)";
      input.setAttribute("aria-label", "Search parks by name");
      box.appendChild(input);
      box.appendChild(results);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);

      function find(query) {
        if (!lower) {
          lower = [];
          for (var i = 0; i < data.xy.length / 2; i++) {
            lower.push(((cell(data.columns.name, i) || "") + "\n" + (cell(data.columns.name_zh, i) || "")).toLowerCase());
          }
        }
        var hits = [], total = 0;
        for (var k = 0; k < lower.length; k++) {
          if (lower[k].indexOf(query) >= 0) {
            total++;
            if (hits.length < 12) hits.push(k);
          }
        }
        return { hits: hits, total: total };
      }

      function show() {
        results.textContent = "";
        var query = input.value.trim().toLowerCase();
        if (!query) return;
        var found = find(query);
        found.hits.forEach(function (i) {
          var item = el("li", "gp-hit"), zh = cell(data.columns.name_zh, i);
          item.appendChild(el("span", null, cell(data.columns.name, i)));
          if (zh) item.appendChild(el("span", "gp-zh", " " + zh));
          item.addEventListener("click", function (event) {
            L.DomEvent.stop(event); // the item is gone before the map could see it is ours
            choose(i);
          });
          results.appendChild(item);
        });
        if (found.total > found.hits.length) {
          results.appendChild(el("li", "gp-more", "… " + (found.total - found.hits.length) + " more"));
        } else if (!found.total) {
          results.appendChild(el("li", "gp-more", "No park matches"));
        }
      }

      function choose(i) {
        results.textContent = "";
        var ll = L.latLng(data.xy[2 * i + 1] / 1e4, data.xy[2 * i] / 1e4);
        map.setView(ll, Math.max(map.getZoom(), 10));
        openPark(map, data, i);
      }

      var timer = null;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(show, 120);
      });
      input.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") return;
        var found = find(input.value.trim().toLowerCase());
        if (input.value.trim() && found.hits.length) choose(found.hits[0]);
      });
      return box;
    };
    return control.addTo(map);
  }

  function fullscreen(map) {
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var box = el("div", "leaflet-bar gp-fullscreen"), button = el("a");
      button.innerHTML = '<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">' +
        '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5" fill="none" stroke="#333" stroke-width="2"/></svg>';
      button.href = "#";
      button.title = "Full screen";
      button.setAttribute("role", "button");
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var page = map.getContainer();
        if (document.fullscreenElement) document.exitFullscreen();
        else if (page.requestFullscreen) page.requestFullscreen();
      });
      document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });
      L.DomEvent.disableClickPropagation(box);
      box.appendChild(button);
      return box;
    };
    return control.addTo(map);
  }

  window.geoparks = {
    esc: esc,
    readData: readData,
    KDTree: KDTree,
    ClusterIndex: ClusterIndex,
    ParkLayer: ParkLayer,
    linkLayer: linkLayer,
    polygonLayer: polygonLayer,
    legend: legend,
    search: search,
    fullscreen: fullscreen,
    openPark: openPark,
    maps: [],
  };
})();
