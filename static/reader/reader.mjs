// Gremienportal reader: a PDF in the browser (PDF.js from npm, served by
// the project) with the member's highlights and notes.
//
// Configuration and texts come from the page (json_script "reader-config",
// "reader-texts"); the page holds no per-request secret, so a service worker
// may serve it from its cache. Notes live in IndexedDB first (store.mjs) and
// are sent to the server when there is a connection.
//
// For the service worker and the portal (documented in docs/decisions.md):
//   window.GremienReader.sync()/flush() send waiting changes now (Promise of
//                                       the run's report, as in the event below)
//   window.GremienReader.pendingCount() number of changes not yet sent
//   window.GremienReader.clearUserData() remove this user's notes from the device
//   window.GremienReader.clearAll()      remove every reader database (logout)
//   document event "gremien:reader-sync-request"   asks for a sync
//   document event "gremien:reader-sync"           after each sync run, detail
//       {pending, sent, conflicts, messages, offline, signedOut}
//   a service worker message {type: "gremien-reader-sync"} asks for a sync.

const config = JSON.parse(document.getElementById("reader-config").textContent);
const texts = JSON.parse(document.getElementById("reader-texts").textContent);
const root = document.querySelector("[data-reader]");
const editable = root.dataset.readerMode === "annotate" && config.editable;
const PDF_TO_CSS = 96 / 72;
const MIN_ZOOM = 0.5;
const MAX_ZOOM = 4;
const KEEP_RENDERED = 10;

function field(name) {
  return root.querySelector(`[data-field="${name}"]`);
}

function fill(text, values = {}) {
  return text.replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));
}

function formatNumber(value) {
  return new Intl.NumberFormat(document.documentElement.lang || "de").format(value);
}

function say(message, error = false) {
  const status = field("status");
  status.textContent = message || "";
  status.classList.toggle("rd-status--error", !!error);
}

function newUuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function itemUrl(uuid) {
  return config.itemUrl.replace(config.uuidSlot, uuid);
}

// --- the document --------------------------------------------------------------

const viewer = {
  pdfjs: null,
  pdf: null,
  pages: [], // {number, width, height (at scale 1), div, canvas, marks, text, state}
  fitScale: 1,
  zoom: 1,
  rendered: [],
  observer: null,
  current: 1,
  generation: 0,
};

function scale() {
  return viewer.fitScale * viewer.zoom;
}

async function loadDocument() {
  const container = field("document");
  try {
    const pdfjs = await import(config.pdfjs.module);
    pdfjs.GlobalWorkerOptions.workerSrc = config.pdfjs.worker;
    viewer.pdfjs = pdfjs;
    viewer.pdf = await pdfjs.getDocument({
      url: config.pdfUrl,
      withCredentials: true,
      cMapUrl: config.pdfjs.cMapUrl,
      cMapPacked: true,
      standardFontDataUrl: config.pdfjs.standardFontDataUrl,
      wasmUrl: config.pdfjs.wasmUrl,
      iccUrl: config.pdfjs.iccUrl,
      isEvalSupported: false,
      enableXfa: false,
    }).promise;
  } catch (error) {
    field("loading").textContent = texts.loadFailed;
    say(texts.loadFailed, true);
    console.error(error);
    return false;
  }
  const count = viewer.pdf.numPages;
  for (let number = 1; number <= count; number += 1) {
    const page = await viewer.pdf.getPage(number);
    const viewport = page.getViewport({ scale: 1 });
    viewer.pages.push({ number, width: viewport.width, height: viewport.height, state: "empty" });
  }
  field("loading").remove();
  field("count").textContent = fill(texts.pageOf, { count });
  field("page").max = String(count);
  for (const page of viewer.pages) container.append(pageElement(page, count));
  viewer.width = container.clientWidth;
  fitWidth();
  viewer.observer = new IntersectionObserver(onVisible, { root: container, rootMargin: "100% 0px" });
  for (const page of viewer.pages) viewer.observer.observe(page.div);
  container.addEventListener("scroll", onScroll, { passive: true });
  // Zoom is relative to the page width: a turned tablet keeps its zoom.
  window.addEventListener(
    "resize",
    debounce(() => {
      // The on-screen keyboard changes the height only: nothing to redraw.
      const width = field("document").clientWidth;
      if (width === viewer.width) return;
      viewer.width = width;
      measureFit();
      relayout();
    }, 200),
  );
  const wanted = /^#seite-(\d+)$/.exec(location.hash);
  if (wanted) goToPage(Number(wanted[1]));
  return true;
}

function pageElement(page, count) {
  const div = document.createElement("div");
  div.className = "rd-page";
  div.dataset.page = String(page.number);
  div.setAttribute("role", "group");
  div.setAttribute("aria-label", fill(texts.pageLabel, { page: page.number, count }));
  const canvas = document.createElement("canvas");
  canvas.setAttribute("aria-hidden", "true");
  const marks = document.createElement("div");
  marks.className = "rd-marks";
  marks.setAttribute("aria-hidden", "true");
  const text = document.createElement("div");
  text.className = "textLayer";
  const number = document.createElement("span");
  number.className = "rd-page__number";
  number.setAttribute("aria-hidden", "true");
  number.textContent = String(page.number);
  div.append(canvas, marks, text, number);
  Object.assign(page, { div, canvas, marks, text });
  return div;
}

function sizePage(page) {
  const s = scale();
  page.div.style.width = `${Math.floor(page.width * s)}px`;
  page.div.style.height = `${Math.floor(page.height * s)}px`;
  page.div.style.setProperty("--total-scale-factor", String(s));
}

function measureFit() {
  const container = field("document");
  const widest = Math.max(...viewer.pages.map((p) => p.width));
  const room = Math.max(120, container.clientWidth - 24);
  viewer.fitScale = room / widest;
}

function fitWidth() {
  measureFit();
  viewer.zoom = 1;
  relayout();
}

function setZoom(zoom) {
  viewer.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
  relayout();
}

function relayout() {
  // Pages drawn at the old scale stay (stretched) until drawn anew; the text
  // layer follows the scale through CSS (--total-scale-factor).
  const keep = viewer.current;
  viewer.generation += 1;
  for (const page of viewer.pages) {
    sizePage(page);
    if (page.state === "done") page.state = "empty";
  }
  field("zoom").textContent = `${Math.round((scale() / PDF_TO_CSS) * 100)} %`;
  goToPage(keep, false);
  for (const page of viewer.pages) {
    if (page.visible && page.state === "empty") renderPage(page);
  }
}

function onVisible(entries) {
  for (const entry of entries) {
    const page = viewer.pages[Number(entry.target.dataset.page) - 1];
    page.visible = entry.isIntersecting;
    if (entry.isIntersecting && page.state === "empty") renderPage(page);
  }
}

async function renderPage(page) {
  const generation = viewer.generation;
  page.state = "busy";
  const pdfPage = await viewer.pdf.getPage(page.number);
  const viewport = pdfPage.getViewport({ scale: scale() });
  const ratio = Math.min(window.devicePixelRatio || 1, 2);
  const canvas = document.createElement("canvas");
  canvas.setAttribute("aria-hidden", "true");
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  try {
    await pdfPage.render({
      canvasContext: canvas.getContext("2d"),
      canvas,
      viewport,
      transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0],
    }).promise;
    const text = document.createElement("div");
    text.className = "textLayer";
    const layer = new viewer.pdfjs.TextLayer({
      textContentSource: pdfPage.streamTextContent({ includeMarkedContent: true }),
      container: text,
      viewport,
    });
    await layer.render();
    const end = document.createElement("div");
    end.className = "endOfContent";
    text.append(end);
    if (generation !== viewer.generation) {
      page.state = "empty";
      if (page.visible) renderPage(page);
      return;
    }
    page.canvas.replaceWith(canvas);
    page.text.replaceWith(text);
    Object.assign(page, { canvas, text });
    page.state = "done";
    remember(page);
  } catch (error) {
    page.state = "empty";
    if (!(error && error.name === "RenderingCancelledException")) console.error(error);
  }
}

function remember(page) {
  viewer.rendered = viewer.rendered.filter((p) => p !== page);
  viewer.rendered.push(page);
  while (viewer.rendered.length > KEEP_RENDERED) {
    const old = viewer.rendered.shift();
    if (old.visible) {
      viewer.rendered.push(old);
      break;
    }
    old.canvas.width = 0;
    old.canvas.height = 0;
    old.state = "empty";
  }
}

function onScroll() {
  if (viewer.scrollFrame) return;
  viewer.scrollFrame = requestAnimationFrame(() => {
    viewer.scrollFrame = null;
    const container = field("document");
    const middle = container.scrollTop + container.clientHeight / 3;
    let current = 1;
    for (const page of viewer.pages) {
      if (page.div.offsetTop <= middle) current = page.number;
      else break;
    }
    if (current !== viewer.current) {
      viewer.current = current;
      field("page").value = String(current);
    }
  });
}

function goToPage(number, announce = true) {
  if (!viewer.pages.length) return;
  const target = Math.min(viewer.pages.length, Math.max(1, Math.round(number) || 1));
  const page = viewer.pages[target - 1];
  const container = field("document");
  container.scrollTop = page.div.offsetTop - 8;
  viewer.current = target;
  field("page").value = String(target);
  if (announce) say(fill(texts.pageLabel, { page: target, count: viewer.pages.length }));
}

function debounce(fn, wait) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
}

function bindToolbar() {
  root.querySelector("[data-action=prev]").addEventListener("click", () => goToPage(viewer.current - 1));
  root.querySelector("[data-action=next]").addEventListener("click", () => goToPage(viewer.current + 1));
  root.querySelector("[data-action=zoom-in]").addEventListener("click", () => setZoom(viewer.zoom * 1.25));
  root.querySelector("[data-action=zoom-out]").addEventListener("click", () => setZoom(viewer.zoom / 1.25));
  root.querySelector("[data-action=fit-width]").addEventListener("click", () => fitWidth());
  const input = field("page");
  input.addEventListener("change", () => goToPage(Number(input.value)));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      goToPage(Number(input.value));
    }
  });
}

// --- annotations -----------------------------------------------------------------

const notes = {
  store: null,
  syncer: null,
  records: [],
  editing: null, // {record} or {page} for a new note
  selection: null, // {range, page}
};

function visibleRecords() {
  return notes.records
    .filter((r) => !r.deleted)
    .sort((a, b) => a.page - b.page || String(a.created).localeCompare(String(b.created)));
}

async function reloadLocal() {
  notes.records = await notes.store.annotationsOfFile(config.fileId);
  renderNotes();
  drawAllMarks();
}

function drawAllMarks() {
  if (!editable) return;
  for (const page of viewer.pages) {
    page.marks.replaceChildren();
  }
  for (const record of visibleRecords()) {
    const page = viewer.pages[record.page - 1];
    if (!page || !record.rects) continue;
    for (const [x, y, w, h] of record.rects) {
      const mark = document.createElement("div");
      mark.className = `rd-mark rd-mark--${record.color}`;
      mark.dataset.uuid = record.uuid;
      Object.assign(mark.style, {
        left: `${x * 100}%`,
        top: `${y * 100}%`,
        width: `${w * 100}%`,
        height: `${h * 100}%`,
      });
      page.marks.append(mark);
    }
  }
}

function badge(text, kind) {
  const span = document.createElement("span");
  span.className = `mp-badge mp-badge--${kind}`;
  span.textContent = text;
  return span;
}

function button(label, onClick, extraClass = "", describedBy = "", action = "") {
  const b = document.createElement("button");
  b.type = "button";
  if (action) b.dataset.noteAction = action;
  b.textContent = label;
  if (extraClass) b.className = extraClass;
  if (describedBy) b.setAttribute("aria-describedby", describedBy);
  b.addEventListener("click", onClick);
  return b;
}

function noteItem(record, pageCount) {
  const li = document.createElement("li");
  li.className = `rd-note rd-note--${record.color}`;
  li.id = `notiz-${record.uuid}`;
  li.dataset.uuid = record.uuid;
  li.tabIndex = -1;
  if (record.sync !== "synced") li.classList.add("rd-note--pending");
  const headingId = `notiz-${record.uuid}-art`;
  const meta = document.createElement("p");
  meta.className = "rd-note__meta";
  meta.id = headingId;
  const kind = record.kind === "highlight" ? texts.highlight : texts.note;
  const when = new Date(record.modified || record.created);
  const colour = texts.colors[record.color] || record.color;
  meta.textContent = `${kind} · ${colour} · ${when.toLocaleString(document.documentElement.lang || "de", { dateStyle: "medium", timeStyle: "short" })}`;
  li.append(meta);
  if (record.quote) {
    const quote = document.createElement("blockquote");
    quote.textContent = record.quote;
    li.append(quote);
  }
  if (record.text) {
    const text = document.createElement("p");
    text.className = "rd-note__text";
    text.textContent = record.text;
    li.append(text);
  }
  const badges = document.createElement("p");
  badges.className = "rd-note__badges";
  if (record.sync === "pending") badges.append(badge(texts.unsynced, "pending"));
  if (record.sync === "failed") badges.append(badge(fill(texts.syncFailed, { message: record.syncError }), "failed"));
  if (record.mark === "page_changed") badges.append(badge(texts.pageChanged, "changed"));
  if (record.mark === "page_gone" || (pageCount && record.page > pageCount)) badges.append(badge(texts.pageGone, "changed"));
  if (record.conflict_of) badges.append(badge(texts.conflictCopy, "addendum"));
  if (record.shared_with) {
    badges.append(
      record.own
        ? badge(fill(texts.sharedWith, { name: record.shared_with.name }), "new")
        : badge(fill(texts.sharedBy, { author: record.author, name: record.shared_with.name }), "new"),
    );
  }
  if (!record.own) badges.append(badge(texts.readOnly, "new"));
  if (badges.childElementCount) li.append(badges);
  const actions = document.createElement("div");
  actions.className = "rd-note__actions";
  if (!pageCount || record.page <= pageCount) {
    actions.append(button(fill(texts.goToPage, { page: record.page }), () => focusMark(record), "", "", "goto"));
  }
  if (record.own && editable) {
    actions.append(button(texts.edit, () => openForm({ record }), "", headingId, "edit"));
    actions.append(button(texts.delete, () => removeRecord(record), "rd-danger", headingId, "delete"));
  }
  li.append(actions);
  return li;
}

function renderNotes() {
  const container = field("notes");
  const records = visibleRecords();
  const pageCount = viewer.pages.length;
  container.replaceChildren();
  if (!records.length) {
    const empty = document.createElement("p");
    empty.className = "mp-empty";
    empty.textContent = texts.noNotes;
    container.append(empty);
    return;
  }
  const gone = records.filter((r) => r.mark === "page_gone" || (pageCount && r.page > pageCount));
  const present = records.filter((r) => !gone.includes(r));
  let list = null;
  let lastPage = null;
  for (const record of present) {
    if (record.page !== lastPage) {
      const heading = document.createElement("h3");
      heading.textContent = fill(texts.page, { page: record.page });
      list = document.createElement("ul");
      list.className = "rd-notes";
      container.append(heading, list);
      lastPage = record.page;
    }
    list.append(noteItem(record, pageCount));
  }
  if (gone.length) {
    const section = document.createElement("section");
    section.className = "rd-gone";
    section.setAttribute("aria-labelledby", "rd-gone-heading");
    const heading = document.createElement("h3");
    heading.id = "rd-gone-heading";
    heading.textContent = texts.goneHeading;
    const help = document.createElement("p");
    help.className = "mp-meta";
    help.textContent = texts.goneHelp;
    const goneList = document.createElement("ul");
    goneList.className = "rd-notes";
    for (const record of gone) goneList.append(noteItem(record, pageCount));
    section.append(heading, help, goneList);
    container.append(section);
  }
}

function focusMark(record) {
  goToPage(record.page);
  for (const mark of root.querySelectorAll(".rd-mark--focus")) mark.classList.remove("rd-mark--focus");
  for (const mark of root.querySelectorAll(`.rd-mark[data-uuid="${record.uuid}"]`)) {
    mark.classList.add("rd-mark--focus");
  }
  field("document").focus({ preventScroll: true });
}

// Selection → highlight ------------------------------------------------------------

function trackSelection() {
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    const start = range.startContainer.parentElement || range.startContainer;
    const pageDiv = start.closest && start.closest(".rd-page");
    if (!pageDiv || !root.contains(pageDiv)) return;
    notes.selection = { range: range.cloneRange(), page: Number(pageDiv.dataset.page), text: selection.toString() };
  });
}

function selectionRects(range, page) {
  const box = page.div.getBoundingClientRect();
  const rows = [];
  for (const r of range.getClientRects()) {
    const left = Math.max(r.left, box.left);
    const right = Math.min(r.right, box.right);
    const top = Math.max(r.top, box.top);
    const bottom = Math.min(r.bottom, box.bottom);
    if (right - left < 1 || bottom - top < 1) continue;
    const row = rows.find((o) => Math.abs(o.top - top) < 3 && Math.abs(o.bottom - bottom) < 3 && left <= o.right + 4 && right >= o.left - 4);
    if (row) {
      row.left = Math.min(row.left, left);
      row.right = Math.max(row.right, right);
    } else {
      rows.push({ left, right, top, bottom });
    }
  }
  return rows.slice(0, 400).map((o) => [
    (o.left - box.left) / box.width,
    (o.top - box.top) / box.height,
    (o.right - o.left) / box.width,
    (o.bottom - o.top) / box.height,
  ].map((v) => Math.round(v * 100000) / 100000));
}

async function highlightSelection() {
  const selected = notes.selection;
  const page = selected && viewer.pages[selected.page - 1];
  const rects = page ? selectionRects(selected.range, page) : [];
  if (!rects.length) {
    say(texts.selectFirst, true);
    return;
  }
  const quote = selected.text.replace(/\s+/g, " ").trim();
  const record = newRecord({ page: selected.page, kind: "highlight", rects, quote, text: "" });
  notes.selection = null;
  document.getSelection().removeAllRanges();
  await saveNew(record);
}

function newRecord(values) {
  const uuid = newUuid();
  const now = new Date().toISOString();
  return {
    uuid,
    file: config.fileId,
    meeting: config.meetingId,
    color: field("color").value || "yellow",
    shared_with: null,
    revision: 0,
    created: now,
    modified: now,
    deleted: false,
    own: true,
    author: "",
    mark: "",
    conflict_of: null,
    file_sha256: config.sha256,
    listUrl: config.listUrl,
    itemUrl: itemUrl(uuid),
    ...values,
  };
}

function createPayload(record) {
  return {
    page: record.page,
    kind: record.kind,
    rects: record.rects || [],
    quote: record.quote || "",
    text: record.text || "",
    color: record.color,
    shared_with: record.shared_with ? record.shared_with.id : null,
    file_sha256: config.sha256,
  };
}

async function saveNew(record) {
  await notes.store.change(record, "create", createPayload(record), notes.syncer.busy);
  await afterChange(record);
}

async function afterChange(record) {
  await reloadLocal();
  say(navigator.onLine ? texts.saved : texts.savedOffline);
  const item = document.getElementById(`notiz-${record.uuid}`);
  if (item) {
    item.classList.add("rd-note--focus");
    item.focus();
  }
  syncSoon();
}

async function removeRecord(record) {
  if (!window.confirm(texts.confirmDelete)) return;
  await notes.store.change({ ...record, modified: new Date().toISOString() }, "delete", {}, notes.syncer.busy);
  await reloadLocal();
  say(texts.deleted);
  syncSoon();
}

// The note form ----------------------------------------------------------------------

function openForm(editing) {
  notes.editing = editing;
  const form = field("form");
  const record = editing.record;
  const page = record ? record.page : viewer.current;
  field("form-legend").textContent = fill(record ? texts.editNote : texts.noteFor, { page });
  field("text").value = record ? record.text || "" : "";
  field("form-color").value = record ? record.color : field("color").value;
  field("share").value = record && record.shared_with ? String(record.shared_with.id) : "";
  field("error").textContent = "";
  field("text").removeAttribute("aria-invalid");
  countChars();
  form.hidden = false;
  field("text").focus();
}

function closeForm() {
  notes.editing = null;
  field("form").hidden = true;
  root.querySelector("[data-action=note]").focus();
}

function countChars() {
  const length = field("text").value.length;
  field("chars").textContent = fill(texts.chars, { count: formatNumber(length), max: formatNumber(config.noteMax) });
}

function refuse(message) {
  field("error").textContent = message;
  field("text").setAttribute("aria-invalid", "true");
  field("text").focus();
}

async function submitForm(event) {
  event.preventDefault();
  const text = field("text").value;
  const color = field("form-color").value;
  const shareId = field("share").value;
  const fraction = config.fractions.find((f) => String(f.id) === shareId) || null;
  if (text.length > config.noteMax) {
    refuse(fill(texts.tooLong, { max: formatNumber(config.noteMax), count: formatNumber(text.length) }));
    return;
  }
  const editing = notes.editing;
  if (!editing) return;
  if (editing.record) {
    const record = {
      ...editing.record,
      text,
      color,
      shared_with: fraction ? { id: fraction.id, name: fraction.name } : null,
      modified: new Date().toISOString(),
    };
    const payload = { text, color, shared_with: fraction ? fraction.id : null };
    closeForm();
    await notes.store.change(record, "update", payload, notes.syncer.busy);
    await afterChange(record);
    return;
  }
  if (!text.trim()) {
    refuse(texts.textRequired);
    return;
  }
  const record = newRecord({
    page: editing.page,
    kind: "note",
    rects: [],
    quote: "",
    text,
    color,
    shared_with: fraction ? { id: fraction.id, name: fraction.name } : null,
  });
  closeForm();
  await saveNew(record);
}

function bindForm() {
  field("form").addEventListener("submit", submitForm);
  field("text").addEventListener("input", countChars);
  root.querySelector("[data-action=cancel]").addEventListener("click", closeForm);
  root.querySelector("[data-action=note]").addEventListener("click", () => openForm({ page: viewer.current || 1 }));
  root.querySelector("[data-action=highlight]").addEventListener("click", highlightSelection);
  field("form").addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeForm();
  });
}

// Synchronisation ------------------------------------------------------------------------

let syncTimer = null;

function syncSoon() {
  clearTimeout(syncTimer);
  syncTimer = setTimeout(() => runSync(), 50);
}

async function runSync() {
  if (!navigator.onLine) {
    await showSyncState();
    return;
  }
  await notes.syncer.sync();
  await refresh();
}

async function showSyncState(report = null) {
  const pending = await notes.store.pendingCount();
  let text;
  if (report && report.signedOut) text = texts.signedOut;
  else if (!navigator.onLine || (report && report.offline)) text = pending ? `${texts.offline} ${fill(texts.pending, { count: pending })}` : texts.offline;
  else if (pending) text = fill(texts.pending, { count: pending });
  else text = texts.allSynced;
  field("sync").textContent = text;
}

function onSyncReport(event) {
  const report = event.detail;
  if (report.messages && report.messages.length) say(report.messages.join(" "), true);
  else if (report.sent && !report.pending) say(texts.synced);
  showSyncState(report);
}

async function refresh() {
  let response;
  try {
    response = await fetch(config.listUrl, { credentials: "same-origin", cache: "no-store" });
  } catch {
    await reloadLocal();
    await showSyncState({ offline: true });
    return;
  }
  const data = await response.json().catch(() => ({}));
  const decorate = (r) => ({ ...r, listUrl: config.listUrl, itemUrl: itemUrl(r.uuid) });
  if (response.ok) {
    await notes.store.replaceFile(config.fileId, (data.annotations || []).map(decorate));
  } else if (response.status === 410) {
    say(texts.withdrawn, true);
    await notes.store.replaceFile(config.fileId, (data.annotations || []).map(decorate));
  } else if (response.status === 404) {
    say(texts.noAccess, true);
  } else if (response.status === 401) {
    say(texts.signedOut, true);
  }
  await reloadLocal();
  await showSyncState();
}

async function startNotes() {
  const { Store, Syncer, clearUserData, clearAll } = await import(config.storeModule);
  notes.store = await Store.open(config.userId);
  notes.syncer = new Syncer(notes.store, { csrfUrl: config.csrfUrl, target: document });
  window.GremienReader = {
    version: 1,
    sync: () => notes.syncer.sync(),
    flush: () => notes.syncer.sync(),
    pendingCount: () => notes.store.pendingCount(),
    clearUserData: async () => {
      notes.store.db.close();
      await clearUserData(config.userId);
    },
    clearAll: async () => {
      notes.store.db.close();
      await clearAll();
    },
  };
  document.addEventListener("gremien:reader-sync", onSyncReport);
  document.addEventListener("gremien:reader-sync-request", () => runSync());
  window.addEventListener("online", () => runSync());
  window.addEventListener("offline", () => showSyncState({ offline: true }));
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "gremien-reader-sync") runSync();
    });
  }
  setInterval(async () => {
    if (navigator.onLine && (await notes.store.pendingCount())) runSync();
  }, 30_000);
  await reloadLocal();
  await showSyncState();
}

async function main() {
  bindToolbar();
  if (editable) {
    bindForm();
    trackSelection();
    try {
      await startNotes();
    } catch (error) {
      console.error(error);
      say(texts.loadFailed, true);
    }
  }
  await loadDocument();
  if (editable && notes.store) {
    renderNotes();
    drawAllMarks();
    runSync();
  }
  root.dataset.readerReady = "true";
}

main();
