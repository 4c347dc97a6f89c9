//! The classroom scripts in assets/scripts run start to end with `guestlab run`.

use std::process::Command;

fn run_script(name: &str) -> (String, String, i32) {
    run_script_in(name, Some("bookworm"))
}

/// Runs a script in `world`, or without `--scenario` in the world of its `#@ world:` line.
fn run_script_in(name: &str, world: Option<&str>) -> (String, String, i32) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/scripts/").to_owned() + name;
    let mut command = Command::new(env!("CARGO_BIN_EXE_guestlab"));
    command.arg("run");
    if let Some(world) = world {
        command.args(["--scenario", world]);
    }
    let out = command.arg(&path).output().expect("guestlab runs");
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

fn present(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_guestlab"))
        .args(["run", "--present"])
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("guestlab runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn present_plays_a_scenario_with_its_narration_and_prompts() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/scripts/disk-tour.sh");
    let (out, err, status) = present(&[path]);
    assert_eq!(status, 0, "{err}");
    let start = "== Disk images: raw, qcow2 and overlays ==\n\n-- 1/8 --\nA raw image is a sparse file: 4 GiB long, \
                 and only its first 4 KiB allocated (the first column of ls -s counts KiB).\nroot@host:~# cd \
                 /var/lib/libvirt/images\nroot@host:/var/lib/libvirt/images# qemu-img create -f raw raw.img \
                 4G\nFormatting 'raw.img', fmt=raw size=4294967296\n";
    assert!(out.starts_with(start), "{out}");
    assert_eq!(out.matches("\n-- ").count(), 8);
    assert!(out.contains("\n-- 8/8 --\nconvert writes a compact copy"), "{out}");
    assert!(out.ends_with("Image end offset: 63242240\n"), "{out}");

    // German narration; the commands and their output are the same.
    let (de, _, status) = present(&["--lang", "de", path]);
    assert_eq!(status, 0);
    assert!(de.starts_with("== Plattenabbilder: raw, qcow2 und Overlays ==\n\n-- 1/8 --\nEin raw-Abbild"), "{de}");
}

#[test]
fn present_reports_a_broken_script_with_file_and_line() {
    let dir = std::env::temp_dir().join(format!("guestlab-present-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("broken.sh");
    std::fs::write(&file, "#@ title: Broken\n#: One step.\nls\n#@ world: bare\n").expect("write");
    let (out, err, status) = present(&[file.to_str().expect("utf-8 path")]);
    assert_eq!(status, 2);
    assert_eq!(out, "");
    assert_eq!(err, format!("{}:4: a header line (`#@ …`) after the first step\n", file.display()));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_cloud_init_lab_runs_start_to_end() {
    // No --scenario: the script's `#@ world: cloud` line chooses the world.
    let (out, err, status) = run_script_in("cloud-init-lab.sh", None);
    assert_eq!(status, 0, "{err}");
    for line in [
        "Valid cloud-config: user-data",
        "-rw-r--r-- 1 root root 374784 Jun  2 09:00 seed.iso",
        "Domain creation completed.",
        "status: done",
        "/var/lib/cloud/instances/web1-001",
        "hello from runcmd",
        "Europe/Berlin",
        "Please login as the user \"debian\" rather than the user \"root\".",
        "ssh as root: status 142",
        "boot of web1-001\nboot of web1-001\nboot of web1-002\n",
        "status: not run",
        "NO_PREVIOUS_INSTANCE_ID",
    ] {
        assert!(out.contains(line), "missing {line:?} in:\n{out}");
    }
    // The new instance's host keys: ssh refuses until the old key is removed.
    assert!(err.contains("WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!"), "{err}");
    assert!(out.contains("/root/.ssh/known_hosts updated."), "{out}");
}
