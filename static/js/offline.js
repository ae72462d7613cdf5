// Recording with no signal (docs/domain.md, "Recording with no signal"). On a building's
// consent grid and on the visit form, what is recorded without a connection waits in this
// browser's queue (IndexedDB), each with a key made here, and is sent when the connection
// returns; the server keeps each key once (jinzang/offline.py). The words shown are the
// bar's data attributes, in the page's language (templates/includes/offline_bar.html).
(() => {
  "use strict";
  const bar = document.getElementById("offline");
  if (!bar || !window.indexedDB) return;
  const T = bar.dataset;
  const state = bar.querySelector(".offline-state");
  const sendButton = bar.querySelector("[data-send]");
  const problems = bar.querySelector(".offline-items");
  const panel = document.getElementById("panel");
  const template = document.getElementById("offline-form");
  const visitForm = document.querySelector("form[data-offline]");
  const MARKS = { agree: "✓", decline: "✗", disagree: "✗", undecided: "?", abstain: "○" };
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
  const strings = (data) => [...data].filter(([name, value]) => typeof value === "string" && name !== "csrfmiddlewaretoken" && name !== "once");
  let db = null;
  let sending = false;
  let note = "";
  let csrf = null;

  if ("serviceWorker" in navigator) {
    addEventListener("load", () => navigator.serviceWorker.register(T.sw).catch(() => {}));
  }

  // The queue: one store, each item under its key, of the account that made it.
  function openQueue() {
    if (db) return Promise.resolve(db);
    return new Promise((done, fail) => {
      const opening = indexedDB.open(T.db, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore("queue", { keyPath: "key" });
      opening.onsuccess = () => {
        db = opening.result;
        db.onversionchange = () => { db.close(); db = null; }; // logging out deletes it
        done(db);
      };
      opening.onerror = () => fail(opening.error);
    });
  }
  async function run(mode, work) {
    const store = (await openQueue()).transaction("queue", mode).objectStore("queue");
    return new Promise((done, fail) => {
      const request = work(store);
      store.transaction.oncomplete = () => done(request.result);
      store.transaction.onerror = () => fail(store.transaction.error);
    });
  }
  const mine = async () => (await run("readonly", (store) => store.getAll()))
    .filter((item) => item.user === T.user)
    .sort((a, b) => (a.at < b.at ? -1 : 1));
  const save = (item) => run("readwrite", (store) => store.put(item));
  const drop = (item) => run("readwrite", (store) => store.delete(item.key));

  async function enqueue(url, fields, what, extra = {}) {
    if (extra.cell) {
      // A later answer for the same household replaces the one still waiting.
      for (const old of await mine()) if (old.cell === extra.cell && old.url === url) await drop(old);
    }
    const at = new Date().toISOString();
    await save({ key: crypto.randomUUID(), user: T.user, url, fields, what, at, state: "waiting", ...extra });
    note = fill(T.kept, { what });
    show();
  }

  // The grid's cells
  const grid = () => document.querySelector(".consent-grid");
  const cellOf = (item) => item.cell && document.getElementById("cell-" + item.cell);
  function paint(cell, answer, label) {
    cell.className = "cell ans-" + answer;
    cell.querySelector(".cell-mark").textContent = MARKS[answer] || "·";
    cell.setAttribute("aria-label", label);
  }
  function markCells(items) {
    if (!grid()) return;
    for (const cell of grid().querySelectorAll(".cell.waiting")) paint(cell, cell.dataset.a, cell.dataset.l);
    for (const item of items) {
      const cell = cellOf(item);
      if (!cell || cell.getAttribute("hx-get") !== item.url) continue;
      if (!cell.classList.contains("waiting")) {
        cell.dataset.a = /ans-(\w+)/.exec(cell.className)[1];
        cell.dataset.l = cell.getAttribute("aria-label");
      }
      paint(cell, item.answer, `${cell.dataset.l}; ${item.label}: ${T.waiting}`);
      cell.classList.add("waiting");
    }
  }
  function settle(made) {
    const cell = made && made.answer && document.getElementById("cell-" + made.household);
    if (!cell) return;
    paint(cell, made.answer, made.cell_label);
    cell.dataset.v = made.version;
  }
  async function refresh() {
    // The grid again from the server (and kept again by the worker): counts, versions.
    try {
      const response = await fetch(location.href, { credentials: "same-origin" });
      if (!response.ok || response.redirected) return;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const part of ["#legend", ".grid-wrap", "#to-visit"]) {
        const now = document.querySelector(part);
        const next = fresh.querySelector(part);
        if (!now || !next) continue;
        now.replaceWith(next);
        if (window.htmx) window.htmx.process(next);
      }
    } catch (error) {
      // No signal after all: the cells already show what was sent.
    }
  }

  // The bar: how many wait, and the sends that need a person.
  function button(text, className, action) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = text;
    b.addEventListener("click", action);
    return b;
  }
  function line(box, text, tag = "p") {
    const p = document.createElement(tag);
    p.textContent = text;
    return box.appendChild(p);
  }
  function problem(item) {
    const box = document.createElement("div");
    const info = item.info || {};
    box.className = "message " + (item.state === "conflict" ? "warning" : "error");
    line(line(box, "", "p"), item.what, "strong");
    const choices = document.createElement("div");
    choices.className = "answer-buttons";
    if (item.state === "conflict") {
      const recorded = info.recorded || {};
      line(box, T.conflict);
      line(box, fill(T.recorded, { answer: recorded.answer_label, by: recorded.by, at: recorded.at }));
      line(box, fill(T.mine, { answer: item.label }));
      choices.append(
        button(T.keep, "button", async () => { await drop(item); await refresh(); show(); }),
        button(T.use, "button primary", async () => {
          // Sent again against the answer now recorded, under the same key: applied once.
          const field = item.fields.find(([name]) => name === info.version_field);
          if (field) field[1] = String(info.version);
          item.state = "waiting";
          item.info = null;
          await save(item);
          send();
        }),
      );
    } else {
      line(box, T.refused + " " + (info.reasons || []).join(" "));
      choices.append(button(T.remove, "button", async () => { await drop(item); show(); }));
    }
    box.append(choices);
    return box;
  }
  async function show() {
    const items = await mine();
    const waiting = items.filter((item) => item.state === "waiting").length;
    const said = [navigator.onLine ? "" : T.nonet, waiting ? fill(T.count, { n: waiting }) : "", note];
    state.textContent = said.filter(Boolean).join(" ");
    sendButton.hidden = !waiting || !navigator.onLine;
    problems.replaceChildren(...items.filter((item) => item.state !== "waiting").map(problem));
    bar.hidden = !state.textContent && !problems.children.length;
    markCells(items.filter((item) => item.state !== "refused"));
  }

  // Sending
  function token() {
    const cookie = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    return csrf || (cookie ? cookie[1] : JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"]);
  }
  async function post(item, again) {
    const body = new FormData();
    for (const [name, value] of item.fields) body.append(name, value);
    body.append("offline_key", item.key);
    let response;
    try {
      response = await fetch(item.url, {
        method: "POST",
        body,
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-Offline-Queue": "1", "X-CSRFToken": token() },
      });
      if ((response.headers.get("Content-Type") || "").startsWith("application/json")) return await response.json();
      if (response.status === 403 && !again) {
        // Refused by the CSRF check (a token from before a new login): a fresh one, once.
        const page = await (await fetch(item.url, { credentials: "same-origin" })).text();
        csrf = (/name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page) || [])[1] || null;
        return await post(item, true);
      }
    } catch (error) {
      return null;
    }
    return response.type === "opaqueredirect" ? { status: "signed_out" } : null;
  }
  async function send() {
    if (sending || !navigator.onLine) return show();
    sending = true;
    note = "";
    let sent = 0;
    try {
      for (const item of await mine()) {
        if (item.state !== "waiting") continue;
        const answer = await post(item);
        if (!answer) { note = T.retry; break; }
        if (answer.status === "signed_out") { note = T.signin; break; }
        if (answer.status === "stored" || answer.status === "duplicate") {
          await drop(item);
          sent += 1;
          settle(answer.made);
        } else {
          item.state = answer.status === "conflict" ? "conflict" : "refused";
          item.info = answer;
          await save(item);
        }
      }
    } finally {
      sending = false;
    }
    if (sent) {
      note = fill(T.sent, { n: sent });
      if (grid()) await refresh();
    }
    show();
  }

  // Recording with no signal: a tapped cell opens a small form built from the grid's data.
  function answerForm(cell) {
    if (!template || !panel) return false;
    const form = template.content.firstElementChild.cloneNode(true);
    const door = cell.dataset.d;
    form.querySelector("[data-door]").textContent = door;
    const voters = form.querySelector("[data-voters]");
    if (voters && cell.dataset.voters) {
      voters.hidden = false;
      const select = voters.querySelector("select");
      select.required = true;
      for (const [pk, name] of JSON.parse(cell.dataset.voters)) select.add(new Option(name, pk));
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData(form, event.submitter);
      data.set("version", cell.dataset.v || "0");
      const label = event.submitter.textContent.trim();
      const extra = { cell: cell.id.slice(5), answer: data.get("answer"), label };
      enqueue(cell.getAttribute("hx-get"), strings(data), `${T.place} ${door}: ${label}`, extra);
      panel.replaceChildren();
    });
    form.querySelector("[data-close]").addEventListener("click", () => panel.replaceChildren());
    panel.replaceChildren(form);
    (voters && !voters.hidden ? voters.querySelector("select") : form.querySelector(".answer")).focus();
    return true;
  }
  document.addEventListener("click", (event) => {
    const cell = !navigator.onLine && event.target.closest(".consent-grid .cell");
    if (cell && answerForm(cell)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
  // The signal dropped on the way: a door's panel is asked for, or its answer sent.
  document.addEventListener("htmx:sendError", (event) => {
    const elt = event.detail.elt;
    const config = event.detail.requestConfig || {};
    if (elt.matches(".consent-grid .cell")) {
      answerForm(elt);
    } else if (config.verb === "post" && config.formData && elt.closest("#panel")) {
      const cell = document.querySelector(elt.closest("form").getAttribute("hx-target"));
      const answer = config.formData.get("answer");
      const chosen = panel.querySelector(`.answer[value="${answer}"]`);
      if (!cell || !chosen) return;
      const label = chosen.textContent.trim();
      const extra = { cell: cell.id.slice(5), answer, label };
      enqueue(config.path, strings(config.formData), `${T.place} ${cell.dataset.d}: ${label}`, extra);
      panel.replaceChildren();
    }
  });
  if (visitForm) {
    visitForm.addEventListener("submit", (event) => {
      if (navigator.onLine) return;
      event.preventDefault();
      const fields = strings(new FormData(visitForm, event.submitter));
      enqueue(location.pathname + location.search, fields, visitForm.dataset.offline);
      visitForm.reset();
      bar.scrollIntoView();
    });
  }

  // Logging out clears the queue and the kept pages first (the worker does too).
  const logout = document.querySelector("form.logout");
  if (logout) {
    logout.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (db) { db.close(); db = null; }
      const queue = new Promise((done) => {
        const deleting = indexedDB.deleteDatabase(T.db);
        deleting.onsuccess = deleting.onerror = deleting.onblocked = done;
      });
      const pages = window.caches ? caches.delete(T.pages) : null;
      await Promise.race([Promise.all([queue, pages]), new Promise((done) => setTimeout(done, 3000))]);
      logout.submit();
    });
  }

  sendButton.addEventListener("click", send);
  addEventListener("online", send);
  addEventListener("offline", show);
  send();
})();
