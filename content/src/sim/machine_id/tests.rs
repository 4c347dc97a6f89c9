use crate::sim::World;
use crate::sim::world::{Machine, MachineKind};

fn run(world: &mut World, line: &str) -> (String, String, i32) {
    let out = world.run(line);
    (out.stdout(), out.stderr(), out.status)
}

/// A world with the shell in an empty directory `/root/t`.
fn world() -> World {
    let mut w = World::new(1);
    assert_eq!(run(&mut w, "mkdir t && cd t").2, 0);
    w
}

fn is_hex32(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn is_v4(s: &str) -> bool {
    is_hex32(s) && &s[12..13] == "4" && "89ab".contains(&s[16..17])
}

const ID: &str = "abcdef0123456789abcdef0123456789";

#[test]
fn plain_dbus_uuidgen_ends_in_the_clock() {
    let mut w = world();
    let before = w.clock;
    let (out, err, status) = run(&mut w, "dbus-uuidgen");
    assert_eq!((err.as_str(), status), ("", 0));
    let id = out.strip_suffix('\n').unwrap();
    assert!(is_hex32(id), "{id}");
    let time = i64::from_str_radix(&id[24..], 16).unwrap();
    assert!((before..=w.clock).contains(&time), "{time} {before} {}", w.clock);
    let (second, _, _) = run(&mut w, "dbus-uuidgen");
    assert_ne!(out, second);
}

#[test]
fn dbus_uuidgen_options() {
    let mut w = world();
    let usage = "Usage: dbus-uuidgen [--ensure[=FILENAME]] [--get[=FILENAME]]\n";
    assert_eq!(run(&mut w, "dbus-uuidgen --help"), (String::new(), usage.to_owned(), 0));
    assert_eq!(run(&mut w, "dbus-uuidgen -h"), (String::new(), usage.to_owned(), 1));
    assert_eq!(run(&mut w, "dbus-uuidgen --getx"), (String::new(), usage.to_owned(), 1));
    assert_eq!(run(&mut w, "dbus-uuidgen --get x"), (String::new(), usage.to_owned(), 1));
    let (out, _, status) = run(&mut w, "dbus-uuidgen --version");
    assert_eq!((out.lines().next(), status), (Some("D-Bus UUID Generator 1.14.10"), 0));
    assert_eq!(
        run(&mut w, "dbus-uuidgen --get --ensure"),
        (String::new(), "Can't specify both --get and --ensure\n".to_owned(), 1)
    );
    assert_eq!(
        run(&mut w, "dbus-uuidgen --get=a --get=b"),
        (String::new(), "Failed to open \"b\": No such file or directory\n".to_owned(), 1)
    );
}

#[test]
fn get_validates_by_length_and_decodes_up_to_the_first_non_hex_digit() {
    let mut w = world();
    let cases: &[(&str, &str, i32)] = &[
        ("abcdef0123456789abcdef0123456789\\n", "abcdef0123456789abcdef0123456789\n", 0),
        ("ABCDEF0123456789ABCDEF0123456789", "abcdef0123456789abcdef0123456789\n", 0),
        ("  abcdef0123456789abcdef012345678g\\r\\n\\n", "abcdef0123456789abcdef0123456780\n", 0),
        ("", "UUID file 'f' should contain a hex string of length 32, not length 0, with no other text\n", 1),
        (
            "uninitialized\\n",
            "UUID file 'f' should contain a hex string of length 32, not length 13, with no other text\n",
            1,
        ),
        ("gbcdef0123456789abcdef0123456789", "UUID file 'f' contains invalid hex data\n", 1),
        ("abcdef0123456g89abcdef0123456789", "UUID file 'f' contains 7 bytes of hex-encoded data instead of 16\n", 1),
    ];
    for (contents, expected, status) in cases {
        run(&mut w, &format!("printf '{contents}' > f"));
        let (out, err, st) = run(&mut w, "dbus-uuidgen --get=f");
        assert_eq!((format!("{out}{err}"), st), ((*expected).to_owned(), *status), "{contents}");
    }
    assert_eq!(run(&mut w, "mkdir d; dbus-uuidgen --get=d").1, "\"d\" is not a regular file\n");
}

#[test]
fn ensure_creates_a_missing_file_and_never_repairs() {
    let mut w = world();
    w.tick(60);
    assert_eq!(run(&mut w, "dbus-uuidgen --ensure=new"), (String::new(), String::new(), 0));
    let (out, _, _) = run(&mut w, "stat -c '%a %s %U' new; ls -1a");
    assert_eq!(out, "644 33 root\n.\n..\nnew\n");
    // The ID ends in the time it was made: the file's mtime.
    let (id, _, _) = run(&mut w, "cat new");
    let mtime: i64 = run(&mut w, "stat -c %Y new").0.trim_end().parse().unwrap();
    assert!(is_hex32(id.trim_end()) && id.ends_with(&format!("{mtime:08x}\n")), "{id} {mtime}");
    run(&mut w, "printf uninitialized > bad; chmod 600 bad");
    let (_, err, status) = run(&mut w, "dbus-uuidgen --ensure=bad");
    assert_eq!(status, 1);
    assert_eq!(err, "UUID file 'bad' should contain a hex string of length 32, not length 13, with no other text\n");
    assert_eq!(run(&mut w, "stat -c '%a %s' bad; cat bad").0, "600 13\nuninitialized");
    // A valid file is left as it is, even without a newline.
    run(&mut w, &format!("printf {ID} > ok"));
    assert_eq!(run(&mut w, "dbus-uuidgen --ensure=ok; echo $?; stat -c %s ok").0, "0\n32\n");
}

#[test]
fn ensure_reports_rename_and_create_errors_and_leaves_no_temporary_file() {
    let mut w = world();
    let (_, err, status) = run(&mut w, "mkdir d; dbus-uuidgen --ensure=d");
    assert_eq!(status, 1);
    assert!(err.starts_with("Could not rename d.") && err.ends_with(" to d: Is a directory\n"), "{err}");
    assert_eq!(err.len(), "Could not rename d.XXXXXXXX to d: Is a directory\n".len());
    assert_eq!(run(&mut w, "ls").0, "d\n");
    let (_, err, _) = run(&mut w, "dbus-uuidgen --ensure=nodir/x");
    assert!(err.starts_with("Could not create nodir/x.") && err.ends_with(": No such file or directory\n"), "{err}");
    // A dangling symlink is replaced by the new file.
    assert_eq!(run(&mut w, "ln -s gone link; dbus-uuidgen --ensure=link; stat -c %F link").0, "regular file\n");
}

#[test]
fn host_has_both_machine_id_files() {
    let mut w = World::new(1);
    let (out, _, _) = run(&mut w, "stat -c '%a %s %F' /etc/machine-id /var/lib/dbus/machine-id");
    assert_eq!(out, "444 33 regular file\n644 33 regular file\n");
    let id = format!("{}\n", crate::sim::host::HOST_MACHINE_ID);
    assert_eq!(run(&mut w, "dbus-uuidgen --get").0, id);
    assert_eq!(run(&mut w, "systemd-id128 machine-id").0, id);
    assert_eq!(run(&mut w, "systemd-machine-id-setup --print"), (id.clone(), String::new(), 0));
    assert_eq!(run(&mut w, "dbus-uuidgen --ensure; echo $?").0, "0\n");
}

#[test]
fn get_without_file_falls_back_and_combines_errors() {
    let mut w = World::new(1);
    run(&mut w, "rm /var/lib/dbus/machine-id");
    assert_eq!(run(&mut w, "dbus-uuidgen --get").0, format!("{}\n", crate::sim::host::HOST_MACHINE_ID));
    run(&mut w, "rm /etc/machine-id; touch /etc/machine-id");
    let (_, err, status) = run(&mut w, "dbus-uuidgen --get");
    assert_eq!(status, 1);
    assert_eq!(
        err,
        "D-Bus library appears to be incorrectly set up: see the manual page for dbus-uuidgen to correct this issue. (Failed to open \"/var/lib/dbus/machine-id\": No such file or directory; UUID file '/etc/machine-id' should contain a hex string of length 32, not length 0, with no other text)\n"
    );
}

#[test]
fn ensure_without_file_copies_etc_or_makes_a_new_dbus_id() {
    let mut w = World::new(1);
    run(&mut w, "rm /var/lib/dbus/machine-id");
    assert_eq!(run(&mut w, "dbus-uuidgen --ensure"), (String::new(), String::new(), 0));
    assert_eq!(
        run(&mut w, "cat /var/lib/dbus/machine-id; stat -c %a /var/lib/dbus/machine-id").0,
        format!("{}\n644\n", crate::sim::host::HOST_MACHINE_ID)
    );
    // Empty /etc/machine-id, D-Bus's file a symlink to it: a new D-Bus ID replaces the link.
    run(&mut w, "truncate -s 0 /etc/machine-id; rm /var/lib/dbus/machine-id");
    run(&mut w, "ln -s /etc/machine-id /var/lib/dbus/machine-id");
    assert_eq!(run(&mut w, "dbus-uuidgen --ensure"), (String::new(), String::new(), 0));
    let (out, _, _) = run(&mut w, "stat -c '%F %s' /var/lib/dbus/machine-id /etc/machine-id");
    assert_eq!(out, "regular file 33\nregular empty file 0\n");
}

#[test]
fn ensure_without_file_replaces_an_invalid_dbus_file_with_the_etc_id() {
    // dbus 1.14's _dbus_read_local_machine_uuid copies a valid /etc/machine-id over D-Bus's
    // file whatever was wrong with it (unlike --ensure=FILE, which never repairs).
    let mut w = World::new(1);
    run(&mut w, "echo uninitialized > /var/lib/dbus/machine-id; chmod 600 /var/lib/dbus/machine-id");
    assert_eq!(run(&mut w, "dbus-uuidgen --ensure"), (String::new(), String::new(), 0));
    assert_eq!(
        run(&mut w, "cat /var/lib/dbus/machine-id; stat -c %a /var/lib/dbus/machine-id").0,
        format!("{}\n644\n", crate::sim::host::HOST_MACHINE_ID)
    );
    // Without /var/lib/dbus the copy fails silently.
    run(&mut w, "rm -r /var/lib/dbus");
    assert_eq!(run(&mut w, "dbus-uuidgen --ensure"), (String::new(), String::new(), 0));
    // ... but a new ID that cannot be written is an error.
    run(&mut w, "truncate -s 0 /etc/machine-id");
    let (_, err, status) = run(&mut w, "dbus-uuidgen --ensure");
    assert_eq!(status, 1);
    assert!(
        err.starts_with("Could not create /var/lib/dbus/machine-id.") && err.ends_with(": No such file or directory\n")
    );
}

#[test]
fn machine_id_setup_creates_fills_and_keeps() {
    let mut w = world();
    let (out, err, status) = run(&mut w, "systemd-machine-id-setup --root=r --print");
    assert_eq!((err.as_str(), status), ("Initializing machine ID from random generator.\n", 0));
    assert!(is_v4(out.trim_end()), "{out}");
    assert_eq!(run(&mut w, "stat -c '%a %s' r r/etc r/etc/machine-id").0, "755 4096\n755 4096\n444 33\n");
    assert_eq!(run(&mut w, "cat r/etc/machine-id").0, out);
    // Valid: untouched, quiet.
    assert_eq!(run(&mut w, "systemd-machine-id-setup --root=r --print"), (out.clone(), String::new(), 0));
    // Invalid contents are overwritten in place, keeping the mode.
    run(&mut w, "printf 'uninitialized\\n' > r/etc/machine-id; chmod 644 r/etc/machine-id");
    let (new, err, _) = run(&mut w, "systemd-machine-id-setup --root=$PWD/r --print");
    assert_eq!(err, "Initializing machine ID from random generator.\n");
    assert!(is_v4(new.trim_end()) && new != out);
    assert_eq!(run(&mut w, "stat -c '%a %s' r/etc/machine-id").0, "644 33\n");
}

#[test]
fn machine_id_setup_takes_dbus_id_but_not_through_a_symlink() {
    let mut w = world();
    run(&mut w, &format!("mkdir -p r/etc r/var/lib/dbus; echo {} > r/var/lib/dbus/machine-id", ID.to_uppercase()));
    let (out, err, _) = run(&mut w, "systemd-machine-id-setup --root=r --print");
    assert_eq!((out, err), (format!("{ID}\n"), "Initializing machine ID from D-Bus machine ID.\n".to_owned()));
    run(
        &mut w,
        &format!("mkdir -p s/etc s/var/lib/dbus; echo {ID} > s/id; ln -s ../../../id s/var/lib/dbus/machine-id"),
    );
    let (out, err, _) = run(&mut w, "systemd-machine-id-setup --root=s --print");
    assert_eq!(err, "Initializing machine ID from random generator.\n");
    assert!(is_v4(out.trim_end()));
}

#[test]
fn machine_id_setup_errors() {
    let mut w = world();
    let pwd = run(&mut w, "pwd").0.trim_end().to_owned();
    run(&mut w, "mkdir -p d/etc/machine-id e; touch e/etc");
    assert_eq!(
        run(&mut w, "systemd-machine-id-setup --root=d"),
        (
            String::new(),
            format!(
                "Initializing machine ID from random generator.\nCannot write {pwd}/d/run/machine-id: No such file or directory\n"
            ),
            1
        )
    );
    assert_eq!(
        run(&mut w, "systemd-machine-id-setup --root=e").1,
        format!("Cannot open {pwd}/e/etc/machine-id: Not a directory\n")
    );
    assert_eq!(run(&mut w, "systemd-machine-id-setup --root=d x").1, "Extraneous arguments\n");
    assert_eq!(
        run(&mut w, "systemd-machine-id-setup --foo").1,
        "systemd-machine-id-setup: unrecognized option '--foo'\n"
    );
    assert_eq!(
        run(&mut w, "systemd-machine-id-setup --root").1,
        "systemd-machine-id-setup: option '--root' requires an argument\n"
    );
    run(&mut w, "mkdir -p u/etc; echo uninitialized > u/etc/machine-id");
    assert_eq!(
        run(&mut w, "systemd-machine-id-setup --root=u --commit"),
        (String::new(), "Failed to read machine ID back: Package not installed\n".to_owned(), 1)
    );
}

#[test]
fn on_a_guest_the_id_comes_from_the_vm_uuid() {
    let mut w = World::with_sample_vm(1);
    let uuid = w.libvirt.domains["bookworm"].def.uuid.clone();
    let mut guest: Machine = w.machines[0].clone();
    guest.name = "bookworm".to_owned();
    guest.kind = MachineKind::Guest;
    w.machines.push(guest);
    w.current = 1;
    run(&mut w, "truncate -s 0 /etc/machine-id; rm /var/lib/dbus/machine-id");
    let (out, err, _) = run(&mut w, "systemd-machine-id-setup --print");
    assert_eq!(err, "Initializing machine ID from VM UUID.\n");
    assert_eq!(out, format!("{}\n", uuid.replace('-', "")));
    // With --root, the VM's UUID is not used.
    let (_, err, _) = run(&mut w, "systemd-machine-id-setup --root=/tmp/x");
    assert_eq!(err, "Initializing machine ID from random generator.\n");
}

#[test]
fn id128_verbs() {
    let mut w = world();
    let (out, _, status) = run(&mut w, "systemd-id128 new");
    assert!(is_v4(out.trim_end()) && status == 0, "{out}");
    let (out, _, _) = run(&mut w, "systemd-id128 -u new");
    assert_eq!((out.len(), &out[8..9], &out[14..15]), (37, "-", "4"));
    assert_eq!(run(&mut w, "systemd-id128"), (String::new(), "Command verb required.\n".to_owned(), 1));
    assert_eq!(run(&mut w, "systemd-id128 foo").1, "Unknown command verb foo.\n");
    assert_eq!(run(&mut w, "systemd-id128 new x").1, "Too many arguments.\n");
    assert_eq!(
        run(&mut w, "systemd-id128 show root esp").0,
        "NAME ID\nroot 4f68bce3e8cd4db196e7fbcaf984b709\nesp  c12a7328f81f11d2ba4b00a0c93ec93b\n"
    );
    assert_eq!(run(&mut w, "systemd-id128 show nosuch").1, "Unknown identifier \"nosuch\".\n");
    assert_eq!(run(&mut w, "systemd-id128 show | wc -l").0, "148\n");
    assert_eq!(run(&mut w, "systemd-id128 boot-id").0, "5f0e4c1a9b2d4e7f8a6c3b1d0e9f8a7b\n");
    assert_eq!(run(&mut w, "systemd-id128 -u boot-id").0, "5f0e4c1a-9b2d-4e7f-8a6c-3b1d0e9f8a7b\n");
    let cases = [
        ("rm /etc/machine-id", "No such file or directory"),
        ("touch /etc/machine-id", "No medium found"),
        ("echo uninitialized > /etc/machine-id", "Package not installed"),
        ("echo 00000000000000000000000000000000 > /etc/machine-id", "No medium found"),
        ("echo xyz > /etc/machine-id", "Invalid argument"),
    ];
    for (setup, message) in cases {
        run(&mut w, &format!("rm -f /etc/machine-id; {setup}"));
        assert_eq!(
            run(&mut w, "systemd-id128 machine-id"),
            (String::new(), format!("Failed to get machine-ID: {message}\n"), 1),
            "{setup}"
        );
    }
}
