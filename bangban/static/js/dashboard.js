/* Draws the charts of the supervision dashboard (bangban/supervision/dashboard.py).
 *
 * The server leaves an empty <div data-chart="ID"> and, next to it, the plotly figure as a JSON
 * data block <script type="application/json" id="ID"> (the Content-Security-Policy allows no
 * inline script). Every point carries the link of the list behind it in `customdata`: clicking
 * a bar opens that list (the drill-down). The same numbers are a table of links under each
 * chart, open when this script does not run; once a chart is drawn its table folds away
 * (one click on "数据表" opens it again). Needs plotly.min.js loaded before it. */
(function () {
  "use strict";

  // Only links inside the application: a path on this site, never "//host" or "javascript:".
  function safeLink(value) {
    return typeof value === "string" && value.charAt(0) === "/" && value.charAt(1) !== "/"
      ? value
      : null;
  }

  function draw(root) {
    if (typeof window.Plotly === "undefined" || !root || !root.querySelectorAll) {
      return;
    }
    var charts = Array.prototype.slice.call(root.querySelectorAll("[data-chart]"));
    charts.forEach(function (chart) {
      if (chart.dataset.drawn === "1") {
        return;
      }
      var block = document.getElementById(chart.dataset.chart);
      if (!block) {
        return;
      }
      var figure = JSON.parse(block.textContent);
      chart.dataset.drawn = "1";
      window.Plotly.newPlot(chart, figure.data, figure.layout, figure.config).then(function () {
        chart.on("plotly_click", function (event) {
          var point = event && event.points && event.points[0];
          var link = point ? safeLink(point.customdata) : null;
          if (link) {
            window.location.assign(link);
          }
        });
        var section = chart.closest(".chart-card");
        var table = section ? section.querySelector("details.chart-table") : null;
        if (table) {
          table.open = false;
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      draw(document);
    });
  } else {
    draw(document);
  }
})();
