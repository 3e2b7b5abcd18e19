// Sign-out on a shared tablet: before a form marked data-reader-clear is
// sent (the portal's "Sign out"), remove every reader database (the notes
// and the outbox of every user) from this device. Changes not yet sent are
// lost with it; the form asks first when there are any.
// Include on the member pages: <script type="module" src="{% static 'reader/logout.mjs' %}">
// and mark the sign-out form: <form … data-reader-clear data-reader-user="{{ user.pk }}"
// data-reader-clear-confirm="{% translate '…{count}…' %}">

const PREFIX = "gremien-reader-u";

function deleteDatabase(name) {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

async function readerDatabases(form) {
  if (!window.indexedDB) return [];
  const names = new Set();
  // Browsers that cannot list databases (Firefox before 126) still find the
  // signed-in user's own: data-reader-user="{{ user.pk }}" on the form.
  if (form.dataset.readerUser) names.add(`${PREFIX}${form.dataset.readerUser}`);
  if (indexedDB.databases) {
    for (const d of await indexedDB.databases()) {
      if (d.name && d.name.startsWith(PREFIX)) names.add(d.name);
    }
  }
  return [...names];
}

async function waitingChanges(names) {
  let count = 0;
  for (const name of names) {
    count += await new Promise((resolve) => {
      const request = indexedDB.open(name);
      request.onupgradeneeded = () => request.transaction.abort();
      request.onerror = () => resolve(0);
      request.onsuccess = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains("outbox")) {
          db.close();
          resolve(0);
          return;
        }
        const counted = db.transaction("outbox").objectStore("outbox").count();
        counted.onsuccess = () => {
          db.close();
          resolve(counted.result);
        };
        counted.onerror = () => {
          db.close();
          resolve(0);
        };
      };
    });
  }
  return count;
}

for (const form of document.querySelectorAll("form[data-reader-clear]")) {
  form.addEventListener("submit", async (event) => {
    if (form.dataset.readerCleared === "true") return;
    event.preventDefault();
    const names = await readerDatabases(form);
    const waiting = await waitingChanges(names);
    const question = form.dataset.readerClearConfirm;
    if (waiting && question && !window.confirm(question.replace("{count}", String(waiting)))) return;
    if (window.GremienReader && window.GremienReader.clearAll) {
      await window.GremienReader.clearAll();
    }
    await Promise.all(names.map(deleteDatabase));
    form.dataset.readerCleared = "true";
    form.submit();
  });
}
