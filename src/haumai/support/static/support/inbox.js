/* Support inbox keys (no inline scripts under the CSP): j / k move the selection, Enter or o opens. */
(function () {
  "use strict";
  function typing(event) {
    var target = event.target;
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  document.addEventListener("DOMContentLoaded", function () {
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-inbox] [data-row]"));
    var index = -1;
    function select(next) {
      if (!rows.length) { return; }
      index = Math.max(0, Math.min(rows.length - 1, next));
      rows.forEach(function (row, i) { row.classList.toggle("table-active", i === index); row.setAttribute("aria-selected", i === index ? "true" : "false"); });
      var link = rows[index].querySelector("[data-row-link]");
      if (link) { link.focus(); }
    }
    document.addEventListener("keydown", function (event) {
      if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (event.key === "j") { select(index + 1); event.preventDefault(); }
      else if (event.key === "k") { select(index - 1); event.preventDefault(); }
      else if ((event.key === "Enter" || event.key === "o") && index >= 0) { window.location.href = rows[index].getAttribute("data-url"); }
    });
  });
})();
