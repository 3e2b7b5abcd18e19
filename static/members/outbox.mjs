// Gremienportal – notes written offline leave the device from every member
// page, not only from the reader: on load and whenever the connection comes
// back, the reader's outbox (static/reader/store.mjs) is sent. Defines
// window.GremienReader (flush, pendingCount) where the reader is not loaded,
// so that signing out first sends what is waiting (static/members/offline.js).
// The notes database is opened only if it exists, and closed after each use:
// a page must neither create it nor keep a sign-out from deleting it.
const config = JSON.parse(document.getElementById("offline-config").textContent);

async function start() {
  // The reader page runs its own sync (static/reader/reader.mjs).
  if (!window.indexedDB || !indexedDB.databases || !config.user) return;
  if (document.getElementById("reader-config")) return;
  const { Store, Syncer, databaseName } = await import(config.storeModule);
  const name = databaseName(config.user);
  const exists = async () => (await indexedDB.databases()).some((d) => d.name === name);
  if (!(await exists())) return;

  async function withStore(work) {
    if (!(await exists())) return 0;
    const store = await Store.open(config.user);
    try {
      return await work(store);
    } finally {
      store.db.close();
    }
  }
  const flush = () =>
    withStore(async (store) => {
      if (await store.pendingCount()) {
        await new Syncer(store, { csrfUrl: config.csrfUrl, target: document }).sync();
      }
      return store.pendingCount();
    });
  window.GremienReader = {
    version: 1,
    sync: flush,
    flush,
    pendingCount: () => withStore((store) => store.pendingCount()),
  };
  window.addEventListener("online", () => flush());
  if (navigator.onLine) await flush();
}

start().catch(() => {
  /* the reader sends the notes when it opens */
});
