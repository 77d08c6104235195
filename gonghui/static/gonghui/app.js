// Small behaviours for both shells. No inline scripts: the CSP allows only files from this site.
(function () {
  "use strict";

  function drawCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.drawn) return;
      var source = document.getElementById(el.dataset.chart);
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      var chart = window.echarts.init(el);
      var option = {
        tooltip: { trigger: spec.type === "pie" ? "item" : "axis" },
        color: ["#c8102e", "#e4572e", "#f3a712", "#29335c", "#669bbc", "#8ab17d", "#a26769"],
      };
      if (spec.type === "pie") {
        option.legend = { type: "scroll", bottom: 0 };
        option.series = [{ type: "pie", radius: ["30%", "58%"], center: ["50%", "42%"], label: { show: false }, data: spec.data }];
      } else {
        option.grid = { left: 40, right: 16, bottom: 60, top: 24, containLabel: true };
        option.xAxis = { type: "category", data: spec.labels, axisLabel: { interval: 0, rotate: spec.labels.length > 6 ? 30 : 0 } };
        option.yAxis = { type: "value", minInterval: 1 };
        option.series = [{ type: "bar", data: spec.values, barMaxWidth: 36 }];
      }
      chart.setOption(option);
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });
})();

// Formsets: "add another" clones the empty form from a <template> and bumps TOTAL_FORMS.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-add-form]");
  if (!button) return;
  var prefix = button.dataset.addForm;
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var template = document.getElementById("member-template");
  if (!total || !template) return;
  var html = template.innerHTML.replace(/__prefix__/g, total.value);
  document.getElementById("members").insertAdjacentHTML("beforeend", html);
  total.value = String(Number(total.value) + 1);
});
