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
    // The same verdict from the command in the terminal.
    click(&mut h, "Check in the terminal");
    assert!(h.query_by_label("root@host:~# cloud-init schema --config-file user-data").is_some());
    assert_eq!(h.query_all_by_label("Valid cloud-config: user-data").count(), 2);
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

/// Clicks a button whose label starts with `prefix` (the stage boxes and module rows name
/// their state after the name).
fn click_prefixed(h: &mut Harness<'_, GuestLabApp>, prefix: &str) {
    use egui_kittest::kittest::NodeT as _;
    let node = h
        .query_all_by_label_contains(prefix)
        .find(|n| {
            n.accesskit_node().role() == Role::Button
                && n.accesskit_node().label().is_some_and(|l| l.starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no button {prefix}…"));
    node.click();
    h.run();
}

/// Creates the seed and boots the guest; the timeline plays, then shows the whole boot.
fn seed_and_boot(h: &mut Harness<'_, GuestLabApp>) {
    click(h, "1. Create seed");
    assert!(
        h.query_by_label("root@host:~# cloud-localds /var/lib/libvirt/images/cloudy-seed.iso user-data meta-data")
            .is_some()
    );
    h.get_by_role_and_label(Role::Button, "2. Create VM and boot").click();
    // The timeline plays (and repaints) until paused.
    for _ in 0..3 {
        h.step();
    }
    click(h, "Show all");
}

fn guest_file(h: &Harness<'_, GuestLabApp>, path: &str) -> Option<String> {
    let world = h.state().lab().world();
    let guest = world.machines.iter().find(|m| m.guest.as_ref().is_some_and(|g| g.domain == "cloudy"))?;
    guest.fs.read_text(guestlab_content::sim::vfs::ROOT, path, 1 << 16)
}

#[test]
fn the_seed_boots_and_the_timeline_steps_to_the_module_that_wrote_the_key() {
    let mut h = cloud_init_screen(Lang::En);
    seed_and_boot(&mut h);
    assert!(h.query_by_label("Boot timeline — Boot 1, instance-id iid-cloudy-01").is_some());
    assert!(h.query_by_label_contains("--disk path=/var/lib/libvirt/images/cloudy-seed.iso,device=cdrom").is_some());
    let key = guest_file(&h, "/home/alice/.ssh/authorized_keys").expect("alice's key in the guest");
    assert!(key.contains("root@host"), "{key}");

    // From the start of the Network stage, step by step to users-groups.
    click_prefixed(&mut h, "Network: ");
    let mut steps = 0;
    while h.query_by_label("users-groups (cc_users_groups, once-per-instance)").is_none() {
        click(&mut h, "▸| Step");
        steps += 1;
        assert!(steps < 20, "users-groups never came");
    }
    // Network's own step, migrator, seed_random, bootcmd, write-files, growpart, resizefs,
    // disk_setup, mounts, set_hostname, update_hostname, update_etc_hosts, ca-certs, rsyslog.
    assert_eq!(steps, 14);
    assert!(h.query_by_label("+ /home/alice/.ssh/authorized_keys").is_some());
    assert!(h.query_by_label_contains("useradd alice").is_some());
    assert!(
        h.query_by_label(
            "+ ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKc3xq0mY1q1nTzXo8b6l2C9wqgY1cQm5dJ0f6Hk3s2R root@host"
        )
        .is_some()
    );
    // Nothing plays now: no repaint is asked for.
    assert_eq!(h.run(), 1);
}

#[test]
fn a_reboot_skips_per_instance_modules_and_a_new_instance_id_runs_them_again() {
    let mut h = cloud_init_screen(Lang::En);
    example(&mut h, "Examples ▾", "Set hostname, time zone and locale");
    seed_and_boot(&mut h);
    assert!(h.query_by_label("timezone: once-per-instance · ran").is_some());
    assert!(h.query_by_label("bootcmd: always · ran").is_some());
    assert_eq!(guest_file(&h, "/var/log/boots.log").map(|l| l.lines().count()), Some(1));
    let host_key = guest_file(&h, "/etc/ssh/ssh_host_ed25519_key.pub");

    h.get_by_role_and_label(Role::Button, "Reboot").click();
    h.step();
    click(&mut h, "Show all");
    assert!(h.query_by_label("root@host:~# virsh reboot cloudy").is_some());
    assert!(h.query_by_label("Boot timeline — Boot 2, instance-id iid-cloudy-01").is_some());
    assert!(h.query_by_label("timezone: once-per-instance · skipped: already ran (semaphore)").is_some());
    assert!(h.query_by_label("ssh: once-per-instance · skipped: already ran (semaphore)").is_some());
    assert!(h.query_by_label("bootcmd: always · ran").is_some());
    assert_eq!(guest_file(&h, "/var/log/boots.log").map(|l| l.lines().count()), Some(2));
    assert_eq!(guest_file(&h, "/etc/ssh/ssh_host_ed25519_key.pub"), host_key);

    h.get_by_role_and_label(Role::Button, "New instance-id").click();
    h.step();
    click(&mut h, "Show all");
    assert!(h.query_by_label_contains("instance-id: iid-cloudy-02").is_some(), "meta-data rewritten in the terminal");
    assert!(h.query_by_label("Boot timeline — Boot 3, instance-id iid-cloudy-02").is_some());
    assert!(h.query_by_label("timezone: once-per-instance · ran").is_some());
    assert!(h.query_by_label("ssh: once-per-instance · ran").is_some());
    assert_ne!(guest_file(&h, "/etc/ssh/ssh_host_ed25519_key.pub"), host_key, "new host keys");

    // cloud-init clean --logs in the guest, then a reboot: a first boot again.
    h.get_by_role_and_label(Role::Button, "Clean").click();
    h.step();
    click(&mut h, "Show all");
    assert!(h.query_by_label("root@web1:~# cloud-init clean --logs").is_some());
    assert!(h.query_by_label("Boot timeline — Boot 4, instance-id iid-cloudy-02").is_some());
    assert!(h.query_by_label("timezone: once-per-instance · ran").is_some());
}
