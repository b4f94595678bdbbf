// The questionnaire a section at a time, with a progress bar, Back and Next. Leaving a step
// checks it with the server's messages (data-check-*); all its words are the page's. One post;
// without this script the whole form shows at once.
(function () {
  "use strict";
  var form = document.querySelector("form[data-stepper]");
  if (!form) return;
  var steps = [].slice.call(form.querySelectorAll("[data-step]"));
  var progress = form.querySelector("[data-progress]");
  var progressText = form.querySelector("[data-progress-text]");
  var bar = form.querySelector("[data-progress-bar]");
  var back = form.querySelector("[data-back]");
  var nextRow = form.querySelector("[data-next-row]");
  var submitRow = form.querySelector("[data-submit-row]");
  var firstStepOnly = [].slice.call(document.querySelectorAll("[data-first-step-only]"));
  var summary = document.querySelector("[data-error-summary]");
  var title = document.querySelector("main h1");
  var current = 0;

  // What is wrong with an answer, in the server's words, or "" when nothing is.
  function problem(question) {
    if (question.hidden) return "";  // a follow-up not asked
    var says = question.dataset;
    // Messages most questions share are on the form; a `missing` of "" means it may be blank.
    var missing = "checkMissing" in says ? says.checkMissing : form.dataset.checkMissing;
    var both = says.checkBoth || form.dataset.checkBoth;
    var number = question.querySelector("input[type=number]");
    if (number) {
      var text = number.value.trim();
      if (number.validity.badInput || (text && !/^[-+]?\d+$/.test(text))) return says.checkWhole || "";
      if (!text) return missing || "";
      if (Number(text) < Number(number.min)) return says.checkLow || "";
      if (Number(text) > Number(number.max)) return says.checkHigh || "";
      return "";
    }
    var ticked = question.querySelectorAll("input:checked:not([data-none-of-these])");
    var none = question.querySelector("input[data-none-of-these]:checked");
    if (!ticked.length && !none) return missing || "";
    if (ticked.length && none) return both || "";
    if (says.checkRefuse && ticked[0].value === says.checkRefuse) {
      var other = form.querySelector("input[name='" + says.checkRefuseWhen + "']:checked");
      if (other && Number(other.value) > 0) return says.checkRefuseMessage;
    }
    return "";
  }

  // The message under the question, as the server marks it up.
  function showProblem(question, message) {
    var fieldId = question.id.replace(/^q-/, "");
    var errorId = fieldId + "-error";
    var described = question.tagName === "FIELDSET" ? question : question.querySelector("input");
    var old = document.getElementById(errorId);
    if (old) old.remove();
    var ids = (described.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
      return id && id !== errorId;
    });
    question.classList.toggle("has-error", Boolean(message));
    if (message) {
      var shown = document.createElement("p");
      shown.className = "field-error";
      shown.id = errorId;
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = form.dataset.errorWord;
      shown.append(hidden, " " + message);
      (question.querySelector(".help") || question.querySelector(".question-label")).after(shown);
      ids.push(errorId);
    }
    if (ids.length) described.setAttribute("aria-describedby", ids.join(" "));
    else described.removeAttribute("aria-describedby");
    if (described.tagName === "INPUT") {
      if (message) described.setAttribute("aria-invalid", "true");
      else described.removeAttribute("aria-invalid");
    }
  }

  // Check a step's questions; the first that needs an answer, or null.
  function check(index) {
    var first = null;
    steps[index].querySelectorAll(".question").forEach(function (question) {
      var message = problem(question);
      showProblem(question, message);
      if (message && !first) first = question;
    });
    return first;
  }

  function focusQuestion(question) {
    var input = question.querySelector("input[type=radio]:checked") || question.querySelector("input");
    if (input) input.focus();
  }

  function show(index) {
    current = index;
    var last = index === steps.length - 1;
    steps.forEach(function (step, i) { step.hidden = i !== index; });
    firstStepOnly.forEach(function (element) { element.hidden = index > 0; });
    // After the first step the title is for screen readers only: the step says where one is.
    if (title) title.classList.toggle("visually-hidden", index > 0);
    back.hidden = index === 0;
    nextRow.hidden = last;
    submitRow.hidden = !last;
    bar.max = steps.length;
    bar.value = index + 1;
    progressText.textContent = form.dataset.stepOf.replace("{n}", index + 1).replace("{t}", steps.length);
  }

  // A new step starts at its top, with the focus on its first question.
  function go(index) {
    if (summary) summary.hidden = true;
    show(index);
    if (progress.getBoundingClientRect().top < 0) progress.scrollIntoView();
    focusQuestion(steps[index].querySelector(".question"));
  }

  function stepOf(element) {
    return steps.findIndex(function (step) { return step.contains(element); });
  }

  // The questions of the steps up to `index`, by name: what the server may read so far.
  function askedUpTo(index) {
    var names = [];
    steps.slice(0, index + 1).forEach(function (step) {
      step.querySelectorAll("input[name]").forEach(function (input) {
        if (names.indexOf(input.name) === -1) names.push(input.name);
      });
    });
    return names;
  }

  // Before the next step, the server says whether the answers so far already send the person
  // for help: then the form goes to that result (the answers in a POST, as always); if the
  // server cannot be asked, the person goes on.
  var asking = false;
  var action = form.action;
  // Back from such a result, the page may be as it was left: let it be used again.
  window.addEventListener("pageshow", function () {
    asking = false;
    form.removeAttribute("aria-busy");
    form.action = action;
    form.querySelectorAll("input[type=hidden][name=asked]").forEach(function (field) { field.remove(); });
  });
  function next() {
    var wrong = check(current);
    if (wrong) {
      focusQuestion(wrong);
      return;
    }
    var soFar = form.dataset.soFar;
    if (!soFar || !window.fetch || !window.FormData) {
      go(current + 1);
      return;
    }
    if (asking) return;
    asking = true;
    form.setAttribute("aria-busy", "true");
    var asked = askedUpTo(current);
    var data = new FormData(form);
    asked.forEach(function (name) { data.append("asked", name); });
    fetch(soFar, {method: "POST", body: data, credentials: "same-origin"}).then(function (response) {
      if (response.status !== 200) throw new Error(response.status);
      asked.forEach(function (name) {
        var field = document.createElement("input");
        field.type = "hidden";
        field.name = "asked";
        field.value = name;
        form.append(field);
      });
      form.action = soFar;
      form.submit();
    }).catch(function () {
      asking = false;
      form.removeAttribute("aria-busy");
      go(current + 1);
    });
  }

  nextRow.querySelector("[data-next]").addEventListener("click", next);
  back.addEventListener("click", function () { go(current - 1); });

  // Enter goes on to the next step; the last sends the form once every step is right.
  form.addEventListener("submit", function (event) {
    // The language switch sends the answers so far as they are, to show them in another language.
    if (event.submitter && event.submitter.name === "switch_language") return;
    if (current < steps.length - 1) {
      event.preventDefault();
      next();
      return;
    }
    for (var i = 0; i < steps.length; i++) {
      var wrong = check(i);
      if (wrong) {
        event.preventDefault();
        if (i !== current) show(i);
        focusQuestion(wrong);
        return;
      }
    }
  });

  // "None of these" and the signs exclude each other.
  form.addEventListener("change", function (event) {
    var box = event.target;
    var none = box.type === "checkbox" && box.checked && box.closest(".question").querySelector("[data-none-of-these]");
    if (!none) return;
    box.closest(".question").querySelectorAll("input[type=checkbox]").forEach(function (other) {
      if ((box === none) !== (other === none)) other.checked = false;
    });
  });

  // Quick picks tick a set of boxes; the person can then change any of them.
  form.querySelectorAll("[data-preset-buttons]").forEach(function (buttons) {
    var said = buttons.querySelector("[data-preset-said]");
    buttons.hidden = false;
    buttons.addEventListener("click", function (event) {
      var button = event.target.closest("[data-preset]");
      if (!button) return;
      var ticked = 0;
      buttons.closest(".question").querySelectorAll("input[data-presets]").forEach(function (box) {
        box.checked = box.dataset.presets.split(" ").indexOf(button.dataset.preset) !== -1;
        ticked += box.checked ? 1 : 0;
      });
      var says = buttons.dataset;
      said.textContent = ticked ? ((ticked > 1 && says.tickedMany) || says.ticked).replace("{n}", ticked) : says.tickedNone;
    });
  });

  // The error summary's links lead to their question, in whatever step it is.
  if (summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var question = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!question || stepOf(question) < 0) return;
      event.preventDefault();
      show(stepOf(question));
      focusQuestion(question);
    });
  }

  // Whether a professional has checked the back is asked only with pain now or a recent bout
  // (else its help says so). Hidden, it is cleared: the server reads it unanswered as "No, or
  // I am not sure", and nothing is ticked should it be asked again.
  var professionalCheck = document.getElementById("q-professional_check");
  var professionalCheckHelp = document.getElementById("professional_check-help");
  if (professionalCheckHelp) professionalCheckHelp.hidden = true;  // this script asks it when due
  function askProfessionalCheck() {
    var pain = form.querySelector("input[name=pain_now]:checked");
    var bout = form.querySelector("input[name=pain_duration]:checked");
    var asked = Boolean((pain && pain.value !== "0") || (bout && bout.value !== "none"));
    professionalCheck.hidden = !asked;
    if (!asked) professionalCheck.querySelectorAll("input").forEach(function (box) { box.checked = false; });
  }
  if (professionalCheck) {
    form.addEventListener("change", askProfessionalCheck);
    askProfessionalCheck();
  }

  // A follow-up is asked only when its sign is ticked (else its help says so); hidden, it is
  // cleared, so it stays unanswered.
  [["q-heart_condition_details", "health_flags", "heart_condition"],
   ["q-cancer_details", "red_flags", "cancer_history"]].forEach(function (followUp) {
    var question = document.getElementById(followUp[0]);
    if (!question) return;
    var help = question.querySelector(".help");
    if (help) help.hidden = true;
    function ask() {
      var sign = form.querySelector("input[name=" + followUp[1] + "][value=" + followUp[2] + "]");
      question.hidden = !(sign && sign.checked);
      if (question.hidden) {
        question.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = false; });
      }
    }
    form.addEventListener("change", ask);
    ask();
  });

  progress.hidden = false;
  var firstWrong = form.querySelector(".has-error");
  show(firstWrong ? stepOf(firstWrong) : 0);
  // After a post sent back, the summary says what to fix: it takes the focus.
  if (summary) summary.focus();
})();
