/* Haumai console shell: sidebar, command palette (Ctrl+K), toasts, confirm dialog, small behaviours.
   No inline scripts or handlers anywhere (the pages run under a Content-Security-Policy): templates
   declare behaviour with data- attributes and this file wires it up. */
(function () {
  "use strict";

  var SIDEBAR_COOKIE = "hm_sidebar";
  var ONE_YEAR = 60 * 60 * 24 * 365;

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  /* Sidebar: collapse to icons on wide screens (remembered in a cookie the server reads, so the page
     renders collapsed without a flash); off-canvas on phones and tablets. */
  function initSidebar() {
    var body = document.body;
    var sidebar = $("#hm-sidebar");
    if (!sidebar) { return; }
    var backdrop = $(".hm-backdrop");
    var openButton = $("[data-sidebar-open]");
    var toggle = $("[data-sidebar-toggle]");

    function setOpen(open) {
      body.classList.toggle("hm-sidebar-open", open);
      if (backdrop) { backdrop.hidden = !open; }
      if (openButton) { openButton.setAttribute("aria-expanded", open ? "true" : "false"); }
      if (open) {
        var first = $(".hm-nav-link.is-active", sidebar) || $(".hm-nav-link", sidebar);
        if (first) { first.focus(); }
      }
    }
    if (openButton) { openButton.addEventListener("click", function () { setOpen(true); }); }
    $all("[data-sidebar-close]").forEach(function (el) { el.addEventListener("click", function () { setOpen(false); }); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && body.classList.contains("hm-sidebar-open")) { setOpen(false); if (openButton) { openButton.focus(); } }
    });
    if (toggle) {
      toggle.addEventListener("click", function () {
        var collapsed = !body.classList.contains("hm-sidebar-collapsed");
        body.classList.toggle("hm-sidebar-collapsed", collapsed);
        toggle.setAttribute("aria-pressed", collapsed ? "true" : "false");
        var label = $(".hm-nav-label", toggle);
        if (label) { label.textContent = collapsed ? toggle.dataset.labelExpand : toggle.dataset.labelCollapse; }
        document.cookie = SIDEBAR_COOKIE + "=" + (collapsed ? "collapsed" : "expanded") + "; path=/; max-age=" + ONE_YEAR + "; SameSite=Lax";
      });
      if (body.classList.contains("hm-sidebar-collapsed")) {
        var label = $(".hm-nav-label", toggle);
        if (label) { label.textContent = toggle.dataset.labelExpand; }
      }
    }
  }

  /* Command palette: the top-bar search box. Ctrl+K (or Cmd+K, or "/") focuses it; results come from
     /console/search/ through htmx into a list under the box; arrows move, Enter opens, Esc closes. */
  function initPalette() {
    var form = $("[data-palette]");
    if (!form) { return; }
    var input = $("#hm-search", form);
    var results = $("#hm-search-results", form);
    var active = -1;

    function options() { return $all("[role=option]", results); }
    function open() {
      if (!results.innerHTML.trim()) { return; }
      results.hidden = false;
      input.setAttribute("aria-expanded", "true");
      form.classList.add("is-open");
    }
    function close() {
      results.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      form.classList.remove("is-open");
      active = -1;
    }
    function highlight(index) {
      var items = options();
      if (!items.length) { active = -1; return; }
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) {
        item.classList.toggle("is-active", i === active);
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      var current = items[active];
      if (!current.id) { current.id = "hm-hit-" + active; }
      input.setAttribute("aria-activedescendant", current.id);
      current.scrollIntoView({ block: "nearest" });
    }
    function focusPalette() {
      form.classList.add("is-summoned");
      input.focus();
      input.select();
      open();
    }

    document.addEventListener("keydown", function (event) {
      var key = (event.key || "").toLowerCase();
      var typing = /^(input|textarea|select)$/i.test((event.target && event.target.tagName) || "") || (event.target && event.target.isContentEditable);
      if ((event.ctrlKey || event.metaKey) && key === "k") { event.preventDefault(); focusPalette(); }
      else if (key === "/" && !typing) { event.preventDefault(); focusPalette(); }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); open(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); open(); highlight(active - 1); }
      else if (event.key === "Enter" && active >= 0 && !results.hidden) {
        var chosen = options()[active];
        if (chosen && chosen.href) { event.preventDefault(); window.location.assign(chosen.href); }
      }
      else if (event.key === "Escape") {
        if (!results.hidden) { event.preventDefault(); close(); }
        else { input.blur(); form.classList.remove("is-summoned"); }
      }
    });
    input.addEventListener("focus", open);
    document.addEventListener("click", function (event) { if (!form.contains(event.target)) { close(); form.classList.remove("is-summoned"); } });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.target !== results) { return; }
      active = -1;
      if (results.innerHTML.trim() && input.value.trim().length >= 2) { open(); if (options().length) { highlight(0); } }
      else { close(); }
    });
    input.addEventListener("input", function () { if (input.value.trim().length < 2) { results.innerHTML = ""; close(); } });
    var trigger = $("[data-palette-open]");
    if (trigger) { trigger.addEventListener("click", focusPalette); }
  }

  /* Waiting-work badges: fetched after the page is shown and every minute while the tab is visible. */
  function initCounts() {
    var nav = $("[data-counts-url]");
    if (!nav || !window.fetch) { return; }
    var url = nav.dataset.countsUrl;
    function refresh() {
      if (document.visibilityState === "hidden") { return; }
      window.fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          $all("[data-nav-key]", nav).forEach(function (link) {
            var badge = $("[data-nav-count]", link);
            if (!badge) { return; }
            var entry = data.counts[link.dataset.navKey];
            var label = entry ? entry.label : "";
            badge.textContent = label;
            badge.hidden = !label;
            badge.dataset.count = entry ? String(entry.count) : "0";
          });
          nav.dataset.countsLoaded = "true";
        })
        .catch(function () { /* a missed refresh is retried in a minute */ });
    }
    refresh();
    window.setInterval(refresh, 60000);
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") { refresh(); } });
  }

  /* Toasts for Django messages: success and info leave by themselves, warnings and errors stay. */
  function initToasts() {
    $all("[data-toast]").forEach(function (toast) {
      var closeButton = $("[data-toast-close]", toast);
      function dismiss() { toast.classList.add("is-leaving"); window.setTimeout(function () { toast.remove(); }, 200); }
      if (closeButton) { closeButton.addEventListener("click", dismiss); }
      if (/hm-toast-(success|info)/.test(toast.className)) { window.setTimeout(dismiss, 8000); }
    });
  }

  /* Confirm dialog: <button data-confirm="Cancel this shipment?"> (or a form with data-confirm) asks first. */
  function initConfirm() {
    var dialog = $("#hm-confirm");
    var confirmed = null;
    function ask(message, proceed) {
      if (!dialog || typeof dialog.showModal !== "function") { if (window.confirm(message)) { proceed(); } return; }
      $("#hm-confirm-text", dialog).textContent = message;
      confirmed = proceed;
      dialog.returnValue = "";
      dialog.showModal();
      $("#hm-confirm-ok", dialog).focus();
    }
    if (dialog) {
      dialog.addEventListener("close", function () {
        var proceed = confirmed;
        confirmed = null;
        if (dialog.returnValue === "confirm" && proceed) { proceed(); }
      });
    }
    document.addEventListener("click", function (event) {
      var trigger = event.target.closest && event.target.closest("[data-confirm]:not(form)");
      if (!trigger || trigger.dataset.confirmed === "yes") { return; }
      event.preventDefault();
      ask(trigger.dataset.confirm, function () {
        trigger.dataset.confirmed = "yes";
        if (trigger.form && (trigger.type === "submit" || trigger.tagName === "BUTTON")) { trigger.form.requestSubmit(trigger); }
        else if (trigger.href) { window.location.assign(trigger.href); }
        else { trigger.click(); }
        delete trigger.dataset.confirmed;
      });
    }, true);
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-confirm]") || form.dataset.confirmed === "yes") { return; }
      event.preventDefault();
      var submitter = event.submitter || null;
      ask(form.dataset.confirm, function () {
        form.dataset.confirmed = "yes";
        form.requestSubmit(submitter);
        delete form.dataset.confirmed;
      });
    }, true);
  }

  /* Small behaviours declared in templates. */
  function initBehaviours() {
    $all("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    var autoselect = $("[data-autoselect]");
    if (autoselect) { autoselect.focus(); if (autoselect.select) { autoselect.select(); } }
    $all("details.hm-user-menu").forEach(function (menu) {
      document.addEventListener("click", function (event) { if (!menu.contains(event.target)) { menu.open = false; } });
      menu.addEventListener("keydown", function (event) { if (event.key === "Escape") { menu.open = false; $("summary", menu).focus(); } });
    });
  }

  function init() { initSidebar(); initCounts(); initPalette(); initToasts(); initConfirm(); initBehaviours(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
