// Kotak masuk: "Pakai jawaban ini" puts a suggested entry's answer into the answer field as a
// starting text (without scripts the link reloads the page with the answer filled in).
"use strict";

document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-answer-target]");
  if (!link) {
    return;
  }
  const field = document.getElementById(link.dataset.answerTarget);
  if (!field) {
    return;
  }
  event.preventDefault();
  field.value = link.dataset.answerText;
  // htmx listens for input on the field and refreshes the preview.
  field.dispatchEvent(new Event("input", { bubbles: true }));
  field.focus();
  field.scrollIntoView({ block: "center" });
});
