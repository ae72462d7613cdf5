// Recording with no signal (docs/domain.md): on a building's grid and the visit form, what
// is recorded offline waits in this browser's queue (IndexedDB) with a key made here, and is
// sent when the signal returns; the server keeps each key once (jinzang/offline.py). The
// words are the bar's data attributes (templates/includes/offline_bar.html).
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
  // A visit form's fields that carry a consent answer (meetings/visits/forms.py).
  const ANSWER_FIELD = /^(consent_project|consent_answer|contribution|conditions|version_\d+)$/;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
  const strings = (data) => [...data].filter(([name, value]) => typeof value === "string" && name !== "csrfmiddlewaretoken" && name !== "once");
  const $ = (selector) => document.querySelector(selector);
  let db, sending, csrf;
  let note = "";

  if ("serviceWorker" in navigator) {
    addEventListener("load", () => navigator.serviceWorker.register(T.sw).catch(() => {}));
  }

  async function run(mode, work) {
    db = db || await new Promise((done, fail) => {
      const opening = indexedDB.open(T.db, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore("queue", { keyPath: "key" });
      opening.onsuccess = () => done(opening.result);
      opening.onerror = () => fail(opening.error);
    });
    db.onversionchange = () => { db.close(); db = null; }; // deleted at logout
    const store = db.transaction("queue", mode).objectStore("queue");
    return new Promise((done, fail) => {
      const request = work(store);
      store.transaction.oncomplete = () => done(request.result);
      store.transaction.onerror = () => fail(store.transaction.error);
    });
  }
  const mine = async () => (await run("readonly", (s) => s.getAll()))
    .filter((item) => item.user === T.user).sort((a, b) => (a.at < b.at ? -1 : 1));
  const save = (item) => run("readwrite", (s) => s.put(item));
  const drop = (item) => run("readwrite", (s) => s.delete(item.key));

  async function enqueue(url, fields, what, extra = {}) {
    for (const old of await mine()) if (extra.cell && old.cell === extra.cell && old.url === url) await drop(old);
    await save({ key: crypto.randomUUID(), user: T.user, url, fields, what, at: new Date().toISOString(), state: "waiting", ...extra });
    note = fill(T.kept, { what: extra.label ? fill(T.answer, { what, answer: extra.label }) : what });
    show();
  }

  function markCells(items) {
    for (const cell of document.querySelectorAll(".cell.waiting")) cell.classList.remove("waiting");
    for (const item of items) {
      const cell = item.cell && document.getElementById("cell-" + item.cell);
      if (!cell || cell.getAttribute("hx-get") !== item.url) continue;
      cell.className = `cell ans-${item.answer} waiting`;
      cell.querySelector(".cell-mark").textContent = MARKS[item.answer] || "·";
      cell.setAttribute("aria-label", fill(T.waiting, { answer: fill(T.answer, { what: item.what, answer: item.label }) }));
    }
  }
  async function refresh() {
    // Fresh answers, counts and versions (the worker keeps this copy).
    try {
      const response = await fetch(location.href);
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const part of ["#legend", ".grid-wrap", "#to-visit"]) {
        const next = fresh.querySelector(part);
        if (!response.ok || !next || !$(part)) continue;
        $(part).replaceWith(next);
        if (window.htmx) htmx.process(next);
      }
    } catch {}
  }

  function add(box, tag, text, className, action) {
    const element = box.appendChild(document.createElement(tag));
    element.textContent = text;
    if (className) element.className = className;
    if (action) element.addEventListener("click", action);
    return element;
  }
  function problem(item) {
    const info = item.info || {};
    const conflict = item.state === "conflict";
    const box = document.createElement("div");
    box.className = "message " + (conflict ? "warning" : "error");
    add(add(box, "p"), "strong", conflict || !item.label ? item.what : fill(T.answer, { what: item.what, answer: item.label }));
    const choices = document.createElement("div");
    choices.className = "answer-buttons";
    const choice = (text, className, action) => { add(choices, "button", text, className, action).type = "button"; };
    if (conflict) {
      const recorded = info.recorded || {};
      add(box, "p", T.conflict);
      add(box, "p", fill(T.recorded, { answer: recorded.answer_label, by: recorded.by, at: recorded.at }));
      add(box, "p", fill(T.mine, { answer: item.label }));
      choice(T.keep, "button", async () => {
        if (!item.cell) {
          // A visit: it is kept, without the answer it carried (the recorded one stands), and
          // sent again under the same key (a refused send left no key behind).
          const fields = item.fields.filter(([name]) => !ANSWER_FIELD.test(name));
          await save({ ...item, fields, state: "waiting", info: null });
          return send();
        }
        await drop(item);
        await refresh();
        show();
      });
      choice(T.use, "button primary", async () => {
        // Sent again against the answer now recorded, under the same key: applied once.
        const field = item.fields.find(([name]) => name === info.version_field);
        if (field) field[1] = String(info.version);
        else item.fields.push([info.version_field, String(info.version)]);
        await save({ ...item, state: "waiting", info: null });
        send();
      });
    } else {
      add(box, "p", `${T.refused} ${(info.reasons || []).join(" ")}`);
      choice(T.remove, "button", async () => { await drop(item); show(); });
    }
    box.append(choices);
    return box;
  }
  async function show() {
    const items = await mine();
    const waiting = items.filter((item) => item.state === "waiting").length;
    const said = [navigator.onLine ? "" : T.nonet, waiting ? fill(T.count, { n: waiting }) : "", note];
    state.textContent = said.filter(Boolean).join(document.documentElement.lang === "en" ? " " : "");
    sendButton.hidden = !waiting || !navigator.onLine;
    problems.replaceChildren(...items.filter((item) => item.state !== "waiting").map(problem));
    bar.hidden = !state.textContent && !problems.children.length;
    markCells(items.filter((item) => item.state !== "refused"));
  }

  async function post(item, again) {
    const body = new FormData();
    for (const [name, value] of [...item.fields, ["offline_key", item.key], ["offline_user", item.user]]) body.append(name, value);
    const cookie = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    const headers = { "X-Offline-Queue": "1", "X-CSRFToken": csrf || (cookie && cookie[1]) };
    try {
      const response = await fetch(item.url, { method: "POST", body, headers, redirect: "manual" });
      if ((response.headers.get("Content-Type") || "").includes("json")) return await response.json();
      if (response.type === "opaqueredirect") return { status: "signed_out" };
      if (response.status === 403 && !again) {
        // Refused by the CSRF check (a token from an earlier login): a fresh one, once.
        csrf = (/name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await (await fetch(item.url)).text()) || [])[1];
        return await post(item, true);
      }
      // Any other refusal without an answer the script can read (a server error, a form
      // too large): shown with a Remove button, and the rest of the queue goes on.
      if (response.status >= 400) return { status: "refused", reasons: [fill(T.failed, { code: response.status })] };
    } catch {}
    return null;
  }
  async function send() {
    if (sending || !navigator.onLine) return show();
    sending = true;
    note = "";
    let sent = 0;
    let answered = 0;
    try {
      for (const item of await mine()) {
        if (item.state !== "waiting") continue;
        const answer = await post(item);
        if (!answer || answer.status === "signed_out") {
          note = answer ? T.signin : T.retry;
          break;
        }
        answered += 1;
        if (answer.status === "stored" || answer.status === "duplicate") {
          await drop(item);
          sent += 1;
        } else {
          await save({ ...item, state: answer.status === "conflict" ? "conflict" : "refused", info: answer });
        }
      }
    } finally {
      sending = false;
    }
    if (sent) note = fill(T.sent, { n: sent });
    if (answered && $(".consent-grid")) await refresh();
    show();
  }

  function answerForm(cell) {
    if (!template || !panel) return false;
    const form = template.content.firstElementChild.cloneNode(true);
    const door = cell.dataset.d;
    const voters = form.querySelector("[data-voters]");
    form.querySelector("[data-door]").textContent = door;
    if (voters && cell.dataset.voters) {
      voters.hidden = false;
      voters.querySelector("select").required = true;
      for (const [pk, name] of JSON.parse(cell.dataset.voters)) voters.querySelector("select").add(new Option(name, pk));
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData(form, event.submitter);
      data.set("version", cell.dataset.v || "0");
      const extra = { cell: cell.id.slice(5), answer: data.get("answer"), label: event.submitter.textContent.trim() };
      enqueue(cell.getAttribute("hx-get"), strings(data), `${T.place} ${door}`, extra);
      panel.replaceChildren();
    });
    form.querySelector("[data-close]").addEventListener("click", () => panel.replaceChildren());
    panel.replaceChildren(form);
    form.querySelector(voters && !voters.hidden ? "select" : ".answer").focus();
    return true;
  }
  document.addEventListener("click", (event) => {
    const cell = !navigator.onLine && event.target.closest(".consent-grid .cell");
    if (cell && answerForm(cell)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
  // The signal dropped on the way: a door's panel, or its answer.
  document.addEventListener("htmx:sendError", (event) => {
    const { elt, requestConfig: config = {} } = event.detail;
    if (elt.matches(".consent-grid .cell")) return answerForm(elt);
    const cell = config.verb === "post" && elt.closest("#panel form") && $(elt.closest("form").getAttribute("hx-target"));
    const chosen = cell && panel.querySelector(`.answer[value="${config.formData.get("answer")}"]`);
    if (!chosen) return;
    const extra = { cell: cell.id.slice(5), answer: chosen.value, label: chosen.textContent.trim() };
    enqueue(config.path, strings(config.formData), `${T.place} ${cell.dataset.d}`, extra);
    panel.replaceChildren();
  });
  if (visitForm) {
    visitForm.addEventListener("submit", (event) => {
      if (navigator.onLine) return;
      event.preventDefault();
      enqueue(location.pathname + location.search, strings(new FormData(visitForm, event.submitter)), visitForm.dataset.offline);
      visitForm.reset();
      bar.scrollIntoView();
    });
  }

  // Logging out clears the queue and the kept pages first (the worker too).
  const logout = $("form.logout");
  if (logout) {
    logout.addEventListener("submit", async (event) => {
      event.preventDefault();
      const waiting = (await mine()).length;
      if (waiting && !confirm(fill(T.leave, { n: waiting }))) return;
      if (db) db.close();
      const queue = new Promise((done) => {
        const deleting = indexedDB.deleteDatabase(T.db);
        deleting.onsuccess = deleting.onerror = deleting.onblocked = done;
      });
      await Promise.race([Promise.all([queue, window.caches && caches.delete(T.pages)]), new Promise((done) => setTimeout(done, 3000))]);
      logout.submit();
    });
  }

  sendButton.addEventListener("click", send);
  addEventListener("online", send);
  addEventListener("offline", show);
  send();
})();
