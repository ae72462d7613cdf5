// The service worker (docs/domain.md, "Recording with no signal"). CONFIG comes before this
// code, from jinzang/offline.py. It keeps the static files a kept page loads, the pages
// that ask to be kept (X-Offline-Keep: a building's consent grid, a visit form; never a
// page with a full phone or ID number), each as last fetched, and an offline page for the
// rest. Logging out clears the kept pages and the queue (static/js/offline.js); a page that
// says another account, or nobody, is signed in (X-Offline-Owner) clears the kept pages.
const STATIC = "static-" + CONFIG.version;
const PAGES = CONFIG.pages;
const OWNER = CONFIG.pages + "-owner";
const OWNER_KEY = "/offline-owner";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(STATIC)
      .then((cache) => cache.addAll([...CONFIG.static, CONFIG.offline]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== STATIC && name !== PAGES && name !== OWNER) await caches.delete(name);
      }
      await self.clients.claim();
      // The page that installed the worker was loaded without it: kept now, if it asks.
      const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const client of open) {
        try {
          const response = await fetch(client.url);
          await owned(response);
          await keep(new Request(client.url), response);
        } catch (error) {
          // No signal: it is kept the next time it opens.
        }
      }
    })(),
  );
});

async function keep(request, response) {
  if (response.ok && !response.redirected && response.headers.get(CONFIG.keep)) {
    const pages = await caches.open(PAGES);
    await pages.delete(request, { ignoreVary: true });
    await pages.put(request, response.clone());
    // The pages opened last: a page kept again goes to the end, the oldest go first.
    const kept = await pages.keys();
    for (const old of kept.slice(0, Math.max(0, kept.length - CONFIG.keepAtMost))) {
      await pages.delete(old);
    }
  }
}

function clearPages() {
  return caches.delete(PAGES);
}

// The kept pages are those of the account signed in when they were kept: a response that
// says another account, or nobody ("-"), is signed in now drops them, whichever way the
// change came (a logout, a session that ended, a sign-in by the login page, an access
// letter or an SMS code). The owner is an opaque token (jinzang/offline.py, owner_token).
async function owned(response) {
  const now = response.headers.get(CONFIG.owner);
  if (now === null) return;
  const store = await caches.open(OWNER);
  const seen = await store.match(OWNER_KEY);
  if (seen && (await seen.text()) === now) return;
  if (seen) await clearPages();
  await store.put(OWNER_KEY, new Response(now));
}

// The kept pages and the queue; the static files are everyone's and stay.
function clearAll() {
  const queue = new Promise((done) => {
    const deleting = indexedDB.deleteDatabase(CONFIG.db);
    deleting.onsuccess = deleting.onerror = deleting.onblocked = done;
  });
  const waited = new Promise((done) => setTimeout(done, 3000));
  return Promise.race([Promise.all([clearPages(), queue]), waited]);
}

async function page(request) {
  try {
    const response = await fetch(request);
    // Sent to log in (the session ended: the login page then says nobody is signed in), or
    // signed in as another account: the kept pages go (the queue stays, for the account
    // that made it to send once logged in again).
    await owned(response);
    await keep(request, response);
    return response;
  } catch (error) {
    const kept = await caches.match(request, { cacheName: PAGES, ignoreVary: true });
    if (kept) return kept;
    if (request.mode !== "navigate") throw error;
    return (await caches.match(CONFIG.offline, { cacheName: STATIC })) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST") {
    if (url.pathname === CONFIG.logout) {
      const post = () => fetch(request);
      event.respondWith(clearAll().then(post, post));
    } else if (url.pathname === CONFIG.login) {
      event.waitUntil(clearPages());
    }
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname === CONFIG.login) {
    event.waitUntil(clearPages());
    return;
  }
  if (CONFIG.static.includes(url.pathname) || url.pathname === CONFIG.offline) {
    event.respondWith(
      caches.match(request, { cacheName: STATIC }).then((found) => found || fetch(request)),
    );
    return;
  }
  event.respondWith(page(request));
});
