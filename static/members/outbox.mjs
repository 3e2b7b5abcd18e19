// Gremienportal – notes written offline leave the device from every member
// page, not only from the reader: on load and whenever the connection comes
// back, the reader's outbox (static/reader/store.mjs) is sent. Defines
// window.GremienReader (flush, pendingCount) where the reader is not loaded,
// so that signing out first sends what is waiting (static/members/offline.js).
const config = JSON.parse(document.getElementById("offline-config").textContent);

async function start() {
  // The reader page runs its own sync (static/reader/reader.mjs).
  if (!window.indexedDB || document.getElementById("reader-config") || !config.user) {
    return;
  }
  const { Store, Syncer } = await import(config.storeModule);
  const store = await Store.open(config.user);
  const syncer = new Syncer(store, { csrfUrl: config.csrfUrl, target: document });
  window.GremienReader = {
    version: 1,
    sync: () => syncer.sync(),
    flush: () => syncer.sync(),
    pendingCount: () => store.pendingCount(),
  };
  const send = async () => {
    if (navigator.onLine && (await store.pendingCount())) await syncer.sync();
  };
  window.addEventListener("online", send);
  await send();
}

start().catch(() => {
  /* the reader sends the notes when it opens */
});
