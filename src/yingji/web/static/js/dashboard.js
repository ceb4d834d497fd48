// Draws the dashboard charts from the JSON the server embedded in the page.
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const palette = ["#c0392b", "#e67e22", "#f1c40f", "#2980b9", "#16a085", "#8e44ad", "#2c3e50", "#7f8c8d",
                   "#d35400", "#27ae60", "#34495e"];
  function bar(id, rows) {
    const el = document.getElementById(id);
    if (!el) return;
    const chart = echarts.init(el);
    chart.setOption({
      color: palette,
      grid: { left: 90, right: 20, top: 10, bottom: 20 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rows.map(r => r.name), inverse: true },
      series: [{ type: "bar", data: rows.map(r => r.value), label: { show: true, position: "right" } }],
    });
    window.addEventListener("resize", () => chart.resize());
  }
  function pie(id, rows) {
    const el = document.getElementById(id);
    if (!el) return;
    const chart = echarts.init(el);
    chart.setOption({
      color: palette,
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "65%"], data: rows, label: { formatter: "{b}: {c}" } }],
    });
    window.addEventListener("resize", () => chart.resize());
  }
  bar("chart-industries", data.industries);
  bar("chart-regions", data.regions);
  pie("chart-roles", data.roles);
})();
