// Inside a clinic's frame: tell the clinic's page our height, and on a result the outcome.
// Messages go only to the clinic's own origins (listed on <body> from its profile), never to
// "*", and carry the triage level and starting tier only, never an answer.
(function () {
  "use strict";
  if (window.parent === window) return;
  var body = document.body;
  var events = body.dataset.embedEvents;
  // The clinic's origins, and our own for the preview on the clinic's snippet page.
  var allowed = (body.dataset.embedOrigins || "").split(" ").filter(Boolean).concat([window.location.origin]);

  // "http://localhost:*" allows any port of that host, as in the CSP frame-ancestors list.
  function allows(pattern, origin) {
    if (pattern.slice(-2) !== ":*") return pattern === origin;
    var host = pattern.slice(0, -2);
    return origin === host || (origin.indexOf(host + ":") === 0 && /^[0-9]+$/.test(origin.slice(host.length + 1)));
  }

  // Chromium and Safari tell us the parent's origin; elsewhere, post to each allowed origin in
  // turn: the browser delivers a message only if its target origin is the parent's.
  var targets = [];
  var ancestors = window.location.ancestorOrigins;
  if (ancestors && ancestors.length) {
    if (allowed.some(function (pattern) { return allows(pattern, ancestors[0]); })) targets = [ancestors[0]];
  } else {
    targets = allowed.filter(function (pattern) { return pattern.slice(-2) !== ":*"; });
  }
  function post(message) {
    targets.forEach(function (origin) { window.parent.postMessage(message, origin); });
  }

  var lastHeight = 0;
  function sendHeight() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== lastHeight) {
      lastHeight = height;
      post({ type: events + ".resize", height: height });
    }
  }
  new ResizeObserver(sendHeight).observe(document.documentElement);
  sendHeight();

  if (body.dataset.outcome === "completed") {
    // The level and tier only when the clinic's profile shares them (they are health data).
    var completed = { type: events + ".completed" };
    if (body.dataset.outcomeLevel) {
      completed.level = body.dataset.outcomeLevel;
      completed.start_tier = body.dataset.outcomeStartTier || null;
    }
    post(completed);
  }
})();
