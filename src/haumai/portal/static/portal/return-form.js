// Return form: show only the fields that apply. An element with data-show-when="name=value" is hidden
// (and its inputs are not sent) unless the form's field `name` has that value. Without JavaScript every
// block stays visible and the server ignores what does not apply.
(function () {
  "use strict";
  var form = document.getElementById("return-form");
  if (!form) { return; }
  var blocks = form.querySelectorAll("[data-show-when]");

  function current(name) {
    var field = form.elements.namedItem(name);
    if (!field) { return ""; }
    if (field.tagName === "SELECT" || field.tagName === "INPUT") { return field.value; }
    var checked = form.querySelector('input[name="' + name + '"]:checked');  // a radio group
    return checked ? checked.value : "";
  }

  function update() {
    blocks.forEach(function (block) {
      var rule = block.getAttribute("data-show-when").split("=");
      var shown = current(rule[0]) === rule[1];
      var parent = block.parentElement && block.parentElement.closest("[data-show-when]");
      if (parent && parent.hidden) { shown = false; }
      block.hidden = !shown;
      block.querySelectorAll("input, select, textarea").forEach(function (input) {
        if (!input.closest("[data-show-when]").hidden) { input.disabled = false; } else { input.disabled = true; }
      });
    });
  }

  form.addEventListener("change", update);
  update();
})();
