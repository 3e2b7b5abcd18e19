// Gremienportal reader: the member's annotations on this device (IndexedDB)
// and the outbox of changes not yet sent, with the synchronisation.
//
// One database per user ("gremien-reader-u<id>"), so that two people on
// one tablet never see each other's notes; clearUserData()/clearAll()
// remove it (logout, access ended). No DOM here: the reader page and,
// later, the service worker use this module alike.
//
// Records ("annotations", key uuid): the server's fields plus
//   sync: "synced" | "pending" | "failed", syncError: German message.
// Outbox ("outbox", auto key, in order): {uuid, op: create|update|delete,
//   url, payload, baseRevision, failed, error}.
// The server is idempotent by the client's uuid and never overwrites a
// newer revision (it keeps a conflict copy), so sending twice is harmless.

const DB_PREFIX = "gremien-reader-u";
const DB_VERSION = 1;

export function databaseName(userId) {
  return `${DB_PREFIX}${userId}`;
}

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

export function openDatabase(userId) {
  const request = indexedDB.open(databaseName(userId), DB_VERSION);
  request.onupgradeneeded = () => {
    const db = request.result;
    const annotations = db.createObjectStore("annotations", { keyPath: "uuid" });
    annotations.createIndex("file", "file");
    const outbox = db.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
    outbox.createIndex("uuid", "uuid");
  };
  return promised(request);
}

/** Delete this user's notes and outbox from the device. */
export async function clearUserData(userId) {
  await promised(indexedDB.deleteDatabase(databaseName(userId)));
}

/** Delete every reader database on the device (logout on a shared tablet). */
export async function clearAll() {
  const names = indexedDB.databases
    ? (await indexedDB.databases()).map((d) => d.name)
    : [];
  await Promise.all(
    names.filter((n) => n && n.startsWith(DB_PREFIX)).map((n) => promised(indexedDB.deleteDatabase(n))),
  );
}

export class Store {
  constructor(db) {
    this.db = db;
  }

  static async open(userId) {
    return new Store(await openDatabase(userId));
  }

  async annotationsOfFile(fileId) {
    const tx = this.db.transaction("annotations");
    return promised(tx.objectStore("annotations").index("file").getAll(fileId));
  }

  async get(uuid) {
    const tx = this.db.transaction("annotations");
    return promised(tx.objectStore("annotations").get(uuid));
  }

  async put(record) {
    const tx = this.db.transaction("annotations", "readwrite");
    tx.objectStore("annotations").put(record);
    await done(tx);
  }

  async remove(uuid) {
    const tx = this.db.transaction("annotations", "readwrite");
    tx.objectStore("annotations").delete(uuid);
    await done(tx);
  }

  /** Take the server's list of a file: it replaces what is synced here;
   * records with changes not yet sent (or refused) stay as they are. */
  async replaceFile(fileId, serverRecords) {
    const tx = this.db.transaction(["annotations", "outbox"], "readwrite");
    const store = tx.objectStore("annotations");
    const waiting = new Set(
      (await promised(tx.objectStore("outbox").getAll())).map((e) => e.uuid),
    );
    const local = await promised(store.index("file").getAll(fileId));
    const incoming = new Set(serverRecords.map((r) => r.uuid));
    for (const record of local) {
      if (!incoming.has(record.uuid) && !waiting.has(record.uuid) && record.sync === "synced") {
        store.delete(record.uuid);
      }
    }
    for (const record of serverRecords) {
      if (!waiting.has(record.uuid)) {
        store.put({ ...record, sync: "synced", syncError: "" });
      }
    }
    await done(tx);
  }

  async outbox() {
    const tx = this.db.transaction("outbox");
    return promised(tx.objectStore("outbox").getAll());
  }

  async pendingCount() {
    return (await this.outbox()).length;
  }

  async dropEntry(id) {
    const tx = this.db.transaction("outbox", "readwrite");
    tx.objectStore("outbox").delete(id);
    await done(tx);
  }

  async putEntry(entry) {
    const tx = this.db.transaction("outbox", "readwrite");
    tx.objectStore("outbox").put(entry);
    await done(tx);
  }

  /**
   * Record a change made here: ``record`` (already changed) is kept at
   * once, marked pending, and ``payload`` (what the server is sent) goes
   * into the outbox, merged with what is still waiting for the same
   * note (a create not sent yet takes later changes in; a delete of a note
   * never sent removes it without a trace). ``busy`` is the id of the entry
   * being sent right now, which must not be changed.
   */
  async change(record, op, payload, busy = null) {
    const tx = this.db.transaction(["annotations", "outbox"], "readwrite");
    const annotations = tx.objectStore("annotations");
    const outbox = tx.objectStore("outbox");
    const waiting = (await promised(outbox.index("uuid").getAll(record.uuid))).filter(
      (e) => e.id !== busy,
    );
    const create = waiting.find((e) => e.op === "create");
    const update = waiting.find((e) => e.op === "update");
    if (op === "delete") {
      for (const entry of waiting) outbox.delete(entry.id);
      if (create && busy === null) {
        annotations.delete(record.uuid);
      } else {
        annotations.put({ ...record, deleted: true, sync: "pending", syncError: "" });
        outbox.add({
          uuid: record.uuid,
          op,
          url: record.itemUrl,
          baseRevision: record.revision || null,
          payload: {},
        });
      }
    } else if (op === "update" && create) {
      create.payload = { ...create.payload, ...payload };
      create.failed = false;
      create.error = "";
      outbox.put(create);
      annotations.put({ ...record, sync: "pending", syncError: "" });
    } else if (op === "update" && update) {
      update.payload = { ...update.payload, ...payload };
      update.failed = false;
      update.error = "";
      outbox.put(update);
      annotations.put({ ...record, sync: "pending", syncError: "" });
    } else {
      annotations.put({ ...record, sync: "pending", syncError: "" });
      outbox.add({
        uuid: record.uuid,
        op,
        url: op === "create" ? record.listUrl : record.itemUrl,
        baseRevision: op === "update" ? record.revision || null : null,
        payload,
      });
    }
    await done(tx);
  }
}

// --- synchronisation -------------------------------------------------------------

function cookie(name) {
  for (const part of document.cookie ? document.cookie.split(";") : []) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return "";
}

class NetworkError extends Error {}

/**
 * Sends the outbox in order, one entry at a time. Dispatches
 * "gremien:reader-sync" on ``target`` (the document) after each run with
 * {pending, sent, messages, offline, signedOut}.
 */
export class Syncer {
  constructor(store, { csrfUrl, target = document }) {
    this.store = store;
    this.csrfUrl = csrfUrl;
    this.target = target;
    this.running = null;
    this.again = false;
    this.busy = null;
    this.token = "";
  }

  async csrfToken(fresh = false) {
    if (!fresh) {
      this.token = cookie("csrftoken") || this.token;
      if (this.token) return this.token;
    }
    const response = await fetch(this.csrfUrl, { credentials: "same-origin", cache: "no-store" });
    if (response.ok) this.token = (await response.json()).token;
    return this.token;
  }

  async request(method, url, body) {
    const send = async (token) => {
      try {
        return await fetch(url, {
          method,
          credentials: "same-origin",
          cache: "no-store",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        throw new NetworkError(String(error));
      }
    };
    let response = await send(await this.csrfToken());
    if (response.status === 403) {
      const data = await response.clone().json().catch(() => ({}));
      if (data.error && data.error.code === "csrf_failed") {
        response = await send(await this.csrfToken(true));
      }
    }
    const data = await response.json().catch(() => ({}));
    return { status: response.status, data };
  }

  /** Send what is waiting; concurrent calls share one run. */
  sync() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this._run().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.sync();
      }
    });
    return this.running;
  }

  async _run() {
    const report = { sent: 0, messages: [], offline: false, signedOut: false, conflicts: 0 };
    for (const entry of await this.store.outbox()) {
      if (entry.failed) continue;
      this.busy = entry.id;
      let outcome;
      try {
        outcome = await this._send(entry);
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        report.offline = true;
        break;
      } finally {
        this.busy = null;
      }
      if (outcome === "stop") {
        report.signedOut = true;
        break;
      }
      if (outcome === "retry") {
        report.offline = true;
        break;
      }
      if (outcome && outcome.message) report.messages.push(outcome.message);
      if (outcome && outcome.conflict) report.conflicts += 1;
      report.sent += 1;
    }
    report.pending = await this.store.pendingCount();
    this.target.dispatchEvent(new CustomEvent("gremien:reader-sync", { detail: report }));
    return report;
  }

  async _send(entry) {
    const record = await this.store.get(entry.uuid);
    let result;
    if (entry.op === "create") {
      result = await this.request("POST", entry.url, { uuid: entry.uuid, ...entry.payload });
    } else if (entry.op === "update") {
      const base = entry.baseRevision ?? (record ? record.revision : 1);
      result = await this.request("PATCH", entry.url, {
        base_revision: base,
        quote: record ? record.quote : "",
        ...entry.payload,
      });
    } else {
      const base = entry.baseRevision ?? (record ? record.revision : "");
      result = await this.request("DELETE", `${entry.url}?revision=${base}`);
    }
    const { status, data } = result;
    if (status === 401) return "stop";
    if (status >= 500 || status === 0 || status === 429) return "retry";
    await this.store.dropEntry(entry.id);
    const waiting = (await this.store.outbox()).filter((e) => e.uuid === entry.uuid);
    if (status >= 400) {
      const message = (data.error && data.error.message) || "";
      if (entry.op === "delete" && status === 404) {
        await this.store.remove(entry.uuid);
        return {};
      }
      await this.store.putEntry({ ...entry, failed: true, error: message });
      const latest = (await this.store.get(entry.uuid)) || record;
      if (latest) await this.store.put({ ...latest, sync: "failed", syncError: message });
      return { message };
    }
    const server = data.annotation;
    // The user may have changed the note while the request was on its way.
    const latest = (await this.store.get(entry.uuid)) || record;
    if (entry.op === "delete" && data.status !== "kept") {
      await this.store.remove(entry.uuid);
    } else if (server) {
      const keepLocal = waiting.length && latest;
      const merged = keepLocal
        ? { ...latest, revision: server.revision, created: server.created, mark: server.mark }
        : { ...(latest || {}), ...server, sync: "synced", syncError: "" };
      if (server.deleted && !keepLocal) await this.store.remove(entry.uuid);
      else await this.store.put(merged);
      // Updates queued while the create was on its way start from its revision.
      for (const later of waiting) {
        if (later.baseRevision === null || later.baseRevision === undefined) {
          await this.store.putEntry({ ...later, baseRevision: server.revision });
        }
      }
    }
    if (data.copy) {
      await this.store.put({
        ...data.copy,
        listUrl: latest && latest.listUrl,
        itemUrl: itemUrlFor(latest, data.copy.uuid),
        sync: "synced",
        syncError: "",
      });
    }
    return { message: data.message || "", conflict: data.status === "conflict" };
  }
}

function itemUrlFor(record, uuid) {
  if (!record || !record.itemUrl) return "";
  return record.itemUrl.replace(record.uuid, uuid);
}
