// 预警发布：当前生效的预警区域（本区发布的与上级来文），按级别着色。
(function () {
  const esc = window.yingjiEscape;
  if (!window.YingjiMap) return;
  window.YingjiMap.ready.then(async function () {
    const res = await fetch("/api/v1/warnings/map.geojson", { credentials: "same-origin" });
    if (!res.ok) return;  // no permission to read warnings: no layer
    const data = await res.json();
    const layer = L.geoJSON(data, {
      style: (f) => ({ color: f.properties.colour, weight: 2, fillColor: f.properties.colour, fillOpacity: 0.18,
                       dashArray: f.properties.origin === "upstream" ? "6 4" : null, className: "warning-area" }),
      onEachFeature: (f, l) => {
        const p = f.properties;
        const link = p.origin === "local" ? `<a href="/warnings/${Number(p.id)}">详情</a>` : `<a href="/warnings/${Number(p.id)}">上级来文</a>`;
        l.bindPopup(`<b>${esc(p.headline)}</b><br>${esc(p.level_label)} · ${esc(p.event)}<br>${esc(p.area_desc)}<br>${link}`);
      },
    });
    window.YingjiMap.addOverlay("预警区域（" + data.features.length + "）", layer);
  });
})();
