/* Gremienportal – offline reading in the member portal (client side).
 *
 * Registers the service worker (/mitglieder/sw.js), asks it to sync the
 * member's offline set whenever a page loads online (or the connection comes
 * back), shows when the device is offline and how old the shown copy is, marks
 * meetings that are kept offline, and renders the list on /mitglieder/offline/.
 * The texts come from the page (json_script "offline-texts"), in the page's
 * language. Before signing out it waits for the reader's pending notes to be
 * sent (window.GremienReader.flush, if the reader is loaded), because signing
 * out deletes everything this device keeps.
 */
(function () {
  "use strict";

  const root = document.documentElement;
  const configNode = document.getElementById("offline-config");
  if (!configNode || !("serviceWorker" in navigator)) {
    root.dataset.offline = "unsupported";
    return;
  }
  const config = JSON.parse(configNode.textContent);
  const texts = JSON.parse(document.getElementById("offline-texts").textContent);
  const dateFormat = new Intl.DateTimeFormat(root.lang || "de", {
    dateStyle: "medium",
    timeStyle: "short",
  });

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (match, key) =>
      key in values ? String(values[key]) : match
    );
  }

  function when(iso) {
    return iso ? dateFormat.format(new Date(iso)) : "–";
  }

  function ask(message) {
    return navigator.serviceWorker.ready.then(
      (registration) =>
        new Promise((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = (event) => resolve(event.data);
          registration.active.postMessage(message, [channel.port2]);
        })
    );
  }

  /* --- state shown on every member page ------------------------------------ */
  const banner = document.querySelector("[data-offline-banner]");
  let index = null;

  function copyTime() {
    if (!index) return null;
    const entry = index.entries && index.entries[location.pathname];
    return entry ? entry.cachedAt : index.syncedAt;
  }

  function showConnection() {
    if (!banner) return;
    if (navigator.onLine) {
      banner.hidden = true;
      banner.textContent = "";
      return;
    }
    const time = copyTime();
    banner.textContent = time
      ? format(texts.offlineAsOf, { when: when(time) })
      : texts.offline;
    banner.hidden = false;
  }

  function markMeetings() {
    if (!index || !index.meetings) return;
    const kept = new Map(index.meetings.map((m) => [String(m.id), m]));
    document.querySelectorAll("[data-offline-meeting]").forEach((node) => {
      const meeting = kept.get(node.dataset.offlineMeeting);
      node.hidden = !meeting;
      if (meeting) {
        node.textContent = format(texts.keptAsOf, { when: when(index.syncedAt) });
      }
    });
  }

  function renderStatus() {
    const list = document.querySelector("[data-offline-list]");
    if (!list) return;
    const summary = document.querySelector("[data-offline-summary]");
    list.textContent = "";
    if (!index || !index.meetings || !index.meetings.length) {
      summary.textContent = index ? texts.nothingKept : texts.notYet;
      return;
    }
    summary.textContent = format(texts.syncedAt, { when: when(index.syncedAt) });
    for (const meeting of index.meetings) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = meeting.page;
      link.textContent = meeting.name;
      const heading = document.createElement("strong");
      heading.append(link);
      const meta = document.createElement("p");
      meta.className = "mp-meta";
      const bytes = meeting.documents.reduce((sum, doc) => sum + (doc.size || 0), 0);
      meta.textContent = format(texts.meetingLine, {
        start: when(meeting.start),
        count: meeting.documents.length,
        size: (bytes / 1048576).toLocaleString(root.lang || "de", {
          maximumFractionDigits: 1,
        }),
      });
      const docs = document.createElement("ul");
      docs.className = "mp-files";
      for (const doc of meeting.documents) {
        const entry = document.createElement("li");
        const docLink = document.createElement("a");
        docLink.href = doc.reader || doc.url;
        docLink.textContent = doc.pack ? texts.pack : doc.name;
        const age = document.createElement("span");
        age.className = "mp-meta";
        age.textContent =
          " " +
          (doc.cachedAt ? format(texts.savedAt, { when: when(doc.cachedAt) }) : texts.notSaved);
        entry.append(docLink, age);
        docs.append(entry);
      }
      item.append(heading, meta, docs);
      list.append(item);
    }
  }

  function show(newIndex) {
    index = newIndex;
    showConnection();
    markMeetings();
    renderStatus();
  }

  /* --- sync ------------------------------------------------------------------- */
  const live = document.querySelector("[data-offline-live]");

  function say(message) {
    if (live) live.textContent = message;
  }

  async function sync() {
    if (!navigator.onLine) return;
    root.dataset.offline = "syncing";
    let set;
    try {
      const response = await fetch(config.dataUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.redirected || !response.ok) {
        root.dataset.offline = "signed-out";
        say(texts.signedOut);
        return;
      }
      set = await response.json();
    } catch (error) {
      root.dataset.offline = "offline";
      return;
    }
    const answer = await ask({ type: "sync", set });
    if (answer.type === "synced") {
      show(answer.index);
      root.dataset.offline = answer.failed.length ? "partial" : "synced";
      if (answer.failed.length) say(texts.partial);
    } else {
      root.dataset.offline = answer.type;
      say(answer.type === "signed-out" ? texts.signedOut : texts.failed);
    }
  }

  /* --- signing out: send pending notes first ------------------------------------ */
  document.querySelectorAll("form[data-sign-out]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      const reader = window.GremienReader;
      if (form.dataset.flushed || !reader || !reader.pendingCount) return;
      event.preventDefault();
      let pending = 0;
      try {
        await reader.flush();
        pending = await reader.pendingCount();
      } catch (error) {
        pending = 1;
      }
      if (pending && !window.confirm(format(texts.unsyncedSignOut, { count: pending }))) {
        return;
      }
      form.dataset.flushed = "1";
      form.requestSubmit();
    });
  });

  const refresh = document.querySelector("[data-offline-refresh]");
  if (refresh) refresh.addEventListener("click", () => sync());
  const clear = document.querySelector("[data-offline-clear]");
  if (clear) {
    clear.addEventListener("click", async () => {
      await ask({ type: "clear" });
      show({ meetings: [], entries: {} });
      say(texts.cleared);
    });
  }

  window.addEventListener("online", () => {
    showConnection();
    sync();
  });
  window.addEventListener("offline", showConnection);

  navigator.serviceWorker
    .register(config.worker, { scope: config.scope })
    .then(() => ask({ type: "status" }))
    .then((answer) => {
      show(answer.index);
      return sync();
    })
    .catch(() => {
      root.dataset.offline = "unsupported";
    });
})();
