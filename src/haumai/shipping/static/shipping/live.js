// Shipment page: the live state partial (htmx polling) fires `shipment-changed` when the carrier or a
// colleague moved the shipment on. Reload the page to show the new timeline and actions, unless the user
// is typing in one of its forms: then offer a link instead of throwing the input away.
(function () {
  "use strict";
  if (window.haumaiShipmentLive) { return; }
  window.haumaiShipmentLive = true;

  function typing() {
    var fields = document.querySelectorAll("main input, main textarea, main select");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "hidden") { continue; }
      if (field.tagName === "SELECT") {
        for (var j = 0; j < field.options.length; j++) {
          if (field.options[j].selected !== field.options[j].defaultSelected) { return true; }
        }
      } else if (field.value !== field.defaultValue) {
        return true;
      }
    }
    return false;
  }

  document.body.addEventListener("shipment-changed", function () {
    if (!typing()) { window.location.reload(); return; }
    var live = document.getElementById("shipment-live");
    if (!live || document.getElementById("shipment-news")) { return; }
    var news = document.createElement("div");
    news.id = "shipment-news";
    news.className = "alert alert-info py-2 mt-2";
    news.setAttribute("role", "status");
    news.textContent = live.getAttribute("data-news") + " ";
    var link = document.createElement("a");
    link.href = window.location.pathname;
    link.textContent = live.getAttribute("data-reload");
    news.appendChild(link);
    live.parentElement.insertAdjacentElement("afterend", news);
  });
})();
