/* Draws the Gantt charts of plans (bangban/planning/gantt.py).
 *
 * The server leaves an empty <div data-figure="ID"> and, next to it, the figure as a JSON data
 * block <script type="application/json" id="ID">: the Content-Security-Policy allows no inline
 * script, so nothing on the page runs code but this file. Charts are drawn when the page has
 * loaded and whenever htmx swaps in new content (the planner preview answers with a fresh
 * plan); a chart already drawn is left alone. Needs plotly.min.js loaded before it. */
(function () {
  "use strict";

  function draw(root) {
    if (typeof window.Plotly === "undefined" || !root || !root.querySelectorAll) {
      return;
    }
    var charts = Array.prototype.slice.call(root.querySelectorAll("[data-figure]"));
    if (root.matches && root.matches("[data-figure]")) {
      charts.push(root);
    }
    charts.forEach(function (chart) {
      if (chart.dataset.drawn === "1") {
        return;
      }
      var block = document.getElementById(chart.dataset.figure);
      if (!block) {
        return;
      }
      var figure = JSON.parse(block.textContent);
      chart.dataset.drawn = "1";
      window.Plotly.newPlot(chart, figure.data, figure.layout, figure.config);
    });
  }

  // htmx fires htmx:load on the body once it has initialised and on every element it swaps in.
  document.addEventListener("htmx:load", function (event) {
    draw(event.target);
  });
  // Pages without htmx (or before it starts) still get their charts.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      draw(document);
    });
  } else {
    draw(document);
  }
})();
