//! The measurements that start other programs (`guestlab bench --all`): real `qemu-io` against
//! `guestlab run` on the same script, the desktop app's first frame under Xvfb, the web app's
//! first frame in headless Chromium (the browser smoke test), and the web build's sizes. Each is
//! skipped, with a note, when its tool is not installed.

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use guestlab_content::sim::World;
use rand::{Rng as _, SeedableRng as _};

use super::report::{Report, format_duration, median};

/// The web build's size budgets (also in `web/build.sh`).
pub const WASM_BUDGET: u64 = 4 << 20;
pub const WASM_GZIP_BUDGET: u64 = 1536 << 10;

fn installed(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A fresh temporary folder.
fn temp_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guestlab-bench-{what}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// `qemu-img create` and one `qemu-io` with `writes` random 4 KiB writes as `-c` commands (one
/// process, as a learner would batch them); the same text runs in both.
fn qemu_io_script(writes: usize) -> (String, Vec<String>) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
    let mut commands = Vec::with_capacity(writes);
    for _ in 0..writes {
        let offset = rng.random_range(0..(16u64 << 30) / 4096) * 4096;
        commands.push(format!("write -P 171 {offset} 4k"));
    }
    let mut script = String::from("qemu-img create -q -f qcow2 t.qcow2 16G\nqemu-io");
    for c in &commands {
        let _ = write!(script, " -c '{c}'");
    }
    script.push_str(" t.qcow2 > /dev/null\n");
    (script, commands)
}

fn compare_qemu_io(report: &mut Report) {
    if !installed("qemu-io") || !installed("qemu-img") {
        report.note("qemu-io vs guestlab run: skipped, qemu-io is not installed (apt-get install qemu-utils)");
        return;
    }
    for writes in [1_000, 10_000] {
        let (script, commands) = qemu_io_script(writes);
        let mut sim_times = Vec::new();
        for _ in 0..3 {
            let mut world = World::new(1);
            let started = Instant::now();
            let _ = world.run(&script);
            sim_times.push(started.elapsed());
        }
        let mut real_times = Vec::new();
        let dir = temp_dir("qemu-io");
        for _ in 0..3 {
            let _ = std::fs::remove_file(dir.join("t.qcow2"));
            let started = Instant::now();
            let created = Command::new("qemu-img")
                .args(["create", "-q", "-f", "qcow2", "t.qcow2", "16G"])
                .current_dir(&dir)
                .status();
            let mut io = Command::new("qemu-io");
            for c in &commands {
                io.args(["-c", c]);
            }
            let wrote = io.arg("t.qcow2").current_dir(&dir).stdout(Stdio::null()).status();
            real_times.push(started.elapsed());
            if !(created.is_ok_and(|s| s.success()) && wrote.is_ok_and(|s| s.success())) {
                report.note("real qemu-io failed");
                return;
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
        let (sim, real) = (median(sim_times), median(real_times));
        report.row(
            &format!("qemu-img create + qemu-io with {writes} random 4 KiB writes: guestlab run vs real"),
            format!(
                "{} vs {} ({:.1}x)",
                format_duration(sim),
                format_duration(real),
                real.as_secs_f64() / sim.as_secs_f64()
            ),
            "-",
            true,
        );
    }
}

/// Starts `program` under Xvfb on `display` and returns the times (ms since process start) of
/// the frames it logs in `seconds`.
fn frame_log(program: &Path, display: &str, home: &Path, seconds: f64) -> Option<Vec<u64>> {
    let mut child = Command::new(program)
        .env("DISPLAY", display)
        .env("GUESTLAB_FRAME_LOG", "1")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let stderr = child.stderr.take()?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            // "guestlab: frame N at MS ms"
            let ms = line
                .strip_prefix("guestlab: frame ")
                .and_then(|r| r.split(" at ").nth(1))
                .and_then(|r| r.trim_end_matches(" ms").parse::<u64>().ok());
            if let Some(ms) = ms
                && tx.send(ms).is_err()
            {
                break;
            }
        }
    });
    let started = Instant::now();
    let mut frames = Vec::new();
    while started.elapsed().as_secs_f64() < seconds {
        if let Ok(ms) = rx.recv_timeout(Duration::from_millis(50)) {
            frames.push(ms);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    Some(frames)
}

fn native_startup(report: &mut Report) {
    if !installed("Xvfb") {
        report.note("native startup: skipped, Xvfb is not installed (apt-get install xvfb)");
        return;
    }
    let Ok(program) = std::env::current_exe() else { return };
    let display = ":177";
    let Ok(mut xvfb) = Command::new("Xvfb")
        .args([display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        report.note("native startup: Xvfb did not start");
        return;
    };
    std::thread::sleep(Duration::from_millis(800));
    let home = temp_dir("home");
    let mut firsts = Vec::new();
    let mut idle = Vec::new();
    for _ in 0..5 {
        let Some(frames) = frame_log(&program, display, &home, 6.0) else { break };
        if let Some(&first) = frames.first() {
            firsts.push(first);
        }
        idle.push(frames.iter().filter(|&&ms| (1000..6000).contains(&ms)).count());
    }
    let _ = xvfb.kill();
    let _ = xvfb.wait();
    let _ = std::fs::remove_dir_all(&home);
    if firsts.is_empty() {
        report.note("native startup: no frame logged (is this a build with a window?)");
        return;
    }
    firsts.sort_unstable();
    let med = firsts[firsts.len() / 2];
    report.row(
        &format!("native: first frame after process start, Xvfb ({} starts, median)", firsts.len()),
        format!("{med} ms ({}-{} ms)", firsts[0], firsts[firsts.len() - 1]),
        "< 1 s",
        med < 1000,
    );
    report.row(
        "native: frames drawn between 1 s and 6 s after start, no input",
        format!("{idle:?}"),
        "0",
        idle.iter().all(|&n| n == 0),
    );
}

fn web(report: &mut Report) {
    let dist = Path::new("dist");
    let wasm = dist.join("guestlab_bg.wasm");
    let Ok(bytes) = std::fs::read(&wasm) else {
        report.note("web: skipped, no dist/guestlab_bg.wasm (run web/build.sh first)");
        return;
    };
    let gzip = Command::new("gzip").args(["-9", "-c"]).arg(&wasm).output().map_or(0, |o| o.stdout.len() as u64);
    let size = bytes.len() as u64;
    report.row(
        "web: .wasm after wasm-opt -Oz",
        format!("{size} bytes"),
        &format!("≤ {WASM_BUDGET} bytes"),
        size <= WASM_BUDGET,
    );
    report.row(
        "web: .wasm gzip -9",
        format!("{gzip} bytes"),
        &format!("≤ {WASM_GZIP_BUDGET} bytes"),
        gzip > 0 && gzip <= WASM_GZIP_BUDGET,
    );
    let side: u64 = ["lessons.txt", "fonts/UbuntuLight-derivative-GuestLab.ttf", "fonts/Hack-derivative-GuestLab.ttf"]
        .iter()
        .filter_map(|f| std::fs::metadata(dist.join(f)).ok())
        .map(|m| m.len())
        .sum();
    report.row("web: lessons and fonts fetched beside it", format!("{side} bytes"), "-", true);
    if !installed("node") || !Path::new("web/tests/browser.mjs").exists() {
        report.note("web startup: skipped, node or web/tests/browser.mjs missing");
        return;
    }
    let shots = temp_dir("web-shots");
    let output = Command::new("node").arg("web/tests/browser.mjs").arg(dist).arg(&shots).output();
    let _ = std::fs::remove_dir_all(&shots);
    let Ok(output) = output else { return };
    let text = String::from_utf8_lossy(&output.stdout);
    let times: Vec<u64> = text
        .lines()
        .filter_map(|l| l.split("first frame ").nth(1))
        .filter_map(|r| r.split(" ms").next())
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    match times.first() {
        Some(&first) => report.row(
            "web: first frame after navigation, headless Chromium, local server (first visit)",
            format!("{first} ms (later visits {:?} ms)", &times[1..]),
            "≤ 3 s",
            first <= 3000,
        ),
        None => {
            report.note(&format!("web startup: the browser test printed no first frame (status {})", output.status));
        }
    }
}

pub fn run(report: &mut Report) {
    compare_qemu_io(report);
    native_startup(report);
    web(report);
}
