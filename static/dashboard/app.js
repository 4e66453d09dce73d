// Small behaviours every page shares: the phone menu, confirmation of destructive forms, and the live
// count of active downloads beside "Queue" (the queue page's own script keeps it current there).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    followQueueCount();
  });

  var COUNT_POLL_MS = 5000;

  function followQueueCount() {
    var badge = document.querySelector(".nav-count[data-count]");
    if (!badge || document.getElementById("queue-lists")) { return; }
    var since = Date.now() / 1000;
    window.setInterval(function () {
      if (document.visibilityState !== "visible") { return; }
      fetch("/api/prgs/updates?active_only=true&limit=1&since=" + encodeURIComponent(since), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (!body || !body.task_counts) { return; }
          if (body.current_timestamp) { since = body.current_timestamp; }
          var value = body.task_counts.active;
          if (typeof value === "number") { badge.textContent = String(value); badge.hidden = value === 0; }
        })
        .catch(function () {});
    }, COUNT_POLL_MS);
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
