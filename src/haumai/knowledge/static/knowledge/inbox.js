/* Ticket page: search published help articles and insert "title, summary, link" into the reply box. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("ticket-knowledge");
    var form = document.getElementById("knowledge-search");
    var input = document.getElementById("knowledge-q");
    var list = document.getElementById("knowledge-results");
    if (!box || !form || !input || !list) { return; }
    function say(text) {
      list.textContent = "";
      var item = document.createElement("li");
      item.className = "text-muted";
      item.textContent = text;
      list.appendChild(item);
    }
    function insert(result) {
      var reply = document.getElementById("reply-body");
      if (!reply) { return; }
      var text = result.title + "\n" + (result.summary ? result.summary + "\n" : "") + result.url;
      var before = reply.value.replace(/\s+$/, "");
      reply.value = before ? before + "\n\n" + text : text;
      reply.focus();
      reply.dispatchEvent(new Event("input", { bubbles: true }));
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var query = input.value.trim();
      if (query.length < 2) { return; }
      var url = box.dataset.url + "?q=" + encodeURIComponent(query) + "&language=" + encodeURIComponent(box.dataset.language || "");
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
        .then(function (answer) {
          if (!answer.ok) { say(answer.body.detail || box.dataset.labelError); return; }
          list.textContent = "";
          if (!answer.body.results.length) { say(box.dataset.labelNone); return; }
          answer.body.results.forEach(function (result) {
            var item = document.createElement("li");
            item.className = "border-top py-1 d-flex gap-2 align-items-start";
            var text = document.createElement("div");
            text.className = "flex-grow-1";
            var link = document.createElement("a");
            link.href = result.url; link.target = "_blank"; link.rel = "noopener"; link.textContent = result.title;
            text.appendChild(link);
            var button = document.createElement("button");
            button.type = "button"; button.className = "btn btn-sm btn-outline-secondary";
            button.textContent = box.dataset.labelInsert;
            button.addEventListener("click", function () { insert(result); });
            item.appendChild(text); item.appendChild(button);
            list.appendChild(item);
          });
        })
        .catch(function () { say(box.dataset.labelError); });
    });
  });
})();
