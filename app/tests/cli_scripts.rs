//! The classroom scripts in assets/scripts run start to end with `guestlab run`.

use std::process::Command;

fn run_script(name: &str) -> (String, String, i32) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/scripts/").to_owned() + name;
    let out = Command::new(env!("CARGO_BIN_EXE_guestlab"))
        .args(["run", "--scenario", "bookworm", &path])
        .output()
        .expect("guestlab runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn the_libvirt_tour_runs_start_to_end() {
    let (out, err, status) = run_script("libvirt-tour.sh");
    assert_eq!(status, 0, "{err}");
    // The one expected failure: the default network is not active at first.
    assert_eq!(
        err,
        "error: Failed to start domain 'bookworm'\nerror: Requested operation is not valid: network 'default' is not active\n"
    );
    for line in [
        "Domain 'web1' defined from /root/web1.xml",
        "Domain 'web1' marked as autostarted",
        "web1.xml -> /etc/libvirt/qemu/web1.xml",
        "Domain snapshot snap1 created",
        "Clone 'bookworm-clone' created successfully.",
        "Domain 'web1' has been undefined",
        "Volume 'vda'(/var/lib/libvirt/images/web1.qcow2) removed.",
    ] {
        assert!(out.contains(line), "missing {line:?} in:\n{out}");
    }
}

#[test]
fn the_cloning_lab_runs_start_to_end() {
    let (out, err, status) = run_script("cloning-lab.sh");
    assert_eq!(status, 0, "{err}");
    // Before the fix: one lease for both clones; at the end: five leases, all different.
    let tables: Vec<&str> = out.split(" Expiry Time").skip(1).collect();
    assert_eq!(tables.len(), 3, "{out}");
    let count = |t: &str| t.lines().filter(|l| l.contains("ipv4")).count();
    assert_eq!(count(tables[0]), 1);
    assert_eq!(count(tables[2]), 5);
    assert!(out.contains("ssh-keygen: generating new host keys: RSA ECDSA ED25519"));
    assert!(out.contains("Performing \"machine-id\""));
}
