// The entry form refreshes its Telegram preview while staff type (htmx, after a short pause).
// Once the form is submitted the page is leaving: a preview still waiting is not sent.
"use strict";

document.addEventListener("submit", (event) => {
  if (event.target.matches("form[data-live-preview]")) {
    event.target.dataset.leaving = "true";
  }
});

document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.target;
  if (form.matches && form.matches("form[data-live-preview]") && form.dataset.leaving) {
    event.preventDefault();
  }
});
