(function () {
  // 应急资源 overlays: teams, warehouses, shelters, and villages outside the shelters' service radius.
  const colours = { fire_station: "#c0392b", professional: "#d35400", enterprise: "#8e44ad", community: "#2980b9", volunteer: "#16a085" };
  async function layer(name) {
    const res = await fetch("/api/v1/resources/map/" + name + ".geojson", { credentials: "same-origin" });
    if (!res.ok) throw new Error("应急资源图层加载失败：" + res.status);
    return res.json();
  }
  const esc = window.yingjiEscape;
  YingjiMap.ready.then(async function () {
    const [teams, warehouses, shelters, coverage] = await Promise.all(["teams", "warehouses", "shelters", "coverage"].map(layer));
    YingjiMap.addOverlay("避难场所服务半径外的村（社区）", L.geoJSON(coverage, {
      filter: (f) => f.properties.outside && f.geometry,
      style: { color: "#e74c3c", weight: 1, fillColor: "#e74c3c", fillOpacity: 0.25, className: "coverage-outside" },
      onEachFeature: (f, l) => l.bindTooltip(esc(f.properties.village) + "：避难场所服务半径外"),
    }));
    YingjiMap.addOverlay("救援队伍", L.geoJSON(teams, {
      pointToLayer: (f, ll) => L.circleMarker(ll, { radius: f.properties.kind === "fire_station" ? 7 : 4, color: colours[f.properties.kind] || "#555",
        weight: 2, fillOpacity: f.properties.planned ? 0 : 0.8, dashArray: f.properties.planned ? "2 2" : null, className: "resource-team" }),
      onEachFeature: (f, l) => { const p = f.properties;
        l.bindPopup(`<b>${esc(p.name)}</b><br>${esc(p.kind_label)} ${esc(p.station_class)}${p.planned ? "（规划）" : ""}<br>状态：${esc(p.status_label)}<br>${esc(p.phone)}`); },
    }));
    YingjiMap.addOverlay("物资储备库（点）", L.geoJSON(warehouses, {
      pointToLayer: (f, ll) => L.circleMarker(ll, { radius: f.properties.level === "district" ? 9 : 6, color: "#7f8c8d", fillColor: "#f1c40f", fillOpacity: 0.9, weight: 2, className: "resource-warehouse" }),
      onEachFeature: (f, l) => l.bindPopup(`<b>${esc(f.properties.name)}</b><br><a href="/resources/warehouses/${Number(f.properties.id)}">库存</a>`),
    }));
    YingjiMap.addOverlay("避难场所", L.geoJSON(shelters, {
      pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 6, color: "#27ae60", fillColor: f.properties.open ? "#27ae60" : "#fff", fillOpacity: 0.9, weight: 2, className: "resource-shelter" }),
      onEachFeature: (f, l) => { const p = f.properties;
        l.bindPopup(`<b>${esc(p.name)}</b><br>${esc(p.level)} · ${esc(p.condition)}<br>容纳 ${esc(p.capacity)} 人，已安置 ${esc(p.occupancy)} 人`); },
    }));
    // Right-click (long-press on a phone): the nearest available teams from that point, by road.
    YingjiMap.map.on("contextmenu", function (e) {
      const url = `/resources/nearest?kind=team&lon=${e.latlng.lng.toFixed(6)}&lat=${e.latlng.lat.toFixed(6)}`;
      L.popup().setLatLng(e.latlng).setContent(`<a href="${url}">从此处就近查找救援队伍 →</a>`).openOn(YingjiMap.map);
    });
    document.getElementById("map").dataset.resources = "true";
  }).catch(function (err) {
    document.getElementById("map-legend").insertAdjacentHTML("beforeend", `<p class="error">${esc(err.message)}</p>`);
  });
})();
