//! The Hypervisors screen driven like a user, by accessible labels: every tab opens, the
//! sorting game sorted with the keyboard, the I/O path stepped, the migration slider changing
//! the downtime, commands run by buttons in the terminals, and a check-yourself question.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use guestlab::GuestLabApp;
use guestlab::persist::State;
use guestlab::screens::ScreenId;
use guestlab_content::Lang;
use guestlab_content::sim::hypervisor::migration::{self, Params};
use guestlab_content::sim::hypervisor::products::PRODUCTS;
use guestlab_content::sim::tasks;

fn screen(lang: Lang) -> Harness<'static, GuestLabApp> {
    screen_at(lang, 0.25)
}

/// The screen in a harness whose frames are `step_dt` seconds apart.
fn screen_at(lang: Lang, step_dt: f32) -> Harness<'static, GuestLabApp> {
    screen_with(lang, step_dt, false)
}

fn screen_with(lang: Lang, step_dt: f32, reduce_motion: bool) -> Harness<'static, GuestLabApp> {
    let mut state = State { language_chosen: true, ..State::default() };
    state.settings.reduce_motion = reduce_motion;
    state.settings.language = lang;
    state.last_screen = ScreenId::Hypervisors;
    let app = GuestLabApp::with_state(state, lang, None);
    let mut h = Harness::builder()
        .with_size([1280.0, 900.0])
        .with_max_steps(60)
        .with_step_dt(step_dt)
        .build_ui_state(|ui, app: &mut GuestLabApp| app.ui_main(ui), app);
    h.run();
    h
}

/// Scrolls a widget into view, then clicks it (the first one with that label: a tab's name
/// can also be a row of a table below it).
fn click(h: &mut Harness<'_, GuestLabApp>, label: &str) {
    h.query_all_by_label(label).next().unwrap_or_else(|| panic!("no {label:?}")).scroll_to_me();
    h.run();
    h.query_all_by_label(label).next().unwrap_or_else(|| panic!("no {label:?}")).click();
    h.run();
}

fn click_button(h: &mut Harness<'_, GuestLabApp>, label: &str) {
    h.get_by_role_and_label(Role::Button, label).scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::Button, label).click();
    h.run();
}

fn count(h: &Harness<'_, GuestLabApp>, label: &str) -> usize {
    h.query_all_by_label(label).count()
}

/// Presses Enter on a focused button: the keyboard way.
fn press(h: &mut Harness<'_, GuestLabApp>, label: &str) {
    h.get_by_role_and_label(Role::Button, label).focus();
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
}

#[test]
fn every_tab_opens_in_both_languages() {
    let mut h = screen(Lang::En);
    for (tab, marker) in [
        ("Type 1 vs type 2", "Sort the products"),
        ("Full, para, hybrid", "Switches per write request"),
        ("CPU and guest side", "What each guest reports"),
        ("Migration", "Why shared storage matters"),
        ("Containers vs VMs", "What is shared, what is not"),
    ] {
        click(&mut h, tab);
        assert!(h.query_by_label(marker).is_some(), "{tab}: {marker}");
        assert!(h.query_by_label("Check yourself").is_some(), "{tab} ends with a question");
    }
    let mut h = screen(Lang::De);
    for (tab, marker) in [
        ("Typ 1 und Typ 2", "Sortieren Sie die Produkte"),
        ("Voll, para, hybrid", "Wechsel pro Schreibauftrag"),
        ("CPU und Gastsystem", "Was jeder Gast meldet"),
        ("Migration", "Warum gemeinsamer Speicher wichtig ist"),
        ("Container und VMs", "Was geteilt wird und was nicht"),
    ] {
        click(&mut h, tab);
        assert!(h.query_by_label(marker).is_some(), "{tab}: {marker}");
        assert!(h.query_by_label("Zur Selbstkontrolle").is_some());
    }
}

#[test]
fn the_sorting_game_sorted_by_keyboard_is_all_correct() {
    let mut h = screen(Lang::En);
    assert!(h.query_by_label("0 of 7 right").is_some());
    // KVM as type 2 is arguable, not the usual answer.
    press(&mut h, "Put KVM into type 2");
    assert!(h.query_by_label("≈ arguable").is_some());
    assert!(h.query_by_label("0 of 7 right").is_some());
    press(&mut h, "Take KVM back");
    for p in PRODUCTS {
        let n = if p.kind == guestlab_content::sim::hypervisor::products::HvType::Type1 { 1 } else { 2 };
        press(&mut h, &format!("Put {} into type {n}", p.name));
    }
    assert!(h.query_by_label("7 of 7 right").is_some());
    assert!(h.query_by_label("All correct: every product is where the usual answer puts it.").is_some());
    assert_eq!(h.query_all_by_label("√ right").count(), 7);
    click_button(&mut h, "Sort again");
    assert!(h.query_by_label("0 of 7 right").is_some());
}

#[test]
fn clicking_a_product_explains_its_type() {
    let mut h = screen(Lang::En);
    click_button(&mut h, "Microsoft Hyper-V");
    assert!(h.query_by_label_contains("Windows itself becomes the privileged parent partition").is_some());
}

#[test]
fn the_disk_write_steps_through_the_layers_and_counts_switches() {
    let mut h = screen(Lang::En);
    click(&mut h, "Full, para, hybrid");
    assert!(h.query_by_label("0 / 12").is_some());
    // The picture says in words where the request is.
    assert!(h.query_by_role_and_label(Role::Image, "Guest program → Guest kernel + driver").is_some());
    click_button(&mut h, "Step");
    assert!(h.query_by_label("0 / 12").is_some(), "write() is no switch");
    click_button(&mut h, "Step");
    assert!(h.query_by_label("6 / 12").is_some(), "six trapped register writes");
    assert!(h.query_by_role_and_label(Role::Image, "KVM (host kernel) → QEMU (device model)").is_some());
    click(&mut h, "Hybrid (virtio)");
    assert!(h.query_by_label("0 / 2").is_some());
    for _ in 0..8 {
        click_button(&mut h, "Step");
    }
    assert!(h.query_by_label("2 / 2").is_some());
    assert!(h.query_by_label("The write is done.").is_some());
    click_button(&mut h, "Restart");
    assert!(h.query_by_label("0 / 2").is_some());
}

#[test]
fn with_reduced_motion_playing_jumps_a_whole_step_each_second() {
    // Frames a quarter of a second apart.
    let mut h = screen_with(Lang::En, 0.25, true);
    click(&mut h, "Full, para, hybrid");
    assert!(h.query_by_label("Reduced motion: the animation jumps from step to step.").is_some());
    h.get_by_role_and_label(Role::Button, "Play").click();
    h.step();
    // 2.25 s later: two jumps (write(), then the six register writes).
    for _ in 0..9 {
        h.step();
    }
    assert!(h.query_by_label("6 / 12").is_some());
    assert!(h.query_by_role_and_label(Role::Image, "KVM (host kernel) → QEMU (device model)").is_some());
    h.get_by_role_and_label(Role::Button, "Pause").click();
    h.step();
    for _ in 0..8 {
        h.step();
    }
    assert!(h.query_by_label("6 / 12").is_some(), "paused: no further jumps");
}

fn downtime(dirty: f64) -> String {
    let live = migration::live(&Params { dirty_mib_s: dirty, bandwidth_mib_s: 1170.0, ..Params::default() });
    format!("{:.0} ms", live.downtime_ms)
}

#[test]
fn the_dirty_page_rate_changes_the_downtime() {
    let mut h = screen(Lang::En);
    click(&mut h, "Migration");
    assert_eq!(downtime(300.0), "115 ms");
    assert!(h.query_by_label("115 ms").is_some());
    let slider = h.get_by_role_and_label(Role::Slider, "Dirty-page rate (MiB/s)");
    slider.focus();
    h.run();
    for _ in 0..5 {
        h.key_press(egui::Key::ArrowRight);
        h.run();
    }
    let expected = downtime(350.0);
    // 2048 MiB at 1170 MiB/s: 1.75 s, 612.6 MiB dirtied; 0.52 s, 183.3 MiB dirtied: 157 ms.
    assert_eq!(expected, "157 ms");
    assert!(h.query_by_label(&expected).is_some(), "{expected}");
    assert!(h.query_by_label("115 ms").is_none());
}

#[test]
fn virsh_migrate_buttons_move_the_guest_to_host2() {
    let mut h = screen(Lang::En);
    click(&mut h, "Migration");
    click_button(&mut h, "Start bookworm on host");
    assert!(h.query_by_label("root@host:~# virsh start bookworm").is_some());
    click_button(&mut h, "virsh migrate --live bookworm qemu+ssh://host2/system");
    assert!(h.query_by_label("error: Unsafe migration: Migration without shared storage is unsafe").is_some());
    click_button(
        &mut h,
        "virsh migrate --live --copy-storage-all --persistent --undefinesource --verbose bookworm qemu+ssh://host2/system",
    );
    assert!(h.query_by_label("Migration: [100 %]").is_some());
    assert!(h.query_by_label("bookworm: running (persistent)").is_some(), "host2's card");
    click_button(&mut h, "virsh -c qemu+ssh://host2/system list --all");
    assert!(h.query_by_label(" 1    bookworm   running").is_some());
}

#[test]
fn guests_of_each_hypervisor_answer_in_their_terminals() {
    let mut h = screen(Lang::En);
    click(&mut h, "CPU and guest side");
    // Each answer is also a cell of the table: one more label after the command.
    let before = count(&h, "none");
    click_button(&mut h, "systemd-detect-virt");
    assert!(h.query_by_label("root@host:~# systemd-detect-virt").is_some());
    assert_eq!(count(&h, "none"), before + 1);
    click(&mut h, "VirtualBox guest (sample)");
    let before = count(&h, "VirtualBox");
    click_button(&mut h, "dmidecode -s system-product-name");
    assert!(h.query_by_label("root@vbox-guest:~# dmidecode -s system-product-name").is_some());
    assert_eq!(count(&h, "VirtualBox"), before + 1);
    click(&mut h, "Xen domU (sample)");
    let before = count(&h, "xen");
    click_button(&mut h, "systemd-detect-virt");
    assert_eq!(count(&h, "xen"), before + 1);
    // The lab's own KVM guest: network, VM and console are started by the tab.
    click(&mut h, "bookworm (KVM guest)");
    assert!(h.query_by_label("root@host:~# virsh console bookworm").is_some());
    assert_eq!(tasks::check(h.state().lab().world(), "guest-hypervisor-identified"), Some(false));
    let before = count(&h, "kvm");
    click_button(&mut h, "systemd-detect-virt");
    assert!(h.query_by_label("root@bookworm:~# systemd-detect-virt").is_some());
    assert_eq!(count(&h, "kvm"), before + 1);
    assert_eq!(tasks::check(h.state().lab().world(), "guest-hypervisor-identified"), Some(true));
}

#[test]
fn a_check_yourself_question_is_answered() {
    let mut h = screen(Lang::En);
    // The options are shuffled (the same way each time): find the right one's place.
    let right = "The hypervisor is the Linux kernel itself, which runs directly on the hardware.";
    let place = (1..=9).find(|n| h.query_all_by_label(&format!("{n}. {right}")).next().is_some()).expect("shown");
    click(&mut h, &format!("{place}. {right}"));
    click_button(&mut h, "Check answer");
    assert!(h.query_by_label("√ Right").is_some());
    let record = &h.state().state().progress.questions["kvm-type-argument"];
    assert_eq!((record.answered, record.correct), (1, 1), "the answer is recorded in the progress");
}

/// Frame time of each tab, measured in the harness (layout, painting into shapes and the
/// AccessKit tree; no GPU). Run it with
/// `cargo test --release -p guestlab --test hypervisors -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check: run it by hand"]
#[expect(clippy::disallowed_methods, reason = "a measurement of wall-clock time on the desktop")]
fn frame_time_per_tab() {
    let mut h = screen_at(Lang::En, 1.0 / 60.0);
    for (tab, play) in [
        ("Type 1 vs type 2", false),
        ("Full, para, hybrid", true),
        ("CPU and guest side", false),
        ("Migration", true),
        ("Containers vs VMs", false),
    ] {
        click(&mut h, tab);
        if play {
            // Playing asks for a repaint every frame: step frames one by one.
            h.get_by_role_and_label(Role::Button, "Play").click();
            h.step();
        }
        let mut times = Vec::new();
        for _ in 0..200 {
            let started = std::time::Instant::now();
            h.step();
            times.push(started.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{tab:<22} median {:.2} ms  p99 {:.2} ms  (200 frames{})",
            times[100],
            times[198],
            if play { ", playing" } else { "" }
        );
        // A short animation may have ended by now (then the button says Play again).
        if let Some(pause) = h.query_by_role_and_label(Role::Button, "Pause") {
            pause.click();
            h.step();
        }
    }
}
