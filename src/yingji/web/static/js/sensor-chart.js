// The readings curve on a sensor's page; data from the page's <script type="application/json"> block.
(function () {
  const d = JSON.parse(document.getElementById("sensor-chart-data").textContent);
  const el = document.getElementById("sensor-chart");
  const chart = echarts.init(el);
  const raw = d.resolution === "raw";
  const data = d.points.map(p => [p.ts, raw ? p.value : p.mean]);
  const lines = d.thresholds.map(t => ({ yAxis: t.value, name: t.name, lineStyle: { color: d.colors[t.level], type: "dashed" },
    label: { formatter: t.name.replace(/[{}|]/g, ""), position: "insideEndTop" } }));
  const series = [{ name: raw ? "读数" : "小时均值", type: "line", showSymbol: false, data: data, markLine: { symbol: "none", data: lines } }];
  if (!raw) series.push({ name: "小时最大", type: "line", showSymbol: false, lineStyle: { opacity: 0.4 }, data: d.points.map(p => [p.ts, p.max]) });
  chart.setOption({
    tooltip: { trigger: "axis" }, legend: {}, grid: { left: 50, right: 20, top: 30, bottom: 40 },
    xAxis: { type: "time" }, yAxis: { type: "value", name: d.unit, scale: true }, series: series,
  });
  el.dataset.points = String(data.length);
  el.dataset.thresholds = String(lines.length);
  window.addEventListener("resize", () => chart.resize());
})();
