// GuestLab's service worker: caches the app shell at install so that the app loads offline after
// the first visit. The build writes a content hash into VERSION, so a new build is a new cache:
// the browser installs it on the next visit and the old cache is deleted once it takes over.
const VERSION = "__GUESTLAB_VERSION__";
const CACHE = `guestlab-${VERSION}`;
const FILES = [
  "./",
  "./index.html",
  "./guestlab.js",
  "./guestlab_bg.wasm",
  "./lessons.txt",
  "./fonts/UbuntuLight-derivative-GuestLab.ttf",
  "./fonts/Hack-derivative-GuestLab.ttf",
  "./manifest.json",
  "./favicon.png",
  "./icon-192.png",
  "./icon-512.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("guestlab-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  // Cache first (the files of one version never change); fall back to the network for
  // anything not cached, and to the cached index page for navigations while offline.
  event.respondWith(
    caches.match(request, { ignoreSearch: true }).then((cached) =>
      cached ||
      fetch(request).catch(() =>
        request.mode === "navigate" ? caches.match("./index.html") : Promise.reject(new Error("offline")),
      ),
    ),
  );
});
