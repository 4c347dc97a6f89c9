//! The cloud-init screen driven like a user: examples into the editor, problems shown at their
//! lines as one types and gone once fixed, the seed built and the guest booted by the buttons,
//! the boot timeline stepped through.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use guestlab::GuestLabApp;
use guestlab::persist::State;
use guestlab::screens::ScreenId;
use guestlab_content::Lang;

fn cloud_init_screen(lang: Lang) -> Harness<'static, GuestLabApp> {
    let mut state = State { language_chosen: true, ..State::default() };
    state.settings.language = lang;
    state.last_screen = ScreenId::CloudInit;
    let app = GuestLabApp::with_state(state, lang, None);
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(100)
        .build_ui_state(|ui, app: &mut GuestLabApp| app.ui_main(ui), app);
    h.run();
    h
}

fn click(h: &mut Harness<'_, GuestLabApp>, label: &str) {
    h.get_by_role_and_label(Role::Button, label).click();
    h.run();
}

fn example(h: &mut Harness<'_, GuestLabApp>, menu: &str, title: &str) {
    click(h, menu);
    click(h, title);
}

/// Puts the cursor at the end of the user-data editor and types `text` there.
fn type_at_end(h: &mut Harness<'_, GuestLabApp>, text: &str) {
    let editor = h.get_by_role_and_label(Role::MultilineTextInput, "user-data");
    editor.focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::End);
    h.run();
    h.get_by_role_and_label(Role::MultilineTextInput, "user-data").type_text(text);
    h.run();
}

/// Replaces the whole user-data text.
fn replace_all(h: &mut Harness<'_, GuestLabApp>, text: &str) {
    let editor = h.get_by_role_and_label(Role::MultilineTextInput, "user-data");
    editor.focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_role_and_label(Role::MultilineTextInput, "user-data").type_text(text);
    h.run();
}

#[test]
fn a_broken_example_shows_its_errors_at_their_lines_until_repaired() {
    let mut h = cloud_init_screen(Lang::En);
    example(&mut h, "Examples ▾", "A broken config to repair");
    assert!(h.query_by_label("Line 4: packages: 'nginx' is not of type 'array'").is_some());
    assert!(h.query_by_label("Line 9: write_files.0.permissions: 420 is not of type 'string'").is_some());
    assert!(h.query_by_label_contains("Line 5: ssh_pwauth: DEPRECATED").is_some());
    // The exact words of the command, under the editor.
    assert!(
        h.query_by_label_contains("Cloud config schema errors: packages: 'nginx' is not of type 'array'").is_some()
    );

    replace_all(
        &mut h,
        "#cloud-config\npackages: [nginx]\nssh_pwauth: false\nwrite_files:\n  - path: /etc/motd\n    content: Welcome!\n    permissions: '0644'\n",
    );
    assert!(h.query_by_label_contains("Line ").is_none(), "no message is left");
    assert!(h.query_by_label("Valid cloud-config: user-data").is_some());
}

#[test]
fn typing_a_mistake_shows_it_at_its_line_in_the_same_frame() {
    let mut h = cloud_init_screen(Lang::En);
    example(&mut h, "Examples ▾", "Set hostname, time zone and locale");
    assert!(h.query_by_label("Valid cloud-config: user-data").is_some());
    // The example has 11 lines; the new one is line 12.
    type_at_end(&mut h, "runcmd: reboot");
    assert!(h.query_by_label("Line 12: runcmd: 'reboot' is not of type 'array'").is_some());
    replace_all(&mut h, "#cloud-config\nruncmd: [reboot]\n");
    assert!(h.query_by_label_contains("Line ").is_none());
    assert!(h.query_by_label("Valid cloud-config: user-data").is_some());
}

#[test]
fn the_examples_come_in_german_too() {
    let mut h = cloud_init_screen(Lang::De);
    example(&mut h, "Beispiele ▾", "Eine fehlerhafte Konfiguration reparieren");
    assert!(h.query_by_label("Zeile 4: packages: 'nginx' is not of type 'array'").is_some());
}
