// The record-package page while the record is built: every few seconds it reads the page
// again (the same address, through the same access checks) and, when the state changed,
// puts the new status in place (the live region announces it); otherwise only the progress
// bar moves. It stops once the record is ready or failed. No timed reload of the page.
(function () {
  "use strict";
  var box = document.getElementById("record-status");
  if (!box || !window.fetch || !window.DOMParser) {
    return;
  }
  var seconds = Number(box.getAttribute("data-poll-seconds"));
  if (!seconds) {
    return;
  }

  function poll() {
    window
      .fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("refused");
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("record-status");
        if (!fresh) {
          return;
        }
        if (fresh.getAttribute("data-state") !== box.getAttribute("data-state")) {
          box.setAttribute("data-state", fresh.getAttribute("data-state") || "");
          box.innerHTML = fresh.innerHTML;
        } else {
          var now = fresh.querySelector("progress");
          var shown = box.querySelector("progress");
          if (now && shown) {
            shown.value = now.value;
            shown.textContent = now.textContent;
          }
        }
        if (fresh.getAttribute("data-poll-seconds")) {
          window.setTimeout(poll, seconds * 1000);
        }
      })
      .catch(function () {
        // The session ended or the server is away: the "Check again" link remains.
      });
  }

  window.setTimeout(poll, seconds * 1000);
})();
