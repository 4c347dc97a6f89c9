//! The UI without a GPU: every screen of the app drawn headless for 300 frames at 1280×800
//! (`Context::run_ui` with the app's own `ui_main`, then `tessellate`), with realistic content
//! (a terminal with output, a lesson open); and the idle check: after a frame without input,
//! does the screen ask for another frame?

use std::time::{Duration, Instant};

use guestlab_content::Lang;

use super::report::{Report, format_duration, median, percentile};
use crate::GuestLabApp;
use crate::persist::State;
use crate::screens::ScreenId;

/// Frames per screen.
const FRAMES: usize = 300;
/// The budgets per frame in a release build.
const MEDIAN_BUDGET: Duration = Duration::from_millis(2);
const P99_BUDGET: Duration = Duration::from_millis(8);
/// How long the idle check waits (simulated time).
const IDLE_SECONDS: f64 = 5.0;

/// The commands run before the simulator screens are drawn, so that their terminal shows output
/// and their views have something to show.
const LAB_COMMANDS: &[&str] = &[
    "virsh net-start default",
    "virsh list --all",
    "ls -l /var/lib/libvirt/images",
    "qemu-img info /var/lib/libvirt/images/bookworm.qcow2",
    "qemu-img create -f qcow2 -b /var/lib/libvirt/images/bookworm.qcow2 -F qcow2 /var/lib/libvirt/images/overlay.qcow2",
    "qemu-io -c 'write -P 171 0 64M' /var/lib/libvirt/images/overlay.qcow2",
    "qemu-img map /var/lib/libvirt/images/overlay.qcow2",
    "virsh dumpxml bookworm",
    "virt-clone --original bookworm --name clone1 --auto-clone",
    "virsh start bookworm",
    "virsh start clone1",
    "virsh net-dhcp-leases default",
    "cat /etc/machine-id",
    "ls -la /etc/libvirt/qemu",
    "systemd-detect-virt",
];

/// The app on `screen` with a lesson open and the lab's terminal full of output.
pub fn app_on(screen: ScreenId) -> GuestLabApp {
    let state = State {
        language_chosen: true,
        last_screen: screen,
        last_lesson: Some("disk-images".to_owned()),
        ..State::default()
    };
    let mut app = GuestLabApp::with_state(state, Lang::En, None);
    app.set_now(Some(1_780_000_000.0));
    for command in LAB_COMMANDS {
        app.lab_mut().run(command);
    }
    app
}

fn input(frame: usize, time: f64) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
        time: Some(time),
        // The frames are numbered so that egui sees a steady 60 Hz clock.
        predicted_dt: 1.0 / 60.0,
        focused: frame > 0,
        ..Default::default()
    }
}

/// One frame: the pass and the tessellation, as eframe does them before painting. Returns the
/// CPU time and the delay after which the app asked to be drawn again (`Duration::MAX`: never).
fn frame(ctx: &egui::Context, app: &mut GuestLabApp, raw: egui::RawInput) -> (Duration, Duration) {
    let started = Instant::now();
    let mut output = ctx.run_ui(raw, |ui| app.ui_main(ui));
    // Nothing paints here: the font texture's updates are dropped on purpose.
    output.textures_delta.clear();
    let delay = output.viewport_output.get(&egui::ViewportId::ROOT).map_or(Duration::MAX, |v| v.repaint_delay);
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    std::hint::black_box(primitives);
    (started.elapsed(), delay)
}

/// The CPU time of `FRAMES` frames of `screen` (after one first frame, which sets up fonts and
/// lays out every text once).
pub fn frame_times(screen: ScreenId) -> Vec<Duration> {
    let ctx = egui::Context::default();
    let mut app = app_on(screen);
    let _ = frame(&ctx, &mut app, input(0, 0.0));
    (1..=FRAMES).map(|i| frame(&ctx, &mut app, input(i, i as f64 / 60.0)).0).collect()
}

/// The idle check of one screen: frames are drawn only when the app asks for them, as eframe
/// does, starting from the first frame. Returns (frames drawn in the first second, which
/// include egui's layout passes and fades, frames drawn in the `IDLE_SECONDS` after it).
pub fn idle_frames(screen: ScreenId) -> (usize, usize) {
    let ctx = egui::Context::default();
    let mut app = app_on(screen);
    let mut time = 0.0;
    let mut settling = 0;
    let mut idle = 0;
    let mut n = 0;
    loop {
        let (_, delay) = frame(&ctx, &mut app, input(n, time));
        n += 1;
        if time < 1.0 {
            settling += 1;
        } else {
            idle += 1;
        }
        if delay == Duration::MAX || n > 10_000 {
            break;
        }
        // eframe draws again after the delay (a zero delay is the next display frame).
        time += delay.as_secs_f64().max(1.0 / 60.0);
        if time > 1.0 + IDLE_SECONDS {
            break;
        }
    }
    (settling, idle)
}

/// Every screen: frame cost and idle frames.
pub fn run(report: &mut Report) {
    let release = !cfg!(debug_assertions);
    if !release {
        report.note("a debug build: the frame budgets are meant for release builds (cargo run --release -- bench)");
    }
    for screen in ScreenId::all() {
        let times = frame_times(screen);
        let name = format!("{screen:?}");
        report.row(
            &format!("UI frame, {name} screen, 1280x800, no GPU (median of {FRAMES})"),
            format_duration(median(times.clone())),
            &format!("< {}", format_duration(MEDIAN_BUDGET)),
            median(times.clone()) < MEDIAN_BUDGET,
        );
        let p99 = percentile(times, 0.99);
        report.row(
            &format!("UI frame, {name} screen (p99)"),
            format_duration(p99),
            &format!("< {}", format_duration(P99_BUDGET)),
            p99 < P99_BUDGET,
        );
    }
    let mut busy = Vec::new();
    let mut settle_max = 0;
    for screen in ScreenId::all() {
        let (settling, idle) = idle_frames(screen);
        settle_max = settle_max.max(settling);
        if idle > 0 {
            busy.push(format!("{screen:?}: {idle}"));
        }
    }
    report.row(
        &format!("idle: frames requested in {IDLE_SECONDS} s without input, every screen"),
        if busy.is_empty() { "0 on every screen".to_owned() } else { busy.join(", ") },
        "0",
        busy.is_empty(),
    );
    report.note(&format!("at most {settle_max} frames in the first second after start (layout passes, fades)"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_screen_draws_and_then_rests() {
        for screen in ScreenId::all() {
            let (settling, idle) = idle_frames(screen);
            assert!(settling >= 1, "{screen:?}");
            assert_eq!(idle, 0, "{screen:?} keeps asking for frames");
        }
    }
}
