// Drag and drop on the team board: dropping a card on a column posts the move; at a
// WIP limit the server answers 409 and the user may give an override reason.
(function () {
  "use strict";
  var board = document.querySelector("[data-board]");
  if (!board) { return; }
  var csrf = board.getAttribute("data-csrf");
  var askReason = board.getAttribute("data-ask-reason");

  function send(card, to, reason) {
    var body = new URLSearchParams({ to: to, override_reason: reason || "" });
    return fetch(card.getAttribute("data-move-url"), {
      method: "POST",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    });
  }

  function move(card, to) {
    send(card, to, "").then(function (answer) {
      if (answer.status === 409) {
        var reason = window.prompt(answer.data.detail + "\n\n" + askReason);
        if (!reason || !reason.trim()) { return null; }
        return send(card, to, reason);
      }
      return answer;
    }).then(function (answer) {
      if (!answer) { return; }
      if (answer.status !== 200) { window.alert(answer.data.detail); }
      window.location.reload();
    });
  }

  board.querySelectorAll("[data-card]").forEach(function (card) {
    card.setAttribute("draggable", "true");
    card.addEventListener("dragstart", function (event) {
      event.dataTransfer.setData("text/plain", card.id);
    });
  });
  board.querySelectorAll("[data-column]").forEach(function (column) {
    column.addEventListener("dragover", function (event) {
      event.preventDefault();
      column.classList.add("drop-target");
    });
    column.addEventListener("dragleave", function () { column.classList.remove("drop-target"); });
    column.addEventListener("drop", function (event) {
      event.preventDefault();
      column.classList.remove("drop-target");
      var card = document.getElementById(event.dataTransfer.getData("text/plain"));
      if (card && card.closest("[data-column]") !== column) {
        move(card, column.getAttribute("data-column"));
      }
    });
  });
})();
