/* Fraction motions: keep the member's text safe on a tablet.
   - An error summary gets the focus, so screen readers announce it.
   - Leaving a changed form asks first.
   - Offline (e.g. on the train), saving is held back with a notice instead of
     ending on the browser's error page: the text stays in the form. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }

  var form = document.querySelector("[data-motion-form]");
  if (!form) { return; }
  var notice = form.querySelector("[data-offline-notice]");
  var dirty = false;
  var submitting = false;
  form.addEventListener("input", function () { dirty = true; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) { event.preventDefault(); event.returnValue = ""; }
  });
  function showOffline(offline) { if (notice) { notice.hidden = !offline; } }
  window.addEventListener("online", function () { showOffline(false); });
  window.addEventListener("offline", function () { showOffline(true); });
  form.addEventListener("submit", function (event) {
    if (navigator.onLine === false) {
      event.preventDefault();
      showOffline(true);
      if (notice) { notice.focus(); }
      return;
    }
    submitting = true;
  });
  if (notice) { notice.setAttribute("tabindex", "-1"); }
})();
