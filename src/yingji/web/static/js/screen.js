// The duty-room wall (大屏): draws every panel from the snapshot (the page's JSON first, then each `screen`
// event of the stream) by replacing the panel's rows, so the DOM holds only what is shown (lists are capped
// on the server) however long the wall runs. Text goes in as text, never as markup. Drill records carry 演练.
(function () {
  const boot = JSON.parse(document.getElementById("screen-data").textContent);
  const body = document.body;
  const status = document.getElementById("screen-status");
  const clock = document.getElementById("screen-clock");

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function row(parts, cls) {
    const li = el("li", cls || "");
    for (const p of parts) if (p) li.appendChild(p);
    return li;
  }
  function drill(item) { return item.drill ? el("span", "tag drill", "演练") : null; }
  function level(code, label) { return el("span", "lvl lvl-" + (code || "none"), label || code || "—"); }
  function link(item, text) {
    const a = el("a", "name", text);
    if (item.url && /^\/(?![\/\\])/.test(item.url)) a.href = item.url;
    return a;
  }

  const DRAW = {
    alarms: (i) => row([level(i.level, i.level_label), link(i, i.message || i.name), el("span", "at", i.at)]),
    warnings: (i) => row([level(i.level, i.level_label), link(i, i.headline),
      el("span", "num", i.percent == null ? "覆盖：—" : "覆盖 " + i.percent + "%（" + i.reached + "/" + i.targeted + "）"),
      el("span", "at", "至 " + i.expires)]),
    upstream: (i) => row([level(i.level, i.level_label), link(i, i.headline), el("span", "note", i.sender), el("span", "at", "至 " + i.expires)]),
    incidents: (i) => row([drill(i), i.response ? el("span", "lvl lvl-resp-" + i.response_level, i.response) : el("span", "lvl lvl-none", "未启动响应"),
      link(i, i.title), el("span", "note", i.kind + (i.grade ? " · " + i.grade : "")),
      el("span", "num", (i.deaths || i.missing) ? "死亡" + i.deaths + " 失踪" + i.missing : ""), el("span", "at", i.at)], i.drill ? "drill-row" : ""),
    orders: (i) => row([drill(i), el("span", "lvl lvl-order", i.status), link(i, i.receiver), el("span", "note", i.kind + " · " + i.incident), el("span", "at", i.since)], i.drill ? "drill-row" : ""),
    indicators: (i) => row([el("span", "name", i.label),
      el("span", "num" + (i.met === false ? " off-target" : ""), i.value == null ? "缺数据" : i.value + " " + i.unit),
      el("span", "note", i.value == null ? (i.missing || "") : (i.target == null ? "" : "目标 " + i.target))]),
  };

  function drawDuty(panel, d) {
    const rows = [];
    rows.push(row([el("span", "name", "值班日"), el("span", "num", d.day)]));
    rows.push(row([el("span", "name", "带班领导"), el("span", "note", d.leaders.map((p) => p.name + " " + p.phone).join("、") || "未排班")]));
    rows.push(row([el("span", "name", "值班员"), el("span", "note", d.officers.map((p) => p.name + " " + p.phone).join("、") || "未排班")]));
    rows.push(row([el("span", "name", "镇街值班"), el("span", "num", d.townships + " 人")]));
    panel.querySelector(".rows").replaceChildren(...rows);
  }

  function draw(snap) {
    if (snap.ended) { status.textContent = "会话已结束，请重新登录"; return false; }
    for (const panel of document.querySelectorAll("[data-panel]")) {
      const name = panel.dataset.panel, data = snap[name];
      if (!data) continue;
      const count = panel.querySelector(".count");
      if (count) count.textContent = data.denied ? "" : String(data.total);
      const list = panel.querySelector(".rows");
      if (data.denied) { list.replaceChildren(row([el("span", "note", "无权查看")])); continue; }
      if (name === "duty") { drawDuty(panel, data); continue; }
      const items = data.items.map(DRAW[name]);
      if (!items.length) items.push(row([el("span", "note", "无")], "empty"));
      if (data.total > data.items.length) items.push(row([el("span", "note", "另有 " + (data.total - data.items.length) + " 条，见业务页面")], "more"));
      list.replaceChildren(...items);
    }
    clock.textContent = snap.as_of;
    return true;
  }

  draw(boot.snapshot);
  setInterval(() => {
    const now = new Date();
    clock.textContent = now.toLocaleString("zh-CN", { hour12: false });
  }, 1000);

  if (window.EventSource) {
    const source = new EventSource(boot.stream);
    source.addEventListener("open", () => { status.textContent = "实时更新：已连接"; body.dataset.live = "true"; });
    source.addEventListener("error", () => { status.textContent = "实时更新：连接中断，正在重连…"; body.dataset.live = "false"; });
    source.addEventListener("screen", (ev) => {
      const msg = JSON.parse(ev.data);
      if (!draw(msg.snapshot)) { source.close(); return; }
      body.dataset.updates = String(Number(body.dataset.updates) + 1);
      body.dataset.token = msg.token;
      status.textContent = "实时更新：" + new Date().toLocaleTimeString("zh-CN", { hour12: false }) + " 已同步";
    });
  } else {
    status.textContent = "实时更新：浏览器不支持";
  }
})();
