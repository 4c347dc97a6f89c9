// Browser smoke test of the built web site, run by .ci/run:
//   node web/tests/smoke.mjs [DIST_DIR] [SCREENSHOT_DIR]
// Serves DIST_DIR on 127.0.0.1, opens it in Debian's headless Chromium through playwright-core
// and checks: the page loads, the canvas is drawn (not blank), there are no console errors,
// the first frame arrives within the budget, and after one online visit the app loads with the
// server stopped (service worker). Screenshots go to SCREENSHOT_DIR.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { chromium } from "playwright-core";
import { colourStats, decodePng } from "./png.mjs";

const dist = process.argv[2] ?? "dist";
const shots = process.argv[3] ?? "target/web-screenshots";
const port = 8766 + Math.floor(Math.random() * 1000);
const url = `http://127.0.0.1:${port}/`;
const FIRST_FRAME_BUDGET_MS = 3000;
mkdirSync(shots, { recursive: true });

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
}

function serve() {
  const server = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", dist], {
    stdio: "ignore",
  });
  return server;
}

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`server on ${url} did not come up`);
}

/// Stores a GuestLab state for the next load. The app saves its own state when the page unloads,
/// so the value is written from another page of the same origin, after the app has gone.
async function storeState(page, state) {
  await page.goto(`${url}manifest.json`);
  await page.evaluate((value) => localStorage.setItem("guestlab", value), state);
}

async function firstFrame(page, errors, what) {
  const started = Date.now();
  const seen = page.waitForEvent("console", {
    predicate: (msg) => msg.text().includes("GuestLab: first frame drawn"),
    timeout: 30000,
  });
  await page.goto(url, { waitUntil: "commit" });
  await seen;
  const ms = Date.now() - started;
  console.log(`     ${what}: first frame ${ms} ms after navigation`);
  await sleep(500);
  return ms;
}

async function drawnScreenshot(page, file, what) {
  const buffer = await page.screenshot({ path: `${shots}/${file}` });
  const stats = colourStats(decodePng(buffer));
  check(stats.colours > 50 && stats.foreground > 0.02, `${what}: canvas drawn (${stats.colours} colours, ${(stats.foreground * 100).toFixed(1)} % non-background)`);
  const crashed = await page.evaluate(() => document.getElementById("crash")?.classList.contains("visible"));
  check(!crashed, `${what}: no crash message`);
  const loading = await page.evaluate(() => !!document.getElementById("loading"));
  check(!loading, `${what}: loading indicator removed`);
}

const server = serve();
let offlineServer = null;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
});
try {
  await waitForServer();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (msg) => { if (msg.type() === "error") errors.push(msg.text()); });
  page.on("pageerror", (err) => errors.push(String(err)));
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()} for ${r.url()}`); });

  // 1. A fresh visit: the language question on the first start.
  const ms = await firstFrame(page, errors, "first visit");
  check(ms <= FIRST_FRAME_BUDGET_MS, `first frame within ${FIRST_FRAME_BUDGET_MS} ms (${ms} ms)`);
  await drawnScreenshot(page, "web-first-start.png", "first visit");

  // 2. A returning learner with a lesson open (the state as the app stores it).
  await storeState(page, '(version:1,settings:(language:En,theme:Light,zoom:1.0),language_chosen:true,last_screen:Lessons,last_lesson:Some("guests-and-hypervisors"))');
  await firstFrame(page, errors, "lesson");
  await drawnScreenshot(page, "web-lesson.png", "lesson");
  // Reload: the app saves its state on unload and restores it on load.
  await firstFrame(page, errors, "lesson after reload");
  const stored = await page.evaluate(() => localStorage.getItem("guestlab"));
  check(/last_screen:\s*Lessons/.test(stored ?? "") && stored.includes("guests-and-hypervisors"), "the state survives a reload (localStorage)");

  // 3. German, dark.
  await storeState(page, '(version:1,settings:(language:De,theme:Dark,zoom:1.0),language_chosen:true,last_screen:Home)');
  await firstFrame(page, errors, "German home");
  await drawnScreenshot(page, "web-home-de.png", "German home");

  // 4. Offline: the service worker serves the app with the server stopped.
  const controlled = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return !!registration.active;
  });
  check(controlled, "service worker active");
  server.kill();
  await sleep(300);
  let offlineOk = false;
  try {
    await fetch(url);
  } catch {
    offlineOk = true;
  }
  check(offlineOk, "server stopped");
  await firstFrame(page, errors, "offline");
  await drawnScreenshot(page, "web-offline.png", "offline");

  check(errors.length === 0, `no console errors${errors.length ? ": " + errors.join(" | ") : ""}`);
  await context.close();
} catch (err) {
  console.log(`FAIL ${err}`);
  failures++;
} finally {
  await browser.close();
  server.kill();
  offlineServer?.kill();
}
writeFileSync(`${shots}/smoke-result.txt`, failures ? `${failures} failures\n` : "ok\n");
process.exit(failures ? 1 : 0);
