(function () {
  const esc = window.yingjiEscape;
  if (!window.YingjiMap) return;
  const colors = { red: "#c0392b", orange: "#e67e22", yellow: "#f1c40f", blue: "#2980b9" };
  const names = { red: "重大风险", orange: "较大风险", yellow: "一般风险", blue: "低风险" };
  const groups = {
    grid: { name: "风险网格（最高等级）", layer: L.layerGroup(), visible: false },
    enterprises: { name: "企业风险（红橙黄蓝）", layer: L.layerGroup(), visible: true },
    "major-hazards": { name: "重大危险源", layer: L.layerGroup(), visible: true },
    points: { name: "风险点", layer: L.layerGroup(), visible: false },
  };
  const filters = { industry: "", township: "" };
  function draw(kind, data) {
    const g = groups[kind].layer;
    g.clearLayers();
    L.geoJSON(data, {
      style: kind !== "grid" ? undefined : f => ({ color: colors[f.properties.level], weight: 0.6, fillColor: colors[f.properties.level], fillOpacity: 0.35,
                     className: "risk-grid risk-" + f.properties.level }),
      pointToLayer: (f, latlng) => {
        const p = f.properties, c = colors[p.level] || "#7f8c8d";
        if (kind === "major-hazards") {
          return L.marker(latlng, { icon: L.divIcon({ className: "risk-major risk-" + p.level,
            html: `<div class="risk-major-icon" style="background:${c}"></div>`,
            iconSize: [18, 18] }) });
        }
        return L.circleMarker(latlng, { radius: kind === "enterprises" ? 7 : 4, color: "#333", weight: 1, fillColor: c,
          fillOpacity: 0.9, className: "risk-" + kind + " risk-" + p.level });
      },
      onEachFeature: (f, l) => {
        const p = f.properties;
        let html = `<b>${esc(p.name || p.code)}</b><br>${names[p.level] || ""}`;
        if (kind === "enterprises") html += `<br>未销号隐患 ${esc(p.open_hazards)}，逾期 ${esc(p.overdue)}<br>检查频次：每年 ${esc(p.inspections_per_year)} 次<br><a href="/risk/enterprises/${Number(p.id)}">一企一清单</a>`;
        if (kind === "major-hazards") html += `<br>${esc(p.grade_label)}重大危险源，R = ${p.R === null ? "—" : Number(p.R).toFixed(2)}<br><a href="/risk/enterprises/${Number(p.enterprise_id)}">所属企业</a>`;
        if (kind === "points") html += `<br>${esc(p.reason)}`;
        if (kind === "grid") html += `<br>网格内已分级对象 ${esc(p.count)} 个`;
        l.bindPopup(html);
      },
    }).addTo(g);
  }
  async function load() {
    const qs = new URLSearchParams(filters).toString();
    await Promise.all(Object.keys(groups).map(async kind => {
      const res = await fetch(`/api/v1/risk/map/${kind}?${qs}`, { credentials: "same-origin" });
      if (res.ok) draw(kind, await res.json());
    }));
    document.getElementById("map").dataset.riskReady = "true";
  }
  YingjiMap.ready.then(async function () {
    for (const g of Object.values(groups)) YingjiMap.addOverlay(g.name, g.layer, g.visible);
    const ctl = L.control({ position: "topleft" });
    ctl.onAdd = function () {
      const div = L.DomUtil.create("div", "risk-filter");
      div.innerHTML = '<b>风险图层筛选</b><select id="risk-industry"><option value="">全部行业</option></select>' +
                      '<select id="risk-township"><option value="">全部镇（街道）</option></select>';
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    ctl.addTo(YingjiMap.map);
    const opts = await (await fetch("/api/v1/risk/map-filters", { credentials: "same-origin" })).json();
    for (const [k, v] of Object.entries(opts.industries)) document.getElementById("risk-industry").add(new Option(v, k));
    for (const t of opts.townships) document.getElementById("risk-township").add(new Option(t.name, t.code));
    for (const key of ["industry", "township"]) {
      document.getElementById("risk-" + key).addEventListener("change", e => { filters[key] = e.target.value; load(); });
    }
    const legend = document.getElementById("map-legend");
    legend.insertAdjacentHTML("beforeend", Object.keys(colors).map(k =>
      `<div class="legend-row"><span class="swatch" style="border-color:${colors[k]};border-top-width:8px"></span>${names[k]}</div>`).join(""));
    await load();
  });
})();
