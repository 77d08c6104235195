// The monitoring timeline: one line per risk category over the last days (ECharts from node_modules).
(function () {
  "use strict";
  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-mchart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.mchart);
      if (!source || el.dataset.drawn) return;
      var spec = JSON.parse(source.textContent);
      var chart = window.echarts.init(el);
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { type: "scroll", bottom: 0 },
        grid: { left: 40, right: 16, bottom: 50, top: 24, containLabel: true },
        xAxis: { type: "category", data: spec.labels },
        yAxis: { type: "value", minInterval: 1 },
        series: spec.series.map(function (s) { return { name: s.name, type: "line", smooth: true, data: s.values }; })
      });
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
