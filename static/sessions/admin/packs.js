// Refresh the session packs' box on the meeting status screen while a build
// runs (the box carries data-refresh-url only then). Without JavaScript the
// box offers a plain reload link.
(function () {
  "use strict";
  var DELAY = 3000;

  function schedule() {
    var box = document.getElementById("session-packs");
    if (!box || !box.dataset.refreshUrl) {
      return;
    }
    window.setTimeout(function () {
      fetch(box.dataset.refreshUrl, {
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
      })
        .then(function (response) {
          return response.ok ? response.text() : Promise.reject(response.status);
        })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html.trim();
          var fresh = holder.querySelector("#session-packs");
          if (fresh) {
            box.replaceWith(fresh);
          }
          schedule();
        })
        .catch(function () {
          window.setTimeout(schedule, DELAY * 5);
        });
    }, DELAY);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", schedule);
  } else {
    schedule();
  }
})();
