// The report form's map: tap a point to fill the form's longitude and latitude. The village boundaries
// (WGS84, from the geo API) are the map itself, so it works without any tile server; a tap outside
// them is refused by the server, which names the field.
(function () {
  const el = document.getElementById("incident-map");
  if (!el || !window.L) return;
  const lonInput = document.querySelector(el.dataset.lon);
  const latInput = document.querySelector(el.dataset.lat);
  el.dataset.ready = "false";
  const map = L.map(el, { attributionControl: false });
  let marker = null;
  function place(lat, lon) {
    if (marker) marker.setLatLng([lat, lon]); else marker = L.marker([lat, lon]).addTo(map);
  }
  fetch(el.dataset.boundaries, { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
    .then((geojson) => {
      const layer = L.geoJSON(geojson, { style: { color: "#1570ef", weight: 1, fillOpacity: 0.05 } }).addTo(map);
      map.fitBounds(layer.getBounds());
      const lon = parseFloat(lonInput.value), lat = parseFloat(latInput.value);
      if (!isNaN(lon) && !isNaN(lat)) place(lat, lon);
      el.dataset.ready = "true";
    })
    .catch(() => { el.textContent = "地图暂不可用：请选择村（社区）或输入经纬度"; });
  map.on("click", (e) => {
    lonInput.value = e.latlng.lng.toFixed(6);
    latInput.value = e.latlng.lat.toFixed(6);
    place(e.latlng.lat, e.latlng.lng);
  });
  [lonInput, latInput].forEach((input) => input.addEventListener("change", () => {
    const lon = parseFloat(lonInput.value), lat = parseFloat(latInput.value);
    if (!isNaN(lon) && !isNaN(lat)) place(lat, lon);
  }));
})();
