// "Select every finding on this page": a header checkbox (hidden without script) that ticks or
// unticks the row checkboxes of its table. Delegated from the document, so it keeps working
// after htmx swaps the results in.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("input[data-select-all]")) return;
  var table = box.closest("table");
  table.querySelectorAll("tbody input[type=checkbox]").forEach(function (row) {
    row.checked = box.checked;
  });
});
function showSelectAll() {
  document.querySelectorAll("input[data-select-all]").forEach(function (box) {
    box.hidden = false;
  });
}
document.addEventListener("DOMContentLoaded", showSelectAll);
document.addEventListener("htmx:afterSettle", showSelectAll);
