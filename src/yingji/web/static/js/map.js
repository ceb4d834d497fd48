// The 一张图 map. No tile server: the district, township, village and grid boundaries are the base map.
// Capabilities add overlays with YingjiMap.addOverlay(name, layer) from their map_layers.html.
window.YingjiMap = (function () {
  const map = L.map("map", { zoomSnap: 0.25, attributionControl: true, preferCanvas: false });
  map.attributionControl.setPrefix(false).addAttribution("区界：cnmaps（高德数据，已转 WGS84）；镇村边界为示意");
  map.setView([24.25, 109.3], 10);
  const control = L.control.layers(null, {}, { collapsed: window.innerWidth < 700 }).addTo(map);
  const styles = {
    district: { color: "#c0392b", weight: 3, fill: false, className: "district-outline" },
    township: { color: "#2c3e50", weight: 1.6, fillColor: "#ecf0f1", fillOpacity: 0.35, className: "township-outline" },
    village: { color: "#7f8c8d", weight: 0.8, dashArray: "3 3", fill: false, className: "village-outline" },
    grid: { color: "#95a5a6", weight: 0.5, dashArray: "1 3", fill: false, className: "grid-outline" },
  };
  const names = { district: "区界", township: "镇（街道）", village: "村（社区）", grid: "网格" };

  async function boundaries(level) {
    const res = await fetch("/api/v1/geo/boundaries?level=" + level, { credentials: "same-origin" });
    if (!res.ok) throw new Error("边界数据加载失败：" + res.status);
    return res.json();
  }

  function addLevel(level, data, visible) {
    const layer = L.geoJSON(data, {
      style: styles[level],
      onEachFeature: (f, l) => {
        const p = f.properties;
        l.bindTooltip(window.yingjiEscape(p.name) + (p.approximate ? "（示意）" : ""), { sticky: true });
        l.bindPopup(`<b>${window.yingjiEscape(p.name)}</b><br>代码：${window.yingjiEscape(p.code)}<br>人口：${p.population.toLocaleString("zh-CN")}`);
      },
    });
    control.addOverlay(layer, names[level]);
    if (visible) layer.addTo(map);
    return layer;
  }

  const ready = (async function () {
    const [township, district] = await Promise.all([boundaries("township"), boundaries("district")]);
    addLevel("township", township, true);
    const d = addLevel("district", district, true);
    // No animation: layers added while a zoom animation runs are drawn at the wrong scale.
    if (d.getLayers().length) map.fitBounds(d.getBounds(), { padding: [10, 10], animate: false });
    const village = await boundaries("village");
    addLevel("village", village, true);
    addLevel("grid", await boundaries("grid"), false);
    d.bringToFront();
    document.getElementById("map").dataset.ready = "true";
  })().catch((err) => {
    const box = document.getElementById("map-legend");
    box.insertAdjacentHTML("beforeend", `<p class="error">${window.yingjiEscape(err.message)}</p>`);
  });

  return {
    map: map,
    ready: ready,
    addOverlay: function (name, layer, visible) {
      control.addOverlay(layer, name);
      if (visible !== false) layer.addTo(map);
    },
  };
})();
