// The snippet page's preview: show each completion event the embedded frame sends.
(function () {
  "use strict";
  var frame = document.getElementById("lowerback-plan");
  var log = document.getElementById("preview-events");
  if (!frame || !log) return;
  frame.addEventListener("lowerback:completed", function (event) {
    log.textContent = "Completed: triage level \u201c" + event.detail.level + "\u201d, starting tier \u201c" +
      (event.detail.start_tier || "none (no plan shown)") + "\u201d.";
  });
})();
