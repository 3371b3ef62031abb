/* mtasts widget loader: turns every <div data-mtasts-widget> into an iframe of /embed on the
   origin this script came from, and sizes it from the iframe's postMessage (origin checked). */
(function () {
  "use strict";
  var script = document.currentScript;
  var origin = new URL(script ? script.src : "/embed.js", location.href).origin;
  var frames = [];
  window.addEventListener("message", function (e) {
    if (e.origin !== origin || !e.data || e.data.type !== "mtasts:height") return;
    var h = Number(e.data.height);
    if (!isFinite(h)) return;
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === e.source) {
        frames[i].style.height = Math.max(120, Math.min(Math.ceil(h), 4000)) + "px";
      }
    }
  });
  function mount() {
    var nodes = document.querySelectorAll("[data-mtasts-widget]");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      if (el.getAttribute("data-mtasts-mounted")) continue;
      el.setAttribute("data-mtasts-mounted", "1");
      var q = new URLSearchParams();
      ["theme", "accent", "domain"].forEach(function (k) {
        var v = el.getAttribute("data-" + k);
        if (v) q.set(k, v);
      });
      var f = document.createElement("iframe");
      var qs = q.toString();
      f.src = origin + "/embed" + (qs ? "?" + qs : "");
      f.title = el.getAttribute("data-title") || "MTA-STS checker";
      f.setAttribute("referrerpolicy", "no-referrer");
      // Only what the widget needs: its scripts, its form, and the full report in a new tab.
      f.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox");
      f.style.width = "100%";
      f.style.border = "0";
      f.style.display = "block";
      f.style.height = "180px";
      frames.push(f);
      el.appendChild(f);
    }
  }
  window.MtastsWidget = { mount: mount };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
