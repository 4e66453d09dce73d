// Settings forms: the bitrate list follows the chosen format, sources are ordered by drag or by the
// arrow buttons (keyboard), the external command gets more argument fields, and placeholders are
// inserted into the naming templates at the cursor.
(function () {
  "use strict";

  function bitrateLabel(value) { return value.replace(/k$/, "") + " kbit/s"; }

  function followFormat(select) {
    var format = document.getElementById(select.dataset.formatField);
    if (!format) { return; }
    var table = JSON.parse(select.dataset.bitrates);
    function refill() {
      var chosen = table[format.value];
      var current = select.value;
      select.textContent = "";
      var first = document.createElement("option");
      first.value = "";
      if (!chosen) { first.textContent = "The source's own bitrate"; }
      else if (!chosen.bitrates.length) { first.textContent = "Not used: lossless format"; }
      else { first.textContent = "Default (" + bitrateLabel(chosen["default"]) + ")"; }
      select.appendChild(first);
      (chosen ? chosen.bitrates : []).forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = bitrateLabel(value);
        option.selected = value === current;
        select.appendChild(option);
      });
      select.disabled = !chosen || !chosen.bitrates.length;
    }
    format.addEventListener("change", refill);
    select.disabled = !table[format.value] || !table[format.value].bitrates.length;
  }

  function announce(list, text) {
    var status = document.getElementById(list.id + "-status");
    if (status) { status.textContent = text; }
  }

  function rowName(row) { return row.dataset.label; }

  function orderList(list) {
    list.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-move]");
      if (!button) { return; }
      var row = button.closest("li");
      var up = button.dataset.move === "up";
      var other = up ? row.previousElementSibling : row.nextElementSibling;
      if (!other) { return; }
      list.insertBefore(row, up ? other : other.nextElementSibling);
      button.focus();
      var position = Array.prototype.indexOf.call(list.children, row) + 1;
      announce(list, rowName(row) + " moved to position " + position + ".");
    });
    var dragged = null;
    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("li");
      if (dragged) { event.dataTransfer.effectAllowed = "move"; event.dataTransfer.setData("text/plain", dragged.dataset.name); }
    });
    list.addEventListener("dragover", function (event) {
      var over = event.target.closest("li");
      if (!dragged || !over || over === dragged) { return; }
      event.preventDefault();
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? over.nextElementSibling : over);
    });
    list.addEventListener("drop", function (event) { event.preventDefault(); });
    list.addEventListener("dragend", function () {
      if (dragged) { announce(list, rowName(dragged) + " moved."); }
      dragged = null;
    });
  }

  function addArgument(button) {
    var list = document.getElementById(button.dataset.addArg);
    button.addEventListener("click", function () {
      var last = list.lastElementChild;
      var row = last.cloneNode(true);
      var input = row.querySelector("input");
      input.value = "";
      input.removeAttribute("aria-invalid");
      row.querySelector("label").firstChild.textContent = "Argument " + list.children.length + "\n          ";
      list.appendChild(row);
      input.focus();
    });
  }

  function insertPlaceholder(button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.dataset.target);
      var start = input.selectionStart === null ? input.value.length : input.selectionStart;
      var end = input.selectionEnd === null ? start : input.selectionEnd;
      var text = button.dataset.insert;
      input.value = input.value.slice(0, start) + text + input.value.slice(end);
      input.focus();
      input.setSelectionRange(start + text.length, start + text.length);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-bitrates]").forEach(followFormat);
    document.querySelectorAll("[data-order-list]").forEach(orderList);
    document.querySelectorAll("button[data-add-arg]").forEach(addArgument);
    document.querySelectorAll("button[data-insert]").forEach(insertPlaceholder);
  });
})();
