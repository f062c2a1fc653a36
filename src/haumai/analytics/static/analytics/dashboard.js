// KPI dashboard chart: reads the JSON block written by the page (no inline script: CSP).
(function () {
  "use strict";
  function draw() {
    var canvas = document.getElementById("kpi-chart");
    var source = document.getElementById("kpi-chart-data");
    if (!canvas || !source || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var axes = { csat: "percent", return_rate: "percent", nps: "nps", ces: "ces" };
    var colours = { csat: "#1f7a4d", nps: "#2457a6", ces: "#b7791f", return_rate: "#b83232" };
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set) {
          return { label: set.label, data: set.data, yAxisID: axes[set.key], borderColor: colours[set.key],
                   backgroundColor: colours[set.key], spanGaps: true, pointRadius: 1, tension: 0.2 };
        })
      },
      options: {
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          percent: { type: "linear", position: "left", min: 0, title: { display: true, text: "%" } },
          nps: { type: "linear", position: "right", min: -100, max: 100, grid: { drawOnChartArea: false } },
          ces: { type: "linear", position: "right", min: 1, max: 7, grid: { drawOnChartArea: false } }
        }
      }
    });
    canvas.setAttribute("data-ready", "1");
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
