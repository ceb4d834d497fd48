// The command workspace of an incident (/incidents/{id}): the 一张图 map (map.js, with every registered
// layer) centred on the incident with its drawn affected area, and the page kept live: the incident's
// event stream says when anything happened; the new timeline entries are added at the top and the live
// sections (response, orders, tasks, sitreps) are refreshed from the page — except a section holding a
// form someone is typing in, so that nothing typed is lost.
(function () {
  const data = JSON.parse(document.getElementById("workspace-data").textContent);
  const status = document.getElementById("live-status");
  const list = document.getElementById("timeline");
  let lastId = data.last_id;

  // --- map --------------------------------------------------------------------------------------------
  const ym = window.YingjiMap;
  let areaLayer = null, drawing = false, points = [];
  const areaInput = document.getElementById("area-input");
  function ringOf(area) { return area && area.coordinates ? area.coordinates[0].slice(0, -1) : []; }
  function drawArea(pts) {
    if (!ym) return;
    if (areaLayer) { ym.map.removeLayer(areaLayer); areaLayer = null; }
    if (pts.length >= 2) {
      areaLayer = L.polygon(pts.map((p) => ym.toLatLng(p[0], p[1])), { color: "#c0392b", weight: 2, fillOpacity: 0.15, className: "incident-area" }).addTo(ym.map);
    }
  }
  if (ym) {
    ym.ready.then(() => {
      if (data.lon != null && data.lat != null) {
        L.circleMarker(ym.toLatLng(data.lon, data.lat), { radius: 9, color: "#b42318", fillColor: "#e74c3c", fillOpacity: 0.9, className: "incident-marker" })
          .bindTooltip("事发地点：" + data.title).addTo(ym.map);
        ym.map.setView(ym.toLatLng(data.lon, data.lat), 13, { animate: false });
      }
      points = ringOf(data.area);
      drawArea(points);
      if (areaLayer && data.lon == null) ym.map.fitBounds(areaLayer.getBounds(), { animate: false });
      document.getElementById("map").dataset.workspaceReady = "true";
    });
    // While drawing, every click inside the map is a vertex, on a layer's marker too (markers keep their
    // clicks to themselves); the map's own controls are left alone.
    ym.map.getContainer().addEventListener("click", (ev) => {
      if (!drawing || ev.target.closest(".leaflet-control")) return;
      ev.stopPropagation();
      const w = ym.toWgs(ym.map.mouseEventToLatLng(ev));
      points.push([Math.round(w.lon * 1e6) / 1e6, Math.round(w.lat * 1e6) / 1e6]);
      drawArea(points);
      if (areaInput) areaInput.value = points.length >= 3 ? JSON.stringify({ type: "Polygon", coordinates: [points.concat([points[0]])] }) : "";
    }, true);
  }
  const drawBtn = document.getElementById("area-draw"), clearBtn = document.getElementById("area-clear");
  if (drawBtn) drawBtn.addEventListener("click", () => {
    drawing = !drawing; if (drawing) points = [];
    drawBtn.textContent = drawing ? "完成绘制" : "绘制";
    document.getElementById("map").classList.toggle("drawing", drawing);
  });
  if (clearBtn) clearBtn.addEventListener("click", () => { points = []; drawArea(points); if (areaInput) areaInput.value = ""; });

  // --- live ---------------------------------------------------------------------------------------------
  function typing(section) {
    return Array.from(section.querySelectorAll("input:not([type=hidden]), textarea, select")).some((f) =>
      f === document.activeElement || (f.type === "checkbox" ? f.checked !== f.defaultChecked
        : f.tagName === "SELECT" ? Array.from(f.options).some((o) => o.selected !== o.defaultSelected) : f.value !== f.defaultValue));
  }
  function entry(e) {
    const li = document.createElement("li");
    li.dataset.kind = e.kind; li.dataset.id = e.id; li.className = "new";
    const t = document.createElement("time");
    t.textContent = new Date(e.at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }).replace(/\//g, "-");
    const who = document.createElement("span"); who.className = "muted"; who.textContent = " — " + e.actor_name;
    li.append(t, " " + e.text, who);
    return li;
  }
  let refreshing = null;
  async function refresh() {
    const res = await fetch(data.timeline + (lastId ? "?after_id=" + lastId : ""), { credentials: "same-origin" });
    if (!res.ok) { status.textContent = "实时更新：读取失败（" + res.status + "）"; return; }
    const rows = (await res.json()).items;
    for (const e of rows.slice().reverse()) {
      if (e.id <= lastId || list.querySelector('li[data-id="' + e.id + '"]')) continue;
      list.prepend(entry(e));
    }
    if (rows.length) {
      lastId = Math.max(lastId, ...rows.map((e) => e.id));
      const total = document.getElementById("timeline-total");
      total.textContent = String(Number(total.textContent) + rows.length);
    }
    const page = await fetch(location.pathname, { credentials: "same-origin" });
    if (page.ok) {
      const doc = new DOMParser().parseFromString(await page.text(), "text/html");
      for (const section of document.querySelectorAll("[data-live]")) {
        const fresh = doc.getElementById(section.id);
        if (fresh && !typing(section)) section.replaceWith(document.importNode(fresh, true));
        else if (fresh) section.dataset.stale = "true";  // refreshed once the officer is done typing
      }
      const badge = doc.getElementById("response-badge");
      if (badge) document.getElementById("response-badge").textContent = badge.textContent;
    }
    status.textContent = "实时更新：" + new Date().toLocaleTimeString("zh-CN", { hour12: false }) + " 已同步";
    document.body.dataset.lastEntry = String(lastId);
  }
  if (window.EventSource) {
    const source = new EventSource(data.stream);
    source.addEventListener("open", () => { status.textContent = "实时更新：已连接"; document.body.dataset.live = "true"; });
    source.addEventListener("error", () => { status.textContent = "实时更新：连接中断，正在重连…"; });
    source.addEventListener("change", (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.last_id > lastId) { refreshing = (refreshing || Promise.resolve()).then(refresh).catch(() => {}); }
    });
  } else {
    status.textContent = "实时更新：浏览器不支持，请手动刷新";
  }
})();
