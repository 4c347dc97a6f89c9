//! The Machine ID & cloning screen driven like a user: the guided scenario by clicks, the
//! collision marks appearing and disappearing, typing a step, the terminal tabs and undo.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use guestlab::GuestLabApp;
use guestlab::persist::State;
use guestlab::screens::ScreenId;
use guestlab_content::Lang;
use guestlab_content::sim::guest::view::{Field, NetworkView, network_view};

fn machine_id_screen(lang: Lang) -> Harness<'static, GuestLabApp> {
    let mut state = State { language_chosen: true, ..State::default() };
    state.settings.language = lang;
    state.last_screen = ScreenId::MachineId;
    let app = GuestLabApp::with_state(state, lang, None);
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(100)
        .build_ui_state(|ui, app: &mut GuestLabApp| app.ui_main(ui), app);
    h.run();
    h
}

fn view(h: &Harness<'_, GuestLabApp>) -> NetworkView {
    network_view(h.state().lab().world(), "default")
}

fn click(h: &mut Harness<'_, GuestLabApp>, label: &str) {
    h.get_by_role_and_label(Role::Button, label).click();
    h.run();
}

fn type_line(h: &mut Harness<'_, GuestLabApp>, line: &str) {
    let input = h.get_by_role(Role::TextInput);
    input.focus();
    input.type_text(line);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
}

const SAME_IP: &str = "dnsmasq gives web1 and web2 the one address";

#[test]
fn cloning_shows_collisions_and_the_fixes_remove_them() {
    let mut h = machine_id_screen(Lang::En);
    assert!(h.query_by_label("Host (Debian 12, libvirt)").is_some());
    assert!(h.query_all_by_label("bookworm").count() >= 1, "the template's card");
    assert!(h.query_by_label_contains("network 'default' inactive").is_some());

    click(&mut h, "Next step ▶ 1. Prepare");
    assert!(h.query_by_label("root@host:~# virsh net-start default").is_some());
    assert!(h.query_by_label("virbr0  192.168.122.1/24").is_some());
    click(&mut h, "Next step ▶ 2. Clone twice");
    assert!(h.query_by_label("web1").is_some() && h.query_by_label("web2").is_some());
    assert!(h.query_by_label("Fewer than two guests run: nothing can collide yet.").is_some());
    click(&mut h, "Next step ▶ 3. Boot both");

    // The collision marks appear, with the reason in words.
    let v = view(&h);
    let ip = v.guest("web1").and_then(|g| g.ip.clone()).unwrap();
    assert_eq!(v.guest("web2").and_then(|g| g.ip.clone()), Some(ip.clone()));
    let reason = format!(
        "Same machine ID → same DHCP client ID → dnsmasq gives web1 and web2 the one address {ip} (their MACs differ, but dnsmasq goes by the client ID)."
    );
    assert!(h.query_by_label(&format!("▲ IP address: {reason}")).is_some(), "{reason}");
    assert_eq!(h.query_all_by_label(&format!("▲ {ip}")).count(), 2, "both cards mark the shared address");
    assert!(h.query_by_label_contains("have the same machine ID").is_some());
    assert!(h.query_by_label_contains("have the same SSH host key").is_some());

    click(&mut h, "Next step ▶ 4. Look at the leases");
    assert!(h.query_by_label("root@host:~# virsh net-dhcp-leases default").is_some());

    click(&mut h, "Next step ▶ 5. Fix web2 (D-Bus way)");
    assert!(h.query_by_label("root@bookworm:~# dbus-uuidgen --ensure=/etc/machine-id").is_some());
    assert!(h.query_by_label_contains(SAME_IP).is_none(), "web2 has a new address");
    assert!(h.query_by_label_contains("have the same machine ID").is_none());
    assert!(h.query_by_label_contains("have the same SSH host key").is_none());
    let v = view(&h);
    assert_ne!(v.guest("web1").unwrap().ip, v.guest("web2").unwrap().ip);
    assert_eq!(v.guest("web2").unwrap().hostname.as_deref(), Some("web2"));
    // The shell is back on the host after the reboot.
    assert!(h.query_by_label("root@host:~#").is_some() || h.state().lab().world().current == 0);

    click(&mut h, "Next step ▶ 6. Fix web1 (systemd way)");
    assert!(h.query_by_label("Initializing machine ID from VM UUID.").is_some());
    click(&mut h, "Next step ▶ 7. All unique");
    assert!(h.query_by_label("√ No collisions: every running guest has its own identity.").is_some());
    assert!(view(&h).collisions.is_empty());

    // Undo brings the last step back, a second undo too: web1 is the template again.
    click(&mut h, "Undo");
    assert!(h.query_by_role_and_label(Role::Button, "Next step ▶ 7. All unique").is_some());
    click(&mut h, "Undo");
    assert!(h.query_by_role_and_label(Role::Button, "Next step ▶ 6. Fix web1 (systemd way)").is_some());
    let v = view(&h);
    assert_eq!(v.guest("web1").unwrap().machine_id, v.guest("bookworm").unwrap().machine_id);
}

#[test]
fn the_better_way_prepares_the_template_and_clones_never_collide() {
    let mut h = machine_id_screen(Lang::En);
    for step in [
        "1. Prepare",
        "2. Clone twice",
        "3. Boot both",
        "4. Look at the leases",
        "5. Fix web2 (D-Bus way)",
        "6. Fix web1 (systemd way)",
        "7. All unique",
        "8. Better: prepare the template",
    ] {
        click(&mut h, &format!("Next step ▶ {step}"));
    }
    assert!(h.query_by_label("root@host:~# virt-sysprep -d bookworm --operations machine-id,ssh-hostkeys").is_some());
    assert_eq!(view(&h).guest("bookworm").unwrap().machine_id.as_deref(), Some(""));
    assert!(h.query_by_label("(empty)").is_some());
    click(&mut h, "Next step ▶ 9. Clone and boot again");
    let v = view(&h);
    assert!(v.collisions.iter().all(|c| c.field == Field::Hostname), "{:?}", v.collisions);
    assert!(h.query_by_label_contains(SAME_IP).is_none());
    assert_eq!(h.query_all_by_label("sshd not running").count(), 2);
    click(&mut h, "Next step ▶ 10. Host keys and names");
    assert!(view(&h).collisions.is_empty());
    assert!(h.query_by_label("Scenario complete. Go on freely in the terminal, or start over.").is_some());
    // Start over: the template has its identity again.
    click(&mut h, "Start over");
    assert_eq!(view(&h).guest("bookworm").unwrap().machine_id.as_ref().map(String::len), Some(32));
    assert!(h.query_by_role_and_label(Role::Button, "Next step ▶ 1. Prepare").is_some());
}

#[test]
fn typed_steps_count_and_the_tabs_attach_the_terminal() {
    let mut h = machine_id_screen(Lang::De);
    type_line(&mut h, "virsh net-start default");
    assert!(h.query_by_role_and_label(Role::Button, "Nächster Schritt ▶ 2. Zweimal klonen").is_some());
    click(&mut h, "Nächster Schritt ▶ 2. Zweimal klonen");
    type_line(&mut h, "virsh start web1");
    type_line(&mut h, "virsh start web2");
    assert!(h.query_by_role_and_label(Role::Button, "Nächster Schritt ▶ 4. Leases ansehen").is_some());
    assert!(h.query_by_label_contains("dnsmasq gibt web1 und web2 dieselbe Adresse").is_some());

    // Tabs: the host, then web2, then web1 (exit first), then the host again.
    h.get_by_role_and_label(Role::Button, "web2").click();
    h.run();
    assert!(h.query_by_label("root@host:~# virsh console web2").is_some());
    assert_eq!(h.state().lab().world().machine().name, "web2");
    h.get_by_role_and_label(Role::Button, "web1").click();
    h.run();
    assert!(h.query_by_label("root@bookworm:~# exit").is_some());
    assert_eq!(h.state().lab().world().machine().name, "web1");
    h.get_by_role_and_label(Role::Button, "Host").click();
    h.run();
    assert_eq!(h.state().lab().world().current, 0);

    // A whole step typed line by line: the scenario moves on when web2 is fixed.
    type_line(&mut h, "virsh net-dhcp-leases default");
    assert!(h.query_by_role_and_label(Role::Button, "Nächster Schritt ▶ 5. web2 reparieren (D-Bus-Weg)").is_some());
    for line in [
        "virsh console web2",
        "rm -f /etc/machine-id",
        "dbus-uuidgen --ensure=/etc/machine-id",
        "rm /etc/ssh/ssh_host_*",
        "ssh-keygen -A",
    ] {
        type_line(&mut h, line);
    }
    assert!(h.query_by_label_contains("dnsmasq gibt web1 und web2 dieselbe Adresse").is_some(), "until the reboot");
    type_line(&mut h, "reboot");
    assert!(h.query_by_label_contains("dnsmasq gibt web1 und web2 dieselbe Adresse").is_none());
    assert!(h.query_by_role_and_label(Role::Button, "Nächster Schritt ▶ 6. web1 reparieren (systemd-Weg)").is_some());
}
