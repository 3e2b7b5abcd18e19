// The print button of the export page (no inline script: the page may be
// served under a strict Content-Security-Policy).
for (const button of document.querySelectorAll("[data-action=print]")) {
  button.addEventListener("click", () => window.print());
}
