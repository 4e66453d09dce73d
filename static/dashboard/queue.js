// The queue's live updates. Progress arrives over the Server-Sent Events stream (/api/prgs/stream,
// authenticated by the session cookie). The browser reconnects a dropped stream by itself and sends
// Last-Event-ID so the server replays what was missed; if the stream cannot be opened at all, the
// page polls /api/prgs/updates?since=... until it can, so nothing is lost either way.
// A row is updated in place: its controls (Cancel, Retry, Delete, links) stay the same nodes while the
// task runs, so a click or the keyboard focus is never on a node being swapped out.
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

  // What makes two nodes "the same" across renders: a row's task, an element's id, a form's action,
  // a link's target. A control with another key is another control: it is replaced, never morphed
  // into (a focused Cancel all must not turn into Retry failed under the keyboard).
  function keyOf(node) {
    if (node.nodeType !== 1) { return null; }
    if (node.hasAttribute("data-task-id")) { return "task:" + node.getAttribute("data-task-id"); }
    if (node.id) { return "id:" + node.id; }
    if (node.nodeName === "FORM") { return "form:" + node.getAttribute("action"); }
    if (node.nodeName === "A") { return "a:" + node.getAttribute("href"); }
    return null;
  }

  function mergeAttributes(live, fresh) {
    var keepOpen = live.nodeName === "DETAILS";  // folded or not is the reader's choice
    Array.prototype.forEach.call(fresh.attributes, function (attribute) {
      if (keepOpen && attribute.name === "open") { return; }
      if (live.getAttribute(attribute.name) !== attribute.value) { live.setAttribute(attribute.name, attribute.value); }
    });
    Array.prototype.slice.call(live.attributes).forEach(function (attribute) {
      if (!(keepOpen && attribute.name === "open") && !fresh.hasAttribute(attribute.name)) {
        live.removeAttribute(attribute.name);
      }
    });
  }

  function mergeNode(live, fresh) {
    if (live.nodeType !== 1) {
      if (live.nodeValue !== fresh.nodeValue) { live.nodeValue = fresh.nodeValue; }
      return;
    }
    mergeAttributes(live, fresh);
    mergeChildren(live, fresh);
  }

  // Make live's children look like fresh's (a freshly rendered copy) while keeping every node whose
  // key is in both where it is: keyed nodes that went are removed, new ones inserted, unkeyed ones
  // (text, the "Nothing is downloading" line) matched in order. A kept node moves only when the
  // order of keyed nodes changed; nodes without a key before it are dropped rather than moving it.
  function mergeChildren(live, fresh) {
    var wanted = {};
    var kept = {};
    Array.prototype.forEach.call(fresh.childNodes, function (node) {
      var key = keyOf(node);
      if (key !== null) { wanted[key] = true; }
    });
    Array.prototype.slice.call(live.childNodes).forEach(function (node) {
      var key = keyOf(node);
      if (key === null) { return; }
      if (wanted[key] && !kept[key]) { kept[key] = node; } else { live.removeChild(node); }
    });
    var cursor = live.firstChild;
    Array.prototype.slice.call(fresh.childNodes).forEach(function (node) {
      var key = keyOf(node);
      var match = key === null ? (cursor && keyOf(cursor) === null ? cursor : null) : kept[key] || null;
      if (key !== null) { delete kept[key]; }  // a second node of the same key is a new one
      if (!match || match.nodeName !== node.nodeName) {
        live.insertBefore(document.importNode(node, true), cursor);
        return;
      }
      while (cursor && cursor !== match && keyOf(cursor) === null) {
        var stale = cursor;
        cursor = cursor.nextSibling;
        live.removeChild(stale);
      }
      if (cursor === match) { cursor = match.nextSibling; } else { live.insertBefore(match, cursor); }
      mergeNode(match, node);
    });
    while (cursor) {
      var rest = cursor;
      cursor = cursor.nextSibling;
      live.removeChild(rest);
    }
  }

  function visible(node) {
    return node.isConnected && node.getClientRects().length > 0;
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
      if (node && text !== undefined && text !== null && node.textContent !== text) { node.textContent = text; }
    }

    // Run change() and keep the keyboard focus where it was. A control that went away or was hidden
    // (Cancel once the task ended) hands the focus to its row, so the reader stays in place and
    // hears what became of the task, rather than to the page's start or to another button.
    function keepingFocus(change) {
      var focused = document.activeElement;
      var inside = Boolean(focused) && focused !== container && container.contains(focused);
      var row = inside && focused.closest(".task");
      var taskId = row && row.dataset.taskId;
      change();
      if (!inside || (document.activeElement === focused && visible(focused))) { return; }
      if (visible(focused)) { focused.focus({ preventScroll: true }); return; }
      var now = taskId && rowFor(taskId);
      if (now && now !== focused) { now.focus({ preventScroll: true }); }  // rows have tabindex="-1"
    }

    // A row shows doc, in place: its texts, the bar's value, and the data attributes whose CSS
    // shows the controls that apply (Cancel while active, Retry and Delete once ended).
    function showOnRow(row, doc, shown) {
      row.dataset.status = doc.status;
      row.dataset.outcome = shown.outcome;
      row.dataset.active = shown.active ? "true" : "false";
      row.dataset.retryable = shown.retryable ? "true" : "false";
      var badge = row.querySelector(".task-status");
      if (badge) {
        setText(row, ".task-status", shown.label);
        badge.className = "badge task-status status-" + shown.css;
      }
      var bar = row.querySelector("progress");
      if (bar && bar.value !== shown.bar) { bar.value = shown.bar; bar.textContent = shown.bar + "%"; }
      setText(row, ".task-percent", shown.bar + "%");
      var preview = row.querySelector(".preview-badge");
      if (preview) { setText(row, ".preview-badge", shown.preview); preview.hidden = !shown.preview; }
      setText(row, ".task-counts", shown.counts);
      setText(row, ".task-track", shown.track);
      setText(row, ".task-title", shown.title);
      setText(row, ".task-message", shown.message);
      var errorNode = row.querySelector(".task-error");
      if (errorNode) {
        setText(row, ".task-error", doc.error || "");
        errorNode.hidden = shown.active || !doc.error;
      }
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
      keepingFocus(function () { showOnRow(row, doc, shown); });
      if (wasActive !== shown.active) { refreshList(); }
    }

    // A task this page has not seen, or one that started or ended: take the freshly rendered lists
    // from the server and merge them into these (mergeChildren), so rows that stay keep their nodes.
    function refreshList() {
      if (refreshing) { refreshAgain = true; return; }
      refreshing = true;
      fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          var fresh = html && new DOMParser().parseFromString(html, "text/html").getElementById("queue-lists");
          if (!fresh) { throw new Error("no list"); }
          keepingFocus(function () { mergeChildren(container, fresh); });
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
