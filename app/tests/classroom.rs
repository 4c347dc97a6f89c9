//! Classroom and browser features driven like a user would: presenter mode stepping through the
//! guided scenarios by key press, deep links and shared links with commands, the accessibility
//! settings, the terminal key, and an accessible name on every control of the main screens.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use guestlab::GuestLabApp;
use guestlab::lab::Line;
use guestlab::persist::State;
use guestlab::route::Route;
use guestlab::screens::ScreenId;
use guestlab_content::Lang;
use guestlab_content::sim::vfs::ROOT;

fn harness(app: GuestLabApp) -> Harness<'static, GuestLabApp> {
    Harness::builder().with_size([1600.0, 1000.0]).build_ui_state(|ui, app: &mut GuestLabApp| app.ui_main(ui), app)
}

fn english_app() -> GuestLabApp {
    GuestLabApp::with_state(State { language_chosen: true, ..State::default() }, Lang::En, None)
}

fn nav(h: &Harness<'_, GuestLabApp>, label: &str) {
    h.get_all_by_role_and_label(Role::Button, label).next().unwrap_or_else(|| panic!("no {label:?}")).click();
}

/// The commands typed or run in the terminal so far, in order.
fn inputs(h: &Harness<'_, GuestLabApp>) -> Vec<String> {
    h.state()
        .lab()
        .transcript
        .iter()
        .filter_map(|l| match l {
            Line::Input { prompt, text } if prompt != "> " => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn exists(h: &Harness<'_, GuestLabApp>, path: &str) -> bool {
    h.state().lab().world().machines[0].fs.resolve(ROOT, path, false).is_ok()
}

#[test]
fn presenter_mode_plays_the_libvirt_tour_one_step_per_key_press() {
    let mut h = harness(english_app());
    nav(&h, "libvirt host");
    h.run();
    h.get_by_role_and_label(Role::Button, "Presenter (F5)").click();
    h.run();
    assert!(h.state().presenter_on());
    assert!((h.ctx.zoom_factor() - 1.25).abs() < 1e-6, "the UI is enlarged");
    assert!(h.query_by_label("The libvirt host, step by step").is_some());
    assert!(h.query_by_label_contains("Press → or Space to start").is_some());

    h.key_press(egui::Key::ArrowRight);
    h.run();
    assert!(h.query_by_label_contains("A VM is an XML file plus a disk image.").is_some(), "step 1's narration");
    assert!(h.query_by_label("Step 1 / 8").is_some());
    assert_eq!(inputs(&h), ["ls -l /etc/libvirt/qemu /var/lib/libvirt/images", "virsh list --all"]);

    h.key_press(egui::Key::Space);
    h.run();
    assert!(h.query_by_label_contains("Debian ships the default network inactive").is_some());
    assert_eq!(inputs(&h)[2..], ["virsh start bookworm", "virsh net-start default", "virsh net-autostart default"]);
    assert!(h.state().lab().world().libvirt.networks["default"].active);
    // The terminal shows the narration's commands and their output.
    assert!(h.query_by_label_contains("Network default started").is_some());

    // Back takes the step's commands back, in the world and in the terminal.
    h.key_press(egui::Key::ArrowLeft);
    h.run();
    assert!(h.query_by_label("Step 1 / 8").is_some());
    assert!(!h.state().lab().world().libvirt.networks["default"].active);
    assert_eq!(inputs(&h), ["ls -l /etc/libvirt/qemu /var/lib/libvirt/images", "virsh list --all"]);

    // The big buttons do the same; PageDown (a presentation clicker) too.
    h.get_by_role_and_label(Role::Button, "Next ▶").click();
    h.run();
    h.key_press(egui::Key::PageDown);
    h.run();
    assert!(h.query_by_label("Step 3 / 8").is_some());
    assert!(h.state().lab().world().libvirt.domains.contains_key("web1"), "define ran");

    // F5 leaves presenter mode; the learner's zoom is back.
    h.key_press(egui::Key::F5);
    h.run();
    assert!(!h.state().presenter_on());
    assert!((h.ctx.zoom_factor() - 1.0).abs() < 1e-6);
    assert!(h.query_by_label("Step 3 / 8").is_none(), "the panel is gone");
}

#[test]
fn presenter_mode_plays_the_disk_and_cloning_scenarios_to_the_end() {
    let mut h = harness(english_app());
    nav(&h, "Disk images");
    h.run();
    h.key_press(egui::Key::F5);
    h.run();
    for _ in 0..8 {
        h.key_press(egui::Key::ArrowRight);
        h.run();
    }
    assert!(h.query_by_label("Step 8 / 8").is_some());
    assert!(h.query_by_label("The end of the scenario.").is_some());
    assert!(exists(&h, "/var/lib/libvirt/images/compact.qcow2"));
    assert!(!exists(&h, "/var/lib/libvirt/images/overlay.qcow2"), "committed and removed");
    // More presses at the end change nothing.
    h.key_press(egui::Key::ArrowRight);
    h.run();
    assert!(h.query_by_label("Step 8 / 8").is_some());

    nav(&h, "Machine ID & cloning");
    h.run();
    assert!(h.query_by_label("Cloning lab: what collides, and how to fix it").is_some());
    for _ in 0..10 {
        h.key_press(egui::Key::ArrowRight);
        h.run();
    }
    assert!(h.query_by_label("Step 10 / 10").is_some());
    let world = h.state().lab().world();
    assert!(world.libvirt.domains.contains_key("web3") && world.libvirt.domains.contains_key("web4"));
    // The picture of the network shows no values shared by the running guests.
    // The picture of the network shows no values shared by the running guests.
    assert!(h.query_by_label("√ No collisions: every running guest has its own identity.").is_some());
}

#[test]
fn presenter_back_replays_when_something_else_ran_in_between() {
    let mut h = harness(english_app());
    nav(&h, "Disk images");
    h.run();
    h.key_press(egui::Key::F5);
    h.run();
    for _ in 0..2 {
        h.key_press(egui::Key::ArrowRight);
        h.run();
    }
    // The teacher types a command in between.
    h.key_press(egui::Key::T);
    h.run();
    let input = h.get_by_role_and_label(Role::TextInput, "Terminal input");
    input.type_text("touch extra");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(exists(&h, "/var/lib/libvirt/images/extra"));
    h.key_press(egui::Key::Escape);
    h.run();
    h.key_press(egui::Key::ArrowLeft);
    h.run();
    assert!(h.query_by_label("Step 1 / 8").is_some());
    assert!(exists(&h, "/var/lib/libvirt/images/raw.img"), "step 1 replayed");
    assert!(!exists(&h, "/var/lib/libvirt/images/disk.qcow2"), "step 2 taken back");
    assert!(!exists(&h, "/var/lib/libvirt/images/extra"), "the typed command too");
}

#[test]
fn deep_links_open_lessons_sections_simulator_scenarios_and_screens() {
    let mut h = harness(english_app());
    h.run();
    h.state_mut().open_link("#/lesson/disk-images#writes");
    h.run();
    let state = h.state().state();
    assert_eq!(state.last_screen, ScreenId::Lessons);
    assert_eq!(state.last_lesson.as_deref(), Some("disk-images"));
    assert_eq!(h.state().current_route().format(), "#/lesson/disk-images#writes");
    assert!(h.query_by_label("What a write costs").is_some());
    assert_eq!(h.state().page().title, "Disk images: copy-on-write (qcow2) and RAW – Lessons – GuestLab");

    h.state_mut().open_link("#/sim/disk?scenario=sandbox");
    h.run();
    assert_eq!(h.state().state().last_screen, ScreenId::DiskImages);
    assert_eq!(h.state().current_route().format(), "#/sim/disk?scenario=sandbox");
    assert!(h.query_by_label("Guest activity").is_none(), "the sandbox has no activity buttons");

    h.state_mut().open_link("#/settings");
    h.run();
    assert_eq!(h.state().state().last_screen, ScreenId::Settings);

    // A bad link is reported, not followed.
    h.state_mut().open_link("#/sim/moon");
    h.run();
    assert_eq!(h.state().state().last_screen, ScreenId::Settings);
    assert!(h.query_by_label_contains("#/sim/moon: unknown simulator `moon`").is_some());
}

#[test]
fn a_sim_link_in_a_lesson_opens_the_simulator() {
    let mut h = harness(english_app());
    h.run();
    h.state_mut().open_route(Route::Lesson { id: "disk-images".into(), anchor: None });
    h.run();
    // The link is far down the lesson: scroll it into view, then click it.
    h.get_by_role_and_label(Role::Link, "Try it in the Disk images simulator").scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::Link, "Try it in the Disk images simulator").click();
    h.run();
    assert_eq!(h.state().state().last_screen, ScreenId::DiskImages);
}

#[test]
fn a_shared_link_carries_the_commands_and_replays_them_in_a_fresh_lab() {
    let mut h = harness(english_app());
    nav(&h, "Disk images");
    h.run();
    h.get_by_role_and_label(Role::Button, "Free sandbox").click();
    h.run();
    let input = h.get_by_role_and_label(Role::TextInput, "Terminal input");
    input.focus();
    input.type_text("qemu-img create -f qcow2 shared.qcow2 1G");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_role_and_label(Role::Button, "Share link").click();
    h.run();
    let link = h.state().share_link();
    assert!(link.starts_with("#/sim/disk?scenario=sandbox&cmds="), "{link}");
    assert_eq!(h.state().toast().map(|t| t.text.as_str()), Some("Link copied:"));
    let Ok(Route::Sim { commands, .. }) = Route::parse(&link) else { panic!("{link}") };
    assert_eq!(commands, ["qemu-img create -f qcow2 shared.qcow2 1G"]);

    // A learner opens it: a fresh lab with the command replayed.
    let mut other = harness(english_app());
    other.run();
    other.state_mut().open_link(&link);
    other.run();
    assert_eq!(other.state().state().last_screen, ScreenId::DiskImages);
    assert!(exists(&other, "/var/lib/libvirt/images/shared.qcow2"));
    assert!(other.query_by_label_contains("Formatting 'shared.qcow2', fmt=qcow2").is_some());
    assert_eq!(other.state().toast().map(|t| t.text.as_str()), Some("Replayed the commands of the link:"));
}

#[test]
fn an_exam_link_carries_its_seed_both_ways() {
    let mut h = harness(english_app());
    h.run();
    h.state_mut().open_link("#/exam?seed=42");
    h.run();
    assert_eq!(h.state().state().last_screen, ScreenId::Exam);
    let seed = h.get_by_role_and_label(Role::TextInput, "Seed");
    assert_eq!(seed.value().as_deref(), Some("42"), "the link's seed is entered");
    assert!(h.state().share_link().ends_with("#/exam?seed=42"), "Share before the start");
    h.get_by_role_and_label(Role::Button, "Start exam").click();
    h.run();
    assert!(h.query_by_label("Seed 42").is_some(), "the exam of seed 42 runs");
    assert!(h.state().share_link().ends_with("#/exam?seed=42"), "Share while it runs");
    assert_eq!(h.state().current_route().format(), "#/exam", "the address bar keeps no history of seeds");

    // A link with another seed leaves the running exam for the set-up with that seed.
    h.state_mut().open_link("#/exam?seed=7");
    h.run();
    assert_eq!(h.get_by_role_and_label(Role::TextInput, "Seed").value().as_deref(), Some("7"));
}

#[test]
fn high_contrast_and_reduce_motion_are_settings_that_change_the_style() {
    let mut h = harness(english_app());
    nav(&h, "Settings");
    h.run();
    h.get_by_role_and_label(Role::RadioButton, "Dark").click();
    h.run();
    assert_ne!(h.ctx.style_of(egui::Theme::Dark).visuals.panel_fill, egui::Color32::BLACK);
    h.get_by_role_and_label(Role::CheckBox, "High contrast").click();
    h.run();
    assert!(h.state().state().settings.high_contrast);
    let visuals = h.ctx.style_of(egui::Theme::Dark).visuals.clone();
    assert_eq!(visuals.panel_fill, egui::Color32::BLACK);
    assert_eq!(visuals.text_color(), egui::Color32::WHITE);
    assert_eq!(visuals.widgets.inactive.bg_stroke.width, 1.5);

    assert!(h.ctx.style_of(egui::Theme::Dark).animation_time > 0.0);
    h.get_by_role_and_label(Role::CheckBox, "Reduce motion").click();
    h.run();
    assert!(h.state().state().settings.reduce_motion);
    assert_eq!(h.ctx.style_of(egui::Theme::Dark).animation_time, 0.0);

    h.get_by_role_and_label(Role::CheckBox, "High contrast").click();
    h.run();
    assert_eq!(h.ctx.style_of(egui::Theme::Dark).visuals.panel_fill, egui::Visuals::dark().panel_fill);
}

#[test]
fn t_puts_the_cursor_in_the_terminal() {
    let mut h = harness(english_app());
    nav(&h, "Disk images");
    h.run();
    h.get_by_role_and_label(Role::Button, "Free sandbox").click();
    h.run();
    assert!(!h.ctx.text_edit_focused());
    // As in a browser: the key press and its text arrive in one frame.
    let key = |pressed| egui::Event::Key {
        key: egui::Key::T,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: egui::Modifiers::NONE,
    };
    h.input_mut().events.extend([key(true), egui::Event::Text("t".into()), key(false)]);
    h.step();
    h.run();
    assert!(h.ctx.text_edit_focused(), "T focused the terminal input");
    let input = h.get_by_role_and_label(Role::TextInput, "Terminal input");
    assert!(input.accesskit_node().is_focused());
    assert_eq!(input.value().as_deref(), Some(""), "the T itself is not typed");
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!h.ctx.text_edit_focused(), "Esc left it");
}

/// The roles a user can act on.
fn actionable(role: Role) -> bool {
    matches!(
        role,
        Role::Button
            | Role::Link
            | Role::CheckBox
            | Role::RadioButton
            | Role::TextInput
            | Role::MultilineTextInput
            | Role::ComboBox
            | Role::Slider
            | Role::SpinButton
            | Role::Tab
            | Role::MenuItem
    )
}

#[test]
fn every_control_of_the_main_screens_has_an_accessible_name() {
    let mut h = harness(english_app());
    h.run();
    let mut checked = 0;
    let mut missing = Vec::new();
    for screen in ScreenId::all() {
        h.state_mut().open_route(Route::for_screen(screen));
        h.run();
        if screen == ScreenId::Lessons {
            h.state_mut().open_route(Route::Lesson { id: "disk-images".into(), anchor: None });
            h.run();
        }
        for node in h.root().children_recursive() {
            let ak = node.accesskit_node();
            if !actionable(ak.role()) || ak.is_hidden() {
                continue;
            }
            checked += 1;
            if ak.label().is_none_or(|l| l.trim().is_empty()) {
                missing.push(format!("{screen:?}: {:?} {:?}", ak.role(), ak.value()));
            }
        }
    }
    assert!(checked > 150, "only {checked} controls found");
    assert!(missing.is_empty(), "controls without a name:\n{}", missing.join("\n"));
}
