// The 一张图 map. Every layer is a declaration: the base layers below, and each capability's from the
// <script type="application/json" class="map-layers"> block of its map_layers.html (drawn by
// map-layers.js). The shell loads them, groups them in one layer panel, says on the map when one fails
// (with a retry), and offers the base maps the deployment configured (#map-config).
window.YingjiMap = (function () {
  const el = document.getElementById("map");
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const kit = window.YingjiLayerKit, coords = window.YingjiCoords;
  const narrow = window.innerWidth < 700;
  const GROUPS = { base: "底图与基础", risk: "风险", monitoring: "监测", warnings: "预警", resources: "应急资源" };
  const PREFS_KEY = "yingji.map.v1";
  const prefs = (function () { try { return JSON.parse(localStorage.getItem(PREFS_KEY)) || {}; } catch (e) { return {}; } })();
  prefs.layers = prefs.layers || {};
  function savePrefs() { try { localStorage.setItem(PREFS_KEY, JSON.stringify(prefs)); } catch (e) { /* private mode */ } }

  const map = L.map(el, { zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix(false).addAttribution("区界：cnmaps（高德数据，已转 WGS84）；镇村边界为示意");
  map.setView([24.25, 109.3], 10);

  // --- coordinates: data are WGS84; a GCJ-02 base map moves them onto itself -------------------------
  let crs = "wgs84";
  function toLatLng(lon, lat) {
    if (crs === "gcj02") { const g = coords.wgs84ToGcj02(lon, lat); return L.latLng(g[1], g[0]); }
    return L.latLng(lat, lon);
  }
  function toWgs(latlng) {
    if (crs === "gcj02") { const w = coords.gcj02ToWgs84(latlng.lng, latlng.lat); return { lon: w[0], lat: w[1] }; }
    return { lon: latlng.lng, lat: latlng.lat };
  }

  // --- the base layers, declared like any capability's -----------------------------------------------
  function boundary(level, name, style, visible) {
    return { id: "base." + level, name: name, visible: visible, url: "/api/v1/geo/boundaries?level=" + level,
      style: style, className: level + "-outline", tooltip: "{name}{approximate|yesno:（示意）}",
      popup: { title: "{name}", lines: ["代码：{code}", "人口：{population|num}"] } };
  }
  const baseSpec = { capability: "base", group: "base", layers: [
    boundary("district", "区界", { color: "#c0392b", weight: 3, fill: false }, true),
    boundary("township", "镇（街道）", { color: "#2c3e50", weight: 1.6, fillColor: "#ecf0f1", fillOpacity: 0.35 }, true),
    boundary("village", "村（社区）", { color: "#7f8c8d", weight: 0.8, dashArray: "3 3", fill: false }, true),
    boundary("grid", "网格", { color: "#95a5a6", weight: 0.5, dashArray: "1 3", fill: false }, false),
    { id: "base.labels", name: "镇村名称", visible: true, render: "labels",
      urls: ["/api/v1/geo/boundaries?level=township", "/api/v1/geo/boundaries?level=village"] },
    { id: "base.rivers", name: "河流水系", visible: true, url: "/api/v1/geo/lines/river.geojson", className: "river-line",
      style: { color: "#3498db", weight: 2.5, opacity: 0.8 }, tooltip: "{name}", popup: { title: "{name}", lines: ["来源：{source}"] } },
    { id: "base.roads", name: "道路", visible: false, url: "/api/v1/geo/lines/road.geojson", className: "road-line road-{kind}",
      style: { color: { by: "kind", map: { primary: "#e67e22", trunk: "#d35400", secondary: "#f0b27a" }, default: "#bbb" },
               weight: { by: "kind", map: { primary: 3, trunk: 3.5, secondary: 2 }, default: 1 }, opacity: 0.8 },
      popup: { title: "{name}", lines: ["道路等级：{kind}", "来源：{source}"] } },
  ] };
  const specs = [baseSpec].concat(Array.from(document.querySelectorAll("script.map-layers")).map((s) => JSON.parse(s.textContent)));

  // --- layer registry and loading ----------------------------------------------------------------------
  const entries = new Map();
  const filters = {};  // capability -> {param: value}
  for (const spec of specs) {
    filters[spec.capability] = {};
    for (const def of spec.layers || []) {
      const visible = def.id in prefs.layers ? prefs.layers[def.id] : def.visible !== false;
      entries.set(def.id, { def: def, spec: spec, group: def.group || spec.group || spec.capability, visible: visible,
        state: "idle", data: null, layer: null, count: 0, error: "" });
    }
  }

  function urlOf(entry, url) {
    const qs = new URLSearchParams(Object.entries(filters[entry.spec.capability]).filter(([, v]) => v)).toString();
    return qs && entry.def.filterable !== false && entry.spec.filters ? url + (url.includes("?") ? "&" : "?") + qs : url;
  }
  let fetches = {};  // one request per URL per round, shared by layers drawn from the same data
  async function getJson(url) {
    if (!fetches[url]) {
      fetches[url] = fetch(url, { credentials: "same-origin" }).then(async (res) => {
        if (!res.ok) {
          const reason = res.status === 403 ? "无权查看" : res.status === 401 ? "登录已过期" : "服务器返回 " + res.status;
          throw new Error(reason);
        }
        return res.json();
      }).catch((err) => { delete fetches[url]; throw err.message ? err : new Error("网络不通"); });
    }
    return fetches[url];
  }

  function drawLabels(entry) {
    const group = L.layerGroup();
    entry.data.forEach((fc, i) => {
      for (const f of fc.features) {
        const p = f.properties;
        if (p.centroid_lon == null) continue;
        group.addLayer(L.marker(toLatLng(p.centroid_lon, p.centroid_lat), { interactive: false, keyboard: false,
          icon: L.divIcon({ className: "place-label " + (i === 0 ? "township-label" : "village-label"), html: "<span>" + kit.esc(p.name) + "</span>", iconSize: null }) }));
      }
    });
    return { layer: group, count: group.getLayers().length };
  }

  function draw(entry) {
    if (entry.layer) map.removeLayer(entry.layer);
    const out = entry.def.render === "labels" ? drawLabels(entry) : kit.render(entry.def, entry.data, entry.spec.labels, toLatLng);
    entry.layer = out.layer;
    entry.count = out.count;
    if (entry.visible) entry.layer.addTo(map);
  }

  async function load(entry) {
    entry.state = "loading";
    showRow(entry);
    try {
      const d = entry.def;
      entry.data = d.urls ? await Promise.all(d.urls.map((u) => getJson(urlOf(entry, u)))) : await getJson(urlOf(entry, d.url));
      draw(entry);
      entry.state = "ok";
      entry.error = "";
    } catch (err) {
      entry.state = "error";
      entry.error = err.message;
    }
    showRow(entry);
    showStatus();
    order();
  }

  function order() {
    // Points above areas; the district outline above the township fill.
    for (const id of ["base.district", "risk.major-hazards", "monitoring.alarms"]) {
      const e = entries.get(id);
      if (e && e.layer && e.visible && e.layer.bringToFront) e.layer.bringToFront();
    }
  }

  function setVisible(entry, on) {
    entry.visible = on;
    prefs.layers[entry.def.id] = on;
    savePrefs();
    if (on && entry.state !== "ok" && entry.state !== "loading") return load(entry);
    if (entry.layer) { if (on) entry.layer.addTo(map); else map.removeLayer(entry.layer); }
    order();
    return Promise.resolve();
  }

  function reloadCapability(cap) {
    fetches = {};
    const jobs = [];
    for (const e of entries.values()) {
      if (e.spec.capability !== cap) continue;
      if (e.visible) jobs.push(load(e)); else { e.state = "idle"; showRow(e); }
    }
    return Promise.all(jobs);
  }

  // --- the layer panel: base maps and every layer, grouped ---------------------------------------------
  const rows = new Map();
  const panel = L.control({ position: "topright" });
  panel.onAdd = function () {
    const div = L.DomUtil.create("div", "layer-panel" + (narrow ? " collapsed" : ""));
    div.id = "layer-panel";
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    const toggle = L.DomUtil.create("button", "layer-panel-toggle", div);
    toggle.type = "button";
    toggle.textContent = "图层";
    toggle.setAttribute("aria-expanded", String(!narrow));
    toggle.addEventListener("click", () => {
      const open = div.classList.toggle("collapsed") === false;
      toggle.setAttribute("aria-expanded", String(open));
    });
    const body = L.DomUtil.create("div", "layer-panel-body", div);
    for (const [group, title] of Object.entries(GROUPS)) {
      const members = Array.from(entries.values()).filter((e) => e.group === group);
      if (!members.length && group !== "base") continue;
      const sec = L.DomUtil.create("section", "layer-group", body);
      sec.dataset.group = group;
      L.DomUtil.create("h3", "", sec).textContent = title;
      if (group === "base") basemapChoices(sec);
      for (const e of members) rows.set(e.def.id, row(sec, e));
    }
    return div;
  };

  function row(parent, entry) {
    const r = L.DomUtil.create("div", "layer-row", parent);
    r.dataset.layer = entry.def.id;
    const label = L.DomUtil.create("label", "", r);
    const box = L.DomUtil.create("input", "", label);
    box.type = "checkbox";
    box.checked = entry.visible;
    box.dataset.layer = entry.def.id;
    box.addEventListener("change", () => setVisible(entry, box.checked));
    label.appendChild(document.createTextNode(" " + entry.def.name));
    L.DomUtil.create("span", "layer-count", r);
    L.DomUtil.create("span", "layer-error", r);
    const retry = L.DomUtil.create("button", "layer-retry secondary", r);
    retry.type = "button";
    retry.textContent = "重试";
    retry.hidden = true;
    retry.addEventListener("click", () => { delete fetches[entry.def.url]; load(entry); });
    return r;
  }

  function showRow(entry) {
    const r = rows.get(entry.def.id);
    if (!r) return;
    r.dataset.state = entry.state;
    r.dataset.count = entry.state === "ok" ? String(entry.count) : "";
    r.querySelector(".layer-count").textContent = entry.state === "ok" ? String(entry.count) : entry.state === "loading" ? "…" : "";
    r.querySelector(".layer-error").textContent = entry.state === "error" ? "加载失败：" + entry.error : "";
    r.querySelector(".layer-retry").hidden = entry.state !== "error";
  }

  // --- base maps --------------------------------------------------------------------------------------
  let tiles = null, tileErrors = 0, tileLoads = 0, current = null;
  function basemapChoices(sec) {
    for (const b of config.basemaps) {
      const label = L.DomUtil.create("label", "basemap-choice", sec);
      const radio = L.DomUtil.create("input", "", label);
      radio.type = "radio";
      radio.name = "basemap";
      radio.value = b.id;
      radio.checked = b.id === current.id;
      radio.addEventListener("change", () => useBasemap(b));
      label.appendChild(document.createTextNode(" " + b.name + (b.crs === "gcj02" ? "（GCJ-02）" : "")));
    }
  }

  function useBasemap(b) {
    const moved = current && current.crs !== b.crs;
    current = b;
    prefs.base = b.id;
    savePrefs();
    if (tiles) { map.removeLayer(tiles); tiles = null; }
    tileErrors = tileLoads = 0;
    crs = b.crs;
    el.dataset.basemap = b.id;
    el.dataset.crs = b.crs;
    el.classList.toggle("outline-base", b.type === "none");
    if (b.type !== "none") {
      const opts = { minZoom: b.min_zoom, maxZoom: b.max_zoom, attribution: b.attribution, className: "base-tiles" };
      if (b.subdomains) opts.subdomains = b.subdomains;
      tiles = L.tileLayer(b.url, opts).addTo(map);
      tiles.bringToBack();
      tiles.on("tileerror", () => { tileErrors++; showStatus(); });
      tiles.on("tileload", () => { tileLoads++; if (tileErrors) showStatus(); });
    }
    if (moved) for (const e of entries.values()) if (e.state === "ok") draw(e);
    order();
    showStatus();
  }

  // --- the status box: failed layers and tiles, with a retry -------------------------------------------
  const status = document.getElementById("map-status");
  function showStatus() {
    const failed = Array.from(entries.values()).filter((e) => e.state === "error");
    status.replaceChildren();
    for (const p of config.problems || []) L.DomUtil.create("p", "", status).textContent = p;
    if (failed.length) {
      const p = L.DomUtil.create("p", "", status);
      p.textContent = `${failed.length} 个图层加载失败：` + failed.map((e) => `${e.def.name}（${e.error}）`).join("、") + " ";
      const b = L.DomUtil.create("button", "retry-all", p);
      b.type = "button";
      b.textContent = "全部重试";
      b.addEventListener("click", () => { fetches = {}; failed.forEach(load); });
    }
    if (tiles && tileErrors) {
      const p = L.DomUtil.create("p", "", status);
      p.textContent = `底图“${current.name}”有 ${tileErrors} 块瓦片加载失败${tileLoads ? "" : "（底图服务不可达）"}。 `;
      const b = L.DomUtil.create("button", "retry-tiles", p);
      b.type = "button";
      b.textContent = "重试底图";
      b.addEventListener("click", () => { tileErrors = 0; tiles.redraw(); showStatus(); });
    }
    status.hidden = !status.childElementCount;
    el.dataset.failedLayers = String(failed.length);
  }

  // --- filters declared by a capability (e.g. risk: industry, township) --------------------------------
  async function filterControl(spec) {
    const f = spec.filters;
    const ctl = L.control({ position: "topleft" });
    const div = L.DomUtil.create("div", "map-filter card");
    L.DomEvent.disableClickPropagation(div);
    L.DomUtil.create("b", "", div).textContent = f.title;
    ctl.onAdd = () => div;
    ctl.addTo(map);
    let options = {};
    try { options = await getJson(f.options); } catch (err) { L.DomUtil.create("p", "error", div).textContent = "筛选项加载失败：" + err.message; }
    for (const s of f.selects) {
      const sel = L.DomUtil.create("select", "", div);
      sel.id = spec.capability + "-" + s.param;
      sel.add(new Option(s.all, ""));
      const opts = options[s.key] || [];
      for (const o of Array.isArray(opts) ? opts : Object.entries(opts).map(([code, name]) => ({ code, name }))) sel.add(new Option(o.name, o.code));
      sel.addEventListener("change", () => { filters[spec.capability][s.param] = sel.value; reloadCapability(spec.capability); });
    }
  }

  // --- actions at a point: right-click / long-press, or the visible 此处 button -------------------------
  const actions = specs.flatMap((s) => s.actions || []);
  const menuPopup = L.popup({ className: "map-menu-popup" });  // one menu at a time
  function openMenu(latlng) {
    const w = toWgs(latlng), lon = w.lon.toFixed(6), lat = w.lat.toFixed(6);
    const box = L.DomUtil.create("div", "map-menu");
    L.DomUtil.create("div", "muted", box).textContent = `${lon}, ${lat}`;
    const where = L.DomUtil.create("div", "map-menu-where", box);
    const list = L.DomUtil.create("ul", "", box);
    for (const a of actions) {
      const li = L.DomUtil.create("li", "", list);
      const link = L.DomUtil.create("a", "", li);
      link.href = kit.link(a.href, { lon: lon, lat: lat })[0];
      link.textContent = a.label;
    }
    if (!actions.length) L.DomUtil.create("li", "muted", list).textContent = "无可用操作";
    menuPopup.setLatLng(latlng).setContent(box).openOn(map);
    getJson(`/api/v1/geo/locate?lon=${lon}&lat=${lat}`).then((regions) => {
      where.textContent = (regions.items || regions).filter((r) => r.level !== "grid").map((r) => r.name).join(" · ") || "区外";
    }).catch(() => { where.textContent = ""; });
  }
  map.on("contextmenu", (e) => openMenu(e.latlng));
  const here = L.control({ position: "topleft" });
  here.onAdd = function () {
    const b = L.DomUtil.create("button", "map-here-button");
    b.type = "button";
    b.id = "map-here";
    b.textContent = "◎ 此处…";
    b.title = "点选地图上的位置：就近查找、在此新建预警等（也可右键或长按地图）";
    L.DomEvent.disableClickPropagation(b);
    b.addEventListener("click", () => { el.classList.toggle("picking"); b.classList.toggle("active"); });
    return b;
  };
  here.addTo(map);
  map.on("click", (e) => {
    if (!el.classList.contains("picking")) return;
    el.classList.remove("picking");
    document.getElementById("map-here").classList.remove("active");
    openMenu(e.latlng);
  });

  // --- legend: folds away (closed on a phone), rows declared by each capability -----------------------
  const legend = document.getElementById("map-legend");
  if (narrow) legend.removeAttribute("open");
  for (const spec of specs) {
    for (const item of spec.legend || []) {
      const r = L.DomUtil.create("div", "legend-row", legend);
      const sw = L.DomUtil.create("span", "swatch " + (item.shape || "dot"), r);
      sw.style.background = item.color;
      r.appendChild(document.createTextNode(item.label));
    }
  }
  function zoomClasses() {
    const z = map.getZoom();
    el.classList.toggle("show-township-labels", z >= 9.5);
    el.classList.toggle("show-village-labels", z >= 12);
  }
  map.on("zoomend", zoomClasses);

  // --- start ------------------------------------------------------------------------------------------
  current = config.basemaps.find((b) => b.id === prefs.base) || config.basemaps[0];
  panel.addTo(map);
  useBasemap(current);
  for (const e of entries.values()) showRow(e);
  zoomClasses();
  const district = entries.get("base.district");
  const ready = load(district).then(() => {
    if (district.layer && district.count) map.fitBounds(district.layer.getBounds(), { padding: [10, 10], animate: false });
    zoomClasses();
    return Promise.all(["base.township", "base.village"].map((id) => entries.get(id)).filter((e) => e.visible).map(load));
  }).then(() => { el.dataset.ready = "true"; });
  ready.then(async () => {
    const rest = [];
    for (const spec of specs) {
      if (spec.filters) filterControl(spec);
      const mine = Array.from(entries.values()).filter((e) => e.spec === spec && e.visible && e.state === "idle");
      rest.push(Promise.all(mine.map(load)).then(() => { el.dataset[spec.capability + "Ready"] = "true"; }));
      if (spec.live && window.EventSource) {
        let pending = null;
        new EventSource(spec.live.stream).addEventListener(spec.live.event || "change", () => {
          clearTimeout(pending);
          pending = setTimeout(() => reloadCapability(spec.capability), 500);
        });
      }
    }
    await Promise.all(rest);
    el.dataset.settled = "true";
  });

  return { map: map, ready: ready, entries: entries, setVisible: setVisible, reload: reloadCapability, toLatLng: toLatLng, toWgs: toWgs };
})();
