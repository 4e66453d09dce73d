// Formatting settings: show the path a sample track would get while the templates are edited.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("settings-form");
    var output = document.getElementById("path-preview");
    var problems = document.getElementById("preview-problems");
    if (!form || !output || !form.dataset.previewUrl) { return; }
    var timer = null;
    var latest = 0;
    function refresh() {
      var params = new URLSearchParams(new FormData(form));
      params.delete("csrfmiddlewaretoken");
      var ticket = ++latest;
      fetch(form.dataset.previewUrl + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (!body || ticket !== latest) { return; }
          output.textContent = body.path;
          problems.textContent = "";
          Object.keys(body.problems || {}).forEach(function (key) {
            body.problems[key].forEach(function (text) {
              var item = document.createElement("li");
              item.textContent = ((body.labels || {})[key] || key) + ": " + text;
              problems.appendChild(item);
            });
          });
        })
        .catch(function () { /* keep the last preview */ });
    }
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 200);
    });
    form.addEventListener("change", refresh);
  });
})();
