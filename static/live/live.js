/* Gremienportal – live session client (console, tablet, room display, public).
 *
 * One websocket per page (ws/live/<meeting>/<screen>/), reconnecting with
 * exponential backoff (capped at 10 s, with jitter). The server sends the full
 * state on every (re)connect; a `state` older than the one shown is ignored,
 * `progress` keeps the highest count per vote. Ballots wait in a queue kept in
 * sessionStorage and are sent again with the same client id until the server
 * answers, so a retry never counts twice.
 *
 * Everything shown is built with DOM APIs and textContent, never innerHTML
 * with data. Texts come translated from the page (json_script "live-texts").
 * No third-party code.
 */
(function () {
  "use strict";

  var BACKOFF_START_MS = 500;
  var BACKOFF_CAP_MS = 10000;
  var OFFLINE_GRACE_MS = 3000;
  var REPLY_TIMEOUT_MS = 8000;
  /* Heartbeat: a connection that does not answer a ping within the reply
     timeout is dead (Wi-Fi lost without a close) and is opened anew. */
  var HEARTBEAT_MS = 10000;
  var BALLOT_RETRY_MS = 3000;
  var DENIED = 4403;

  function readJSON(id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (e) {
      return null;
    }
  }

  var config = readJSON("live-config");
  if (!config || !config.ws) return;
  var TEXTS = readJSON("live-texts") || {};

  function t(key, params) {
    var text = Object.prototype.hasOwnProperty.call(TEXTS, key) ? TEXTS[key] : key;
    if (params) {
      text = text.replace(/%\((\w+)\)s/g, function (whole, name) {
        return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
      });
    }
    return text;
  }

  // --- small DOM helpers (textContent only) -----------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) return;
        if (name === "text") node.textContent = String(value);
        else if (name === "className") node.className = value;
        else if (name.slice(0, 2) === "on" && typeof value === "function") {
          node.addEventListener(name.slice(2), value);
        } else if (value === true) node.setAttribute(name, "");
        else node.setAttribute(name, String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function slot(name) {
    return document.querySelector('[data-live="' + name + '"]');
  }

  function setText(node, text) {
    if (node && node.textContent !== text) node.textContent = text;
  }

  function show(node, visible) {
    if (!node) return;
    if (visible) node.removeAttribute("hidden");
    else node.setAttribute("hidden", "");
  }

  /* Replace the children of `container`, keeping the keyboard focus on the
   * element with the same data-key (lists are rebuilt on every state). */
  function replaceChildren(container, nodes) {
    if (!container) return;
    var active = document.activeElement;
    var key = active && container.contains(active) ? active.getAttribute("data-key") : null;
    while (container.firstChild) container.removeChild(container.firstChild);
    nodes.forEach(function (node) {
      container.appendChild(node);
    });
    if (key) {
      var again = container.querySelector('[data-key="' + cssEscape(key) + '"]');
      if (again && !again.disabled) again.focus();
      else if (container.closest("section")) focusHeading(container.closest("section"));
    }
  }

  function focusHeading(section) {
    var heading = section.querySelector("h2");
    if (!heading) return;
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }

  function cssEscape(value) {
    if (window.CSS && CSS.escape) return CSS.escape(value);
    return String(value).replace(/[^\w-]/g, "\\$&");
  }

  function uuid() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === "function") {
      try {
        return c.randomUUID();
      } catch (e) {
        /* insecure context: fall through */
      }
    }
    var bytes = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(bytes);
    else for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  /* Only addresses of this site (relative or same origin) become links. */
  function safeUrl(url) {
    if (typeof url !== "string" || !url) return null;
    try {
      var parsed = new URL(url, location.href);
      if (parsed.origin !== location.origin) return null;
      return parsed.href;
    } catch (e) {
      return null;
    }
  }

  function includes(list, value) {
    return Array.isArray(list) && list.indexOf(value) !== -1;
  }

  // --- connection -------------------------------------------------------------

  var offlineNode = document.getElementById("live-offline");
  var graceTimer = null;

  function setOnline(online) {
    if (online) {
      if (graceTimer) clearTimeout(graceTimer);
      graceTimer = null;
      setText(offlineNode, "");
      if (offlineNode) offlineNode.classList.remove("is-visible");
      document.documentElement.classList.remove("live-is-offline");
      return;
    }
    if (graceTimer) return;
    graceTimer = setTimeout(function () {
      setText(offlineNode, t("offline"));
      if (offlineNode) offlineNode.classList.add("is-visible");
      document.documentElement.classList.add("live-is-offline");
    }, OFFLINE_GRACE_MS);
  }

  function Connection(path, handlers) {
    this.path = path;
    this.handlers = handlers;
    this.ws = null;
    this.attempt = 0;
    this.timer = null;
    this.pending = {};
    this.stopped = false;
  }

  Connection.prototype.url = function () {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + location.host + this.path;
  };

  Connection.prototype.isOpen = function () {
    return !!this.ws && this.ws.readyState === 1;
  };

  Connection.prototype.open = function () {
    var self = this;
    if (self.stopped || self.ws) return;
    if (self.timer) clearTimeout(self.timer);
    self.timer = null;
    var ws;
    try {
      ws = new WebSocket(self.url());
    } catch (e) {
      self.retry();
      return;
    }
    self.ws = ws;
    ws.onopen = function () {
      self.attempt = 0;
      setOnline(true);
      self.handlers.open();
    };
    ws.onmessage = function (event) {
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (!message || typeof message !== "object") return;
      if (message.type === "reply" && message.ref) self.settle(message.ref, message);
      self.handlers.message(message);
    };
    ws.onclose = function (event) {
      if (self.ws !== ws) return;
      self.ws = null;
      self.failPending();
      setOnline(false);
      if (event.code === DENIED) {
        self.stopped = true;
        self.handlers.denied();
        return;
      }
      self.retry();
    };
    ws.onerror = function () {
      /* a close event follows */
    };
  };

  Connection.prototype.retry = function () {
    var self = this;
    if (self.stopped || self.timer) return;
    var ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_START_MS * Math.pow(2, self.attempt));
    var delay = ceiling / 2 + Math.random() * (ceiling / 2);
    self.attempt += 1;
    self.timer = setTimeout(function () {
      self.timer = null;
      self.open();
    }, delay);
  };

  /* Give up a connection that stopped answering: its close may never come
     on a dead network, so forget it now, show the offline state after the
     grace period and reconnect with backoff. */
  Connection.prototype.abandon = function () {
    var ws = this.ws;
    if (!ws) return;
    this.ws = null;
    try {
      ws.close();
    } catch (e) {
      /* closing a dead socket may fail; it is forgotten either way */
    }
    this.failPending();
    setOnline(false);
    this.retry();
  };

  Connection.prototype.heartbeat = function () {
    var self = this;
    setInterval(function () {
      if (!self.isOpen()) return;
      self.send("ping", {}, function (reply) {
        if (!reply.ok && reply.code === "timeout") self.abandon();
      });
    }, HEARTBEAT_MS);
  };

  /* Try at once (the network is back, the tablet woke up). */
  Connection.prototype.nudge = function () {
    if (this.stopped || this.ws) return;
    this.attempt = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.open();
  };

  Connection.prototype.send = function (action, params, callback) {
    var self = this;
    var done = callback || function () {};
    if (!self.isOpen()) {
      done({ ok: false, code: "offline", message: t("notConnected") });
      return false;
    }
    var ref = uuid();
    var message = { action: action, ref: ref };
    Object.keys(params || {}).forEach(function (name) {
      message[name] = params[name];
    });
    self.pending[ref] = {
      callback: done,
      timer: setTimeout(function () {
        self.settle(ref, { ok: false, code: "timeout", message: t("notConnected") });
        self.abandon();
      }, REPLY_TIMEOUT_MS),
    };
    try {
      self.ws.send(JSON.stringify(message));
    } catch (e) {
      self.settle(ref, { ok: false, code: "offline", message: t("notConnected") });
      return false;
    }
    return true;
  };

  Connection.prototype.settle = function (ref, reply) {
    var entry = this.pending[ref];
    if (!entry) return;
    delete this.pending[ref];
    clearTimeout(entry.timer);
    entry.callback(reply);
  };

  Connection.prototype.failPending = function () {
    var self = this;
    Object.keys(self.pending).forEach(function (ref) {
      self.settle(ref, { ok: false, code: "offline", message: t("notConnected") });
    });
  };

  // --- what the page knows --------------------------------------------------------

  var store = {
    state: null,
    version: -1,
    progress: {},
    me: null,
    confirmations: {},
  };

  function castOf(vote) {
    if (!vote) return 0;
    return Math.max(Number(vote.cast) || 0, store.progress[vote.id] || 0);
  }

  // --- the ballot queue (sessionStorage, retried with the same client id) --------

  var memoryQueue = [];
  var ballotKey = (config.storageKey || "gremien-live-" + config.meeting) + "-ballots";
  var inflight = {};

  function loadQueue() {
    try {
      var raw = window.sessionStorage.getItem(ballotKey);
      var list = raw ? JSON.parse(raw) : [];
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return memoryQueue.slice();
    }
  }

  function saveQueue(list) {
    memoryQueue = list.slice();
    try {
      window.sessionStorage.setItem(ballotKey, JSON.stringify(list));
    } catch (e) {
      /* private mode: the in-memory copy serves this page */
    }
  }

  function queuedBallot(voteId) {
    return loadQueue().filter(function (entry) {
      return entry.vote === voteId;
    })[0] || null;
  }

  function dropBallot(voteId) {
    saveQueue(loadQueue().filter(function (entry) {
      return entry.vote !== voteId;
    }));
    delete inflight[voteId];
  }

  function castBallot(voteId, choice) {
    if (queuedBallot(voteId) || store.confirmations[voteId]) return;
    var list = loadQueue();
    list.push({ vote: voteId, choice: choice, client_id: uuid() });
    saveQueue(list);
    render();
    flushBallots();
  }

  var RETRY_CODES = ["offline", "timeout", "rate_limited", "vote_changed"];

  function flushBallots() {
    if (!connection.isOpen()) return;
    loadQueue().forEach(function (entry) {
      if (inflight[entry.vote]) return;
      inflight[entry.vote] = true;
      connection.send(
        "ballot.cast",
        { vote: entry.vote, choice: entry.choice, client_id: entry.client_id },
        function (reply) {
          delete inflight[entry.vote];
          if (reply.ok) {
            var data = reply.data || {};
            store.confirmations[entry.vote] = {
              vote: entry.vote,
              receipt: data.receipt,
              choice: data.choice === undefined ? entry.choice : data.choice,
            };
            dropBallot(entry.vote);
          } else if (!includes(RETRY_CODES, reply.code)) {
            dropBallot(entry.vote);
            if (reply.code === "already_voted") store.confirmations[entry.vote] = { vote: entry.vote, known: true };
            say(reply.message || t("failed"), true);
          }
          render();
        }
      );
    });
  }

  setInterval(function () {
    if (loadQueue().length) flushBallots();
  }, BALLOT_RETRY_MS);

  // --- messages to the user ----------------------------------------------------------

  var messageNode = document.getElementById("live-message");
  var messageTimer = null;

  function say(text, isError) {
    if (!messageNode) return;
    if (messageTimer) clearTimeout(messageTimer);
    messageNode.classList.toggle("is-error", !!isError);
    setText(messageNode, text);
    messageTimer = setTimeout(function () {
      setText(messageNode, "");
    }, isError ? 12000 : 4000);
  }

  /* Send an action; report a refusal (German text from the server). */
  function act(action, params, button) {
    // busy rather than disabled: the keyboard focus stays on the control
    if (button) {
      if (button.getAttribute("aria-busy") === "true") return;
      button.setAttribute("aria-busy", "true");
    }
    connection.send(action, params || {}, function (reply) {
      if (button) button.removeAttribute("aria-busy");
      if (!reply.ok) {
        say(reply.message || t("failed"), true);
        // controls the user changed show the state again
        Array.prototype.forEach.call(document.querySelectorAll("[data-rendered]"), function (node) {
          node.removeAttribute("data-rendered");
        });
      }
      render();
    });
  }

  // --- rendering: shared pieces ----------------------------------------------------

  function itemLabel(item) {
    return [item.number, item.name].filter(Boolean).join(" ");
  }

  function renderHeader(s) {
    var status = slot("live-status");
    if (!status) return;
    var meeting = s.meeting || {};
    var text = meeting.ended ? t("ended") : meeting.live ? t("live") : t("notLive");
    setText(status, text);
    status.classList.toggle("is-live", !!meeting.live && !meeting.ended);
  }

  function renderItem(s) {
    var container = slot("item");
    if (!container) return;
    var item = s.item;
    var nodes = [];
    if (!item) {
      nodes.push(el("p", { className: "live-empty", text: t("noItem") }));
    } else if (item.public === false && !item.name) {
      nodes.push(el("p", { className: "live-item live-item--hidden", text: t("nonPublic") }));
    } else {
      nodes.push(el("p", { className: "live-item" }, [
        item.number ? el("span", { className: "live-item__number", text: item.number }) : null,
        item.number ? " " : null,
        el("span", { className: "live-item__name", lang: "de", text: item.name || "" }),
        item.public === false ? el("span", { className: "badge badge--restricted", text: t("nonPublicBadge") }) : null,
      ]));
    }
    var key = item ? JSON.stringify([item.id, item.number, item.name, item.public]) : "";
    if (container.getAttribute("data-rendered") === key) return;
    container.setAttribute("data-rendered", key);
    replaceChildren(container, nodes);
  }

  function renderFiles(s) {
    var container = slot("files");
    if (!container) return;
    var files = (s.item && s.item.files) || [];
    var links = [];
    files.forEach(function (file, index) {
      var href = safeUrl(file.url);
      links.push(el("li", null, [
        href
          ? el("a", { href: href, "data-key": "file-" + index, lang: "de", text: file.name || href })
          : el("span", { lang: "de", text: file.name || "" }),
      ]));
    });
    var key = JSON.stringify(files);
    if (container.getAttribute("data-rendered") === key) return;
    container.setAttribute("data-rendered", key);
    replaceChildren(container, links.length
      ? [el("ul", { className: "live-files" }, links)]
      : [el("p", { className: "live-empty", text: t("noDocuments") })]);
  }

  function renderAgendaOverview(s) {
    var container = slot("agenda-overview");
    if (!container) return;
    var currentId = s.item ? s.item.id : null;
    var nodes = (s.items || []).map(function (item) {
      var current = item.id === currentId;
      return el("li", { className: current ? "is-current" : null, "aria-current": current ? "step" : null }, [
        el("span", { className: "live-item__number", text: item.number || "" }),
        " ",
        el("span", { lang: "de", text: item.name || "" }),
        current ? el("span", { className: "badge", text: t("current") }) : null,
      ]);
    });
    var key = JSON.stringify([currentId, s.items]);
    if (container.getAttribute("data-rendered") === key) return;
    container.setAttribute("data-rendered", key);
    replaceChildren(container, nodes);
  }

  function renderQuorum(s) {
    var container = slot("quorum");
    if (!container) return;
    var q = s.quorum;
    if (!q) {
      setText(container, "");
      return;
    }
    var parts = [
      q.quorate ? t("quorate") : t("notQuorate"),
      t("quorumLine", { present: q.present, required: q.required }),
    ];
    if (q.biased) parts.push(t("biasedCount", { biased: q.biased }));
    if (q.basis) parts.push(t("basis", { basis: q.basis }));
    setText(container, parts.join(" · "));
    container.classList.toggle("is-quorate", !!q.quorate);
    container.classList.toggle("is-not-quorate", !q.quorate);
  }

  function personName(s, id) {
    if (s.persons && s.persons[String(id)]) return s.persons[String(id)];
    var found = (s.attendance || []).filter(function (row) {
      return row.person === id;
    })[0];
    return found ? found.name : "#" + id;
  }

  function renderSpeakers(s, withActions) {
    var now = slot("speaker-now");
    var queue = slot("speaker-queue");
    var speakers = s.speakers || [];
    var speaking = speakers.filter(function (sp) {
      return sp.state === "speaking";
    })[0];
    var waiting = speakers.filter(function (sp) {
      return sp.state === "waiting";
    });
    if (now && !withActions) setText(now, speaking ? speaking.name : t("noneSpeaking"));
    if (!queue) return;
    var key = JSON.stringify([speakers, withActions, s.meeting && s.meeting.ended]);
    if (queue.getAttribute("data-rendered") === key) return;
    queue.setAttribute("data-rendered", key);
    var list = withActions ? speakers : waiting;
    if (!list.length) {
      replaceChildren(queue, [el("li", { className: "live-empty", text: t("noSpeakers") })]);
      return;
    }
    replaceChildren(queue, list.map(function (sp) {
      var children = [el("span", { className: "live-speaker__name", text: sp.name })];
      if (withActions) {
        children.push(el("span", { className: "badge", text: t(sp.state) }));
        children.push(speakerButtons(sp, waiting));
      }
      return el("li", { className: "live-speaker live-speaker--" + sp.state }, children);
    }));
  }

  function speakerButtons(sp, waiting) {
    var index = waiting.indexOf(sp);
    var buttons = [];
    function button(label, action, params, key, disabled) {
      buttons.push(el("button", {
        type: "button",
        className: "live-button live-button--small",
        "data-key": "speaker-" + sp.id + "-" + key,
        "aria-label": t("speakerActionLabel", { action: label, name: sp.name }),
        disabled: !!disabled,
        text: label,
        onclick: function (event) {
          act(action, params, event.currentTarget);
        },
      }));
    }
    if (sp.state === "speaking") {
      button(t("done"), "speaker.done", { request: sp.id }, "done");
    } else {
      button(t("call"), "speaker.call", { request: sp.id }, "call");
      button(t("up"), "speaker.move", { request: sp.id, position: index }, "up", index <= 0);
      button(t("down"), "speaker.move", { request: sp.id, position: index + 2 }, "down", index >= waiting.length - 1);
      button(t("remove"), "speaker.remove", { request: sp.id }, "remove");
    }
    return el("span", { className: "live-actions" }, buttons);
  }

  function choiceLabel(choice) {
    return choice ? t(choice) : "";
  }

  function resultNodes(vote) {
    var nodes = [];
    var line = [vote.name || "", vote.result_label || ""].filter(Boolean).join(": ");
    if (line) nodes.push(el("p", { className: "live-result__label", lang: "de", text: line }));
    if (vote.counts) {
      nodes.push(el("dl", { className: "live-counts" }, [
        el("div", null, [el("dt", { text: t("yes") }), el("dd", { text: String(vote.counts.yes) })]),
        el("div", null, [el("dt", { text: t("no") }), el("dd", { text: String(vote.counts.no) })]),
        el("div", null, [el("dt", { text: t("abstain") }), el("dd", { text: String(vote.counts.abstain) })]),
      ]));
    }
    var facts = [t("kind_" + vote.kind)];
    if (vote.manual) facts.push(t("manual"));
    if (vote.basis) facts.push(t("basis", { basis: vote.basis }));
    nodes.push(el("p", { className: "live-meta", text: facts.join(" · ") }));
    if (Array.isArray(vote.roll_call) && vote.roll_call.length) {
      nodes.push(el("h3", { text: t("rollCall") }));
      nodes.push(el("ul", { className: "live-rollcall" }, vote.roll_call.map(function (row) {
        return el("li", null, [row.name + ": " + choiceLabel(row.vote)]);
      })));
    }
    return nodes;
  }

  /* Vote status (aria-live region) and result for every screen. */
  function renderVote(s, total) {
    var status = slot("vote-status");
    var result = slot("vote-result");
    var vote = s.vote;
    if (status) {
      var text;
      if (!vote) text = t("noVote");
      else if (vote.state === "open") {
        var cast = castOf(vote);
        text = t("voteOpen") + (vote.name ? ": " + vote.name : "") + " – " +
          (total ? t("castOf", { cast: cast, total: total }) : t("castCount", { cast: cast }));
      } else text = t("voteClosed") + (vote.name ? ": " + vote.name : "");
      setText(status, text);
      status.classList.toggle("is-open", !!vote && vote.state === "open");
    }
    if (result) {
      var closed = vote && vote.state === "closed";
      var key = closed ? JSON.stringify(vote) : "";
      if (result.getAttribute("data-rendered") !== key) {
        result.setAttribute("data-rendered", key);
        replaceChildren(result, closed ? resultNodes(vote) : []);
      }
      show(result, closed);
    }
  }

  // --- the chair's console ---------------------------------------------------------

  var drafts = {};

  function renderStaff(s) {
    var meeting = s.meeting || {};
    var live = !!meeting.live && !meeting.ended;
    var vote = s.vote;
    var voteOpen = !!vote && vote.state === "open";
    show(slot("start"), !live && !meeting.ended);
    show(slot("end"), live);

    var agenda = slot("agenda");
    if (agenda) {
      var currentId = s.item ? s.item.id : null;
      var key = JSON.stringify([currentId, s.items, voteOpen, live]);
      if (agenda.getAttribute("data-rendered") !== key) {
        agenda.setAttribute("data-rendered", key);
        replaceChildren(agenda, (s.items || []).map(function (item) {
          var current = item.id === currentId;
          return el("li", { className: current ? "is-current" : null, "aria-current": current ? "step" : null }, [
            el("span", { className: "live-agenda__label" }, [
              el("span", { className: "live-item__number", text: item.number || "" }),
              " ",
              el("span", { lang: "de", text: item.name || "" }),
              item.public === false ? el("span", { className: "badge badge--restricted", text: t("nonPublicBadge") }) : null,
              current ? el("span", { className: "badge", text: t("current") }) : null,
            ]),
            el("button", {
              type: "button",
              className: "live-button live-button--small",
              "data-key": "item-" + item.id,
              "aria-label": t("setItemLabel", { number: item.number || item.name }),
              disabled: current || voteOpen || !live,
              text: t("setItem"),
              onclick: function (event) {
                act("item.set", { item: item.id }, event.currentTarget);
              },
            }),
          ]);
        }));
      }
    }

    renderSpeakers(s, true);
    var addSelect = slot("speaker-person");
    if (addSelect) {
      var present = (s.attendance || []).filter(function (row) {
        return row.status === "present";
      });
      fillSelect(addSelect, present.map(function (row) {
        return [String(row.person), row.name];
      }), null);
    }

    renderAttendance(s, live);

    var total = (s.voters || []).length;
    renderVote(s, total);
    show(slot("vote-open-form"), !voteOpen && live);
    show(slot("vote-close"), voteOpen);
    show(slot("vote-manual-form"), !voteOpen && live && !!s.item);
    show(slot("vote-correct-form"), !!vote && vote.state === "closed");
  }

  function fillSelect(select, options, emptyLabel) {
    var before = select.value;
    var key = JSON.stringify([options, emptyLabel]);
    if (select.getAttribute("data-rendered") === key) return;
    select.setAttribute("data-rendered", key);
    while (select.firstChild) select.removeChild(select.firstChild);
    if (emptyLabel !== null) select.appendChild(el("option", { value: "", text: emptyLabel }));
    options.forEach(function (option) {
      select.appendChild(el("option", { value: option[0], text: option[1] }));
    });
    if (options.some(function (o) { return o[0] === before; }) || before === "") select.value = before;
  }

  function statusLabel(status) {
    if (status === "present") return t("present");
    if (status === "absent") return t("absent");
    if (status === "excused") return t("excused");
    return t("notRecorded");
  }

  function renderAttendance(s, live) {
    var body = slot("attendance");
    if (!body) return;
    var rows = s.attendance || [];
    var biased = s.biased || [];
    var hasItem = !!s.item;
    var key = JSON.stringify([rows, biased, hasItem, live, drafts]);
    if (body.getAttribute("data-rendered") === key) return;
    body.setAttribute("data-rendered", key);
    var absentMembers = rows.filter(function (row) {
      return (row.kind === "member" || row.kind === "citizen_member") && row.status !== "present";
    });
    if (!rows.length) {
      replaceChildren(body, [el("tr", null, [el("td", { colspan: "5", text: t("attendanceEmpty") })])]);
      return;
    }
    replaceChildren(body, rows.map(function (row) {
      var present = row.status === "present";
      var substituteCell = "";
      if (row.kind === "deputy") {
        var selectId = "substitute-" + row.person;
        var draft = drafts[selectId];
        var value = draft !== undefined ? draft : row.substitute_for ? String(row.substitute_for) : "";
        var select = el("select", {
          id: selectId,
          "data-key": selectId,
          "aria-label": t("standsInForLabel", { name: row.name }),
          onchange: function (event) {
            drafts[selectId] = event.currentTarget.value;
            if (present) {
              act("attendance.set", {
                person: row.person,
                present: true,
                substitute_for: event.currentTarget.value ? Number(event.currentTarget.value) : null,
              }, event.currentTarget);
              delete drafts[selectId];
            }
          },
        });
        select.appendChild(el("option", { value: "", text: t("nobody") }));
        var candidates = absentMembers.slice();
        if (row.substitute_for && !candidates.some(function (m) { return m.person === row.substitute_for; })) {
          candidates.push({ person: row.substitute_for, name: personName(s, row.substitute_for) });
        }
        candidates.forEach(function (member) {
          select.appendChild(el("option", { value: String(member.person), text: member.name }));
        });
        select.value = value;
        select.disabled = !live;
        substituteCell = select;
      }
      var toggle = el("button", {
        type: "button",
        className: "live-button live-button--small" + (present ? " live-button--secondary" : ""),
        "data-key": "attendance-" + row.person,
        "aria-label": t(present ? "checkOutLabel" : "checkInLabel", { name: row.name }),
        disabled: !live,
        text: present ? t("checkOut") : t("checkIn"),
        onclick: function (event) {
          var params = { person: row.person, present: !present };
          if (!present && row.kind === "deputy") {
            var chosen = document.getElementById("substitute-" + row.person);
            params.substitute_for = chosen && chosen.value ? Number(chosen.value) : null;
            delete drafts["substitute-" + row.person];
          }
          act("attendance.set", params, event.currentTarget);
        },
      });
      var biasBox = "";
      if (present && hasItem) {
        var boxId = "bias-" + row.person;
        biasBox = el("span", { className: "live-check" }, [
          el("input", {
            type: "checkbox",
            id: boxId,
            "data-key": boxId,
            checked: includes(biased, row.person),
            disabled: !live,
            onchange: function (event) {
              act("bias.set", { person: row.person, biased: event.currentTarget.checked }, event.currentTarget);
            },
          }),
          el("label", { for: boxId }, [
            el("span", { className: "visually-hidden", text: t("biasLabel", { name: row.name }) }),
            el("span", { "aria-hidden": "true", text: t("bias") }),
          ]),
        ]);
      }
      var kind = t("person_" + (row.capacity === "chair" ? "chair" : row.kind || "member"));
      return el("tr", { className: present ? "is-present" : null }, [
        el("th", { scope: "row" }, [
          el("span", { text: row.name }),
          el("span", { className: "live-meta", text: [kind, row.organization].filter(Boolean).join(", ") }),
        ]),
        el("td", { text: statusLabel(row.status) }),
        el("td", null, [toggle]),
        el("td", null, [substituteCell]),
        el("td", null, [biasBox]),
      ]);
    }));
  }

  function numberField(form, name) {
    var field = form.elements[name];
    var value = field ? parseInt(field.value, 10) : NaN;
    return isNaN(value) || value < 0 ? 0 : value;
  }

  function bindStaffForms() {
    var start = slot("start");
    if (start) start.addEventListener("click", function (event) {
      act("live.start", {}, event.currentTarget);
    });
    var end = slot("end");
    if (end) end.addEventListener("click", function (event) {
      if (window.confirm(t("confirmEnd"))) act("live.end", {}, event.currentTarget);
    });
    var close = slot("vote-close");
    if (close) close.addEventListener("click", function (event) {
      act("vote.close", {}, event.currentTarget);
    });
    onSubmit("speaker-add-form", function (form, button) {
      var person = form.elements.person.value;
      if (person) act("speaker.add", { person: Number(person) }, button);
    });
    onSubmit("vote-open-form", function (form, button) {
      var params = { kind: form.elements.kind.value || "open", name: form.elements.name.value.trim() };
      if (params.kind === "secret") {
        params.is_election = !!form.elements.is_election.checked;
        params.secret_requested_by = numberField(form, "secret_requested_by");
      }
      act("vote.open", params, button);
    });
    onSubmit("vote-manual-form", function (form, button) {
      var reason = form.elements.reason.value.trim();
      if (!reason) return requireReason(form);
      act("vote.manual", {
        yes: numberField(form, "yes"),
        no: numberField(form, "no"),
        abstain: numberField(form, "abstain"),
        reason: reason,
        name: form.elements.name.value.trim(),
      }, button);
    });
    onSubmit("vote-correct-form", function (form, button) {
      var reason = form.elements.reason.value.trim();
      var vote = store.state && store.state.vote;
      if (!vote) return;
      if (!reason) return requireReason(form);
      act("vote.correct", {
        vote: vote.id,
        yes: numberField(form, "yes"),
        no: numberField(form, "no"),
        abstain: numberField(form, "abstain"),
        reason: reason,
      }, button);
    });
    var kind = document.querySelectorAll('[data-live="vote-open-form"] input[name="kind"]');
    Array.prototype.forEach.call(kind, function (radio) {
      radio.addEventListener("change", syncSecretFields);
    });
    syncSecretFields();
  }

  function syncSecretFields() {
    var form = slot("vote-open-form");
    var extra = slot("secret-fields");
    if (!form || !extra) return;
    show(extra, form.elements.kind.value === "secret");
  }

  function requireReason(form) {
    var field = form.elements.reason;
    field.setAttribute("aria-invalid", "true");
    field.focus();
    say(t("reasonRequired"), true);
  }

  function onSubmit(name, handler) {
    var form = slot(name);
    if (!form) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector('button[type="submit"], button:not([type])');
      if (form.elements.reason) form.elements.reason.removeAttribute("aria-invalid");
      handler(form, button);
    });
  }

  // --- the member's tablet -----------------------------------------------------------

  function reasonFor(s, me) {
    var person = me ? me.person : null;
    if (person === null || person === undefined) return null;
    if (!includes(s.present, person)) return "not_present";
    if (includes(s.biased, person)) return "biased";
    if (includes(s.voters, person)) return null;
    if (me.can_vote_reason && me.can_vote_reason !== "not_present" && me.can_vote_reason !== "biased") {
      return me.can_vote_reason;
    }
    return "not_entitled";
  }

  function renderMember(s) {
    var me = store.me;
    var vote = s.vote;
    var voteOpen = !!vote && vote.state === "open";
    var meeting = s.meeting || {};
    var live = !!meeting.live && !meeting.ended;
    renderVote(s, (s.voters || []).length);
    renderSpeakers(s, false);

    // ballot
    var buttons = slot("ballot-buttons");
    var confirmation = slot("ballot-confirmation");
    var reasonNode = slot("ballot-reason");
    var confirmed = voteOpen || (vote && vote.state === "closed") ? store.confirmations[vote.id] : null;
    if (!confirmed && vote && me && me.ballot && me.ballot.vote === vote.id) {
      confirmed = store.confirmations[vote.id] = me.ballot;
    }
    var queued = voteOpen ? queuedBallot(vote.id) : null;
    var reason = voteOpen && !confirmed && !queued ? reasonFor(s, me) : null;
    var canVote = voteOpen && !confirmed && !queued && !reason && !!me;
    show(buttons, canVote || !!queued);
    if (buttons) {
      Array.prototype.forEach.call(buttons.querySelectorAll("button[data-choice]"), function (button) {
        button.disabled = !canVote;
        button.setAttribute("aria-pressed", queued && queued.choice === button.getAttribute("data-choice") ? "true" : "false");
      });
    }
    if (confirmation) {
      var lines = [];
      if (queued) lines.push(t("sending"));
      else if (confirmed) {
        lines.push(t("voteCounted"));
        if (confirmed.choice) lines.push(t("yourChoice", { choice: choiceLabel(confirmed.choice) }));
        else if (vote.kind === "secret") lines.push(t("secretNote"));
        if (confirmed.receipt) lines.push(t("receipt", { receipt: String(confirmed.receipt).slice(0, 8) }));
      }
      var key = lines.join("|");
      if (confirmation.getAttribute("data-rendered") !== key) {
        confirmation.setAttribute("data-rendered", key);
        replaceChildren(confirmation, lines.map(function (line, i) {
          return el("p", { className: i === 0 ? "live-confirmation__main" : null, text: line });
        }));
      }
      show(confirmation, lines.length > 0);
    }
    if (reasonNode) {
      setText(reasonNode, reason ? t("reason_" + reason) : "");
      show(reasonNode, !!reason);
    }

    // speaking
    var person = me ? me.person : null;
    var mine = (s.speakers || []).filter(function (sp) {
      return sp.person === person;
    })[0];
    var waiting = (s.speakers || []).filter(function (sp) {
      return sp.state === "waiting";
    });
    var speakButton = slot("speak");
    var speakStatus = slot("speak-status");
    if (speakButton) {
      setText(speakButton, mine && mine.state === "waiting" ? t("withdrawSpeak") : t("requestSpeak"));
      speakButton.setAttribute("aria-pressed", mine && mine.state === "waiting" ? "true" : "false");
      speakButton.disabled = !live || !s.item || (!!mine && mine.state === "speaking");
      speakButton.setAttribute("data-action", mine && mine.state === "waiting" ? "speaker.withdraw" : "speaker.request");
    }
    if (speakStatus) {
      var speakText = "";
      if (mine && mine.state === "speaking") speakText = t("speakSpeaking");
      else if (mine) speakText = t("speakWaiting", { position: waiting.indexOf(mine) + 1 });
      setText(speakStatus, speakText);
    }

    // bias
    var biasButton = slot("bias");
    var biasStatus = slot("bias-status");
    var isBiased = includes(s.biased, person);
    if (biasButton) {
      setText(biasButton, isBiased ? t("withdrawBias") : t("declareBias"));
      biasButton.setAttribute("aria-pressed", isBiased ? "true" : "false");
      biasButton.setAttribute("data-action", isBiased ? "bias.withdraw" : "bias.declare");
      biasButton.disabled = !live || !s.item || !includes(s.present, person);
    }
    setText(biasStatus, isBiased ? t("biasDeclared") : "");
  }

  function bindMemberControls() {
    var buttons = slot("ballot-buttons");
    if (buttons) {
      buttons.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-choice]");
        if (!button || button.disabled) return;
        var vote = store.state && store.state.vote;
        if (!vote || vote.state !== "open") return;
        // disabled at once: a second tap does nothing
        Array.prototype.forEach.call(buttons.querySelectorAll("button"), function (b) {
          b.disabled = true;
        });
        castBallot(vote.id, button.getAttribute("data-choice"));
      });
    }
    ["speak", "bias"].forEach(function (name) {
      var button = slot(name);
      if (button) button.addEventListener("click", function (event) {
        var action = event.currentTarget.getAttribute("data-action");
        if (action) act(action, {}, event.currentTarget);
      });
    });
  }

  // --- projector and public view -----------------------------------------------------

  function renderDisplay(s) {
    var total = config.screen === "public" ? 0 : (s.voters || []).length;
    renderVote(s, total);
    renderSpeakers(s, false);
  }

  // --- dispatch -------------------------------------------------------------------------

  function render() {
    var s = store.state;
    if (!s) return;
    var title = slot("meeting-name");
    if (title && s.meeting && s.meeting.name) setText(title, s.meeting.name);
    renderHeader(s);
    renderItem(s);
    renderFiles(s);
    renderAgendaOverview(s);
    renderQuorum(s);
    if (config.screen === "staff") renderStaff(s);
    else if (config.screen === "member") renderMember(s);
    else renderDisplay(s);
    document.documentElement.classList.add("live-has-state");
  }

  function onMessage(message) {
    if (message.type === "state") {
      var version = Number(message.version) || 0;
      if (version < store.version) return;
      store.version = version;
      store.state = message;
      render();
    } else if (message.type === "progress") {
      var cast = Number(message.cast) || 0;
      if (cast > (store.progress[message.vote] || 0)) {
        store.progress[message.vote] = cast;
        if (store.state) render();
      }
    } else if (message.type === "me") {
      store.me = message;
      if (message.ballot && message.ballot.vote !== undefined) {
        store.confirmations[message.ballot.vote] = message.ballot;
        dropBallot(message.ballot.vote);
      }
      render();
    }
  }

  var connection = new Connection(config.ws, {
    open: function () {
      flushBallots();
    },
    message: onMessage,
    denied: function () {
      say(t("noAccess"), true);
    },
  });

  if (config.screen === "staff") bindStaffForms();
  if (config.screen === "member") bindMemberControls();

  var initial = readJSON("live-initial-state");
  if (initial && initial.type === "state") onMessage(initial);

  setOnline(false);
  window.addEventListener("online", function () {
    connection.nudge();
  });
  window.addEventListener("offline", function () {
    connection.abandon();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") connection.nudge();
  });
  document.documentElement.classList.add("live-js");
  connection.open();
  connection.heartbeat();
})();
