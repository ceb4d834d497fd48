// The inspection on a phone (/enforcement/inspections/{id}/phone): findings with photo and GPS, the
// inspectors' signatures and the enterprise's acknowledgement are written to a draft in localStorage first,
// so a reload or a lost signal loses nothing, then synced in order when online. Every finding, photo and
// signature carries a client_key made once here, so a replayed sync answers what the first one made
// instead of doubling it. Data comes from the #phone-data JSON block (CSP: no inline script).
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("phone-data").textContent);
  const storeKey = "yingji.inspection." + data.inspection_id + ".draft";
  const statusEl = document.getElementById("phone-status");
  let position = null;
  let syncing = null;

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function load() {
    try {
      const d = JSON.parse(localStorage.getItem(storeKey) || "null");
      if (d && Array.isArray(d.queue)) return d;
    } catch (e) { /* a broken draft starts anew */ }
    return { queue: [] };
  }

  function save(draft) {
    localStorage.setItem(storeKey, JSON.stringify(draft));
  }

  // Each queue entry: {type: "finding"|"photo"|"signature", client_key, done, ...}; replayed in order.
  function enqueue(entries) {
    const draft = load();
    draft.queue.push(...entries);
    save(draft);
    render();
  }

  function pending(draft) {
    return draft.queue.filter((e) => !e.done).length;
  }

  function render() {
    const draft = load();
    const n = pending(draft);
    statusEl.dataset.pending = String(n);
    statusEl.dataset.online = navigator.onLine ? "true" : "false";
    statusEl.textContent = (navigator.onLine ? "在线" : "离线") + "，待同步 " + n + " 项" +
      (draft.error ? "（上次同步失败：" + draft.error + "）" : "");
    const list = document.getElementById("draft-findings");
    list.replaceChildren();
    for (const e of draft.queue) {
      if (e.type !== "finding") continue;
      const li = document.createElement("li");
      const photo = draft.queue.some((p) => p.type === "photo" && p.finding_client_key === e.client_key);
      li.textContent = (e.body.checklist_number ? e.body.checklist_number + " " : "") + e.body.description +
        (photo ? "（有照片）" : "") + (e.body.lon != null ? "（已定位）" : "") + (e.done ? " · 已同步" : " · 待同步");
      li.dataset.clientKey = e.client_key;
      list.appendChild(li);
    }
  }

  function dataUrlToBlob(url) {
    const [head, body] = url.split(",");
    const mime = head.slice(5).split(";")[0];
    const bin = atob(body);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Blob([bytes], { type: mime });
  }

  // A phone photo is scaled to at most 1600 px and kept as JPEG so the draft fits in the browser's storage.
  async function photoDataUrl(file) {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL("image/jpeg", 0.85);
  }

  async function send(entry) {
    const headers = { "X-CSRF-Token": data.csrf };
    let res;
    if (entry.type === "finding") {
      headers["Content-Type"] = "application/json";
      res = await fetch(data.api + "/findings", {
        method: "POST", credentials: "same-origin", headers,
        body: JSON.stringify({ client_key: entry.client_key, ...entry.body }),
      });
    } else {
      const form = new FormData();
      form.append("client_key", entry.client_key);
      form.append("kind", entry.kind);
      if (entry.finding_client_key) form.append("finding_client_key", entry.finding_client_key);
      if (entry.inspector_id) form.append("inspector_id", String(entry.inspector_id));
      if (entry.signer_name) form.append("signer_name", entry.signer_name);
      const blob = dataUrlToBlob(entry.file);
      form.append("file", blob, entry.kind + (blob.type === "image/png" ? ".png" : ".jpg"));
      res = await fetch(data.api + "/attachments", { method: "POST", credentials: "same-origin", headers, body: form });
    }
    if (!res.ok) {
      let detail = "HTTP " + res.status;
      try { const j = await res.json(); detail = j.detail ? JSON.stringify(j.detail) : detail; } catch (e) { /* */ }
      const err = new Error(detail);
      err.permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
      throw err;
    }
    return res.json();
  }

  // Replays the queue in order; stops at the first failure (a bad line) and keeps the rest for later.
  async function syncOnce() {
    if (!navigator.onLine) { render(); return load(); }
    for (;;) {
      const draft = load();
      const entry = draft.queue.find((e) => !e.done);
      if (!entry) { delete draft.error; save(draft); break; }
      try {
        await send(entry);
      } catch (e) {
        const d = load();
        d.error = String(e.message || e);
        save(d);
        render();
        return d;
      }
      const d = load();
      const same = d.queue.find((x) => x.client_key === entry.client_key);
      if (same) same.done = true;
      delete d.error;
      save(d);
      render();
    }
    render();
    return load();
  }

  function sync() {
    if (!syncing) syncing = syncOnce().finally(() => { syncing = null; });
    return syncing;
  }

  function watchPosition() {
    const el = document.getElementById("gps-status");
    if (!navigator.geolocation) { el.textContent = "定位：本设备不支持"; return; }
    navigator.geolocation.watchPosition((p) => {
      position = { lon: Number(p.coords.longitude.toFixed(6)), lat: Number(p.coords.latitude.toFixed(6)) };
      el.textContent = "定位：" + position.lon + ", " + position.lat + "（±" + Math.round(p.coords.accuracy) + " 米）";
    }, () => { el.textContent = "定位：未取得（未授权或无信号），检查发现不带坐标"; },
    { enableHighAccuracy: true, maximumAge: 60000, timeout: 20000 });
  }

  async function onFinding(ev) {
    ev.preventDefault();
    const form = ev.target;
    const description = form.description.value.trim();
    if (description.length < 2) { form.description.focus(); return; }
    const key = newKey();
    const entries = [{
      type: "finding", client_key: key, done: false,
      body: { description, checklist_number: form.checklist_number.value, major: form.major.checked,
              lon: position ? position.lon : null, lat: position ? position.lat : null },
    }];
    const file = form.photo.files[0];
    if (file) {
      entries.push({ type: "photo", kind: "photo", client_key: newKey(), finding_client_key: key,
                     file: await photoDataUrl(file), done: false });
    }
    enqueue(entries);
    form.reset();
    sync();
  }

  function setupSignature(box) {
    const canvas = box.querySelector("canvas");
    const ctx = canvas.getContext("2d");
    const state = box.querySelector(".sig-state");
    let drawing = false;
    let strokes = 0;
    ctx.lineWidth = 2;
    ctx.lineCap = "round";
    function at(ev) {
      const r = canvas.getBoundingClientRect();
      return [(ev.clientX - r.left) * canvas.width / r.width, (ev.clientY - r.top) * canvas.height / r.height];
    }
    canvas.addEventListener("pointerdown", (ev) => { drawing = true; ctx.beginPath(); ctx.moveTo(...at(ev)); });
    canvas.addEventListener("pointermove", (ev) => { if (drawing) { ctx.lineTo(...at(ev)); ctx.stroke(); strokes++; } });
    window.addEventListener("pointerup", () => { drawing = false; });
    box.querySelector(".sig-clear").addEventListener("click", () => {
      ctx.clearRect(0, 0, canvas.width, canvas.height); strokes = 0; state.textContent = "";
    });
    box.querySelector(".sig-save").addEventListener("click", () => {
      if (!strokes) { state.textContent = "请先签名"; return; }
      const entry = { type: "signature", kind: box.dataset.kind, client_key: newKey(), done: false,
                      file: canvas.toDataURL("image/png") };
      if (box.dataset.inspectorId) entry.inspector_id = Number(box.dataset.inspectorId);
      if (box.dataset.kind === "enterprise_signature") {
        entry.signer_name = box.querySelector(".signer-name").value.trim();
        if (!entry.signer_name) { state.textContent = "请填写签收人姓名"; return; }
      }
      enqueue([entry]);
      state.textContent = "已保存到草稿";
      sync();
    });
  }

  document.getElementById("finding-form").addEventListener("submit", onFinding);
  document.getElementById("phone-sync").addEventListener("click", () => sync());
  document.querySelectorAll(".signature").forEach(setupSignature);
  window.addEventListener("online", () => sync());
  window.addEventListener("offline", render);
  // A manual replay (and the browser test's): every entry queued again and synced; the client_keys make
  // it change nothing on the server.
  window.yingjiPhone = {
    sync,
    draft: load,
    replay() {
      const d = load();
      for (const e of d.queue) e.done = false;
      save(d);
      return sync();
    },
  };
  watchPosition();
  render();
  sync();
})();
