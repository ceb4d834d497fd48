// Drawing a warning area (polygon or circle) on the new-warning form.
(function () {
  const map = L.map("draw-map").setView([24.26, 109.36], 11);
  fetch("/api/v1/geo/boundaries?level=township", { credentials: "same-origin" })
    .then((r) => r.json())
    .then((d) => { const l = L.geoJSON(d, { style: { color: "#2c3e50", weight: 1, fillOpacity: 0.05 }, interactive: false }).addTo(map); map.fitBounds(l.getBounds(), { animate: false }); });
  const input = document.getElementById("polygon");
  let pts = [];
  try { pts = JSON.parse(input.value || "[]"); } catch (e) { pts = []; }
  let shape = null;
  function mode() { return document.querySelector("input[name=area_mode]:checked").value; }
  function redraw() {
    if (shape) { map.removeLayer(shape); shape = null; }
    if (mode() === "polygon" && pts.length) {
      shape = L.polygon(pts.map((p) => [p[1], p[0]]), { color: "#c0392b" }).addTo(map);
    }
    if (mode() === "circle") {
      const lon = parseFloat(document.getElementById("circle_lon").value), lat = parseFloat(document.getElementById("circle_lat").value);
      const r = parseFloat(document.getElementById("circle_radius_m").value);
      if (!isNaN(lon) && !isNaN(lat) && r > 0) shape = L.circle([lat, lon], { radius: r, color: "#c0392b" }).addTo(map);
    }
    input.value = pts.length ? JSON.stringify(pts.length > 2 ? pts.concat([pts[0]]) : pts) : "";
    document.getElementById("vertex-count").textContent = pts.length;
  }
  if (pts.length > 3 && JSON.stringify(pts[0]) === JSON.stringify(pts[pts.length - 1])) pts.pop();
  map.on("click", (e) => {
    const p = [Math.round(e.latlng.lng * 1e6) / 1e6, Math.round(e.latlng.lat * 1e6) / 1e6];
    if (mode() === "polygon") pts.push(p);
    if (mode() === "circle") { document.getElementById("circle_lon").value = p[0]; document.getElementById("circle_lat").value = p[1]; }
    redraw();
  });
  document.getElementById("clear-shape").addEventListener("click", () => { pts = []; redraw(); });
  document.querySelectorAll("input[name=area_mode], #circle_radius_m").forEach((el) => el.addEventListener("change", redraw));
  redraw();
})();
