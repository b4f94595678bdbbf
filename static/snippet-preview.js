// The snippet page: copy buttons for the code, and the preview's completion events shown.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-row]").forEach(function (row) {
    var button = row.querySelector("[data-copy]");
    var said = row.querySelector("[data-copy-said]");
    var code = document.getElementById(button.getAttribute("data-copy"));
    row.hidden = false;
    button.addEventListener("click", function () {
      var text = code.textContent;
      function copied() { said.textContent = "Copied. Paste it into your page."; }
      function selectIt() {
        // Without the clipboard (an old browser, or a page not on https): select the code.
        var range = document.createRange();
        range.selectNodeContents(code);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
        said.textContent = document.execCommand("copy") ? "Copied. Paste it into your page." :
          "The code is selected: press Ctrl+C (or \u2318+C) to copy it.";
      }
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(copied, selectIt);
      else selectIt();
    });
  });

  var host = document.getElementById("lowerback-plan");
  var log = document.getElementById("preview-events");
  if (!host || !log) return;
  // What this clinic's page would learn: the result only where its profile shares it.
  host.addEventListener("lowerback:completed", function (event) {
    var detail = event.detail || {};
    log.textContent = detail.level === undefined
      ? "Completed. (Your profile shares only that the form was completed.)"
      : "Completed: triage level \u201c" + detail.level + "\u201d, starting tier \u201c" +
        (detail.start_tier || "none (no plan shown)") + "\u201d.";
  });
})();
