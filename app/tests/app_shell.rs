//! The app shell driven like a user would: by accessible role and label, without a GPU.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use guestlab::GuestLabApp;
use guestlab::persist::{MemoryStore, Notice, State, Unusable};
use guestlab::screens::ScreenId;
use guestlab_content::Lang;
use guestlab_content::lesson::LessonSet;

fn harness(app: GuestLabApp) -> Harness<'static, GuestLabApp> {
    Harness::builder().with_size([1280.0, 800.0]).build_ui_state(|ui, app: &mut GuestLabApp| app.ui_main(ui), app)
}

/// An app whose learner has already chosen English.
fn english_app() -> GuestLabApp {
    let state = State { language_chosen: true, ..State::default() };
    GuestLabApp::with_state(state, Lang::En, None)
}

/// Clicks a navigation entry (the navigation panel comes before the screen, so its button is
/// the first one with that label; Home has buttons with the same names).
fn nav(harness: &Harness<'_, GuestLabApp>, label: &str) {
    let button = harness.get_all_by_role_and_label(Role::Button, label).next();
    button.unwrap_or_else(|| panic!("no navigation entry {label:?}")).click();
}

#[test]
fn every_screen_opens_from_the_navigation() {
    let mut h = harness(english_app());
    h.run();
    let screens = [
        ("Lessons", ScreenId::Lessons, "Choose a lesson on the left."),
        ("Hypervisors", ScreenId::Hypervisors, "Sort the products"),
        ("libvirt host", ScreenId::LibvirtHost, "Guided tour"),
        ("Disk images", ScreenId::DiskImages, "Guest activity"),
        ("Machine ID & cloning", ScreenId::MachineId, "Host (Debian 12, libvirt)"),
        ("cloud-init", ScreenId::CloudInit, "1. Create seed"),
        ("Practice", ScreenId::Practice, "What to practise"),
        ("Exam", ScreenId::Exam, "Start exam"),
        ("Review", ScreenId::Review, "Due today: 0"),
        ("Progress", ScreenId::Progress, "By lesson"),
        ("Settings", ScreenId::Settings, "Language"),
        ("Home", ScreenId::Home, "Welcome to GuestLab"),
    ];
    for (label, id, expected) in screens {
        nav(&h, label);
        h.run();
        assert_eq!(h.state().state().last_screen, id, "after clicking {label}");
        assert!(h.query_by_label(expected).is_some(), "{label} shows {expected:?}");
    }
}

#[test]
fn switching_to_german_changes_the_ui_and_the_lessons() {
    let mut h = harness(english_app());
    nav(&h, "Settings");
    h.run();
    h.get_by_role_and_label(Role::RadioButton, "Deutsch").click();
    h.run();
    assert_eq!(h.state().state().settings.language, Lang::De);
    // The navigation now speaks German.
    assert!(h.query_by_role_and_label(Role::Button, "Einstellungen").is_some());
    assert!(h.query_by_role_and_label(Role::Button, "Settings").is_none());
    nav(&h, "Lektionen");
    h.run();
    h.get_by_label_contains("Gäste, Hypervisoren und Container").click();
    h.run();
    assert!(h.query_all_by_label_contains("Virtuelle Maschinen").next().is_some(), "the German lesson is shown");
}

#[test]
fn a_lesson_opens_and_renders_its_markdown() {
    let mut h = harness(english_app());
    nav(&h, "Lessons");
    h.run();
    h.get_by_label("1. Guests, hypervisors and containers").click();
    h.run();
    assert_eq!(h.state().state().last_lesson.as_deref(), Some("guests-and-hypervisors"));
    // A heading, a table cell, inline code and a code block from the lesson file.
    assert!(h.query_by_label("Type 1 and type 2 hypervisors").is_some());
    assert!(h.query_by_label("Oracle VirtualBox, VMware Workstation").is_some());
    assert!(h.query_by_label("grep -E 'vmx|svm' /proc/cpuinfo").is_some());
}

#[test]
fn a_broken_lesson_file_is_an_error_entry_and_the_others_load() {
    let mut app = english_app();
    let files = [
        ("en/01-good.md", "+++\n(id: \"good\", title: \"A good lesson\", order: 1)\n+++\n# Fine\n"),
        ("en/02-broken.md", "+++\n(id: \"broken\", title: \"Broken\" order: 2)\n+++\n# Oops\n"),
    ];
    app.set_lessons(Lang::En, LessonSet::load(Lang::En, files));
    let mut h = harness(app);
    nav(&h, "Lessons");
    h.run();
    assert!(h.query_by_label("1. A good lesson").is_some(), "the good lesson loads");
    let entry = h.get_all_by_label("en/02-broken.md").next().expect("error entry");
    entry.click();
    h.run();
    // `order` is at line 2, column 32, where RON expected the missing comma.
    let message = h.get_by_label_contains("en/02-broken.md:2:").value().unwrap_or_default();
    assert_eq!(message, "en/02-broken.md:2:32: front matter: Expected comma");
}

#[test]
fn first_start_asks_for_the_language_with_the_system_language_preselected() {
    let mut h = harness(GuestLabApp::with_state(State::default(), Lang::De, None));
    h.run();
    assert!(h.query_by_label("Willkommen!").is_some());
    h.get_by_role_and_label(Role::RadioButton, "English").click();
    h.run();
    assert!(h.query_by_label("Welcome!").is_some(), "the dialog follows the choice");
    h.get_by_role_and_label(Role::Button, "Continue").click();
    h.run();
    let state = h.state().state();
    assert!(state.language_chosen);
    assert_eq!(state.settings.language, Lang::En);
    assert!(h.query_by_label("Welcome!").is_none(), "the dialog is gone");
}

#[test]
fn kept_aside_state_is_reported_once() {
    let notice =
        Notice { reason: Unusable::Unreadable("expected `(`".into()), kept_at: "/tmp/app.ron.unreadable-1".into() };
    let mut h =
        harness(GuestLabApp::with_state(State { language_chosen: true, ..State::default() }, Lang::En, Some(notice)));
    h.run();
    assert!(h.query_by_label("Saved state could not be read").is_some());
    assert!(h.query_by_label("/tmp/app.ron.unreadable-1").is_some());
    h.get_by_role_and_label(Role::Button, "OK").click();
    h.run();
    assert!(h.query_by_label("Saved state could not be read").is_none());
}

#[test]
fn theme_and_zoom_are_settings_that_stick() {
    let mut h = harness(english_app());
    nav(&h, "Settings");
    h.run();
    h.get_by_role_and_label(Role::RadioButton, "Dark").click();
    h.run();
    assert_eq!(h.state().state().settings.theme, guestlab::persist::ThemeChoice::Dark);
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);

    h.get_by_role_and_label(Role::Button, "+").click();
    h.run();
    assert!((h.state().state().settings.zoom - 1.1).abs() < 1e-6);
    assert!((h.ctx.zoom_factor() - 1.1).abs() < 1e-6);

    // Keyboard zoom (Ctrl +) is noticed and remembered too.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Plus);
    h.run();
    let zoom = h.state().state().settings.zoom;
    assert!(zoom > 1.1 + 1e-6, "zoom after Ctrl + is {zoom}");
    assert!((h.ctx.zoom_factor() - zoom).abs() < 1e-6);
}

#[test]
fn settings_and_the_last_screen_survive_a_restart() {
    let store = MemoryStore { text: None, aside: None };
    let mut h = harness(GuestLabApp::new(Box::new(store), Lang::En));
    h.run();
    h.get_by_role_and_label(Role::Button, "Continue").click();
    h.run();
    nav(&h, "Settings");
    h.run();
    h.get_by_role_and_label(Role::RadioButton, "Dark").click();
    h.run();
    let saved = h.state_mut().store_mut().load().expect("the state was saved");

    // A new start with what was saved.
    let restarted = GuestLabApp::new(Box::new(MemoryStore { text: Some(saved), aside: None }), Lang::De);
    let state = restarted.state();
    assert!(state.language_chosen);
    assert_eq!(state.settings.language, Lang::En, "the chosen language wins over the system language");
    assert_eq!(state.last_screen, ScreenId::Settings);
    assert_eq!(state.settings.theme, guestlab::persist::ThemeChoice::Dark);
}

#[test]
fn an_unreadable_saved_state_is_kept_aside_and_reported() {
    let store = MemoryStore { text: Some("(version: 1, settings: 42)".into()), aside: None };
    let mut h = harness(GuestLabApp::new(Box::new(store), Lang::En));
    h.run();
    assert!(h.query_by_label("Saved state could not be read").is_some());
    assert_eq!(h.state().state(), &State::default(), "started fresh");
}

#[test]
fn disk_images_runs_guest_activities_on_all_four_disks_and_undo_takes_them_back() {
    use guestlab_content::sim::disk::view::image_view;
    let mut h = harness(english_app());
    nav(&h, "Disk images");
    h.run();
    // The side-by-side scenario is set up on first view.
    assert!(h.query_by_label_contains("Four disks of 4 GiB each").is_some());
    let allocated = |h: &Harness<'_, GuestLabApp>, name: &str| {
        image_view(h.state().lab().world(), &format!("/var/lib/libvirt/images/{name}"))
            .map(|v| (v.file_len, v.allocated))
    };
    assert_eq!(allocated(&h, "disk.qcow2"), Some((196672, 200704)));
    assert_eq!(allocated(&h, "raw-full.img"), Some((4 << 30, 4 << 30)));

    h.get_by_role_and_label(Role::Button, "Install the OS").click();
    h.run();
    assert!(h.query_by_label_contains("Installing wrote about 1.3 GiB").is_some());
    let (len, du) = allocated(&h, "disk.qcow2").expect("disk.qcow2");
    assert!(len > 1 << 30 && du > 1 << 30, "qcow2 grew with the installation: {len} {du}");
    let (_, sparse_du) = allocated(&h, "raw-sparse.img").expect("raw-sparse.img");
    assert!(sparse_du > 1 << 30 && sparse_du < 2 << 30, "{sparse_du}");
    assert_eq!(allocated(&h, "vm2.qcow2"), Some((196672, 200704)), "the overlay needed no installation");
    // The commands ran visibly in the terminal.
    assert!(h.query_all_by_label_contains("qemu-io -f qcow2 -c 'write -P 0xeb 0 1M'").count() >= 2);

    h.get_by_role_and_label(Role::Button, "Take an overlay snapshot").click();
    h.run();
    assert!(allocated(&h, "disk-snap1.qcow2").is_some());

    h.get_by_role_and_label(Role::Button, "Undo").click();
    h.run();
    assert!(allocated(&h, "disk-snap1.qcow2").is_none(), "undo removed the overlays");
    h.get_by_role_and_label(Role::Button, "Undo").click();
    h.run();
    assert_eq!(allocated(&h, "disk.qcow2"), Some((196672, 200704)), "undo took the installation back");
}

#[test]
fn the_terminal_runs_typed_commands() {
    let mut h = harness(english_app());
    nav(&h, "Disk images");
    h.run();
    h.get_by_role_and_label(Role::Button, "Free sandbox").click();
    h.run();
    let input = h.get_by_role(Role::TextInput);
    input.focus();
    input.type_text("qemu-img create -f qcow2 t.qcow2 1G");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.query_by_label_contains("Formatting 't.qcow2', fmt=qcow2").is_some());
    assert!(h.query_by_label_contains("qemu-img create made a new image").is_some(), "a hint explains the command");
}
