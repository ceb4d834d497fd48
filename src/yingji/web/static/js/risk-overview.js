// Charts on the risk overview page; data from the page's JSON blocks.
document.addEventListener("DOMContentLoaded", function () {
  const data = JSON.parse(document.getElementById("risk-chart-data").textContent);
  const names = JSON.parse(document.getElementById("risk-labels").textContent);
  const levels = ["red", "orange", "yellow", "blue", "none"];
  const colors = { red: "#c0392b", orange: "#e67e22", yellow: "#f1c40f", blue: "#2980b9", none: "#b0bec5" };
  function stacked(id, table, label) {
    const el = document.getElementById(id); if (!el) return;
    const cats = Object.keys(table);
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 100, right: 16, top: 56, bottom: 20 },
      xAxis: { type: "value", minInterval: 1 }, yAxis: { type: "category", data: cats.map(label), inverse: true },
      series: levels.map(lv => ({ name: lv === "none" ? "未评定" : names.levels[lv], type: "bar", stack: "n",
        itemStyle: { color: colors[lv] }, data: cats.map(c => table[c][lv] || 0) })),
    });
    window.addEventListener("resize", () => chart.resize());
  }
  stacked("risk-chart-industry", data.by_industry, c => names.industries[c] || c);
  stacked("risk-chart-township", data.by_township, c => c);
  const el = document.getElementById("risk-chart-trend");
  const chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 16, top: 30, bottom: 30 },
    xAxis: { type: "category", data: data.trend.months }, yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "发现隐患", type: "line", data: data.trend.found, itemStyle: { color: "#e67e22" } },
      { name: "其中重大", type: "line", data: data.trend.major, itemStyle: { color: "#c0392b" } },
      { name: "销号", type: "line", data: data.trend.closed, itemStyle: { color: "#27ae60" } },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
});
