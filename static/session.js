// Session mode: the starting tier's cards one at a time, with a set counter, a rest timer and
// "This hurts". It stores and sends nothing; without JavaScript the cards are the plan.
(function () {
  "use strict";
  var session = document.querySelector("[data-session]");
  var start = document.querySelector("[data-start-session]");
  var cards = Array.prototype.slice.call(document.querySelectorAll(".tier-start .exercise"));
  if (!session || !start || cards.length === 0) { return; }
  // Its words are the page's, in the page's language, with {n}, {t} and {name} to fill in.
  var words = JSON.parse(start.dataset.words);
  function fill(key, n, t) { return words[key].replace("{n}", n).replace("{t}", t); }

  function part(name) { return session.querySelector("[data-session-" + name + "]"); }
  var exercise = part("exercise"), done = part("done"), nameHeading = part("name");
  var figures = part("figures"), dose = part("dose"), steps = part("steps");
  var count = part("count"), setDone = part("set-done"), rest = part("rest"), timer = part("timer");
  var hurts = part("hurts"), advice = part("advice"), easier = part("easier"), status = part("status");
  var progress = part("progress"), back = part("back"), next = part("next");
  var doneHeading = done.querySelector("h2");
  // The moving figure, loaded from its own address when shown: the page carries no animations.
  var movingAt = session.getAttribute("data-session-moving");
  var moving = document.createElement("img");
  moving.className = "session-moving";
  moving.hidden = true;
  figures.parentNode.insertBefore(moving, figures);

  var index = 0, sets = 1, setsDone = 0, restSeconds = 0, ticking = null;

  function say(text) { status.textContent = text; }

  function stopRest() {
    if (ticking !== null) { window.clearInterval(ticking); ticking = null; }
    rest.hidden = true;
  }

  function startRest(seconds, after) {
    stopRest();
    var left = seconds;
    timer.textContent = fill("rest", left);
    rest.hidden = false;
    say(fill("rest_for", left));
    ticking = window.setInterval(function () {
      left -= 1;
      if (left <= 0) {
        stopRest();
        say(after);
      } else {
        timer.textContent = fill("rest", left);
      }
    }, 1000);
  }

  function showCount() {
    count.textContent = fill(setsDone >= sets ? "all_sets" : "set", Math.min(setsDone + 1, sets), sets);
    setDone.disabled = setsDone >= sets;
  }

  function show(i) {
    stopRest();
    index = i;
    var card = cards[i];
    exercise.hidden = false;
    done.hidden = true;
    nameHeading.textContent = card.querySelector("h3").textContent;
    figures.replaceChildren.apply(figures, Array.prototype.map.call(
      card.querySelector(".figures").childNodes, function (node) { return node.cloneNode(true); }));
    moving.hidden = !card.hasAttribute("data-moving");
    if (!moving.hidden) {
      moving.alt = words.moving.replace("{name}", nameHeading.textContent);
      // The card's id is "ex-", its tier, "-" and the exercise's id.
      moving.src = movingAt.replace("EXERCISE", card.id.replace(/^ex-[a-z]+-/, ""));
    } else {
      moving.removeAttribute("src");
    }
    dose.textContent = card.querySelector(".dose").textContent;
    steps.replaceChildren.apply(steps, Array.prototype.map.call(
      card.querySelectorAll(".steps li"), function (node) { return node.cloneNode(true); }));
    sets = parseInt(card.getAttribute("data-sets"), 10) || 1;
    restSeconds = parseInt(card.getAttribute("data-rest"), 10) || 0;
    setsDone = 0;
    showCount();
    var easierName = card.getAttribute("data-easier");
    easier.textContent = easierName ? words.easier.replace("{name}", easierName) : words.no_easier;
    advice.hidden = true;
    hurts.setAttribute("aria-expanded", "false");
    progress.textContent = fill("exercise", i + 1, cards.length);
    back.hidden = i === 0;
    next.hidden = false;
    next.textContent = i === cards.length - 1 ? words.finish : words.next;
    nameHeading.focus();
  }

  function finish() {
    stopRest();
    exercise.hidden = true;
    done.hidden = false;
    progress.textContent = words.done;
    back.hidden = false;
    next.hidden = true;
    doneHeading.focus();
  }

  function open() {
    session.hidden = false;
    document.body.classList.add("in-session");
    window.scrollTo(0, 0);
    show(0);
  }

  function close() {
    stopRest();
    session.hidden = true;
    document.body.classList.remove("in-session");
    start.focus();
  }

  start.hidden = false;
  var fallback = document.querySelector("[data-session-fallback]");
  if (fallback) { fallback.hidden = true; }
  start.addEventListener("click", open);
  part("close").addEventListener("click", close);
  next.addEventListener("click", function () {
    if (index < cards.length - 1) { show(index + 1); } else { finish(); }
  });
  back.addEventListener("click", function () {
    if (!done.hidden) { show(cards.length - 1); } else if (index > 0) { show(index - 1); }
  });
  setDone.addEventListener("click", function () {
    setsDone = Math.min(setsDone + 1, sets);
    showCount();
    if (setsDone >= sets) {
      stopRest();
      // A one-set exercise's rest is before the next exercise.
      if (restSeconds > 0 && index < cards.length - 1) {
        startRest(restSeconds, words.rest_over_next);
      } else {
        say(words.all_done);
      }
      next.focus();
      return;
    }
    if (restSeconds > 0) {
      startRest(restSeconds, fill("rest_over_set", setsDone + 1));
    }
  });
  part("skip-rest").addEventListener("click", function () {
    stopRest();
    if (setsDone >= sets) {
      next.focus();
      return;
    }
    say(fill("start_set", setsDone + 1));
    setDone.focus();
  });
  hurts.addEventListener("click", function () {
    stopRest();
    advice.hidden = false;
    hurts.setAttribute("aria-expanded", "true");
    advice.focus();
  });
  session.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { close(); }
  });
})();
