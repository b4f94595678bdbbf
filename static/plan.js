// The result page: a "Print this plan" button, and every closed section opened while printing
// (browsers print a closed <details> closed; style.css opens them where the browser allows).
(function () {
  "use strict";
  var button = document.querySelector("[data-print-plan]");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });
})();
