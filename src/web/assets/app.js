// adrgraph web view. Every page works without this script; it adds live reload, filters applied
// as they change, as-you-type search (from the server, or from search-index.js in a static site),
// and pan and zoom on the graph. No text from a record is ever inserted as HTML.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var body = document.body;
  var live = body.getAttribute("data-live");

  // Live reload: the server says `reload` when the tree changed.
  // The stream is closed when the page is left (a browser allows six connections to one
  // server, and pages kept for the back button would hold theirs) and opened again on return.
  var es = null;
  var listen = function () {
    // A past revision never changes: nothing to listen to.
    if (!live || body.hasAttribute("data-past") || !window.EventSource || es) { return; }
    es = new EventSource(live);
    es.addEventListener("reload", function () { location.reload(); });
  };
  listen();
  window.addEventListener("pagehide", function () { if (es) { es.close(); es = null; } });
  window.addEventListener("pageshow", function (e) { if (e.persisted) { listen(); } });

  // The decision log: a changed filter applies at once (the server filters; a static site's
  // rows are filtered here).
  var filters = document.getElementById("filters");
  if (filters) {
    filters.addEventListener("change", function () {
      if (live) { filters.submit(); } else { filterRows(filters); }
    });
    if (!live) {
      filters.addEventListener("submit", function (e) { e.preventDefault(); filterRows(filters); });
    }
  }

  function filterRows(form) {
    var data = new FormData(form);
    var statuses = data.getAll("status");
    var one = function (k) { var v = data.get(k); return v ? String(v) : ""; };
    var folder = one("folder"), tag = one("tag"), decider = one("decider"), from = one("from"), to = one("to");
    var inForce = data.get("in_force") !== null;
    var rows = document.querySelectorAll("#log tbody tr");
    var shown = 0;
    rows.forEach(function (tr) {
      var d = tr.dataset;
      var date = d.date || "";
      var keep = (statuses.length === 0 || statuses.indexOf(d.status) >= 0) &&
        (!folder || d.folder === folder) &&
        (!tag || (d.tags || "").split("\u001f").indexOf(tag) >= 0) &&
        (!decider || (d.deciders || "").split("\u001f").indexOf(decider) >= 0) &&
        (!from || (date && date >= from)) && (!to || (date && date <= to)) &&
        (!inForce || d.inForce === "1");
      tr.hidden = !keep;
      if (keep) { shown++; }
    });
    var sort = one("sort") || "path";
    var tbody = document.querySelector("#log tbody");
    var all = Array.prototype.slice.call(rows);
    all.forEach(function (tr, i) { if (!tr.dataset.order) { tr.dataset.order = String(i); } });
    all.sort(function (a, b) {
      var x = a.dataset, y = b.dataset;
      if (sort === "date") { var c = (y.date || "").localeCompare(x.date || ""); if (c) { return c; } }
      if (sort === "number") { var n = (Number(x.number || 1e12) - Number(y.number || 1e12)); if (n) { return n; } }
      return Number(x.order) - Number(y.order);
    });
    all.forEach(function (tr) { tbody.appendChild(tr); });
    var count = document.getElementById("count");
    if (count) { count.textContent = shown + " of " + rows.length + " decisions"; }
  }

  // Search as you type.
  var q = document.getElementById("q");
  var hits = document.getElementById("hits");
  if (q && hits) {
    var timer = null, asked = 0;
    var form = document.getElementById("search");
    var run = function () {
      if (live) { serverSearch(form, ++asked); } else { localSearch(q.value); }
    };
    q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
    form.addEventListener("change", function (e) { if (e.target !== q) { run(); } });
    if (!live) {
      form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
      var start = new URLSearchParams(location.search).get("q");
      if (start) { q.value = start; }
      if (q.value) { localSearch(q.value); }
    }
  }

  function serverSearch(form, n) {
    var params = new URLSearchParams(new FormData(form));
    history.replaceState(null, "", "?" + params.toString());
    params.set("part", "hits");
    fetch(form.getAttribute("action") + "?" + params.toString()).then(function (r) { return r.text(); }).then(function (html) {
      if (n !== asked) { return; }
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.getElementById("hits");
      var old = document.getElementById("hits");
      if (fresh && old) { old.replaceWith(document.adoptNode(fresh)); }
    });
  }

  // The static site's search: every query word is a prefix of an indexed word; a decision
  // must match all of them; scores add the words' weights times their rarity.
  function localSearch(text) {
    var ix = window.ADRGRAPH_SEARCH;
    var out = document.getElementById("hits");
    if (!ix || !out) { return; }
    var words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
    out.textContent = "";
    if (words.length === 0) { return; }
    var total = ix.docs.length, scores = null;
    words.forEach(function (w) {
      var got = {};
      var lo = 0, hi = ix.terms.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (ix.terms[mid] < w) { lo = mid + 1; } else { hi = mid; } }
      for (var k = lo; k < ix.terms.length && ix.terms[k].lastIndexOf(w, 0) === 0; k++) {
        var p = ix.postings[k], idf = Math.log(1 + total / (p.length / 2));
        for (var j = 0; j < p.length; j += 2) { got[p[j]] = (got[p[j]] || 0) + p[j + 1] * idf; }
      }
      if (scores === null) { scores = got; } else {
        var both = {};
        Object.keys(scores).forEach(function (d) { if (got[d] !== undefined) { both[d] = scores[d] + got[d]; } });
        scores = both;
      }
    });
    var ranked = Object.keys(scores || {}).map(Number).sort(function (a, b) { return (scores[b] - scores[a]) || (a - b); });
    var summary = document.createElement("p");
    summary.className = "summary";
    summary.textContent = ranked.length === 0 ? "No decision matches \u201c" + text + "\u201d." :
      ranked.length + " decisions match" + (ranked.length > 50 ? ", best 50 shown" : "");
    out.appendChild(summary);
    var list = document.createElement("ol");
    list.className = "hits";
    ranked.slice(0, 50).forEach(function (d) {
      var doc = ix.docs[d];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.className = "hit-title";
      a.href = doc[4];
      a.textContent = doc[1];
      var badge = document.createElement("span");
      badge.className = "badge st-" + doc[2];
      badge.textContent = doc[2];
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(badge);
      if (doc[3]) { var date = document.createElement("span"); date.className = "date"; date.textContent = " " + doc[3]; li.appendChild(date); }
      var p = document.createElement("p");
      p.className = "snippet";
      p.textContent = doc[5];
      li.appendChild(p);
      list.appendChild(li);
    });
    out.appendChild(list);
  }

  // The graph: drag to pan, wheel or pinch to zoom (the SVG's viewBox moves).
  var holder = document.getElementById("graph");
  var svg = holder && holder.querySelector("svg");
  if (svg) {
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    var vb = (svg.getAttribute("viewBox") || "0 0 1000 1000").split(/[\s,]+/).map(Number);
    var view = { x: vb[0], y: vb[1], w: vb[2], h: vb[3] };
    var apply = function () { svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" ")); };
    var scale = function () { var r = svg.getBoundingClientRect(); return Math.max(view.w / r.width, view.h / r.height); };
    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      var r = svg.getBoundingClientRect(), s = scale();
      var f = e.deltaY > 0 ? 1.15 : 1 / 1.15;
      var px = view.x + (e.clientX - r.left) * s, py = view.y + (e.clientY - r.top) * s;
      view.x = px - (px - view.x) * f; view.y = py - (py - view.y) * f; view.w *= f; view.h *= f;
      apply();
    }, { passive: false });
    var drag = null, moved = false;
    svg.addEventListener("pointerdown", function (e) { drag = { x: e.clientX, y: e.clientY }; moved = false; });
    svg.addEventListener("pointermove", function (e) {
      if (!drag) { return; }
      var s = scale(), dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) { moved = true; }
      view.x -= dx * s; view.y -= dy * s; drag = { x: e.clientX, y: e.clientY };
      apply();
    });
    window.addEventListener("pointerup", function () { drag = null; });
    svg.addEventListener("click", function (e) { if (moved) { e.preventDefault(); moved = false; } }, true);
    apply();
  }
})();
