/* Gremienportal – service worker of the member portal (scope /mitglieder/).
 *
 * Keeps the member's next meetings readable without a connection: their pages,
 * documents, reader pages and personal session packs, as listed by the server's
 * offline set (/mitglieder/offline/daten.json, see members/offline.py). The
 * pages ask for a sync whenever they load online; the sync downloads what is new
 * or changed and deletes everything no longer in the set, so a withdrawn
 * document or a meeting whose access ended leaves the device at the next sync.
 *
 * Online, pages and documents always come from the network (the server decides
 * access on every request); the cache answers only when the network fails, or
 * when it is too slow and a copy exists. Only same-origin GET requests of the
 * member portal, the member downloads and static files are touched.
 * Signing out sends Clear-Site-Data, which removes all of it.
 */
"use strict";

const VERSION = "__VERSION__";
const STATIC_CACHE = "gp-static-" + VERSION;
const DATA_PREFIX = "gp-offline-u";
const INDEX_URL = "/mitglieder/__offline-index__";
const OFFLINE_PAGE = "/mitglieder/offline/";
const SLOW_NETWORK_MS = 6000;
const NEVER_CACHED = [
  "/mitglieder/sw.js",
  "/mitglieder/offline/daten.json",
  "/mitglieder/dokumente/api/",
];

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith("gp-static-") && key !== STATIC_CACHE) {
          await caches.delete(key);
        }
      }
      await self.clients.claim();
    })()
  );
});

function handled(url) {
  if (url.origin !== self.location.origin) return false;
  const path = url.pathname;
  if (NEVER_CACHED.some((prefix) => path.startsWith(prefix))) return false;
  return (
    path.startsWith("/mitglieder/") ||
    path.startsWith("/mappe/") ||
    path.startsWith("/static/")
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (!handled(url)) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFirst(request));
  } else {
    event.respondWith(networkFirst(request));
  }
});

async function staticFirst(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  return fetch(request);
}

/* The data cache of the member signed in on this device. */
async function dataCache() {
  for (const key of await caches.keys()) {
    if (key.startsWith(DATA_PREFIX)) return caches.open(key);
  }
  return null;
}

async function cachedCopy(request) {
  const cache = await dataCache();
  if (!cache) return null;
  return (
    (await cache.match(request, { ignoreVary: true, ignoreSearch: false })) ||
    null
  );
}

function timeout(ms) {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms));
}

async function networkFirst(request) {
  const copy = await cachedCopy(request);
  const network = fetch(request).then(
    async (response) => {
      if (copy && [403, 404, 410].includes(response.status)) {
        await forget(new URL(request.url).pathname);
      }
      return response;
    },
    () => null
  );
  const response = copy
    ? await Promise.race([network, timeout(SLOW_NETWORK_MS)])
    : await network;
  if (response) return response;
  if (copy) return copy;
  if (request.mode === "navigate") {
    const fallback = await cachedCopy(new Request(OFFLINE_PAGE));
    if (fallback) return fallback;
  }
  return Response.error();
}

/* A document the server no longer hands out: drop it from the device. */
async function forget(path) {
  const cache = await dataCache();
  if (!cache) return;
  await cache.delete(path);
  const index = await readIndex(cache);
  if (index && index.entries[path]) {
    delete index.entries[path];
    await writeIndex(cache, index);
  }
}

async function readIndex(cache) {
  const response = await cache.match(INDEX_URL);
  if (!response) return null;
  try {
    return await response.json();
  } catch (error) {
    return null;
  }
}

function writeIndex(cache, index) {
  return cache.put(
    INDEX_URL,
    new Response(JSON.stringify(index), {
      headers: { "Content-Type": "application/json" },
    })
  );
}

/* What the device should hold: url -> {version, meeting}. */
function wanted(set) {
  const urls = new Map();
  const stamp = set.generated;
  for (const page of set.pages) urls.set(page, { version: stamp, meeting: null });
  for (const meeting of set.meetings) {
    urls.set(meeting.page, { version: stamp, meeting: meeting.id });
    for (const doc of meeting.documents) {
      urls.set(doc.url, { version: doc.version, meeting: meeting.id, size: doc.size });
      if (doc.reader) urls.set(doc.reader, { version: stamp, meeting: meeting.id });
    }
  }
  return urls;
}

class SignedOut extends Error {}

async function download(cache, url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (response.redirected) throw new SignedOut(url);
  if (!response.ok) return response.status;
  await cache.put(url, response);
  return 200;
}

async function sync(set) {
  const name = DATA_PREFIX + set.user;
  for (const key of await caches.keys()) {
    if (key.startsWith(DATA_PREFIX) && key !== name) await caches.delete(key);
  }
  const statics = await caches.open(STATIC_CACHE);
  for (const asset of set.assets) {
    if (!(await statics.match(asset))) {
      try {
        await statics.add(asset);
      } catch (error) {
        /* an asset that fails now is fetched again at the next sync */
      }
    }
  }
  const cache = await caches.open(name);
  const index = (await readIndex(cache)) || { entries: {} };
  const now = new Date().toISOString();
  const target = wanted(set);
  const failed = [];
  for (const [url, want] of target) {
    const have = index.entries[url];
    if (have && have.version === want.version && (await cache.match(url))) continue;
    const status = await download(cache, url).catch((error) => {
      if (error instanceof SignedOut) throw error;
      return 0;
    });
    if (status === 200) {
      index.entries[url] = { version: want.version, meeting: want.meeting, size: want.size || 0, cachedAt: now };
    } else if (status === 403 || status === 404 || status === 410) {
      target.delete(url);
    } else {
      failed.push(url);
    }
  }
  for (const url of Object.keys(index.entries)) {
    if (!target.has(url)) {
      await cache.delete(url);
      delete index.entries[url];
    }
  }
  index.user = set.user;
  index.syncedAt = now;
  index.meetings = set.meetings.map((meeting) => ({
    id: meeting.id,
    name: meeting.name,
    start: meeting.start,
    page: meeting.page,
    documents: meeting.documents.map((doc) => ({
      name: doc.name,
      url: doc.url,
      reader: doc.reader,
      pack: Boolean(doc.pack),
      size: doc.size || 0,
      cachedAt: (index.entries[doc.url] || {}).cachedAt || null,
    })),
  }));
  await writeIndex(cache, index);
  return { index, failed };
}

async function status() {
  const cache = await dataCache();
  return cache ? readIndex(cache) : null;
}

async function clearAll() {
  for (const key of await caches.keys()) {
    if (key.startsWith(DATA_PREFIX)) await caches.delete(key);
  }
}

let running = null;

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const port = event.ports && event.ports[0];
  const reply = (message) => port && port.postMessage(message);
  let work;
  if (data.type === "sync") {
    running = (running || Promise.resolve()).then(() => sync(data.set));
    work = running.then(
      (result) => reply({ type: "synced", index: result.index, failed: result.failed }),
      (error) =>
        reply({ type: error instanceof SignedOut ? "signed-out" : "sync-failed" })
    );
  } else if (data.type === "status") {
    work = status().then((index) => reply({ type: "status", index }));
  } else if (data.type === "clear") {
    work = clearAll().then(() => reply({ type: "cleared" }));
  }
  if (work) event.waitUntil(work);
});
