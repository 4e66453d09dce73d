// The queue's live updates. Progress arrives over the Server-Sent Events stream (/api/prgs/stream,
// authenticated by the session cookie). The browser reconnects a dropped stream by itself and sends
// Last-Event-ID so the server replays what was missed; if the stream cannot be opened at all, the
// page polls /api/prgs/updates?since=... until it can, so nothing is lost either way.
(function () {
  "use strict";
  var ACTIVE = { queued: true, initializing: true, downloading: true, retrying: true };
  var POLL_MS = 2000;
  var REOPEN_MS = 10000;

  var TASK_LABEL = { queued: "Queued", initializing: "Initializing", downloading: "Downloading", retrying: "Retrying" };
  var OUTCOME_LABEL = {
    completed: "Completed", partial: "Partial", failed: "Failed", cancelled: "Cancelled", skipped: "Skipped",
    in_progress: "In progress"
  };
  var PREVIEW_LABEL = "Preview (30 s)";

  function num(value) { return typeof value === "number" ? value : 0; }

  // What a row shows for one progress document: the same rules as templatetags/queue.py task_view.
  function view(doc) {
    var summary = doc.summary || {};
    var status = doc.status || "";
    var active = Boolean(ACTIVE[status]);
    var total = num(summary.total_tracks) || num(doc.total_tracks);
    var outcome = summary.status || (active ? "in_progress" : status);
    if (outcome === "complete") { outcome = "completed"; }  // summary.status says "complete", history "completed"
    var previews = num(summary.previews);
    var completed = num(summary.completed);
    var result = {
      active: active, outcome: outcome, track: "", title: "", counts: "", message: "", retryable: false,
      preview: previews ? (previews === completed ? PREVIEW_LABEL : previews + " previews (30 s)") : ""
    };
    if (active) {
      var line = doc.last_line || {};
      var track = line.track || {};
      var current = num(doc.current_track);
      var busy = track.status === "downloading" || track.status === "retrying";
      result.label = TASK_LABEL[status] || status;
      result.css = status;
      result.bar = num(doc.progress);
      result.track = total && current ? "Track " + current + " of " + total : "";
      result.title = busy ? String(track.name || "") : "";
      result.message = track.status === "downloading" ? "" : ((line.status_info || {}).message || "");
      return result;
    }
    var got = completed + num(summary.skipped);
    var failed = num(summary.failed);
    result.label = OUTCOME_LABEL[outcome] || outcome;
    result.css = outcome;
    result.bar = total ? Math.round(100 * got / total) : (outcome === "completed" ? 100 : 0);
    if (doc.download_type !== "track" && total) {
      var parts = [got + " of " + total];
      if (failed) { parts.push(failed + " failed"); }
      if (num(summary.cancelled)) { parts.push(summary.cancelled + " cancelled"); }
      result.counts = parts.join(" · ");
    }
    result.retryable = failed > 0 || (status === "error" && !total);
    return result;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("queue-lists");
    var state = document.getElementById("live-state");
    if (!container) { return; }
    var since = parseFloat(container.dataset.since) || Date.now() / 1000;
    var source = null;
    var pollTimer = null;
    var refreshing = false;
    var refreshAgain = false;
    var lastEventId = "";

    function setState(name, text) {
      if (state) { state.dataset.state = name; state.textContent = text; }
    }

    function taskIdOf(data) {
      return data.task_id || data.task_uuid || (data.task && data.task.task_id) || (data.parent && data.parent.task_id) || null;
    }

    function rowFor(taskId) {
      return container.querySelector('[data-task-id="' + String(taskId).replace(/"/g, "") + '"]');
    }

    function setText(row, selector, text) {
      var node = row.querySelector(selector);
      if (node && text !== undefined && text !== null) { node.textContent = text; }
    }

    // One progress document (from /api/prgs/*) or stream event onto its row; idempotent. A task that
    // started or ended moves between the lists: the server renders them again (refreshList).
    function apply(data) {
      if (!data) { return; }
      var taskId = taskIdOf(data);
      if (!taskId) { return; }
      if ((data.task_status || data.status) === "deleted") {
        var gone = rowFor(taskId);
        if (gone) { gone.remove(); }
        return;
      }
      var row = rowFor(taskId);
      if (!row) { refreshList(); return; }
      var doc = data.task || data;
      if (!doc.status) { return; }
      var shown = view(doc);
      var wasActive = row.dataset.active === "true";
      row.dataset.status = doc.status;
      row.dataset.outcome = shown.outcome;
      row.dataset.active = shown.active ? "true" : "false";
      row.dataset.retryable = shown.retryable ? "true" : "false";
      var badge = row.querySelector(".task-status");
      if (badge) { badge.textContent = shown.label; badge.className = "badge task-status status-" + shown.css; }
      var bar = row.querySelector("progress");
      if (bar) { bar.value = shown.bar; bar.textContent = shown.bar + "%"; }
      setText(row, ".task-percent", shown.bar + "%");
      var preview = row.querySelector(".preview-badge");
      if (preview) { preview.textContent = shown.preview; preview.hidden = !shown.preview; }
      setText(row, ".task-counts", shown.counts);
      setText(row, ".task-track", shown.track);
      setText(row, ".task-title", shown.title);
      setText(row, ".task-message", shown.message);
      var errorNode = row.querySelector(".task-error");
      if (errorNode) {
        errorNode.textContent = doc.error || "";
        errorNode.hidden = shown.active || !doc.error;
      }
      if (wasActive !== shown.active) { refreshList(); }
    }

    // A task this page has not seen: take the freshly rendered list from the server.
    function refreshList() {
      if (refreshing) { refreshAgain = true; return; }
      refreshing = true;
      fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          var fresh = html && new DOMParser().parseFromString(html, "text/html").getElementById("queue-lists");
          if (!fresh) { throw new Error("no list"); }
          var folded = container.querySelector("#finished-tasks:not([open])");
          container.innerHTML = fresh.innerHTML;
          var details = container.querySelector("#finished-tasks");
          if (folded && details) { details.open = false; }
          refreshing = false;
          if (refreshAgain) { refreshAgain = false; refreshList(); }
        })
        .catch(function () {  // offline or the server is restarting: try again shortly
          refreshing = false;
          window.setTimeout(refreshList, POLL_MS);
        });
    }

    function showCounts(counts) {
      if (!counts) { return; }
      Array.prototype.forEach.call(document.querySelectorAll("[data-count]"), function (node) {
        var value = counts[node.dataset.count];
        if (typeof value === "number") {
          node.textContent = String(value);
          if (node.hasAttribute("data-hide-zero")) { node.hidden = value === 0; }
        }
      });
    }

    function catchUp() {
      var url = container.dataset.updates + "?since=" + encodeURIComponent(since);
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (!body) { return; }
          (body.tasks || []).forEach(apply);
          showCounts(body.task_counts);
          (body.deleted_tasks || []).forEach(function (taskId) { apply({ task_id: taskId, status: "deleted" }); });
          if (body.current_timestamp) { since = body.current_timestamp; }
        })
        .catch(function () {});
    }

    var reopenTimer = null;

    function startPolling() {
      if (!pollTimer) {
        setState("offline", "Live updates interrupted; checking every few seconds");
        pollTimer = window.setInterval(catchUp, POLL_MS);
      }
      if (!reopenTimer && window.EventSource) {
        reopenTimer = window.setTimeout(function () { reopenTimer = null; open(); }, REOPEN_MS);
      }
    }

    function stopPolling() {
      if (pollTimer) { window.clearInterval(pollTimer); pollTimer = null; }
    }

    // Frames of /api/prgs/stream are unnamed (they reach onmessage) and say their kind in "event":
    // "snapshot" {tasks, task_counts} first (and after a long gap), then "task" {task_id, tasks: [doc],
    // last_line, task_counts} and "deleted" {task_id, task_counts}, "heartbeat" {task_counts} when
    // idle, and "revoked" {error} as the last frame when the session ended or the access changed.
    function onEvent(event) {
      var data;
      try { data = JSON.parse(event.data); } catch (error) { return; }
      if (!data) { return; }
      if (event.lastEventId) { lastEventId = event.lastEventId; }
      if (typeof data.timestamp === "number" && data.timestamp > since) { since = data.timestamp; }
      showCounts(data.task_counts);
      if (data.event === "revoked") { signedOut(data.error); return; }
      if (data.event === "deleted") { apply({ task_id: data.task_id, status: "deleted" }); return; }
      if (Array.isArray(data.tasks)) { data.tasks.forEach(apply); }
    }

    // The server ended the stream for good: reload, so the login page (or the new rights) take over.
    function signedOut(message) {
      if (source) { source.close(); source = null; }
      stopPolling();
      setState("offline", message || "Signed out");
      window.setTimeout(function () { window.location.reload(); }, 1500);
    }

    function open() {
      if (!window.EventSource) { startPolling(); return; }
      if (source) { source.close(); }
      // A stream opened anew (not the browser's own reconnect) asks for what it missed by query.
      var url = container.dataset.stream + (lastEventId ? "?last_event_id=" + encodeURIComponent(lastEventId) : "");
      source = new EventSource(url, { withCredentials: true });
      source.onopen = function () {
        var wasPolling = Boolean(pollTimer);
        stopPolling();
        setState("live", "Live");
        if (wasPolling) { catchUp(); }
      };
      source.onmessage = onEvent;
      source.onerror = function () {
        if (!source) { return; }
        if (source.readyState === EventSource.CLOSED) { startPolling(); }
        else { setState("offline", "Reconnecting…"); }
      };
    }

    catchUp().then(open);
  });
})();
