// Monitoring on the 一张图 map: stations coloured by state (alarm level, silent, normal), refreshed live
// from the server-sent event stream whenever readings or alarms change.
(function () {
  const esc = window.yingjiEscape;
  const colours = { red: "#d62728", orange: "#ff7f0e", yellow: "#e6c200", blue: "#1f77b4" };
  const statusColours = { normal: "#2ca02c", silent: "#7f7f7f", inactive: "#bbbbbb" };
  const statusLabels = { normal: "正常", alarm: "告警", silent: "数据中断", inactive: "停用" };
  const layer = L.layerGroup();
  const alarmLayer = L.layerGroup();
  function colour(p) { return p.alarm_level ? colours[p.alarm_level] : statusColours[p.status] || "#2ca02c"; }
  async function refresh() {
    const res = await fetch("/api/v1/monitoring/sensors.geojson", { credentials: "same-origin" });
    if (!res.ok) return;
    const data = await res.json();
    layer.clearLayers(); alarmLayer.clearLayers();
    let alarms = 0;
    for (const f of data.features) {
      const p = f.properties; const [lon, lat] = f.geometry.coordinates;
      const m = L.circleMarker([lat, lon], { radius: p.alarm_level ? 7 : 4, color: "#333", weight: 1,
        fillColor: colour(p), fillOpacity: 0.9, className: "sensor-marker status-" + p.status + (p.alarm_level ? " alarm-" + p.alarm_level : "") });
      const last = p.last_value === null ? "无数据" : p.last_value + " " + p.unit;
      m.bindPopup(`<b>${esc(p.name)}</b><br>${esc(p.kind_label)} · ${esc(p.code)}<br>状态：${esc(statusLabels[p.status])}<br>最新：${esc(last)}<br><a href="/monitoring/sensors/${Number(p.id)}">查看曲线</a>`);
      (p.alarm_level ? alarmLayer : layer).addLayer(m);
      if (p.alarm_level) alarms++;
    }
    document.getElementById("map").dataset.sensors = String(data.features.length);
    document.getElementById("map").dataset.alarmSensors = String(alarms);
  }
  YingjiMap.ready.then(async function () {
    await refresh();
    YingjiMap.addOverlay("监测站点", layer);
    YingjiMap.addOverlay("告警站点", alarmLayer);
    alarmLayer.eachLayer(m => m.bringToFront());
    const legend = document.getElementById("map-legend");
    legend.insertAdjacentHTML("beforeend", '<div class="legend-row"><b>监测</b> ' +
      ['red','orange','yellow','blue'].map(l => `<span class="swatch" style="background:${colours[l]}"></span>`).join("") +
      ' 告警 <span class="swatch" style="background:#2ca02c"></span>正常 <span class="swatch" style="background:#7f7f7f"></span>中断</div>');
    if (window.EventSource) {
      let pending = null;
      const es = new EventSource("/api/v1/monitoring/stream");
      es.addEventListener("change", function () {
        clearTimeout(pending); pending = setTimeout(refresh, 500);
      });
    }
  });
})();
