// Choosing a place by name: any <input data-place-picker> gets suggestions from /api/v1/geo/places
// (villages, townships, enterprises, shelters, addresses) and, when one is chosen, fills the fields named
// in its data-targets JSON: {"lon": "#lon", "lat": "#lat", "region_code:area": "select[name=regions]",
// "check:point": "input[value=circle]"}. A key is a place field (lon, lat, name, region_code, ref, detail)
// or "check"; after the colon, for which places: a kind (village, township, enterprise, shelter), "area"
// (village or township) or "point" (the others). data-kinds limits the kinds searched.
// A <button data-locate-me data-targets='{"lon": …, "lat": …}'> fills the phone's position; with
// data-auto it does so on load when the browser already allows it.
(function () {
  function matches(qualifier, place) {
    if (!qualifier) return true;
    const area = place.kind === "village" || place.kind === "township";
    if (qualifier === "area") return area;
    if (qualifier === "point") return !area;
    return qualifier.split("|").includes(place.kind);
  }

  function setField(el, value) {
    if (!el) return;
    if (el.type === "checkbox" || el.type === "radio") {
      el.checked = true;
    } else if (el.tagName === "SELECT") {
      const opt = Array.from(el.options).find((o) => o.value === String(value));
      if (!opt) return;
      if (el.multiple) opt.selected = true; else el.value = opt.value;
    } else {
      el.value = value;
    }
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function fill(targets, place, root) {
    const values = Object.assign({}, place, { lon: place.lon.toFixed(6), lat: place.lat.toFixed(6) });
    for (const [key, selector] of Object.entries(targets)) {
      const [field, qualifier] = key.split(":");
      if (!matches(qualifier, place)) continue;
      const value = field === "check" ? true : values[field];
      if (value === null || value === undefined || value === "") continue;
      root.querySelectorAll(selector).forEach((el) => setField(el, value));
    }
  }

  function picker(input) {
    const targets = JSON.parse(input.dataset.targets || "{}");
    const root = input.form || document;
    const list = document.createElement("ul");
    list.className = "place-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("autocomplete", "off");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "false");
    input.insertAdjacentElement("afterend", list);
    const status = document.createElement("span");
    status.className = "place-chosen muted";
    status.setAttribute("aria-live", "polite");
    list.insertAdjacentElement("afterend", status);
    let items = [], active = -1, timer = null, seq = 0;

    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; }
    function choose(place) {
      input.value = place.name;
      fill(targets, place, root);
      status.textContent = `已选：${place.kind_label} ${place.name}（${place.lon.toFixed(5)}, ${place.lat.toFixed(5)}）`;
      close();
      input.dispatchEvent(new CustomEvent("place-chosen", { bubbles: true, detail: place }));
    }
    function show(found, message) {
      items = found;
      list.replaceChildren();
      if (message) {
        const li = document.createElement("li");
        li.className = "muted";
        li.textContent = message;
        list.appendChild(li);
      }
      found.forEach((p, i) => {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.dataset.index = String(i);
        const b = document.createElement("b");
        b.textContent = p.name;
        li.append(b, ` · ${p.kind_label}${p.detail ? " · " + p.detail : ""}`);
        li.addEventListener("mousedown", (e) => { e.preventDefault(); choose(p); });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    async function query() {
      const q = input.value.trim();
      if (!q) { close(); return; }
      const mine = ++seq;
      const params = new URLSearchParams({ q: q, limit: "8" });
      for (const k of (input.dataset.kinds || "").split(",").filter(Boolean)) params.append("kind", k);
      try {
        const res = await fetch("/api/v1/geo/places?" + params, { credentials: "same-origin" });
        if (mine !== seq) return;
        if (!res.ok) { show([], "地名查询失败（" + res.status + "），请稍后重试"); return; }
        const found = (await res.json()).items;
        show(found, found.length ? "" : "没有找到“" + q + "”，可换个说法或输入村名");
      } catch (err) {
        if (mine === seq) show([], "网络不通，无法查询地名");
      }
    }
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(query, 200); });
    input.addEventListener("blur", () => setTimeout(close, 150));
    input.addEventListener("keydown", (e) => {
      if (list.hidden || !items.length) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        active = (active + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        list.querySelectorAll("li[role=option]").forEach((li, i) => li.classList.toggle("active", i === active));
      } else if (e.key === "Enter") {
        e.preventDefault();  // choosing a suggestion does not submit the form
        choose(items[Math.max(active, 0)]);
      } else if (e.key === "Escape") {
        close();
      }
    });
  }

  function geolocate(button) {
    const targets = JSON.parse(button.dataset.targets || "{}");
    const root = button.form || document;
    const status = document.createElement("span");
    status.className = "geolocate-status muted";
    status.setAttribute("aria-live", "polite");
    button.insertAdjacentElement("afterend", status);
    function locate() {
      if (!navigator.geolocation) { status.textContent = "此浏览器不能定位：请输入村名、地址选择位置"; return; }
      status.textContent = "正在定位…";
      navigator.geolocation.getCurrentPosition((p) => {
        fill(targets, { kind: "gps", lon: p.coords.longitude, lat: p.coords.latitude }, root);
        status.textContent = `已定位（精度约 ${Math.round(p.coords.accuracy)} 米）`;
        button.dataset.located = "true";
      }, () => { status.textContent = "无法获取位置（未允许定位或信号弱）：请输入村名、地址选择位置"; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    }
    button.addEventListener("click", locate);
    if (button.dataset.auto !== undefined && navigator.permissions) {
      // Only when already allowed: no permission prompt before the user asks for it.
      navigator.permissions.query({ name: "geolocation" }).then((s) => { if (s.state === "granted") locate(); }).catch(() => {});
    }
  }

  document.querySelectorAll("input[data-place-picker]").forEach(picker);
  document.querySelectorAll("button[data-locate-me]").forEach(geolocate);
})();
