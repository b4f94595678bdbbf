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

  // A result brought back by Back or Forward from the browser's memory (the back/forward
  // cache) is not shown again: on a shared device it would show the last person's answers.
  // Loading the page's address anew leads back to empty questions (answers are never kept).
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelector("main").replaceChildren();
    window.location.replace(window.location.href);
  });
})();
