//! The libvirt host screen driven like a user: the guided tour, a VM button, the file tree,
//! the "what changed" list and undo.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use guestlab::GuestLabApp;
use guestlab::persist::State;
use guestlab::screens::ScreenId;
use guestlab_content::Lang;
use guestlab_content::sim::libvirt::DomainState;

fn libvirt_screen(lang: Lang) -> Harness<'static, GuestLabApp> {
    let mut state = State { language_chosen: true, ..State::default() };
    state.settings.language = lang;
    state.last_screen = ScreenId::LibvirtHost;
    let app = GuestLabApp::with_state(state, lang, None);
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        // Highlights fade for 3 s of simulated time (a quarter of a second per step).
        .with_max_steps(100)
        .build_ui_state(|ui, app: &mut GuestLabApp| app.ui_main(ui), app);
    h.run();
    h
}

/// A button of web1 in the VM list (bookworm comes first: the list is sorted by name).
fn web1_button<'h>(h: &'h Harness<'_, GuestLabApp>, label: &'h str) -> egui_kittest::Node<'h> {
    let buttons: Vec<_> = h.get_all_by_role_and_label(Role::Button, label).collect();
    assert_eq!(buttons.len(), 2, "{label}: one button per VM");
    buttons.into_iter().nth(1).unwrap_or_else(|| panic!("no button {label:?} for web1"))
}

fn state_of(h: &Harness<'_, GuestLabApp>, name: &str) -> Option<DomainState> {
    h.state().lab().world().libvirt.domains.get(name).map(|d| d.state)
}

#[test]
fn the_tour_defines_web1_a_button_starts_it_and_the_changes_are_explained() {
    let mut h = libvirt_screen(Lang::En);
    assert!(h.query_by_label("Virtual machines").is_some());
    assert_eq!(state_of(&h, "web1"), None);
    assert_eq!(state_of(&h, "bookworm"), Some(DomainState::ShutOff), "the sample VM is there from the start");

    h.get_by_role_and_label(Role::Button, "Next step ▶ 1. Define web1").click();
    h.run();
    assert_eq!(state_of(&h, "web1"), Some(DomainState::ShutOff));
    // The command ran visibly, and its file is listed, explained, and shown in the tree.
    assert!(h.query_by_label("root@host:~# virsh define /root/web1.xml").is_some());
    assert!(h.query_by_label("$ virsh define /root/web1.xml").is_some());
    assert!(h.query_by_label("virsh define wrote the persistent definition of web1 (mode 0600)").is_some());
    assert!(h.query_by_role_and_label(Role::Link, "/etc/libvirt/qemu/web1.xml").is_some());
    // Both new web1.xml files (/etc/libvirt/qemu and /root) are in view: their directories opened.
    assert_eq!(h.query_all_by_role_and_label(Role::TreeItem, "web1.xml").count(), 2);
    assert!(h.query_by_label("Next step ▶ 2. Autostart").is_some());

    // Debian's default network is inactive: a domain on it cannot start.
    web1_button(&h, "Start").click();
    h.run();
    assert_eq!(state_of(&h, "web1"), Some(DomainState::ShutOff));
    assert!(h.query_by_label("$ virsh start web1").is_some());
    assert!(h.query_by_label("The last command changed no file.").is_some());
    // Typed in the terminal: the network starts, its runtime files appear.
    let input = h.get_by_role(Role::TextInput);
    input.focus();
    input.type_text("virsh net-start default");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.query_by_label("Network default started").is_some());
    let explanation = "the network is active: live state and dnsmasq's pid, only while it runs";
    assert!(h.query_all_by_label(explanation).count() >= 2, "default.xml and default.pid");
    assert!(h.query_by_label("active").is_some());

    web1_button(&h, "Start").click();
    h.run();
    assert_eq!(state_of(&h, "web1"), Some(DomainState::Running));
    assert!(h.query_by_label("running").is_some());
    assert!(h.query_by_label("$ virsh start web1").is_some());
    assert!(h.query_by_role_and_label(Role::Link, "/run/libvirt/qemu/web1.pid").is_some());
    assert!(h.query_by_label("QEMU's command line and messages are appended here on every start").is_some());
    // /run was closed: the tree opened it to show the new runtime files.
    assert!(h.query_by_role_and_label(Role::TreeItem, "web1.pid").is_some());
    // Running: the buttons change.
    assert!(h.query_by_role_and_label(Role::Button, "Destroy").is_some());
    assert_eq!(h.query_all_by_role_and_label(Role::Button, "Start").count(), 1, "only bookworm's");

    h.get_by_role_and_label(Role::Button, "Destroy").click(); // only web1 runs
    h.run();
    assert_eq!(state_of(&h, "web1"), Some(DomainState::ShutOff));
    let stopped = "the domain stopped: its runtime state is gone, the definition in /etc stays";
    assert!(h.query_all_by_label(stopped).count() >= 2, "web1.xml and web1.pid under /run");

    // Undo takes back the destroy, then the start, then the typed net-start.
    h.get_by_role_and_label(Role::Button, "Undo").click();
    h.run();
    assert_eq!(state_of(&h, "web1"), Some(DomainState::Running));
    assert!(h.query_by_label("Undo took this back:").is_some());
    assert!(h.query_by_label("$ virsh destroy web1").is_none());
    h.get_by_role_and_label(Role::Button, "Undo").click();
    h.run();
    assert_eq!(state_of(&h, "web1"), Some(DomainState::ShutOff));
    h.get_by_role_and_label(Role::Button, "Undo").click();
    h.run();
    assert!(h.state().lab().world().libvirt.networks.get("default").is_some_and(|n| !n.active));
}

#[test]
fn the_whole_tour_runs_in_german() {
    let mut h = libvirt_screen(Lang::De);
    let steps = [
        "Nächster Schritt ▶ 1. web1 definieren",
        "Nächster Schritt ▶ 2. Autostart",
        "Nächster Schritt ▶ 3. Starten",
        "Nächster Schritt ▶ 4. Snapshot",
        "Nächster Schritt ▶ 5. bookworm klonen",
        "Nächster Schritt ▶ 6. web1 entfernen",
    ];
    for step in steps {
        h.get_by_role_and_label(Role::Button, step).click();
        h.run();
        let lab = h.state().lab();
        let errors: Vec<String> = lab
            .transcript
            .iter()
            .filter_map(|l| match l {
                guestlab::lab::Line::Stderr(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        assert!(errors.is_empty(), "{step}: {errors:?}");
        if step.contains("Autostart") {
            assert!(h.query_by_label_contains("Autostart ist nur ein Symlink").is_some());
        }
        if step.contains("Starten") {
            // Both commands of the step are named above their changes.
            assert!(h.query_by_label("$ virsh net-start default").is_some());
            assert!(h.query_by_label("$ virsh start web1").is_some());
        }
        if step.contains("klonen") {
            let copied = "virt-clone hat das ganze Disk-Image kopiert: Der Klon bekommt seine eigene, volle Kopie";
            assert!(h.query_by_label(copied).is_some());
        }
    }
    assert!(h.query_by_label_contains("Tour beendet").is_some());
    let world = h.state().lab().world();
    assert!(!world.libvirt.domains.contains_key("web1"));
    assert!(world.libvirt.domains.contains_key("bookworm-clone"));
    let fs = &world.machines[0].fs;
    assert!(fs.resolve(0, "/var/lib/libvirt/images/web1.qcow2", false).is_err(), "--remove-all-storage");
    assert!(fs.resolve(0, "/etc/libvirt/qemu/bookworm-clone.xml", false).is_ok());
}

#[test]
fn a_vm_disk_opens_in_the_viewer_and_leads_to_the_disk_images_screen() {
    let mut h = libvirt_screen(Lang::En);
    // The definition of the sample VM is selected at first, shown in colour.
    assert!(h.query_by_label("/etc/libvirt/qemu/bookworm.xml").is_some());
    h.get_by_role_and_label(Role::Link, "bookworm.qcow2").click();
    h.run();
    assert!(h.query_by_label("/var/lib/libvirt/images/bookworm.qcow2").is_some());
    // Dump XML prints the live XML and shows the persistent file beside it.
    h.get_by_role_and_label(Role::Button, "Dump XML").click();
    h.run();
    assert!(h.query_by_label("root@host:~# virsh dumpxml bookworm").is_some());
    assert!(h.query_by_label("/etc/libvirt/qemu/bookworm.xml").is_some());
    assert!(h.query_by_label("The last command changed no file.").is_some());
    h.get_by_role_and_label(Role::Link, "bookworm.qcow2").click();
    h.run();
    assert!(h.query_by_label("/var/lib/libvirt/images/bookworm.qcow2").is_some());
    assert!(h.query_by_label("qcow2").is_some());
    assert!(h.query_by_label("20 GiB").is_some(), "virtual size");
    assert_eq!(h.query_all_by_role_and_label(Role::TreeItem, "bookworm.qcow2").count(), 1, "revealed in the tree");
    h.get_by_role_and_label(Role::Button, "Open in Disk images →").click();
    h.run();
    assert_eq!(h.state().state().last_screen, ScreenId::DiskImages);
}

#[test]
fn the_tour_starts_over_when_web1_is_undefined_by_hand() {
    let mut h = libvirt_screen(Lang::En);
    h.get_by_role_and_label(Role::Button, "Next step ▶ 1. Define web1").click();
    h.run();
    assert!(h.query_by_label("Next step ▶ 2. Autostart").is_some());
    let input = h.get_by_role(Role::TextInput);
    input.focus();
    input.type_text("virsh undefine web1");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.query_by_label("Domain 'web1' has been undefined").is_some());
    assert!(h.query_by_label("undefine removed the definition: libvirt no longer knows web1").is_some());
    assert!(h.query_by_label("Next step ▶ 1. Define web1").is_some());
}

#[test]
fn virsh_edit_opens_the_xml_in_an_editor_and_saving_defines_it() {
    let mut h = libvirt_screen(Lang::En);
    let input = h.get_by_role(Role::TextInput);
    input.focus();
    input.type_text("virsh edit bookworm");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.query_by_label("virsh edit – the XML definition of bookworm").is_some(), "the editor is open");
    // Saved unchanged: virsh says so.
    h.get_by_role_and_label(Role::Button, "Save and close").click();
    h.run();
    assert!(h.query_by_label("Domain 'bookworm' XML configuration not changed.").is_some());
    assert!(h.query_by_label("virsh edit – the XML definition of bookworm").is_none());
}
