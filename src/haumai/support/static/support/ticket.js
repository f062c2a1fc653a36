/* Ticket page: keys (r reply, n note, a assign to me, e solve, j / k next / previous message), the
   presence heartbeat (collision notice, "writing a reply") and a notice when the ticket changed. */
(function () {
  "use strict";
  var HEARTBEAT_MS = 10000;
  var LIVE_MS = 1000;
  function typing(event) {
    var target = event.target;
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-ticket]");
    if (!root) { return; }
    var body = document.getElementById("reply-body");
    var messages = Array.prototype.slice.call(document.querySelectorAll(".hm-message"));
    var current = messages.length - 1;
    function focusReply(kind) {
      var radio = document.getElementById(kind === "note" ? "vis-note" : "vis-public");
      if (radio) { radio.checked = true; }
      if (body) { body.focus(); }
    }
    function submit(id) {
      var form = document.getElementById(id);
      if (form) { form.submit(); }
    }
    function show(i) {
      if (!messages.length) { return; }
      current = Math.max(0, Math.min(messages.length - 1, i));
      messages[current].scrollIntoView({ block: "nearest" });
      messages.forEach(function (m, n) { m.classList.toggle("hm-message-current", n === current); });
    }
    document.addEventListener("keydown", function (event) {
      if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) { return; }
      var actions = {
        r: function () { focusReply("public"); },
        n: function () { focusReply("note"); },
        a: function () { submit("assign-me-form"); },
        e: function () { submit("solve-form"); },
        j: function () { show(current + 1); },
        k: function () { show(current - 1); }
      };
      var action = actions[event.key];
      if (action) { event.preventDefault(); action(); }
    });

    var url = root.getAttribute("data-presence-url");
    var version = root.getAttribute("data-version");
    var collision = document.getElementById("ticket-collision");
    var changed = document.getElementById("ticket-changed");
    var composing = false;
    if (body) { body.addEventListener("input", function () { composing = body.value.trim().length > 0; }); }
    function beat() {
      var data = new URLSearchParams();
      data.set("composing", composing ? "1" : "0");
      fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrf() } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) { return; }
          if (collision) {
            var names = state.others.map(function (p) {
              return p.name + (p.composing ? " (" + collision.getAttribute("data-label-writing") + ")" : "");
            });
            collision.hidden = names.length === 0;
            var text = collision.querySelector("[data-collision-text]");
            if (text) { text.textContent = collision.getAttribute("data-label-viewing") + " " + names.join(", "); }
          }
          if (changed && String(state.version) !== version) { changed.hidden = false; }
        })
        .catch(function () { /* offline for a moment: the next beat tries again */ });
    }
    window.setInterval(beat, HEARTBEAT_MS);
    window.setTimeout(beat, 1500);

    // Website chat: new messages and typing both ways. Pushed over server-sent events (data-stream-url)
    // when the server streams; otherwise, or while the stream is down, posted every second (LIVE_MS).
    var liveUrl = root.getAttribute("data-live-url");
    if (!liveUrl) { return; }
    var cursor = root.getAttribute("data-cursor") || "0";
    var list = document.getElementById("conversation");
    var typingBox = document.getElementById("visitor-typing");
    var publicRadio = document.getElementById("vis-public");
    var lastKey = 0, streaming = false, sentWriting = false, sentAt = 0;
    if (body) { body.addEventListener("input", function () { lastKey = Date.now(); }); }
    function showRows(rows, newVersion) {
      if (!rows.length) { return; }
      var template = document.createElement("template");
      template.innerHTML = rows.join("");
      Array.prototype.forEach.call(template.content.querySelectorAll("li[id]"), function (li) {
        if (!document.getElementById(li.id)) { list.appendChild(li); messages.push(li); }
      });
      list.lastElementChild.scrollIntoView({ block: "nearest" });
      version = String(newVersion);
    }
    function showTyping(on) { if (typingBox) { typingBox.textContent = on ? root.getAttribute("data-label-typing") : ""; } }
    var streamUrl = root.getAttribute("data-stream-url");
    if (streamUrl && window.EventSource) {
      var source = new window.EventSource(streamUrl + "?after=" + encodeURIComponent(cursor));
      source.addEventListener("open", function () { streaming = true; root.setAttribute("data-transport", "stream"); });
      source.addEventListener("messages", function (event) {
        var state = JSON.parse(event.data);
        showRows(state.rows, state.version);
        if (Number(state.cursor) > Number(cursor)) { cursor = String(state.cursor); }
      });
      source.addEventListener("typing", function (event) { showTyping(JSON.parse(event.data).visitor_typing); });
      source.addEventListener("error", function () {
        streaming = false;  // CONNECTING: the browser retries; CLOSED (204, refused): poll from now on
        if (source.readyState === 2) { root.setAttribute("data-transport", "poll"); }
      });
    }
    function live() {
      var writing = !!(body && body.value.trim() && Date.now() - lastKey < 4000 && (!publicRadio || publicRadio.checked));
      if (streaming && writing === sentWriting && (!writing || Date.now() - sentAt < 2000)) {
        return window.setTimeout(live, 250);  // pushed: post only when the agent starts or stops writing
      }
      sentWriting = writing; sentAt = Date.now();
      var data = new URLSearchParams();
      data.set("after", cursor);
      data.set("composing", writing ? "1" : "0");
      fetch(liveUrl, { method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrf() } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) { return; }
          showRows(state.rows, state.version);
          if (Number(state.cursor) > Number(cursor)) { cursor = String(state.cursor); }
          if (!streaming) { showTyping(state.visitor_typing); }
        })
        .catch(function () { /* the next round tries again */ })
        .finally(function () { window.setTimeout(live, streaming ? 250 : LIVE_MS); });
    }
    window.setTimeout(live, LIVE_MS);
  });
})();
