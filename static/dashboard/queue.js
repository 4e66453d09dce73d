// The queue's live updates. Progress arrives over the Server-Sent Events stream (/api/prgs/stream,
// authenticated by the session cookie). The browser reconnects a dropped stream by itself and sends
// Last-Event-ID so the server replays what was missed; if the stream cannot be opened at all, the
// page polls /api/prgs/updates?since=... until it can, so nothing is lost either way.
(function () {
  "use strict";
  var ACTIVE = { queued: true, initializing: true, downloading: true, retrying: true };
  var POLL_MS = 2000;
  var REOPEN_MS = 10000;

  document.addEventListener("DOMContentLoaded", function () {
    var list = document.getElementById("task-list");
    var state = document.getElementById("live-state");
    if (!list) { return; }
    var since = parseFloat(list.dataset.since) || Date.now() / 1000;
    var source = null;
    var pollTimer = null;
    var refreshing = false;
    var lastEventId = "";

    function setState(name, text) {
      if (state) { state.dataset.state = name; state.textContent = text; }
    }

    function label(status) {
      var text = String(status || "").replace(/_/g, " ");
      return text.charAt(0).toUpperCase() + text.slice(1);
    }

    function taskIdOf(data) {
      return data.task_id || data.task_uuid || (data.task && data.task.task_id) || (data.parent && data.parent.task_id) || null;
    }

    function rowFor(taskId) {
      return list.querySelector('[data-task-id="' + String(taskId).replace(/"/g, "") + '"]');
    }

    function setText(row, selector, text) {
      var node = row.querySelector(selector);
      if (node && text !== undefined && text !== null) { node.textContent = text; }
    }

    // One progress document (from /api/prgs/*) or stream event onto its row; idempotent.
    function apply(data) {
      if (!data) { return; }
      var taskId = taskIdOf(data);
      if (!taskId) { return; }
      var status = data.task_status || (data.task && data.task.status) || data.status;
      if (status === "deleted") {
        var gone = rowFor(taskId);
        if (gone) { gone.remove(); }
        return;
      }
      var row = rowFor(taskId);
      if (!row) { refreshList(); return; }
      var doc = data.task || data;
      if (status) {
        row.dataset.status = status;
        row.dataset.active = ACTIVE[status] ? "true" : "false";
        var badge = row.querySelector(".task-status");
        if (badge) { badge.textContent = label(status); badge.className = "badge task-status status-" + status; }
      }
      if (typeof doc.progress === "number") {
        var bar = row.querySelector("progress");
        if (bar) { bar.value = doc.progress; bar.textContent = doc.progress + "%"; }
        setText(row, ".task-percent", doc.progress + "%");
      }
      if (doc.total_tracks) {
        setText(row, ".task-track", "Track " + (doc.current_track || 0) + " of " + doc.total_tracks);
      }
      var info = data.status_info || (doc.last_line && doc.last_line.status_info) || {};
      if (info.message) { setText(row, ".task-message", info.message); }
      var error = doc.error || info.error;
      var errorNode = row.querySelector(".task-error");
      if (errorNode && error) { errorNode.textContent = error; errorNode.hidden = false; }
      else if (errorNode && status && ACTIVE[status]) { errorNode.hidden = true; }
    }

    // A task this page has not seen: take the freshly rendered list from the server.
    function refreshList() {
      if (refreshing) { return; }
      refreshing = true;
      fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          var fresh = html && new DOMParser().parseFromString(html, "text/html").getElementById("task-list");
          if (!fresh) { throw new Error("no list"); }
          list.innerHTML = fresh.innerHTML;
          refreshing = false;
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
        if (typeof value === "number") { node.textContent = String(value); }
      });
    }

    function catchUp() {
      var url = list.dataset.updates + "?since=" + encodeURIComponent(since);
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
      var url = list.dataset.stream + (lastEventId ? "?last_event_id=" + encodeURIComponent(lastEventId) : "");
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
