// GuestLab in a real browser, run by .ci/run after web/build.sh:
//   node web/tests/browser.mjs [DIST_DIR] [SCREENSHOT_DIR]
// Serves DIST_DIR on 127.0.0.1 and drives Debian's headless Chromium through playwright-core (no
// browser download). The app draws into one canvas, so the checks read what the app mirrors into
// the page for assistive technology (app/src/page.rs: title, <html lang>, data-route, the lesson
// text, live regions for notices, the terminal and the focused control), look at pixels, and use
// the keyboard, the address bar and the history like a learner would.
//
// Checks: first frame and drawing; the first-start dialog and the German switch by keyboard;
// lesson deep links; back and forward; a question answered by keys 1 and Enter with its result
// announced; progress surviving a reload; presenter mode (F5, →); the terminal (T, German AltGr
// keys, paste, Share's copy); touch input through the text agent;
// resize and a 2x pixel ratio; offline with the server stopped; the update notices of a new
// version. Prints the first-frame times and the frame times during steady interaction.
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { chromium } from "playwright-core";
import { colourStats, decodePng, differingShare } from "./png.mjs";

const dist = process.argv[2] ?? "dist";
const shots = process.argv[3] ?? "target/web-screenshots";
const port = 8766 + Math.floor(Math.random() * 1000);
const url = `http://127.0.0.1:${port}/`;
const FIRST_FRAME_BUDGET_MS = 3000;
const FRAME_MS = 1000 / 60;
const PAINTED_MS = 0.5;
mkdirSync(shots, { recursive: true });
const started = Date.now();

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
  return ok;
}

function serve(dir) {
  return spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", dir], {
    stdio: "ignore",
  });
}

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`server on ${url} did not come up`);
}

/// A state for the next load, written from another page of the origin (the app saves its own
/// state when it changes, so it must not be running while this is written).
async function storeState(page, state) {
  await page.goto(`${url}manifest.json`);
  await page.evaluate((value) => {
    localStorage.clear();
    localStorage.setItem("guestlab", value);
  }, state);
}

const ENGLISH = '(version:2,settings:(language:En,theme:Light,zoom:1.0),language_chosen:true,last_screen:Home)';

/// Loads `hash` and waits for the app's first frame; returns the time from navigation.
async function load(page, hash = "", what = hash || "/") {
  // A new document each time (a changed hash alone would not load the page again).
  await page.goto("about:blank");
  const t0 = Date.now();
  const seen = page.waitForEvent("console", {
    predicate: (msg) => msg.text().includes("GuestLab: first frame drawn"),
    timeout: 30000,
  });
  await page.goto(url + hash, { waitUntil: "commit" });
  await seen;
  const ms = Date.now() - t0;
  console.log(`     ${what}: first frame ${ms} ms after navigation`);
  await sleep(300);
  return ms;
}

/// Waits until `fn` (run in the page) returns a truthy value; returns it (or the last value).
async function until(page, fn, arg, timeout = 5000) {
  const t0 = Date.now();
  let value;
  while (Date.now() - t0 < timeout) {
    value = await page.evaluate(fn, arg);
    if (value) return value;
    await sleep(50);
  }
  return value;
}

const route = (page) => page.evaluate(() => document.documentElement.dataset.route);
const text = (page, id) => page.evaluate((id) => document.getElementById(id)?.textContent ?? "", id);

async function waitRoute(page, want) {
  const got = await until(page, (want) => document.documentElement.dataset.route === want && want, want);
  return got === want;
}

async function shot(page, file) {
  const buffer = await page.screenshot({ path: `${shots}/${file}` });
  return decodePng(buffer);
}

async function drawn(page, file, what) {
  const png = await shot(page, file);
  const stats = colourStats(png);
  check(stats.colours > 50 && stats.foreground > 0.02,
    `${what}: canvas drawn (${stats.colours} colours, ${(stats.foreground * 100).toFixed(1)} % non-background)`);
  const crashed = await page.evaluate(() => document.getElementById("crash")?.classList.contains("visible"));
  check(!crashed, `${what}: no crash message`);
  return png;
}

/// Presses Tab until the control named `name` has focus (the app names it in #a11y-focus).
async function tabTo(page, name, max = 80) {
  for (let i = 0; i < max; i++) {
    const before = await text(page, "a11y-focus");
    await page.keyboard.press("Tab");
    // One Tab, one frame: wait for the app to name the next control.
    const focus = await until(page, (before) => {
      const now = document.getElementById("a11y-focus")?.textContent ?? "";
      return now !== before && now;
    }, before, 1000);
    if (typeof focus === "string" && focus.startsWith(name)) return i + 1;
  }
  return 0;
}

/// Counts the app's frames (eframe paints in requestAnimationFrame callbacks): the time each
/// callback took and the time between callbacks.
function frameProbe() {
  const raf = window.requestAnimationFrame.bind(window);
  window.__frames = [];
  window.requestAnimationFrame = (callback) =>
    raf((t) => {
      const start = performance.now();
      callback(t);
      window.__frames.push({ t, cost: performance.now() - start });
    });
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { n: sorted.length, median: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

/// Feeds the canvas one input event per display frame for `ms` (a continuous interaction at 60 Hz,
/// generated in the page so that the test's own round trips do not pace it) and reports the
/// frames the app drew meanwhile. `kind`: "wheel" scrolls up and down, "move" moves the pointer
/// over a rectangle.
async function measureFrames(page, what, kind, area, ms = 3000) {
  await page.evaluate(() => { window.__frames = []; });
  await page.evaluate(({ kind, area, ms }) => new Promise((done) => {
    const canvas = document.getElementById("the_canvas_id");
    // eframe follows the mouse with mousemove (the wheel scrolls what is under the pointer).
    canvas.dispatchEvent(new MouseEvent("mousemove", { clientX: area.x, clientY: area.y, bubbles: true }));
    const t0 = performance.now();
    let i = 0;
    const timer = setInterval(() => {
      const t = performance.now() - t0;
      if (t > ms) { clearInterval(timer); done(); return; }
      i++;
      const x = area.x + (i * 37) % area.width, y = area.y + (i * 23) % area.height;
      if (kind === "wheel") {
        canvas.dispatchEvent(new WheelEvent("wheel", { deltaY: t < ms / 2 ? 30 : -30, clientX: area.x, clientY: area.y, bubbles: true, cancelable: true }));
      } else {
        canvas.dispatchEvent(new MouseEvent("mousemove", { clientX: x, clientY: y, bubbles: true }));
      }
    }, 1000 / 60);
  }), { kind, area, ms });
  const frames = await page.evaluate(() => window.__frames);
  // eframe asks for an animation frame every display frame and paints only when something
  // changed: a callback that took under PAINTED_MS did not paint.
  const painted = frames.filter((f) => f.cost >= PAINTED_MS);
  const costs = stats(painted.map((f) => f.cost));
  const deltas = frames.slice(1).map((f, i) => f.t - frames[i].t);
  const gaps = stats(deltas);
  // With an input event every display frame, the app should draw every frame: a gap of more than
  // 1.5 intervals between two callbacks drops round((gap - interval) / interval) frames.
  const slow = painted.filter((f) => f.cost > FRAME_MS).length;
  const dropped = deltas.filter((d) => d > 1.5 * FRAME_MS).reduce((n, d) => n + Math.round((d - FRAME_MS) / FRAME_MS), 0);
  const load = (await import("node:os")).loadavg()[0].toFixed(2);
  console.log(`     ${what}: ${frames.length} animation frames in ${ms} ms, ${painted.length} painted; paint time (JS side) median ` +
    `${costs.median.toFixed(2)} ms, p99 ${costs.p99.toFixed(2)} ms, max ${costs.max.toFixed(2)} ms; frame interval median ${gaps.median.toFixed(1)} ms, ` +
    `p99 ${gaps.p99.toFixed(1)} ms; paints over ${FRAME_MS.toFixed(1)} ms: ${slow}; dropped frames at 60 Hz: ${dropped} (load average ${load})`);
  check(painted.length >= 10, `${what}: the app painted during the interaction (${painted.length} frames)`);
  return { frames: frames.length, painted: painted.length, costs, gaps, slow, dropped, load };
}

/// Types text as a German keyboard on Linux does: `|` `~` `{` `}` `@` need AltGr, which Chrome
/// reports as an AltGraph key press with no Ctrl or Alt. (Chrome on Windows reports AltGr as
/// Ctrl+Alt; that form cannot be checked here: Chromium on Linux inserts no text for Ctrl+Alt key
/// events, not even into a plain <input>. The app takes its text from the browser's input event
/// either way, so it gets what the browser inserts.)
async function typeGerman(cdp, text) {
  const altGr = { "|": ["IntlBackslash", 226], "~": ["BracketRight", 187], "{": ["Digit7", 55], "}": ["Digit0", 48], "@": ["KeyQ", 81] };
  for (const ch of text) {
    const special = altGr[ch];
    if (!special) {
      await cdp.send("Input.insertText", { text: ch });
      continue;
    }
    const [code, vk] = special;
    await cdp.send("Input.dispatchKeyEvent", { type: "rawKeyDown", key: "AltGraph", code: "AltRight", windowsVirtualKeyCode: 225 });
    await cdp.send("Input.dispatchKeyEvent", { type: "keyDown", key: ch, code, text: ch, unmodifiedText: ch, windowsVirtualKeyCode: vk });
    await cdp.send("Input.dispatchKeyEvent", { type: "keyUp", key: ch, code, windowsVirtualKeyCode: vk });
    await cdp.send("Input.dispatchKeyEvent", { type: "keyUp", key: "AltGraph", code: "AltRight", windowsVirtualKeyCode: 225 });
    await sleep(20);
  }
}

let server = serve(dist);
const launchOptions = {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
};
const browser = await chromium.launch(launchOptions);
const updatedDist = join(tmpdir(), `guestlab-dist-next-${process.pid}`);
const perf = {};
try {
  await waitForServer();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url.slice(0, -1) });
  await context.addInitScript(frameProbe);
  const page = await context.newPage();
  const errors = [];
  page.on("console", (msg) => { if (msg.type() === "error") errors.push(msg.text()); });
  page.on("pageerror", (err) => errors.push(String(err)));
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()} for ${r.url()}`); });

  // 1. First visit: the app draws, asks for the language, and the dialog works by keyboard.
  const first = await load(page, "", "first visit");
  perf.firstVisit = first;
  check(first <= FIRST_FRAME_BUDGET_MS, `first frame within ${FIRST_FRAME_BUDGET_MS} ms (${first} ms)`);
  await drawn(page, "web-first-start.png", "first visit");
  check(await waitRoute(page, "#/"), `the address bar shows the route (#/): ${await page.evaluate(() => location.hash)}`);
  check(await tabTo(page, "Continue") > 0, "Tab reaches the first-start dialog's Continue button");
  await page.keyboard.press("Space");
  check(await until(page, () => (localStorage.getItem("guestlab") ?? "").includes("language_chosen: true")),
    "Space on Continue confirms the language (saved in localStorage)");

  // 2. German by keyboard on the Settings screen.
  await storeState(page, ENGLISH);
  await load(page, "#/settings");
  check(await page.evaluate(() => document.title) === "Settings – GuestLab", "the title names the screen");
  const english = await drawn(page, "web-settings-en.png", "Settings (English)");
  check(await tabTo(page, "Deutsch") > 0, "Tab reaches the Deutsch radio button");
  await page.keyboard.press("Space");
  check(await until(page, () => document.documentElement.lang === "de"), "switching to German sets <html lang=de>");
  check(await until(page, () => document.title === "Einstellungen – GuestLab"), `the title is German: ${await page.evaluate(() => document.title)}`);
  await sleep(300);
  const german = await drawn(page, "web-settings-de.png", "Settings (German)");
  const navChanged = differingShare(english, german, { x: 0, y: 40, width: 210, height: 500 });
  check(navChanged > 0.01, `the navigation is drawn in German (${(navChanged * 100).toFixed(1)} % of its pixels changed)`);

  // 3. A lesson section by deep link; its text is in the page for screen readers.
  await storeState(page, ENGLISH);
  const lessonMs = await load(page, "#/lesson/disk-images#writes", "lesson deep link");
  perf.lessonLink = lessonMs;
  check(await waitRoute(page, "#/lesson/disk-images#writes"), "the lesson route stays in the address bar");
  check(await page.evaluate(() => document.title) === "Disk images: copy-on-write (qcow2) and RAW – Lessons – GuestLab",
    "the title names the lesson");
  const aria = await page.locator("#a11y-main").ariaSnapshot();
  check(aria.includes('heading "Disk images: copy-on-write (qcow2) and RAW" [level=1]') && aria.includes('heading "What a write costs" [level=3]'),
    "the lesson's headings are in the accessibility tree");
  check(aria.includes("Question: What does `du` report for a disk image file?"), "its questions too");
  await drawn(page, "web-lesson.png", "lesson");

  // 4. Back and forward: the keyboard opens Settings from the navigation, Back returns.
  check(await tabTo(page, "Settings") > 0, "Tab reaches the Settings entry of the navigation");
  await page.keyboard.press("Space");
  check(await waitRoute(page, "#/settings"), "Settings opened (a new history entry)");
  await page.goBack({ waitUntil: "commit" });
  check(await waitRoute(page, "#/lesson/disk-images#writes"), "the back button returns to the lesson");
  await page.goForward({ waitUntil: "commit" });
  check(await waitRoute(page, "#/settings"), "forward goes to Settings again");
  await page.evaluate(() => { location.hash = "#/sim/disk?scenario=sandbox"; });
  check(await waitRoute(page, "#/sim/disk?scenario=sandbox"), "a hash typed into the address bar opens its place");

  // 5. The terminal: T focuses it; German AltGr characters; paste; Share copies a link.
  const cdp = await context.newCDPSession(page);
  await page.keyboard.press("t");
  check(await until(page, () => document.getElementById("a11y-focus")?.textContent.endsWith("text input")),
    `T puts the cursor in the terminal (focus: ${await text(page, "a11y-focus")})`);
  await typeGerman(cdp, "echo 'L{a|b~c}@'");
  await page.keyboard.press("Enter");
  check(await until(page, () => document.getElementById("a11y-terminal")?.textContent.endsWith("L{a|b~c}@")),
    `AltGr on a German layout types | ~ { } @: ${JSON.stringify(await text(page, "a11y-terminal"))}`);
  await page.evaluate(() => navigator.clipboard.writeText("echo pasted-from-clipboard"));
  await page.keyboard.press("Control+V");
  await page.keyboard.press("Enter");
  check(await until(page, () => document.getElementById("a11y-terminal")?.textContent.endsWith("\npasted-from-clipboard")),
    `Ctrl+V pastes into the terminal: ${JSON.stringify(await text(page, "a11y-terminal"))}`);
  await drawn(page, "web-terminal.png", "terminal");
  await page.keyboard.press("Escape");
  check(await tabTo(page, "Share link") > 0, "Tab reaches Share link");
  await page.keyboard.press("Space");
  const copied = await until(page, async () => {
    const t = await navigator.clipboard.readText();
    return t.includes("#/sim/disk?scenario=sandbox&cmds=") && t;
  });
  check(!!copied && copied.startsWith(url), `Share copies the link with the commands: ${String(copied).slice(0, 90)}…`);
  check((await text(page, "a11y-status")).startsWith("Link copied:"), "the copy is announced");

  // A shared link in a fresh tab replays the commands.
  if (copied) {
    const other = await context.newPage();
    await load(other, copied.slice(url.length), "shared link");
    check(await until(other, () => document.getElementById("a11y-status")?.textContent.startsWith("Replayed the commands of the link:")),
      "the shared link replays its commands");
    check((await text(other, "a11y-terminal")).endsWith("pasted-from-clipboard"), "the lab ends as the teacher left it");
    await other.close();
  }

  // 6. Presenter mode: F5 toggles it (the page does not reload), → plays a step.
  await load(page, "#/sim/libvirt");
  await page.evaluate(() => { window.__stillHere = true; });
  await page.keyboard.press("F5");
  await sleep(300);
  check(await page.evaluate(() => window.__stillHere === true), "F5 does not reload the page");
  await page.keyboard.press("ArrowRight");
  check(await until(page, () => document.getElementById("a11y-terminal")?.textContent.startsWith("root@host:~# virsh list --all")),
    `→ plays the tour's first step in the terminal: ${JSON.stringify((await text(page, "a11y-terminal")).slice(0, 60))}`);
  await page.keyboard.press("ArrowRight");
  check(await until(page, () => document.getElementById("a11y-terminal")?.textContent.includes("virsh net-autostart default")),
    "→ plays the second step");
  await sleep(300);
  await drawn(page, "web-presenter.png", "presenter mode");
  await page.keyboard.press("F5");

  // 7. A question answered by keyboard (1, Enter); the result is shown and announced.
  await storeState(page, ENGLISH);
  await load(page, "#/practice");
  const before = await shot(page, "web-practice.png");
  await page.keyboard.press("1");
  await page.keyboard.press("Enter");
  const result = await until(page, () => /^Answer 1: (correct|not correct)\.$/.test(document.getElementById("a11y-status")?.textContent) &&
    document.getElementById("a11y-status").textContent);
  check(!!result, `keys 1 and Enter answer the question: "${result}"`);
  await sleep(300);
  const after = await drawn(page, "web-practice-result.png", "answered question");
  const feedback = differingShare(before, after);
  check(feedback > 0.005, `the result is drawn (${(feedback * 100).toFixed(1)} % of the pixels changed)`);
  const saved = await page.evaluate(() => localStorage.getItem("guestlab") ?? "");
  const answered = saved.match(/questions: ?\{\s*"([^"]+)"/)?.[1];
  check(!!answered, `the answer is saved in localStorage (question ${answered})`);

  // 8. Progress survives a reload: the reloaded app keeps the answer when it saves again.
  await load(page, "#/practice", "practice after reload");
  await page.evaluate(() => { location.hash = "#/progress"; });
  check(await waitRoute(page, "#/progress"), "Progress opened");
  const resaved = await until(page, () => /last_screen: Progress/.test(localStorage.getItem("guestlab") ?? "") && localStorage.getItem("guestlab"));
  check(!!answered && !!resaved && resaved.includes(`"${answered}"`), "after a reload the saved state still holds the answer");
  await drawn(page, "web-progress.png", "progress after reload");

  // 9. Steady interaction: frame times while scrolling a lesson and typing in a simulator.
  await storeState(page, ENGLISH);
  await load(page, "#/lesson/disk-images");
  perf.lesson = await measureFrames(page, "lesson, scrolling with the wheel for 3 s", "wheel", { x: 800, y: 400, width: 1, height: 1 });
  await load(page, "#/sim/disk?scenario=cow-vs-raw");
  perf.disk = await measureFrames(page, "disk images, pointer over the cluster maps for 3 s", "move", { x: 760, y: 150, width: 480, height: 400 });

  // 10. Resize and a 2x device pixel ratio (what browser zoom changes for the canvas).
  await page.setViewportSize({ width: 900, height: 640 });
  await sleep(500);
  const canvas = await page.evaluate(() => { const c = document.getElementById("the_canvas_id"); return [c.width, c.height]; });
  check(canvas[0] === 900 && canvas[1] === 640, `the canvas follows a resize (${canvas.join("x")})`);
  await drawn(page, "web-resized.png", "resized window");
  // A screen with 2 device pixels per CSS pixel (what 200 % browser zoom or a HiDPI display
  // gives). Playwright's deviceScaleFactor emulation does not reach the ResizeObserver's device
  // pixel size that eframe sizes the canvas by, so the browser itself runs at scale 2, with no
  // viewport emulation.
  const hidpiBrowser = await chromium.launch({
    ...launchOptions,
    args: [...launchOptions.args, "--force-device-scale-factor=2", "--window-size=1000,700"],
  });
  const hidpi = await hidpiBrowser.newContext({ viewport: null });
  const zoomed = await hidpi.newPage();
  await storeState(zoomed, ENGLISH);
  await load(zoomed, "#/lesson/disk-images", "2x pixel ratio");
  const size = await zoomed.evaluate(() => {
    const c = document.getElementById("the_canvas_id");
    return [devicePixelRatio, c.width, c.height, c.clientWidth, c.clientHeight];
  });
  check(size[0] === 2 && size[1] === 2 * size[3] && size[2] === 2 * size[4],
    `at a 2x pixel ratio the canvas has 2 pixels per CSS pixel (DPR ${size[0]}, ${size[1]}x${size[2]} for ${size[3]}x${size[4]})`);
  await drawn(zoomed, "web-zoom-2x.png", "2x pixel ratio");
  await hidpiBrowser.close();

  // 11. Touch: a tap on the terminal's input line focuses the hidden text agent, and text typed
  // by an on-screen keyboard (an input event, no key codes) arrives.
  const touch = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true, isMobile: false });
  const tablet = await touch.newPage();
  await storeState(tablet, ENGLISH);
  await load(tablet, "#/sim/disk?scenario=sandbox", "touch device");
  // The input line under the prompt (its own row in a narrow terminal), at the bottom of the terminal column.
  await tablet.touchscreen.tap(330, 740);
  const agentFocused = await until(tablet, () => document.activeElement?.tagName === "INPUT");
  check(!!agentFocused, "a tap on the terminal focuses egui's text agent (the on-screen keyboard opens)");
  await tablet.keyboard.insertText("echo touched");
  await tablet.keyboard.press("Enter");
  check(await until(tablet, () => document.getElementById("a11y-terminal")?.textContent.endsWith("\ntouched")),
    `text from the on-screen keyboard runs: ${JSON.stringify(await text(tablet, "a11y-terminal"))}`);
  await drawn(tablet, "web-touch.png", "touch");
  await touch.close();

  // 12. Offline: the service worker serves the app with the server stopped.
  check(await page.evaluate(async () => !!(await navigator.serviceWorker.ready).active), "service worker active");
  server.kill();
  await sleep(300);
  let down = false;
  try { await fetch(url); } catch { down = true; }
  check(down, "server stopped");
  await load(page, "#/lesson/cloud-init", "offline");
  check(await waitRoute(page, "#/lesson/cloud-init"), "offline, a lesson opens by link");
  await drawn(page, "web-offline.png", "offline");

  // 13. A new version: the page learns of it, and the next load says it was updated.
  rmSync(updatedDist, { recursive: true, force: true });
  cpSync(dist, updatedDist, { recursive: true });
  const oldVersion = readFileSync(join(dist, "sw.js"), "utf8").match(/const VERSION = "([^"]+)"/)[1];
  for (const file of ["sw.js", "index.html"]) {
    const path = join(updatedDist, file);
    writeFileSync(path, readFileSync(path, "utf8").replaceAll(oldVersion, "next-" + oldVersion));
  }
  server = serve(updatedDist);
  await waitForServer();
  await load(page, "#/", "with a new version on the server");
  check(await until(page, () => document.getElementById("a11y-status")?.textContent.startsWith("A new version of GuestLab is ready"), null, 10000),
    `a new version is announced while the old one runs: ${JSON.stringify(await text(page, "a11y-status"))}`);
  await drawn(page, "web-update-ready.png", "update ready");
  await load(page, "#/", "the new version");
  check(await page.evaluate(() => document.querySelector("meta[name=guestlab-version]").content) === "next-" + oldVersion,
    "the next load runs the new version");
  check(await until(page, () => document.getElementById("a11y-status")?.textContent === "GuestLab was updated to a new version."),
    "and says once that it was updated");
  await load(page, "#/", "the new version again");
  check(await text(page, "a11y-status") === "", "the update notice is not repeated");

  check(errors.length === 0, `no console errors${errors.length ? ": " + errors.join(" | ") : ""}`);
  await context.close();
} catch (err) {
  console.log(`FAIL ${err?.stack ?? err}`);
  failures++;
} finally {
  await browser.close();
  server.kill();
  rmSync(updatedDist, { recursive: true, force: true });
}
function frameSummary(m) {
  return {
    animationFrames: m.frames, painted: m.painted, paintMedianMs: +m.costs.median.toFixed(2), paintP99Ms: +m.costs.p99.toFixed(2),
    intervalMedianMs: +m.gaps.median.toFixed(1), intervalP99Ms: +m.gaps.p99.toFixed(1), droppedAt60Hz: m.dropped, loadAverage: +m.load,
  };
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const summary = {
  failures,
  seconds,
  firstFrameMs: { firstVisit: perf.firstVisit, lessonLink: perf.lessonLink },
  lesson: perf.lesson && frameSummary(perf.lesson),
  disk: perf.disk && frameSummary(perf.disk),
};
writeFileSync(`${shots}/browser-result.json`, JSON.stringify(summary, null, 2) + "\n");
console.log(`${failures ? "FAILED" : "passed"}: ${failures} failures in ${seconds} s`);
process.exit(failures ? 1 : 0);
