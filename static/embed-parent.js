// Lower back plan embed: resize the frame to its content and pass on the result.
(function () {
  "use strict";
  var frame = document.getElementById("lowerback-plan");
  if (!frame) return;
  var origin = new URL(frame.src, document.baseURI).origin;
  window.addEventListener("message", function (event) {
    // Only our frame, from our service: ignore every other message on the page.
    if (event.source !== frame.contentWindow || event.origin !== origin) return;
    var data = event.data || {};
    if (data.type === "lowerback.resize" && typeof data.height === "number") {
      frame.style.height = Math.max(200, Math.min(data.height, 50000)) + "px";
    } else if (data.type === "lowerback.completed") {
      // A result is showing: bring its top into view. The event has the triage level and the
      // starting tier only; listen for it on the frame to record completions, for example:
      // frame.addEventListener("lowerback:completed", function (e) { console.log(e.detail); });
      if (frame.getBoundingClientRect().top < 0) frame.scrollIntoView();
      frame.dispatchEvent(new CustomEvent("lowerback:completed", {
        detail: { level: data.level, start_tier: data.start_tier }
      }));
    }
  });
})();
