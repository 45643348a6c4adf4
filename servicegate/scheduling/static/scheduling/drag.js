// Drag a visit on the timeline onto another technician's row to move it there.
// The move is the same POST as the "Move to" form: the server re-plans the day and
// checks skills, windows and working hours again (a refusal comes back as a message).
(function () {
  "use strict";
  var form = document.getElementById("reassign-drag");
  if (!form) { return; }
  var dragged = null;
  document.querySelectorAll("rect[data-reassign-url]").forEach(function (bar) {
    bar.style.cursor = "grab";
    bar.addEventListener("pointerdown", function (event) {
      dragged = { url: bar.dataset.reassignUrl, from: bar.closest("tr").dataset.technician };
      document.body.style.cursor = "grabbing";
      event.preventDefault();
    });
  });
  document.addEventListener("pointerup", function (event) {
    if (!dragged) { return; }
    var target = document.elementFromPoint(event.clientX, event.clientY);
    var row = target && target.closest("tr[data-technician]");
    var move = dragged;
    dragged = null;
    document.body.style.cursor = "";
    if (!row || row.dataset.technician === move.from) { return; }
    form.action = move.url;
    form.elements.technician.value = row.dataset.technician;
    form.submit();
  });
})();
