// Small admin behaviours, as a file: the Content-Security-Policy runs no inline script or on*= handler.
"use strict";
document.addEventListener("click", (event) => {
  const target = event.target;
  if (target instanceof HTMLTextAreaElement && target.dataset.selectOnClick !== undefined) {
    target.select(); // the embed snippet: one click selects it for copying
  }
});
