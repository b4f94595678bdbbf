// The snippet page: copy buttons for the code, and the preview's completion events shown.
(function () {
  "use strict";
  // Its words are the page's, in the page's language.
  var words = JSON.parse(document.getElementById("preview-events").dataset.words);
  document.querySelectorAll("[data-copy-row]").forEach(function (row) {
    var button = row.querySelector("[data-copy]");
    var said = row.querySelector("[data-copy-said]");
    var code = document.getElementById(button.getAttribute("data-copy"));
    row.hidden = false;
    button.addEventListener("click", function () {
      var text = code.textContent;
      function copied() { said.textContent = words.copied; }
      function selectIt() {
        // Without the clipboard (an old browser, or a page not on https): select the code.
        var range = document.createRange();
        range.selectNodeContents(code);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
        said.textContent = document.execCommand("copy") ? words.copied : words.selected;
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
      ? words.completed
      : words.completed_with.replace("{level}", detail.level).replace("{tier}", detail.start_tier || words.no_plan);
  });
})();
