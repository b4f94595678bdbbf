// Lower back plan on a clinic's page. Builds our frame in the element the clinic placed,
// <div id="lowerback-plan" data-url="..."> (data-title, if set, names the frame), or takes the frame the clinic placed itself,
// <iframe id="lowerback-plan" src="...">; then fits the frame to its content and passes on
// the result as a "lowerback:completed" event on that element. It sends nothing anywhere.
(function () {
  "use strict";
  function start() {
    var host = document.getElementById("lowerback-plan");
    if (!host) return;
    var frame = host;
    if (host.tagName !== "IFRAME") {
      frame = document.createElement("iframe");
      frame.src = host.getAttribute("data-url");
      frame.title = host.getAttribute("data-title") || "Stronger lower back: a safe starting plan";
      frame.style.cssText = "display: block; width: 100%; height: 640px; border: 0;";
      host.appendChild(frame);
    }
    var origin = new URL(frame.src, document.baseURI).origin;
    window.addEventListener("message", function (event) {
      // Only our frame, from our service: ignore every other message on the page.
      if (event.source !== frame.contentWindow || event.origin !== origin) return;
      var data = event.data || {};
      if (data.type === "lowerback.resize" && typeof data.height === "number") {
        frame.style.height = Math.max(200, Math.min(data.height, 50000)) + "px";
      } else if (data.type === "lowerback.completed") {
        // A result is showing: bring its top into view. The event carries no answer; listen for
        // it to record completions, for example:
        // element.addEventListener("lowerback:completed", function (e) { console.log(e.detail); });
        if (host.getBoundingClientRect().top < 0) host.scrollIntoView();
        // The level and tier come only when the clinic's profile shares them (health data).
        var detail = {};
        if (data.level !== undefined) detail = { level: data.level, start_tier: data.start_tier };
        host.dispatchEvent(new CustomEvent("lowerback:completed", { detail: detail }));
      }
    });
  }
  if (document.getElementById("lowerback-plan") || document.readyState !== "loading") start();
  else document.addEventListener("DOMContentLoaded", start);
})();
