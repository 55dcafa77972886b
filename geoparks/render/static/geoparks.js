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
    var data = JSON.parse(document.getElementById(id).textContent), columns = data.columns;
    if (columns) {
      // A column's indices are unpacked when first read: most are read by popups, the
      // table or the filters only, after the first clusters are drawn.
      Object.keys(columns).forEach(function (name) {
        var column = columns[name];
        if (column && column.v) lazily(columns, name, function () { return unword(column); });
        else if (column && column.same) lazily(column, "i", function () { return columns[column.same].i; });
        else if (column && column.t && column.s !== undefined) lazily(column, "i", function () { return unpackColumn(column).i; });
        else columns[name] = unpackColumn(column);
      });
      if (columns.extra) columns.extra.columns = columns.extra.columns.map(unpackColumn);
    }
    if (data.points) data.points = unpackColumn(data.points);
    if (columns && columns.invest !== undefined) {
      // What popups and the table show of money and areas is written here from the numbers.
      columns.investment = { f: function (i) { return moneyText(cell(columns.invest, i), cell(columns.usd, i)); } };
      columns.output = { f: function (i) { return moneyText(cell(columns.output_num, i), null); } };
      columns.area = { f: function (i) { return areaText(cell(columns.area_num, i)); } };
    }
    return data;
  }

  /* Give `object[key]` its value when first read, from `unpacked()`. */
  function lazily(object, key, unpacked) {
    Object.defineProperty(object, key, {
      configurable: true,
      enumerable: true,
      get: function () {
        Object.defineProperty(object, key, { value: null, writable: true, enumerable: true });
        object[key] = unpacked();
        return object[key];
      }
    });
  }

  /* Texts written as their words' numbers ({v, j, s, w}: see geoparks.render.parks._worded). */
  function unword(column) {
    var codes = unpackColumn({ s: column.s, w: column.w, n: column.n, b: column.b, c: column.c });
    var vocabulary = column.v, texts = [], words = [];
    for (var p = 0; p < codes.length; p++) {
      var code = codes[p];
      if (code === 0) {
        texts.push(words === null ? null : words.join(column.j));
        words = [];
      } else if (code === 1) words = null;
      else words.push(vocabulary[code - 2]);
    }
    return texts;
  }

  /* Indices packed in a string ({s, w}: w base-91 characters each) become a typed array:
     {t, s, w} gets its `i`; a bare {s, w} (the kinds) becomes the array itself. Small
     indices come n to a character, in base b ({n, b, c}: c of them in all). */
  function unpackColumn(column) {
    if (!column || column.s === undefined) return column;
    var text = column.s, w = column.w, per = column.n || 1, base = column.b;
    var n = per > 1 ? column.c : text.length / w, out = new Uint32Array(n);
    for (var i = 0, p = 0; i < n; i += per) {
      var v = 0;
      for (var k = 0; k < w; k++, p++) {
        var c = text.charCodeAt(p);
        v = v * 91 + (c < 92 ? c - 35 : c - 36);
      }
      if (per === 1) out[i] = v;
      else {
        for (var j = per - 1; j >= 0; j--) {
          if (i + j < n) out[i + j] = v % base;
          v = Math.floor(v / base);
        }
      }
    }
    if (!column.t) return out;
    column.i = out;
    delete column.s;
    return column;
  }

  /* "5 billion yuan (US$723.57 million)", as geoparks.units.format_money writes amounts. */
  function moneyText(cny, usd) {
    function amount(v) {
      var scales = [["trillion", 1e12], ["billion", 1e9], ["million", 1e6]];
      for (var k = 0; k < scales.length; k++) {
        if (Math.abs(v) >= scales[k][1]) return digits(v / scales[k][1]) + " " + scales[k][0];
      }
      return digits(v);
    }
    function digits(v) { return String(Number(v.toPrecision(15))); }
    var text = cny === null || cny === undefined ? null : amount(cny) + " yuan";
    if (usd === null || usd === undefined) return text;
    return text ? text + " (US$" + amount(usd) + ")" : "US$" + amount(usd);
  }

  /* An area to four significant digits: 1,355 mu is 0.9033 km². */
  function areaText(km2) {
    return km2 === null || km2 === undefined ? null : String(Number(km2.toPrecision(4))) + " km²";
  }

  /* A column is null (all empty), a plain array, {t: table, i: 1-based indices, 0 empty},
     or {f: a function of the row} for what the page writes itself. */
  function cell(column, i) {
    if (!column) return null;
    if (column.f) return column.f(i);
    if (column.t) {
      var k = column.i[i];
      return k ? column.t[k - 1] : null;
    }
    return column[i];
  }

  /* Points as one Int32Array: longitude, latitude (times 10^4) of park i at 2i, 2i + 1.
     Distinct points come as {x0, y0, x, y}: each coordinate less the least, packed. */
  function unpackPoints(points) {
    if (!points) return new Int32Array(0); // no parks: an empty catalog
    if (points.x0 !== undefined) {
      var xs = unpackColumn(points.x), ys = unpackColumn(points.y), out = new Int32Array(2 * xs.length);
      for (var j = 0; j < xs.length; j++) {
        out[2 * j] = xs[j] + points.x0;
        out[2 * j + 1] = ys[j] + points.y0;
      }
      return out;
    }
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

  /* The distinct points of the parks, once per page: `of[i]` is park i's site, whose
     Mercator position is x[s], y[s]. Points that come as a table are its entries. */
  function sitesOf(points, xy) {
    var n = xy.length / 2, of = new Int32Array(n), m = 0, first = [], i;
    if (points && points.t) {
      for (i = 0; i < n; i++) of[i] = points.i[i] - 1;
      m = points.t.length;
      for (i = 0; i < m; i++) first.push(-1);
      for (i = 0; i < n; i++) if (first[of[i]] < 0) first[of[i]] = i;
    } else {
      var byKey = new Map();
      for (i = 0; i < n; i++) {
        var key = xy[2 * i] * 4e6 + xy[2 * i + 1], s = byKey.get(key);
        if (s === undefined) {
          byKey.set(key, (s = m++));
          first.push(i);
        }
        of[i] = s;
      }
    }
    var x = new Float64Array(m), y = new Float64Array(m);
    for (var s = 0; s < m; s++) {
      if (first[s] < 0) continue; // a table entry no park uses
      x[s] = mercX(xy[2 * first[s]] / 1e4);
      y[s] = mercY(xy[2 * first[s] + 1] / 1e4);
    }
    return { of: of, x: x, y: y };
  }

  /* Levels[z] holds the nodes shown at zoom z; level maxZoom + 1 holds the sites. A node
     has a weighted position, a park count, per-kind counts and its members one level up.
     `parks` are the indices of the parks clustered, `kinds` each park's kind. */
  function ClusterIndex(sites, parks, kinds, nKinds, options) {
    var radius = options.radius, maxZoom = options.maxZoom, n = parks.length;
    var local = new Int32Array(sites.x.length).fill(-1), siteOf = new Int32Array(n), nSites = 0;
    var sx = new Float64Array(n), sy = new Float64Array(n), sn = new Uint32Array(n);
    for (var i = 0; i < n; i++) {
      var g = sites.of[parks[i]], s = local[g];
      if (s < 0) {
        s = local[g] = nSites++;
        sx[s] = sites.x[g];
        sy[s] = sites.y[g];
      }
      siteOf[i] = s;
      sn[s]++;
    }
    sx = sx.subarray(0, nSites);
    sy = sy.subarray(0, nSites);
    sn = sn.subarray(0, nSites);
    var start = new Uint32Array(nSites + 1), members = new Uint32Array(n), fill = new Uint32Array(nSites);
    for (s = 0; s < nSites; s++) start[s + 1] = start[s] + sn[s];
    for (i = 0; i < n; i++) members[start[siteOf[i]] + fill[siteOf[i]]++] = i;
    var siteKinds = new Uint32Array(nSites * nKinds);
    for (i = 0; i < n; i++) siteKinds[siteOf[i] * nKinds + kinds[parks[i]]]++;

    this.sitePark = members;
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
    var m = prev.x.length, K = this.nKinds, seen = new Uint8Array(m), px = prev.x, py = prev.y, pn = prev.n;
    var x = new Float64Array(m), y = new Float64Array(m), cnt = new Uint32Array(m);
    var kinds = new Uint32Array(m * K), start = new Uint32Array(m + 1), members = new Uint32Array(m);
    var c = 0, filled = 0, pk = prev.kinds;
    for (var i = 0; i < m; i++) {
      if (seen[i]) continue;
      seen[i] = 1;
      var near = prev.tree.within(px[i], py[i], r);
      var w = pn[i], wx = px[i] * w, wy = py[i] * w, k;
      members[filled++] = i;
      for (k = 0; k < K; k++) kinds[c * K + k] = pk[i * K + k];
      for (var j = 0; j < near.length; j++) {
        var b = near[j];
        if (seen[b]) continue;
        seen[b] = 1;
        members[filled++] = b;
        w += pn[b];
        wx += px[b] * pn[b];
        wy += py[b] * pn[b];
        for (k = 0; k < K; k++) kinds[c * K + k] += pk[b * K + k];
      }
      x[c] = w === pn[i] ? px[i] : wx / w;
      y[c] = w === pn[i] ? py[i] : wy / w;
      cnt[c] = w;
      start[++c] = filled;
    }
    var level = {
      x: x.subarray(0, c), y: y.subarray(0, c), n: cnt.subarray(0, c), kinds: kinds.subarray(0, c * K),
      start: start.subarray(0, c + 1), members: members
    };
    // Nothing merged: the nodes stand where the previous level's did, in its order.
    level.tree = c === m ? prev.tree : new KDTree(level.x, level.y);
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

  /* The first park under node `id` of level z (its only one, for a node of one park). */
  ClusterIndex.prototype.first = function (z, id) {
    for (; z <= this.maxZoom; z++) id = this.levels[z].members[this.levels[z].start[id]];
    return this.sitePark[this.siteStart[id]];
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

  /* The popup's table: [field as the catalog names it, label, packed column]. */
  var POPUP_ROWS = [
    ["county", "County", "county"], ["city", "City", "city"], ["province", "Province", "province"],
    ["investment_cny", "Investment", "investment"], ["output_cny", "Output", "output"],
    ["area_km2", "Area", "area"], ["industries", "Industries", "industries"],
    ["partners", "Partners", "partners"], ["regions", "Regions", "regions"],
    ["established", "Established", "established"], ["precision", "Marker", "precision"],
  ];

  function parkPopup(data, i) {
    var c = data.columns, kindIndex = c.kind[i], html = [];
    var zh = cell(c.name_zh, i), name = cell(c.name, i);
    html.push('<div class="gp-popup"><h3>' + esc(name) + "</h3>");
    if (zh && zh !== name) html.push('<div class="gp-zh">' + esc(zh) + "</div>"); // not twice
    html.push(
      '<div class="gp-kind"><span class="gp-swatch" style="background:' +
        esc(data.kinds[kindIndex].color) + '"></span>' + esc(data.kinds[kindIndex].label) +
        (cell(c.status, i) ? " · " + esc(cell(c.status, i)) : "") + "</div><table>"
    );
    var chosen = c.popup; // the fields asked for (--popup-fields), in their order, or all
    function wanted(field) { return !chosen || chosen.indexOf(field) >= 0; }
    var rows = POPUP_ROWS.map(function (r) { return [r[0], r[1], c[r[2]]]; });
    var extra = c.extra || { labels: [], columns: [] };
    extra.labels.forEach(function (label, k) { rows.push([label, label, extra.columns[k]]); });
    if (chosen) {
      rows = chosen.map(function (field) {
        return rows.filter(function (r) { return r[0] === field; })[0];
      }).filter(Boolean);
    }
    rows.forEach(function (r) { html.push(row(r[1], cell(r[2], i))); });
    html.push("</table>");
    var source = wanted("source") && cell(c.source, i);
    if (source) {
      html.push('<div class="gp-source">Source: <cite>' + esc(source[0]) + "</cite>");
      if (source[1]) html.push(" (" + esc(source[1]) + ")");
      if (source[2] && /^https?:\/\//.test(source[2])) {
        html.push(' <a href="' + esc(source[2]) + '" target="_blank" rel="noopener noreferrer">link</a>');
      }
      html.push("</div>");
    }
    var evidence = wanted("evidence") && cell(c.evidence, i);
    if (evidence) html.push('<blockquote class="gp-evidence">' + esc(evidence) + "</blockquote>");
    var note = wanted("notes") && cell(c.note, i);
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
    map.fire("gp:listed", { parks: parks }); // the table marks and scrolls to them
  }

  /* ---- the clustered park layer ---- */

  /* Run `work` once the page has painted and is idle (within 200 ms); notIdle cancels it. */
  function whenIdle(work) {
    return window.requestIdleCallback ? requestIdleCallback(work, { timeout: 200 }) : setTimeout(work, 20);
  }
  function notIdle(handle) {
    if (window.cancelIdleCallback) cancelIdleCallback(handle);
    else clearTimeout(handle);
  }

  var ParkLayer = L.Layer.extend({
    initialize: function (data, options) {
      data.xy = unpackPoints(data.points);
      data.sites = sitesOf(data.points, data.xy);
      this.data = data;
      this.options = L.Util.extend({ radius: 40, maxZoom: 16 }, options);
      this.setFilter(null);
    },

    /* Show only the parks whose `keep[i]` is true (all for null): clusters are made anew. */
    setFilter: function (keep) {
      var data = this.data, n = data.xy.length / 2, ids = [];
      for (var i = 0; i < n; i++) if (!keep || keep[i]) ids.push(i);
      this.ids = ids;
      this.keep = keep;
      this.index = new ClusterIndex(data.sites, ids, data.columns.kind, data.kinds.length, this.options);
      if (data.links) data.links.setFilter(keep);
      this._update();
      this.fire("filter", { count: ids.length });
    },

    /* The parks (indices into the data) under node `id` of level z. */
    _parks: function (z, id) {
      var ids = this.ids;
      return this.index.parks(z, id).map(function (k) { return ids[k]; });
    },

    onAdd: function (map) {
      if (!map.getPane("gpClusters")) map.createPane("gpClusters").style.zIndex = 610;
      // Clusters and parks alone are drawn as one piece of HTML, their events taken by the
      // box that holds them: hundreds of Leaflet markers cost a zoom step several times more.
      this._box = L.DomUtil.create("div", "gp-clusters leaflet-zoom-hide", map.getPane("gpClusters"));
      L.DomEvent.on(this._box, "click", this._clicked, this);
      L.DomEvent.on(this._box, "mouseover", this._hovered, this);
      L.DomEvent.on(this._box, "mouseout", this._left, this);
      map.on("moveend", this._update, this);
      this._update();
    },

    onRemove: function (map) {
      map.off("moveend", this._update, this);
      notIdle(this._later);
      if (this._tip) map.closeTooltip(this._tip);
      L.DomUtil.remove(this._box);
      this._box = null;
    },

    parkCount: function () {
      return this.ids.length;
    },

    _update: function () {
      var map = this._map;
      if (!map) return;
      var z = Math.max(0, Math.min(this.index.maxZoom + 1, Math.floor(map.getZoom())));
      var level = this.index.levels[z], scale = map.options.crs.scale(map.getZoom());
      // The view and a cluster's width around it are drawn at once; a quarter of the view
      // more on each side, which a drag brings in, after the view is on the screen.
      var view = map.getPixelBounds(), w = view.max.x - view.min.x, h = view.max.y - view.min.y;
      var edge = this.options.radius, padX = w / 4, padY = h / 4;
      var ids = level.tree.range((view.min.x - padX) / scale, (view.min.y - padY) / scale,
        (view.max.x + padX) / scale, (view.max.y + padY) / scale);
      var near = [], later = [];
      for (var k = 0; k < ids.length; k++) {
        var px = level.x[ids[k]] * scale, py = level.y[ids[k]] * scale;
        var inside = px > view.min.x - edge && px < view.max.x + edge && py > view.min.y - edge && py < view.max.y + edge;
        (inside ? near : later).push(ids[k]);
      }
      if (this._tip) map.closeTooltip(this._tip);
      notIdle(this._later);
      this._shown = [];
      var points = [];
      if (this._box) this._box.innerHTML = this._nodes(z, near, points);
      map.getContainer().setAttribute("data-gp-nodes", String(near.length));
      clearLabels(map, points);
      if (!later.length) return;
      var self = this;
      this._later = whenIdle(function () {
        if (!self._box) return;
        self._box.insertAdjacentHTML("beforeend", self._nodes(z, later, []));
        map.getContainer().setAttribute("data-gp-nodes", String(near.length + later.length));
      });
    },

    /* HTML of nodes `ids` of level z, placed from the index's Mercator coordinates as Leaflet
       projects them, by 2D transforms (which give the browser no layer of its own to
       composite); their container points are added to `points`. */
    _nodes: function (z, ids, points) {
      var map = this._map, level = this.index.levels[z], data = this.data, shown = this._shown;
      var scale = map.options.crs.scale(map.getZoom()), origin = map.getPixelOrigin();
      var shift = map.layerPointToContainerPoint([0, 0]), html = [];
      for (var k = 0; k < ids.length; k++) {
        var id = ids[k];
        var ax = Math.round(level.x[id] * scale) - origin.x, ay = Math.round(level.y[id] * scale) - origin.y;
        if (level.n[id] === 1) { // a park alone: its kind's colour, its name on hover
          var park = this.ids[this.index.first(z, id)];
          html.push('<div class="gp-dot leaflet-interactive" data-k="' + shown.length +
            '" style="transform:translate(' + (ax - 7) + "px," + (ay - 7) +
            "px);background:" + data.kinds[data.columns.kind[park]].color + '"></div>');
          shown.push([z, id, park]);
        } else {
          var size = Math.round(26 + 7 * Math.log10(level.n[id]));
          html.push('<div class="gp-cluster leaflet-interactive" data-k="' + shown.length +
            '" style="width:' + size + "px;height:" + size + "px;line-height:" + size +
            "px;transform:translate(" + Math.round(ax - size / 2) + "px," +
            Math.round(ay - size / 2) + "px);background:" + this._ring(level, id) + '">' +
            level.n[id] + "</div>");
          shown.push([z, id]);
        }
        points.push({ x: ax + shift.x, y: ay + shift.y });
      }
      return html.join("");
    },

    /* Where node `id` of level z stands. */
    _latLng: function (z, id) {
      var level = this.index.levels[z];
      return L.latLng(unmercLat(level.y[id]), unmercLon(level.x[id]));
    },

    /* The cluster or park under a mouse event, as [z, id] (and the park), or null. */
    _target: function (event) {
      var el = event.target && event.target.closest ? event.target.closest(".gp-cluster, .gp-dot") : null;
      return el && this._box && this._box.contains(el) ? this._shown[+el.getAttribute("data-k")] : null;
    },

    _clicked: function (event) {
      var node = this._target(event), map = this._map;
      if (!node) return;
      L.DomEvent.stop(event); // the map must not take it for a click that closes popups
      if (node[2] !== undefined) return openPark(map, this.data, node[2]);
      var to = this.index.expansionZoom(node[0], node[1]), at = this._latLng(node[0], node[1]);
      if (to === null || to > map.getMaxZoom()) listPopup(map, this.data, this._parks(node[0], node[1]), at);
      else map.setView(at, Math.max(to, map.getZoom() + 1));
    },

    _hovered: function (event) {
      var node = this._target(event);
      if (!node) return;
      if (!this._tip) this._tip = L.tooltip({ direction: "top", offset: [0, -14], className: "gp-tip" });
      var text = node[2] !== undefined ? tooltipText(this.data, node[2]) : this._summary(this.index.levels[node[0]], node[1]);
      this._tip.setLatLng(this._latLng(node[0], node[1])).setContent(esc(text));
      this._map.openTooltip(this._tip);
    },

    _left: function (event) {
      var to = event.relatedTarget;
      if (this._tip && !(to && to.closest && to.closest(".gp-cluster, .gp-dot"))) this._map.closeTooltip(this._tip);
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

    /* A cluster's background: a white disc for its count over a ring of its kinds' colours. */
    _ring: function (level, id) {
      var rings = level.rings || (level.rings = new Map()), ring = rings.get(id);
      if (ring !== undefined) return ring;
      var K = this.index.nKinds, total = level.n[id], stops = [], at = 0;
      for (var k = 0; k < K; k++) {
        var v = level.kinds[id * K + k];
        if (!v) continue;
        var to = at + (360 * v) / total;
        stops.push(this.data.kinds[k].color + " " + at.toFixed(1) + "deg " + to.toFixed(1) + "deg");
        at = to;
      }
      ring = "radial-gradient(#fff 61%,transparent 62%),conic-gradient(" + stops.join(",") + ")";
      rings.set(id, ring);
      return ring;
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
    var group = L.featureGroup(), renderer = L.svg({ padding: 0.5 }), lines = [];
    group.setFilter = function (keep) {
      group.clearLayers();
      lines.forEach(function (pair) { if (!keep || keep[pair[0]]) group.addLayer(pair[1]); });
    };
    parkData.links = group;
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
      lines.push([i, line]);
    });
    group.setFilter(null);
    return group;
  }

  /* ---- polygon layers: choropleth, region outlines, countries ---- */

  /* Permanent labels (regions, countries) give way to the parks: one over a marker hides. */
  var placedLabels = [];

  function clearLabels(map, points) {
    if (!placedLabels.length) return;
    // Read where things are at the next frame, when the page lays itself out anyway:
    // reading it now would force a layout of every cluster just drawn.
    cancelAnimationFrame(clearLabels.frame);
    clearLabels.frame = requestAnimationFrame(function () { hideCovered(map, points); });
  }

  function hideCovered(map, points) {
    var box = map.getContainer().getBoundingClientRect();
    placedLabels.forEach(function (label) {
      var element = label.getElement && label.getElement();
      if (!element || !map.hasLayer(label)) return;
      var r = element.getBoundingClientRect(), pad = 16;
      var covers = points.some(function (p) {
        var x = p.x + box.left, y = p.y + box.top;
        return x > r.left - pad && x < r.right + pad && y > r.top - pad && y < r.bottom + pad;
      });
      element.style.visibility = covers ? "hidden" : "";
    });
  }

  /* Choropleths of park counts, recoloured when a filter changes what is shown. */
  var followers = [];

  function recount(parks) {
    var data = parks.data, counts = {};
    parks.ids.forEach(function (i) {
      var code = cell(data.columns.province_code, i);
      if (code) counts[code] = (counts[code] || 0) + 1;
    });
    followers.forEach(function (entry) {
      var f = entry.follow;
      entry.layer.eachLayer(function (path) {
        var k = path.feature.id, n = counts[f.codes[k]] || 0, c = 0;
        while (c < f.bounds.length - 1 && n > f.bounds[c]) c++;
        path.setStyle({ fillColor: n > 0 ? f.colors[c] : f.empty });
        var text = f.names[k] + ": " + (n > 0 ? n + (n === 1 ? " park" : " parks") : f.none);
        if (path.getTooltip()) path.setTooltipContent(esc(text));
      });
    });
  }

  /* GeoJSON features of a quantised TopoJSON topology's object "shapes". */
  function topologyFeatures(topology) {
    var t = topology.transform, arcs = topology.arcs.map(function (arc) {
      var x = 0, y = 0;
      return arc.map(function (d) {
        x += d[0]; y += d[1];
        return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]];
      });
    });
    function ring(refs) {  // arcs join end to start; ~k is arc k walked backwards
      var points = [];
      refs.forEach(function (k) {
        var arc = k < 0 ? arcs[~k].slice().reverse() : arcs[k];
        points.push.apply(points, points.length ? arc.slice(1) : arc);
      });
      return points;
    }
    function polygon(rings) { return rings.map(ring); }
    return topology.objects.shapes.geometries.map(function (g) {
      var coordinates = g.type === "MultiPolygon" ? g.arcs.map(polygon) : polygon(g.arcs || []);
      return { type: "Feature", id: g.id, properties: {}, geometry: { type: g.type, coordinates: coordinates } };
    });
  }

  /* options.features[feature.id] holds each feature's style, tooltip and label. */
  function polygonLayer(topology, options) {
    var extra = options.features || [];
    function props(feature) { return extra[feature.id] || {}; }
    var layer = L.geoJSON(topologyFeatures(topology), {
      style: function (feature) {
        return L.Util.extend({}, options.style, props(feature).style || {});
      },
      onEachFeature: function (feature, path) {
        var text = props(feature).tooltip;
        if (text) path.bindTooltip(function () { return esc(text); }, { sticky: true });
      },
    });
    if (options.follow) followers.push({ layer: layer, follow: options.follow });
    var labels = [];
    extra.forEach(function (p) {
      if (!p.label) return;
      labels.push(
        L.tooltip({ permanent: true, direction: p.label_side || "center", className: "gp-label " + (options.labelClass || "") })
          .setLatLng([p.label_at[1], p.label_at[0]])
          .setContent(esc(p.label))
      );
    });
    placedLabels.push.apply(placedLabels, labels);
    return labels.length ? L.featureGroup([layer].concat(labels)) : layer;
  }

  /* ---- controls: legend, search, fullscreen ---- */

  function legend(map, spec, layer) {
    var control = L.control({ position: spec.position || "bottomright" });
    control.onAdd = function () {
      var box = el("details", "gp-legend leaflet-bar"), title = el("summary");
      title.appendChild(el("h4", null, spec.title));
      box.appendChild(title);
      box.open = !narrow();
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

  /* Text as search compares it: no accents, case, spaces, hyphens or apostrophes. */
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/[\s\-'’_.,()（）]+/g, "");
  }

  /* Whether two words differ by at most one letter added, dropped or changed. */
  function nearly(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0, j = 0, edits = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (a.length > b.length) i++;
      else if (b.length > a.length) j++;
      else { i++; j++; }
    }
    return edits + (a.length - i) + (b.length - j) <= 1;
  }

  var SEARCHED = ["name", "name_zh", "city", "county", "province", "industries"];

  /* Parks whose name, place or industries hold the query; one typo is forgiven in words. */
  function findParks(data, query, index) {
    var q = fold(query), hits = [], fuzzy = [];
    if (!q) return [];
    for (var i = 0; i < index.length; i++) {
      if (index[i].text.indexOf(q) >= 0) hits.push(i);
      else if (q.length >= 4 && /^[a-z0-9]+$/.test(q) && index[i].words.some(function (w) {
        return nearly(w, q);
      })) fuzzy.push(i);
    }
    return hits.length ? hits : fuzzy;
  }

  function searchIndex(data) {
    var index = [];
    for (var i = 0; i < data.xy.length / 2; i++) {
      var fields = SEARCHED.map(function (column) { return cell(data.columns[column], i) || ""; });
      var words = [];
      fields.forEach(function (field) {
        String(field).split(/[\s;,/]+/).forEach(function (w) { if (w) words.push(fold(w)); });
      });
      index.push({ text: fields.map(fold).join("\n"), words: words });
    }
    return index;
  }

  function search(map, data, parks) {
    var control = L.control({ position: "topleft" }), index = null;
    control.query = "";
    control.onAdd = function () {
      var box = el("div", "gp-search leaflet-bar"), input = el("input"), results = el("ul");
      input.type = "search";
      input.placeholder = "Search parks, places, industries";
      input.setAttribute("aria-label", "Search parks by name, city, province or industry");
      box.appendChild(input);
      box.appendChild(results);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);

      function find(query) {
        if (!index) index = searchIndex(data);
        var shown = parks && parks.keep, all = findParks(data, query, index).filter(function (i) {
          return !shown || shown[i];
        });
        return { hits: all.slice(0, 12), total: all.length };
      }

      function show() {
        results.textContent = "";
        control.query = input.value.trim();
        if (control.onQuery) control.onQuery(control.query);
        if (!control.query) return;
        var found = find(control.query);
        found.hits.forEach(function (i) {
          var item = el("li", "gp-hit"), zh = cell(data.columns.name_zh, i);
          item.tabIndex = 0;
          item.appendChild(el("span", null, cell(data.columns.name, i)));
          if (zh) item.appendChild(el("span", "gp-zh", " " + zh));
          var city = cell(data.columns.city, i);
          if (city) item.appendChild(el("span", "gp-where", " · " + city));
          item.addEventListener("click", function (event) {
            L.DomEvent.stop(event); // the item is gone before the map could see it is ours
            choose(i);
          });
          item.addEventListener("keydown", function (event) {
            if (event.key === "Enter") choose(i);
            else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
              event.preventDefault();  // step through the results, back up to the box
              var next = event.key === "ArrowDown" ? item.nextElementSibling : item.previousElementSibling;
              if (next && next.classList.contains("gp-hit")) next.focus();
              else if (event.key === "ArrowUp") input.focus();
            } else if (event.key === "Escape") {
              results.textContent = "";
              input.focus();
            }
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
        if (control.onChoose) control.onChoose(data.columns.id[i]);
        else {
          var ll = L.latLng(data.xy[2 * i + 1] / 1e4, data.xy[2 * i] / 1e4);
          map.setView(ll, Math.max(map.getZoom(), 10));
          openPark(map, data, i);
        }
      }

      control.run = function (query) {
        input.value = query;
        show();
      };

      var timer = null;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(show, 120);
      });
      input.addEventListener("keydown", function (event) {
        if (event.key === "ArrowDown" && results.querySelector(".gp-hit")) {
          event.preventDefault();
          results.querySelector(".gp-hit").focus();
        }
        if (event.key !== "Enter") return;
        var found = find(input.value.trim());
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


  /* ---- filters: a spec maps a column to the values kept, or a [min, max] range ---- */

  var RANGES = { established: "year", year: "year", investment: "invest", investment_cny: "invest" };

  /* The value of a column for park i, as filters and the table compare it. */
  function valueOf(data, column, i) {
    var c = data.columns;
    if (column === "kind") return data.kinds[c.kind[i]].key;
    if (RANGES[column]) return cell(c[RANGES[column]], i);
    if (c[column] !== undefined && column !== "extra") {
      var v = cell(c[column], i);
      return column in PLACES && v ? v.split(" ")[0] : v;
    }
    var extra = c.extra || { labels: [], columns: [] }, k = extra.labels.indexOf(column);
    return k >= 0 ? cell(extra.columns[k], i) : null;
  }
  var PLACES = { county: 1, city: 1, province: 1 };

  /* Which parks a spec keeps: null when the spec keeps everything. */
  function mask(data, spec) {
    var keys = Object.keys(spec || {}).filter(function (k) { return spec[k] !== null; });
    if (!keys.length) return null;
    var n = data.xy.length / 2, keep = new Uint8Array(n);
    for (var i = 0; i < n; i++) {
      keep[i] = keys.every(function (key) {
        var want = spec[key], v = valueOf(data, key, i);
        if (RANGES[key]) {
          if (v === null || v === undefined) return false;
          return (want[0] === null || v >= want[0]) && (want[1] === null || v <= want[1]);
        }
        return want.indexOf(v === null || v === undefined ? "" : String(v)) >= 0;
      }) ? 1 : 0;
    }
    return keep;
  }

  /* Columns worth a filter: the catalog's categories, and the user's with few values. */
  function facets(data) {
    var n = data.xy.length / 2, out = [];
    function counts(column) {
      var seen = {};
      for (var i = 0; i < n; i++) {
        var v = valueOf(data, column, i);
        v = v === null || v === undefined ? "" : String(v);
        seen[v] = (seen[v] || 0) + 1;
      }
      return seen;
    }
    ["kind", "status", "province"].concat((data.columns.extra || { labels: [] }).labels)
      .forEach(function (column) {
        var seen = counts(column), values = Object.keys(seen);
        if (values.length < 2 && column !== "kind") return;
        if (values.length > 40 || (column !== "province" && values.length > 12 && out.length > 2)) return;
        values.sort(function (a, b) { return seen[b] - seen[a] || (a < b ? -1 : 1); });
        out.push({ column: column, values: values, counts: seen });
      });
    return out;
  }

  function facetLabel(data, column, value) {
    if (column === "kind") {
      var kind = data.kinds.filter(function (k) { return k.key === value; })[0];
      return kind ? kind.label : value;
    }
    return value === "" ? "(none)" : value;
  }

  /* A collapsible panel of filters; `onChange(spec)` is called with what is ticked. */
  function filterPanel(map, data, onChange) {
    var control = L.control({ position: "topright" }), inputs = {}, ranges = {}, built = false;
    var wanted = {}; // the spec to show once the panel is built
    control.onAdd = function () {
      var box = el("details", "gp-filters leaflet-bar"), summary = el("summary", null, "Filter parks");
      box.appendChild(summary);
      var count = el("div", "gp-count");
      box.appendChild(count);
      // What the panel lists (the kinds and their counts...) is worked out when it is first
      // opened, not before the first clusters are drawn.
      box.addEventListener("toggle", function () { if (box.open && !built) build(box, count); });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      control.box = box;
      return box;
    };
    function build(box, count) {
      built = true;
      facets(data).forEach(function (facet) {
        var group = el("fieldset", "gp-facet");
        group.appendChild(el("legend", null, facet.column.replace(/_/g, " ")));
        inputs[facet.column] = [];
        facet.values.forEach(function (value) {
          var label = el("label"), box2 = el("input");
          box2.type = "checkbox";
          box2.value = value;
          box2.addEventListener("change", changed);
          label.appendChild(box2);
          label.appendChild(document.createTextNode(" " + facetLabel(data, facet.column, value) +
            " (" + facet.counts[value] + ")"));
          group.appendChild(label);
          inputs[facet.column].push(box2);
        });
        box.appendChild(group);
      });
      var years = range("established", "year established", 1);
      var span = knownYears();
      if (span.length) years.appendChild(slider(span[0], span[span.length - 1]));
      var play = el("button", "gp-play", "▶ Play years");
      play.type = "button";
      play.title = "Show the parks appearing year by year";
      play.addEventListener("click", function () { toggle(play); });
      years.appendChild(play);
      box.appendChild(years);
      box.appendChild(range("investment_cny", "investment, billion yuan", 1e9));
      var clear = el("button", "gp-clear", "Clear filters");
      clear.type = "button";
      clear.addEventListener("click", function () { set({}); changed(); });
      box.appendChild(clear);
      box.appendChild(count); // last, under the controls
      set(wanted);
    }
    /* From and to boxes for a range column, in units of `scale` (1e9: billions). */
    function range(column, title, scale) {
      var group = el("fieldset", "gp-facet");
      group.appendChild(el("legend", null, title));
      ranges[column] = { scale: scale, inputs: [] };
      ["from", "to"].forEach(function (side) {
        var label = el("label", null, side + " "), input = el("input");
        input.type = "number";
        input.step = "any";
        input.setAttribute("aria-label", title + ", " + side);
        input.className = "gp-" + column + "-" + side;
        input.addEventListener("change", changed);
        label.appendChild(input);
        group.appendChild(label);
        ranges[column].inputs.push(input);
      });
      return group;
    }
    /* The years some park was established in, sorted. */
    function knownYears() {
      var known = [];
      for (var i = 0; i < data.xy.length / 2; i++) {
        var y = cell(data.columns.year, i);
        if (y !== null && y !== undefined) known.push(y);
      }
      return known.sort(function (a, b) { return a - b; });
    }
    /* Two sliders, from and to, over the years established; they move the year boxes. */
    function slider(first, last) {
      var group = el("div", "gp-slider"), boxes = ranges.established.inputs, pending = false;
      var ends = ["from", "to"].map(function (side, k) {
        var input = el("input");
        input.type = "range";
        input.min = first;
        input.max = last;
        input.step = 1;
        input.value = k ? last : first;
        input.className = "gp-year-" + side;
        input.setAttribute("aria-label", "year established, " + side);
        input.addEventListener("input", function () {
          var a = +ends[0].value, b = +ends[1].value;
          if (a > b) (k ? ends[0] : ends[1]).value = k ? b : a;  // the ends never cross
          boxes[0].value = +ends[0].value > first ? ends[0].value : "";
          boxes[1].value = +ends[1].value < last ? ends[1].value : "";
          if (!pending) {
            pending = true;
            requestAnimationFrame(function () { pending = false; changed(); });
          }
        });
        group.appendChild(input);
        return input;
      });
      group.appendChild(el("span", "gp-slider-label", first + "–" + last));
      ranges.established.slider = { ends: ends, first: first, last: last };
      return group;
    }
    function syncSlider() {
      var s = ranges.established && ranges.established.slider;
      if (!s) return;
      var boxes = ranges.established.inputs;
      s.ends[0].value = boxes[0].value === "" ? s.first : boxes[0].value;
      s.ends[1].value = boxes[1].value === "" ? s.last : boxes[1].value;
    }
    function read() {
      var spec = {};
      Object.keys(inputs).forEach(function (column) {
        var ticked = inputs[column].filter(function (b) { return b.checked; })
          .map(function (b) { return b.value; });
        if (ticked.length) spec[column] = ticked;
      });
      Object.keys(ranges).forEach(function (column) {
        var r = ranges[column], bounds = r.inputs.map(function (input) {
          var v = parseFloat(input.value);
          return isNaN(v) ? null : v * r.scale;
        });
        if (bounds[0] !== null || bounds[1] !== null) spec[column] = bounds;
      });
      return spec;
    }
    function set(spec) {
      wanted = spec || {};
      if (!built) return;
      Object.keys(inputs).forEach(function (column) {
        inputs[column].forEach(function (b) { b.checked = !!(spec[column] && spec[column].indexOf(b.value) >= 0); });
      });
      Object.keys(ranges).forEach(function (column) {
        var r = ranges[column], bounds = spec[column] || [null, null];
        r.inputs.forEach(function (input, k) {
          input.value = bounds[k] === null || bounds[k] === undefined ? "" : bounds[k] / r.scale;
        });
      });
      syncSlider();
    }
    function changed() { syncSlider(); onChange(read()); }
    var timer = null;
    function stop(button) {
      clearInterval(timer);
      timer = null;
      button.textContent = "▶ Play years";
    }
    /* Step the "to" year from the first year established to the last, a year at a time. */
    function toggle(button) {
      if (timer) return stop(button);
      var known = knownYears();
      if (!known.length) return;
      var year = known[0], last = known[known.length - 1];
      var years = ranges.established.inputs;
      years[0].value = "";
      button.textContent = "■ Stop";
      function step() {
        years[1].value = year;
        changed();
        if (++year > last) stop(button);
      }
      timer = setInterval(step, 700);
      step();
    }
    control.set = set;
    control.addTo(map);
    return control;
  }

  /* ---- the table of the parks shown: sortable, linked to the map, downloadable ---- */

  var TABLE_COLUMNS = [
    ["name", "Name"], ["city", "City"], ["province", "Province"], ["kind", "Kind"],
    ["year", "Year"], ["invest", "Investment"], ["area_num", "Area"],
  ];

  function tableValue(data, column, i) {
    if (column === "kind") return data.kinds[data.columns.kind[i]].label;
    if (column === "city" || column === "province") {
      var v = cell(data.columns[column], i);
      return v ? v.split(" ")[0] : "";
    }
    if (column === "invest") return cell(data.columns.invest, i);
    return cell(data.columns[column], i);
  }

  function tableText(data, column, i) {
    if (column === "invest") return cell(data.columns.investment, i) || "";
    if (column === "area_num") return cell(data.columns.area, i) || "";
    var v = tableValue(data, column, i);
    return v === null || v === undefined ? "" : String(v);
  }

  /* What is shown: the parks kept by the filter whose point lies in the map's view. */
  function shownParks(entry) {
    var data = entry.parks.data, b = entry.map.getBounds(), out = [];
    entry.parks.ids.forEach(function (i) {
      if (b.contains([data.xy[2 * i + 1] / 1e4, data.xy[2 * i] / 1e4])) out.push(i);
    });
    return out;
  }

  function download(name, type, text) {
    var link = el("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }

  var EXPORTED = ["id", "name", "name_zh", "kind", "status", "county", "city", "province", "established",
    "investment_cny", "area_km2", "industries"];

  function exported(data, i) {
    var row = {};
    EXPORTED.forEach(function (column) {
      if (column === "investment_cny") row[column] = cell(data.columns.invest, i);
      else if (column === "area_km2") row[column] = cell(data.columns.area_num, i);
      else if (column === "kind") row[column] = data.kinds[data.columns.kind[i]].key;
      else row[column] = valueOf(data, column, i);
      if (row[column] === undefined) row[column] = null;
    });
    return row;
  }

  function asCsv(data, parks) {
    function quote(v) {
      if (v === null || v === undefined) return "";
      var text = String(v);
      if (/^[=+\-@\t\r]/.test(text) && !/^[+-]?\d/.test(text)) text = "'" + text; // no formulas
      return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    }
    var lines = [EXPORTED.concat(["lon", "lat"]).join(",")];
    parks.forEach(function (i) {
      var row = exported(data, i);
      lines.push(EXPORTED.map(function (c) { return quote(row[c]); })
        .concat([data.xy[2 * i] / 1e4, data.xy[2 * i + 1] / 1e4]).join(","));
    });
    return lines.join("\n") + "\n";
  }

  function asGeoJson(data, parks) {
    return JSON.stringify({
      type: "FeatureCollection",
      features: parks.map(function (i) {
        return {
          type: "Feature", id: data.columns.id[i],
          geometry: { type: "Point", coordinates: [data.xy[2 * i] / 1e4, data.xy[2 * i + 1] / 1e4] },
          properties: exported(data, i),
        };
      }),
    });
  }

  /* A collapsible table of the parks shown, kept up to date as the map moves or filters. */
  function parkTable(entry, onChoose) {
    var map = entry.map, data = entry.parks.data, control = L.control({ position: "bottomleft" });
    var sortBy = "name", ascending = true;
    control.onAdd = function () {
      var box = el("details", "gp-table leaflet-bar"), summary = el("summary", null, "Table of parks shown");
      var tools = el("div", "gp-table-tools"), scroller = el("div", "gp-table-scroll"), table = el("table");
      box.appendChild(summary);
      [["CSV", "csv"], ["GeoJSON", "geojson"]].forEach(function (pair) {
        var button = el("button", "gp-download-" + pair[1], "Download " + pair[0]);
        button.type = "button";
        button.addEventListener("click", function () {
          var parks = shownParks(entry);
          if (pair[1] === "csv") download("parks-shown.csv", "text/csv;charset=utf-8", asCsv(data, parks));
          else download("parks-shown.geojson", "application/geo+json", asGeoJson(data, parks));
        });
        tools.appendChild(button);
      });
      box.appendChild(tools);
      scroller.appendChild(table);
      box.appendChild(scroller);
      /* Only the rows in view (and a few around) are in the page: spacers stand for the
         others, so the table scrolls through 100,000 parks as through 20. */
      var sorted = [], listed = {}, ROW = 21, AROUND = 12, body = el("tbody"), drawn = [0, 0];
      var waiting = false;
      function render() {
        if (!box.open) return;
        sorted = shownParks(entry);
        sorted.sort(function (a, b) {
          var x = tableValue(data, sortBy, a), y = tableValue(data, sortBy, b);
          if (x === null || x === undefined || x === "") return 1;
          if (y === null || y === undefined || y === "") return -1;
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        table.textContent = "";
        var head = el("thead"), line = el("tr");
        TABLE_COLUMNS.forEach(function (pair) {
          var th = el("th", null, pair[1] + (pair[0] === sortBy ? (ascending ? " ▲" : " ▼") : ""));
          th.tabIndex = 0;
          th.setAttribute("data-column", pair[0]);
          th.setAttribute("aria-sort", pair[0] !== sortBy ? "none" : ascending ? "ascending" : "descending");
          function sort(event) {
            if (event) L.DomEvent.stop(event);
            ascending = pair[0] === sortBy ? !ascending : true;
            sortBy = pair[0];
            render();
          }
          th.addEventListener("click", sort);
          th.addEventListener("keydown", function (event) { if (event.key === "Enter") sort(); });
          line.appendChild(th);
        });
        head.appendChild(line);
        table.appendChild(head);
        table.appendChild(body);
        summary.textContent = "Table of parks shown (" + sorted.length + ")";
        draw();
      }
      function spacer(height) {
        var tr = el("tr", "gp-spacer"), td = el("td");
        td.colSpan = TABLE_COLUMNS.length;
        td.style.height = height + "px";
        td.style.padding = "0";
        td.style.border = "none";
        tr.appendChild(td);
        return tr;
      }
      function row(i, k) {
        var tr = el("tr", "gp-row" + (listed[i] ? " gp-listed" : ""));
        tr.tabIndex = 0;
        TABLE_COLUMNS.forEach(function (pair) { tr.appendChild(el("td", null, tableText(data, pair[0], i))); });
        tr.setAttribute("data-park", i);
        tr.setAttribute("data-k", k);
        function choose(event) {
          if (event) L.DomEvent.stop(event); // the row is redrawn before the map sees it is ours
          onChoose(data.columns.id[i]);
        }
        tr.addEventListener("click", choose);
        tr.addEventListener("keydown", function (event) {
          if (event.key === "Enter") choose();
          else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            event.preventDefault();
            focusRow(k + (event.key === "ArrowDown" ? 1 : -1));
          }
        });
        return tr;
      }
      function draw() {
        var height = scroller.clientHeight > ROW ? scroller.clientHeight : 240;
        var first = Math.max(0, Math.floor(scroller.scrollTop / ROW) - AROUND);
        var last = Math.min(sorted.length, first + Math.ceil(height / ROW) + 2 * AROUND);
        var focused = body.contains(document.activeElement) ? document.activeElement.getAttribute("data-k") : null;
        body.textContent = "";
        body.appendChild(spacer(first * ROW));
        for (var k = first; k < last; k++) body.appendChild(row(sorted[k], k));
        body.appendChild(spacer((sorted.length - last) * ROW));
        drawn = [first, last];
        if (focused !== null) {  // the row with the keyboard focus keeps it as rows are redrawn
          var again = body.querySelector('tr[data-k="' + focused + '"]');
          if (again) again.focus({ preventScroll: true });
        }
      }
      /* Bring row k into view and give it the keyboard focus. */
      function focusRow(k) {
        if (k < 0 || k >= sorted.length) return;
        var top = k * ROW, view = scroller.clientHeight > ROW ? scroller.clientHeight : 240;
        if (top < scroller.scrollTop) scroller.scrollTop = top;
        else if (top + 2 * ROW > scroller.scrollTop + view) scroller.scrollTop = top + 2 * ROW - view;
        if (k < drawn[0] || k >= drawn[1]) draw();
        var tr = body.querySelector('tr[data-k="' + k + '"]');
        if (tr) tr.focus();
      }
      scroller.addEventListener("scroll", function () {
        if (waiting) return;
        waiting = true;
        requestAnimationFrame(function () {
          waiting = false;
          var first = Math.max(0, Math.floor(scroller.scrollTop / ROW) - AROUND);
          if (first !== drawn[0]) draw();  // a redraw only when other rows come into view
        });
      });
      box.addEventListener("toggle", render);
      map.on("gp:listed", function (event) {
        if (!box.open) return;
        listed = {};
        event.parks.forEach(function (i) { listed[i] = true; });
        var at = sorted.length ? Math.min.apply(null, event.parks.map(function (i) {
          var k = sorted.indexOf(i);
          return k < 0 ? Infinity : k;
        })) : Infinity;
        if (at !== Infinity) scroller.scrollTop = Math.max(0, at * ROW - ROW);
        draw();
      });
      map.on("moveend", render);
      entry.parks.on("filter", render);
      control.render = render;
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
    return control;
  }

  /* ---- the page: filters, selection and the URL hash that holds them ---- */

  function Page(entry) {
    this.entry = entry;
    this.spec = {};
    this.selected = null;
    this.query = "";
    var self = this, data = entry.parks.data;
    this.panel = filterPanel(entry.map, data, function (spec) { self.filter(spec, true); });
    this.table = parkTable(entry, function (id) { self.select(id); });
    entry.parks.on("filter", function (event) {
      recount(entry.parks);
      var box = self.panel.box;
      if (box) box.querySelector(".gp-count").textContent = event.count + " of " + data.xy.length / 2 + " parks shown";
    });
    // A view is written into the URL once the map rests: not on the way, where it would
    // cost every zoom step a few milliseconds (and Safari refuses 100 writes in 30 s).
    entry.map.on("moveend", function () {
      clearTimeout(self._resting);
      self._resting = setTimeout(function () { self._save(false); }, 300);
    });
    window.addEventListener("hashchange", function () { self.load(); });
  }

  Page.prototype.filter = function (spec, fromPanel) {
    this.spec = spec || {};
    var data = this.entry.parks.data;
    this.entry.parks.setFilter(mask(data, this.spec));
    if (!fromPanel) this.panel.set(this.spec);
    this._save(true);
    return this.count();
  };

  Page.prototype.count = function () { return this.entry.parks.parkCount(); };

  Page.prototype.select = function (id) {
    var data = this.entry.parks.data, i = data.columns.id.indexOf(id);
    if (i < 0) return false;
    var map = this.entry.map, ll = L.latLng(data.xy[2 * i + 1] / 1e4, data.xy[2 * i] / 1e4);
    map.setView(ll, Math.max(map.getZoom(), 10), { animate: false });
    openPark(map, data, i);
    this.selected = id;
    this._save(true);
    return true;
  };

  Page.prototype.state = function () {
    var map = this.entry.map, center = map.getCenter();
    return {
      view: [map.getZoom(), +center.lat.toFixed(4), +center.lng.toFixed(4)],
      filter: this.spec,
      park: this.selected,
      search: this.query,
    };
  };

  Page.prototype._save = function (push) {
    if (this._loading) return;
    clearTimeout(this._resting);
    var state = this.state(), parts = ["map=" + state.view.join("/")];
    if (Object.keys(state.filter).length) parts.push("filter=" + encodeURIComponent(JSON.stringify(state.filter)));
    if (state.park) parts.push("park=" + encodeURIComponent(state.park));
    if (state.search) parts.push("q=" + encodeURIComponent(state.search));
    var hash = "#" + parts.join("&");
    if (hash === location.hash) return;
    try {
      if (push) history.pushState(null, "", hash);
      else history.replaceState(null, "", hash);
    } catch (e) {
      // a notebook's frame (about:srcdoc) has no address of its own: state() alone holds it
    }
  };

  Page.prototype.load = function () {
    var fields = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var at = part.indexOf("=");
      if (at > 0) fields[part.slice(0, at)] = decodeURIComponent(part.slice(at + 1));
    });
    this._loading = true;
    try {
      var spec = {};
      try { spec = fields.filter ? JSON.parse(fields.filter) : {}; } catch (e) { spec = {}; }
      if (!fields.filter && !this._started && this.entry.initial) spec = this.entry.initial.filter || {};
      this._started = true;
      if (JSON.stringify(spec) !== JSON.stringify(this.spec)) this.filter(spec);
      var view = (fields.map || "").split("/").map(Number);
      if (view.length === 3 && view.every(isFinite)) this.entry.map.setView([view[1], view[2]], view[0], { animate: false });
      if (fields.q !== undefined && this.entry.search) this.entry.search.run(fields.q);
      if (fields.park && fields.park !== this.selected) this.select(fields.park);
      if (!fields.park) this.selected = null;
    } finally {
      this._loading = false;
    }
  };

  function narrow() { return window.innerWidth < 700; }

  /* The layer control folds behind a "Layers" button, folded at first on a narrow screen. */
  function foldLayers(map) {
    var box = map.getContainer().querySelector(".leaflet-control-layers");
    if (!box || box.querySelector(".gp-toggle")) return;
    var button = el("button", "gp-toggle", "Layers");
    button.type = "button";
    function fold(folded) {
      box.classList.toggle("gp-folded", folded);
      button.setAttribute("aria-expanded", String(!folded));
    }
    button.addEventListener("click", function (event) {
      L.DomEvent.stop(event);
      fold(!box.classList.contains("gp-folded"));
    });
    box.insertBefore(button, box.firstChild);
    fold(narrow() || covers(box));
    var filters = map.getContainer().querySelector(".gp-filters");
    if (filters) filters.addEventListener("toggle", function () {  // opened, it pushes the layers down
      if (filters.open && covers(box)) fold(true);
    });
  }

  /* Whether a top-right control reaches down over the bottom-right ones (a short window). */
  function covers(box) {
    var below = box.closest(".leaflet-container").querySelectorAll(".leaflet-bottom.leaflet-right .leaflet-control");
    var bottom = box.getBoundingClientRect().bottom;
    return Array.prototype.some.call(below, function (control) {
      return control.getBoundingClientRect().top < bottom;
    });
  }

  /* Make a map's page: its filters, search and selection, kept in the URL hash. */
  function start(entry) {
    window.geoparks.maps.push(entry);
    var page = (entry.page = new Page(entry));
    if (entry.search) {
      entry.search.onChoose = function (id) { page.select(id); };
      entry.search.onQuery = function (query) {
        page.query = query;
        page._save(false);
      };
    }
    setTimeout(function () { // after the view and the layer control are made
      foldLayers(entry.map);
      page.load();
    }, 0);
    return page;
  }

  function first() {
    var entry = window.geoparks.maps[0];
    if (!entry) throw new Error("geoparks: no map on this page");
    return entry.page;
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
    start: start,
    maps: [],
    /* The page API (documented in the README): filter, count, select, state. */
    filter: function (spec) {
      window.geoparks.maps.forEach(function (entry) { entry.page.filter(spec || {}); });
      return first().count();
    },
    count: function () { return first().count(); },
    select: function (id) { return first().select(id); },
    state: function () { return first().state(); },
  };
})();
