// "Print this plan", and closed sections opened while printing (browsers print them closed).
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

  // A result restored by Back or Forward from the browser's cache would show the last person's
  // answers on a shared device: loading its address anew leads to empty questions.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelector("main").replaceChildren();
    window.location.replace(window.location.href);
  });
})();
