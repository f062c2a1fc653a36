/* Haumai website chat widget. Embed with one tag:
     <script src="https://HAUMAI/widget/haumai-chat.js" data-lang="vi" data-color="#0d6efd" defer></script>
   Options (data-*): lang (vi | en), color, greeting, position (right | left), open ("1": open at load).
   The UI lives in a shadow root (the shop's CSS does not leak in or out). Messages and typing are pushed
   over server-sent events (/widget/api/stream) when the server streams; otherwise, and whenever the
   stream is down, they are polled from /widget/api/messages?after=<id> (every second while open). Public API: window.HaumaiChat
   .open(), .close(), .send(text), .onMessage(callback). */
(function () {
  "use strict";
  if (window.HaumaiChat) { return; }
  var script = document.currentScript || document.querySelector("script[src*='haumai-chat.js']");
  var base = new URL(script.src, window.location.href).origin;
  var data = script.dataset || {};
  var lang = (data.lang || document.documentElement.lang || "vi").slice(0, 2) === "en" ? "en" : "vi";
  var storageKey = "haumai-chat:" + base;
  var OPEN_POLL_MS = 1000, CLOSED_POLL_MS = 5000, HIDDEN_POLL_MS = 15000, TYPING_EVERY_MS = 2000;

  var state = {
    token: read("token"), cursor: 0, open: false, online: true, labels: {}, started: false, starting: null,
    seen: {}, unread: 0, readUpTo: Number(read("read")) || 0, listeners: [], timer: null, typingSentAt: 0, typingOn: false, pending: {},
    streamable: false, stream: null, streamFailed: false, streamAsking: false, streamOpened: false, streamRetries: 0
  };
  var FALLBACK = lang === "en"
    ? { title: "Chat with us", placeholder: "Write a message…", send: "Send", open: "Open the chat",
        close: "Close the chat", failed: "Not sent. Check your connection and try again.", you: "You",
        agent: "Customer care", bot: "Virtual assistant", typing: "is typing…" }
    : { title: "Chat với chúng tôi", placeholder: "Nhập tin nhắn…", send: "Gửi", open: "Mở khung chat",
        close: "Đóng khung chat", failed: "Chưa gửi được. Kiểm tra kết nối và thử lại.", you: "Bạn",
        agent: "Chăm sóc khách hàng", bot: "Trợ lý ảo", typing: "đang nhập…" };

  function read(name) {
    try { return window.localStorage.getItem(storageKey + ":" + name) || ""; } catch (e) { return ""; }
  }
  function write(name, value) {
    try { window.localStorage.setItem(storageKey + ":" + name, value); } catch (e) { /* private mode */ }
  }
  function label(name) { return state.labels[name] || FALLBACK[name] || ""; }
  function clientId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }
  function api(method, path, body) {
    var headers = { "X-Haumai-Language": lang };
    if (state.token) { headers["X-Haumai-Visitor"] = state.token; }
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    return fetch(base + "/widget/api/" + path, {
      method: method, headers: headers, credentials: "same-origin", mode: "cors",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 204) { return {}; }
      return response.json().then(function (json) {
        if (!response.ok) { var error = new Error((json.error && json.error.message) || response.status); error.body = json; throw error; }
        return json;
      });
    });
  }

  // ---- UI -------------------------------------------------------------------------------------------
  var host = document.createElement("div");
  host.setAttribute("data-haumai-chat", "");
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var color = /^#[0-9a-fA-F]{3,8}$/.test(data.color || "") ? data.color : "#0d6efd";
  var side = data.position === "left" ? "left" : "right";
  var style = document.createElement("style");
  style.textContent = [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}",
    ".launch{position:fixed;bottom:20px;" + side + ":20px;z-index:2147483000;width:56px;height:56px;border-radius:50%;border:0;background:var(--hc);color:#fff;font-size:26px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}",
    ".badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;border-radius:10px;background:#dc3545;color:#fff;font-size:12px;line-height:20px;padding:0 5px}",
    ".panel{position:fixed;bottom:88px;" + side + ":20px;z-index:2147483001;width:360px;max-width:calc(100vw - 24px);height:520px;max-height:calc(100vh - 110px);background:#fff;color:#212529;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden;font-size:15px}",
    ".panel[hidden],.launch[hidden],[hidden]{display:none!important}",
    "header{background:var(--hc);color:#fff;padding:12px 14px;display:flex;align-items:center;gap:8px}",
    "header h2{font-size:16px;margin:0;flex:1}",
    "header button{background:transparent;border:0;color:#fff;font-size:22px;cursor:pointer;line-height:1}",
    ".status{font-size:12px;opacity:.9}",
    ".log{flex:1;overflow-y:auto;padding:12px;background:#f6f7f9;margin:0;list-style:none}",
    ".msg{margin:6px 0;display:flex;flex-direction:column;max-width:85%}",
    ".msg.in{margin-left:auto;align-items:flex-end}",
    ".who{font-size:11px;color:#6c757d;margin:0 4px 2px}",
    ".bubble{padding:8px 11px;border-radius:14px;white-space:pre-wrap;word-wrap:break-word;background:#fff;border:1px solid #e3e5e8}",
    ".msg.in .bubble{background:var(--hc);color:#fff;border-color:transparent}",
    ".msg.out .bubble a{color:var(--hc);text-decoration:underline;word-break:break-all}",
    ".msg.pending .bubble{opacity:.6}.msg.failed .bubble{outline:2px solid #dc3545}",
    ".err{font-size:12px;color:#dc3545;margin:2px 4px}",
    ".quick{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}",
    ".quick button{border:1px solid var(--hc);background:#fff;color:var(--hc);border-radius:14px;padding:4px 10px;cursor:pointer;font-size:13px}",
    ".typing{font-size:12px;color:#6c757d;padding:0 14px 4px;min-height:18px;background:#f6f7f9}",
    "form.compose{display:flex;gap:6px;padding:8px;border-top:1px solid #e3e5e8}",
    "textarea{flex:1;resize:none;border:1px solid #ced4da;border-radius:10px;padding:8px;font-size:15px;height:42px;max-height:120px}",
    "button.primary{background:var(--hc);color:#fff;border:0;border-radius:10px;padding:0 14px;font-size:15px;cursor:pointer;min-height:42px}",
    "form.offline{padding:12px;overflow-y:auto;display:flex;flex-direction:column;gap:8px}",
    "form.offline label{font-size:13px;display:flex;flex-direction:column;gap:3px}",
    "form.offline input,form.offline textarea{border:1px solid #ced4da;border-radius:8px;padding:8px;font-size:15px;height:auto}",
    "form.offline p{margin:0;font-size:14px}",
    "@media (max-width:480px){.panel{inset:0;width:100%;max-width:none;height:100%;max-height:none;border-radius:0}}"
  ].join("\n");
  root.appendChild(style);
  host.style.setProperty("--hc", color);

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  var launch = el("button", { class: "launch", type: "button", part: "launcher" }, "💬");
  var badge = el("span", { class: "badge", hidden: "" });
  launch.appendChild(badge);
  var panel = el("section", { class: "panel", hidden: "", role: "dialog" });
  var header = el("header");
  var titleBox = el("div", { style: "flex:1" });
  var title = el("h2");
  var status = el("div", { class: "status" });
  titleBox.appendChild(title); titleBox.appendChild(status);
  var closeButton = el("button", { type: "button", class: "close" }, "×");
  header.appendChild(titleBox); header.appendChild(closeButton);
  var log = el("ol", { class: "log", "aria-live": "polite" });
  var typingLine = el("div", { class: "typing", "aria-live": "polite" });
  var compose = el("form", { class: "compose" });
  var input = el("textarea", { name: "text", rows: "1", maxlength: "2000" });
  var sendButton = el("button", { type: "submit", class: "primary" });
  compose.appendChild(input); compose.appendChild(sendButton);
  var offline = el("form", { class: "offline", hidden: "" });
  panel.appendChild(header); panel.appendChild(log); panel.appendChild(typingLine);
  panel.appendChild(compose); panel.appendChild(offline);
  root.appendChild(launch); root.appendChild(panel);

  function applyLabels() {
    title.textContent = label("title");
    launch.setAttribute("aria-label", label("open"));
    closeButton.setAttribute("aria-label", label("close"));
    input.setAttribute("placeholder", label("placeholder"));
    input.setAttribute("aria-label", label("placeholder"));
    sendButton.textContent = label("send");
    panel.setAttribute("aria-label", label("title"));
  }

  function whoLabel(message) {
    if (message.author === "visitor") { return label("you"); }
    if (message.author === "bot") { return message.author_name ? message.author_name + " · " + label("bot") : label("bot"); }
    return message.author_name || label("agent");
  }
  // Links in the shop's answers (the bot's article links, an agent's tracking link) open in a new tab. Built
  // from text nodes and <a> elements, never innerHTML; only http(s) addresses become links, and a
  // visitor's own message stays plain text.
  var URL_PATTERN = /https?:\/\/[^\s<>"']+/g;
  function bubble(message) {
    var box = el("div", { class: "bubble" });
    var text = message.text || "";
    if (message.direction !== "out") { box.textContent = text; return box; }
    var last = 0;
    text.replace(URL_PATTERN, function (found, at) {
      var address = found.replace(/[.,;:!?)\]]+$/, "");
      box.appendChild(document.createTextNode(text.slice(last, at)));
      box.appendChild(el("a", { href: address, target: "_blank", rel: "noopener noreferrer" }, address));
      last = at + address.length;
      return found;
    });
    box.appendChild(document.createTextNode(text.slice(last)));
    return box;
  }
  function render(message, pending) {
    var item = el("li", { class: "msg " + message.direction + (pending ? " pending" : ""), "data-id": String(message.id || "") });
    item.appendChild(el("span", { class: "who" }, whoLabel(message)));
    item.appendChild(bubble(message));
    if (message.quick_replies && message.quick_replies.length) {
      var quick = el("div", { class: "quick" });
      message.quick_replies.forEach(function (text) {
        var button = el("button", { type: "button" }, text);
        button.addEventListener("click", function () { quick.remove(); send(text); });
        quick.appendChild(button);
      });
      item.appendChild(quick);
    }
    return item;
  }
  function markRead() {
    if (state.cursor > state.readUpTo) { state.readUpTo = state.cursor; write("read", String(state.cursor)); }
  }
  function scrollDown() { log.scrollTop = log.scrollHeight; }
  function addMessages(list) {
    list.forEach(function (message) {
      if (state.seen[message.id]) { return; }
      state.seen[message.id] = true;
      var mine = message.client_id && state.pending[message.client_id];
      if (mine) {  // pushed before the post's own answer came back: the bubble on screen is this message
        delete state.pending[message.client_id];
        mine.classList.remove("pending", "failed"); mine.setAttribute("data-id", String(message.id));
        return;
      }
      log.appendChild(render(message, false));
      if (message.direction === "out" && !state.open && message.id > state.readUpTo) { state.unread += 1; }
      state.listeners.forEach(function (callback) { try { callback(message); } catch (e) { /* the page's code */ } });
    });
    badge.hidden = state.unread === 0;
    badge.textContent = String(state.unread);
    if (list.length) { scrollDown(); }
    if (state.open) { markRead(); }
  }
  function showOnline(online) {
    state.online = online;
    status.textContent = "";
    compose.hidden = !online;
    offline.hidden = online;
    if (!online && !offline.childNodes.length) { buildOffline(); }
  }
  function buildOffline() {
    offline.appendChild(el("p", { class: "fw" }, label("offline_title")));
    offline.appendChild(el("p", {}, label("offline_intro")));
    [["name", "text", 120], ["phone", "tel", 40], ["email", "email", 160]].forEach(function (field) {
      var wrap = el("label", {}, label(field[0]));
      wrap.appendChild(el("input", { name: field[0], type: field[1], maxlength: String(field[2]) }));
      offline.appendChild(wrap);
    });
    var textWrap = el("label", {}, label("message"));
    textWrap.appendChild(el("textarea", { name: "text", rows: "4", maxlength: "2000", style: "height:auto" }));
    offline.appendChild(textWrap);
    offline.appendChild(el("div", { class: "err", role: "alert" }));
    offline.appendChild(el("button", { type: "submit", class: "primary" }, label("offline_send")));
  }

  // ---- conversation ---------------------------------------------------------------------------------
  function start() {
    if (state.started) { return Promise.resolve(); }
    if (state.starting) { return state.starting; }
    state.starting = api("POST", "session?lang=" + lang, { token: state.token }).then(function (answer) {
      state.token = answer.token; write("token", answer.token);
      state.labels = answer.labels || {};
      if (!data.color && answer.color && /^#[0-9a-fA-F]{3,8}$/.test(answer.color)) { host.style.setProperty("--hc", answer.color); }
      applyLabels();
      state.started = true;
      var greeting = data.greeting || label("greeting");
      if (greeting && !log.querySelector(".greeting")) {
        var hello = render({ direction: "out", author: "agent", text: greeting }, false);
        hello.classList.add("greeting");
        log.insertBefore(hello, log.firstChild);
      }
      showOnline(answer.online);
      state.cursor = answer.cursor || 0;
      state.streamable = !!answer.stream;
      addMessages(answer.messages || []);
      showTyping(answer.agent_typing);
    }).finally(function () { state.starting = null; });
    return state.starting;
  }
  function showTyping(on) { typingLine.textContent = on ? label("agent") + " " + label("typing") : ""; }
  // The stream URL carries a one-minute stream ticket, never the visitor token (URLs end up in logs).
  function openStream() {
    if (state.stream || state.streamAsking || state.streamFailed || !state.streamable || !window.EventSource) { return; }
    state.streamAsking = true;
    api("POST", "stream-ticket", {}).then(function (answer) {
      connectStream(answer.ticket);
    }).catch(function () {
      state.streamFailed = true; host.setAttribute("data-transport", "poll");
    }).finally(function () { state.streamAsking = false; });
  }
  function connectStream(ticket) {
    if (state.stream || !ticket) { return; }
    var source = new window.EventSource(base + "/widget/api/stream?lang=" + lang + "&ticket=" +
      encodeURIComponent(ticket) + "&after=" + state.cursor);
    state.stream = source;
    source.addEventListener("open", function () {
      state.streamOpened = true; state.streamRetries = 0;
      host.setAttribute("data-transport", "stream"); window.clearTimeout(state.timer);
    });
    source.addEventListener("messages", function (event) {
      var answer = JSON.parse(event.data);
      state.cursor = Math.max(state.cursor, answer.cursor || 0);
      addMessages(answer.messages || []);
      if (answer.online !== state.online) { showOnline(answer.online); }
    });
    source.addEventListener("typing", function (event) { showTyping(JSON.parse(event.data).agent_typing); });
    source.addEventListener("error", function () {
      // Never reconnect with the same URL (its ticket lives a minute): close it. A stream that worked asks a
      // fresh ticket on the next poll (a few times in a row at most); one that never opened (204, refused)
      // means polling from now on.
      source.close(); state.stream = null; state.streamRetries += 1;
      if (!state.streamOpened || state.streamRetries > 3) { state.streamFailed = true; host.setAttribute("data-transport", "poll"); }
      poll();
    });
  }
  function poll() {
    window.clearTimeout(state.timer);
    if (state.started) { openStream(); }
    if (state.stream && state.stream.readyState === 1) { return; }  // pushed: nothing to poll
    var delay = document.hidden ? HIDDEN_POLL_MS : (state.open ? OPEN_POLL_MS : CLOSED_POLL_MS);
    var run = function () {
      if (!state.started) { return schedule(); }
      api("GET", "messages?after=" + state.cursor).then(function (answer) {
        state.cursor = Math.max(state.cursor, answer.cursor || 0);
        addMessages(answer.messages || []);
        showTyping(answer.agent_typing);
        if (answer.online !== state.online) { showOnline(answer.online); }
      }).catch(function () { /* offline for a moment: the next poll tries again */ }).finally(schedule);
    };
    function schedule() { state.timer = window.setTimeout(poll, 0); }
    state.timer = window.setTimeout(run, delay);
  }
  function send(text, existingId, existingItem) {
    text = (text || "").trim();
    if (!text) { return Promise.resolve(); }
    var id = existingId || clientId();
    var item = existingItem || render({ direction: "in", author: "visitor", text: text }, true);
    if (!existingItem) { log.appendChild(item); scrollDown(); }
    item.classList.add("pending"); item.classList.remove("failed");
    state.pending[id] = item;
    var oldError = item.querySelector(".err"); if (oldError) { oldError.remove(); }
    typingOff();
    return start().then(function () {
      return api("POST", "messages", { client_id: id, text: text });
    }).then(function (answer) {
      delete state.pending[id];
      item.classList.remove("pending");
      state.seen[answer.message.id] = true;
      item.setAttribute("data-id", String(answer.message.id));
    }).catch(function (error) {
      delete state.pending[id];
      item.classList.remove("pending"); item.classList.add("failed");
      var message = (error.body && error.body.error && ((error.body.error.fields[0] || {}).message || error.body.error.message)) || label("failed");
      var note = el("button", { type: "button", class: "err" }, message);
      note.addEventListener("click", function () { send(text, id, item); });
      item.appendChild(note);
    });
  }
  function typingOff() {
    if (state.typingOn) { state.typingOn = false; api("POST", "typing", { typing: false }).catch(function () {}); }
  }

  compose.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value; input.value = "";
    send(text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); compose.requestSubmit ? compose.requestSubmit() : compose.dispatchEvent(new Event("submit")); }
  });
  input.addEventListener("input", function () {
    if (!state.started || !input.value.trim()) { return typingOff(); }
    var now = Date.now();
    if (now - state.typingSentAt > TYPING_EVERY_MS) {
      state.typingSentAt = now; state.typingOn = true;
      api("POST", "typing", { typing: true }).catch(function () {});
    }
  });
  input.addEventListener("blur", typingOff);
  offline.addEventListener("submit", function (event) {
    event.preventDefault();
    var fields = {};
    ["name", "phone", "email", "text"].forEach(function (name) { fields[name] = offline.querySelector("[name=" + name + "]").value; });
    fields.client_id = clientId();
    var errorBox = offline.querySelector(".err");
    errorBox.textContent = "";
    api("POST", "offline", fields).then(function (answer) {
      state.seen[answer.message.id] = true;
      offline.textContent = "";
      offline.appendChild(el("p", { class: "done" }, label("offline_sent")));
    }).catch(function (error) {
      var body = error.body && error.body.error;
      errorBox.textContent = body ? ((body.fields[0] || {}).message || body.message) : label("failed");
    });
  });

  function open() {
    state.open = true; panel.hidden = false; launch.hidden = window.innerWidth <= 480;
    state.unread = 0; badge.hidden = true;
    start().then(function () { markRead(); scrollDown(); if (state.online) { input.focus(); } poll(); })
      .catch(function () { status.textContent = label("failed"); });
  }
  function close() { state.open = false; panel.hidden = true; launch.hidden = false; typingOff(); poll(); }
  launch.addEventListener("click", function () { return state.open ? close() : open(); });
  closeButton.addEventListener("click", close);
  document.addEventListener("visibilitychange", function () { if (state.started) { poll(); } });

  window.HaumaiChat = {
    open: open,
    close: close,
    send: function (text) { return send(text); },
    onMessage: function (callback) { state.listeners.push(callback); }
  };
  applyLabels();
  function mount() {
    document.body.appendChild(host);
    // A returning visitor (a stored token) sees replies that arrived while away as a badge on the button.
    if (state.token) { start().then(poll).catch(function () {}); }
    if (data.open === "1") { open(); }
  }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
})();
