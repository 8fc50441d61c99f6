// The idle-timeout warning: before the portal session ends for lack of activity, a dialog
// says so and offers "Stay signed in" (a POST to the keep-alive page, with the page's CSRF
// token). The pages work without it: a form sent after the session ended is kept, and is
// sent after signing in again.
(function () {
  "use strict";
  var box = document.getElementById("idle-warning");
  var dialog = document.getElementById("idle-dialog");
  if (!box || !dialog || typeof dialog.showModal !== "function" || !window.fetch) {
    return;
  }
  var text = document.getElementById("idle-text");
  var stay = document.getElementById("idle-stay");
  var idle = Number(box.getAttribute("data-idle-seconds"));
  var lead = Number(box.getAttribute("data-warn-seconds"));
  var deadline = 0;
  var warnTimer = 0;
  var tick = 0;
  var ended = false;

  function left() {
    return Math.max(0, Math.round((deadline - Date.now()) / 1000));
  }

  function say() {
    var s = left();
    if (s <= 0) {
      end();
      return;
    }
    var when = s >= 60 ? Math.ceil(s / 60) + (s > 60 ? " minutes" : " minute") : s + " seconds";
    text.textContent =
      "You have not used the portal for a while. For your security your session ends in about " +
      when + ". Choose Stay signed in to keep working; what you have typed stays on the page.";
  }

  function end() {
    ended = true;
    window.clearInterval(tick);
    text.textContent =
      "Your session has ended. What you have typed is still on the page: if you send the " +
      "form, it is kept, you are asked to sign in again, and you can then send it.";
    stay.textContent = "Close";
  }

  function schedule() {
    deadline = Date.now() + idle * 1000;
    window.clearTimeout(warnTimer);
    window.clearInterval(tick);
    warnTimer = window.setTimeout(warn, Math.max(0, idle - lead) * 1000);
  }

  function warn() {
    say();
    if (!dialog.open) {
      dialog.showModal();
    }
    stay.focus();
    // The live region is read when its text changes: every 15 seconds, not every second.
    tick = window.setInterval(say, 15000);
  }

  stay.addEventListener("click", function () {
    if (ended) {
      dialog.close();
      return;
    }
    var body = new URLSearchParams();
    body.set("csrf_token", box.getAttribute("data-csrf") || "");
    window
      .fetch(box.getAttribute("data-keep-alive-url") || "", {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("refused");
        }
        return response.json();
      })
      .then(function (answer) {
        idle = Number(answer.idle_seconds) || idle;
        dialog.close();
        schedule();
      })
      .catch(end);
  });

  // Escape closes the dialog without keeping the session alive; warn again later.
  dialog.addEventListener("cancel", function () {
    window.clearInterval(tick);
  });

  schedule();
})();
