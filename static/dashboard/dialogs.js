// Dialogs of the artist, playlist and album pages: open and close them (buttons with commandfor/command,
// done by the browser where invoker commands exist), and keep the discography dialog's summary in step
// with the ticked release groups.
(function () {
  "use strict";
  if (!("command" in HTMLButtonElement.prototype)) {
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button[commandfor]");
      var dialog = button && document.getElementById(button.getAttribute("commandfor"));
      if (!dialog) { return; }
      if (button.getAttribute("command") === "show-modal") { dialog.showModal(); }
      if (button.getAttribute("command") === "close") { dialog.close(); }
    });
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function summarize(form) {
    var releases = 0, tracks = 0, complete = true, chosen = 0;
    form.querySelectorAll("input[name=album_type]").forEach(function (box) {
      if (!box.checked) { return; }
      chosen += 1;
      releases += Number(box.dataset.releases);
      tracks += Number(box.dataset.tracks);
      complete = complete && box.dataset.complete === "1";
    });
    var summary = form.querySelector(".dialog-summary");
    var submit = form.querySelector("button[type=submit]");
    submit.disabled = chosen === 0;
    summary.textContent = chosen === 0 ? "Choose at least one group."
      : "Queues " + plural(releases, "release") + " · " + (complete ? "" : "at least ") + plural(tracks, "track") + ".";
  }

  function groupsRequired(form) {
    var boxes = form.querySelectorAll("input[name=album_type]");
    var submit = form.querySelector("button[type=submit]");
    var any = Array.prototype.some.call(boxes, function (box) { return box.checked; });
    if (boxes.length) { submit.disabled = !any; }
  }

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form) { return; }
    if (form.hasAttribute("data-discography")) { summarize(form); }
    if (form.hasAttribute("data-watch-form")) { groupsRequired(form); }
  });
})();
