//! Differential test: the machine-ID tools — `dbus-uuidgen` (dbus 1.14), `systemd-machine-id-setup`
//! and `systemd-id128` (systemd 252) — run on the same file layouts in a temporary directory of
//! this machine and in the simulated shell. Standard output, standard error, exit status and
//! the resulting files (kind, mode, owner, size, contents, whether the mtime changed) must agree.
//!
//! Generated IDs differ by nature: they are replaced by numbered placeholders that keep their
//! shape (`<DBUS#n>`: 32 hex digits ending in the Unix time of the run; `<V4#n>`: a version-4
//! UUID; `<HEX#n>` anything else), so an ID printed on stdout must still be the one written to
//! the file. The temporary directory becomes `/D`, dbus's temporary file names `NAME.XXXXXXXX`.
//!
//! `GUESTLAB_MID_SHOW=1` prints what the real tools did in every run.
//!
//! Safety: the real tools only ever get `--get=FILE`/`--ensure=FILE` with a relative, non-empty
//! FILE inside the temporary directory, and `systemd-machine-id-setup` only `--root=` the
//! temporary directory's `r` (checked before every run); layouts never contain absolute
//! symlinks, and no layout makes systemd try to mount (a directory at `etc/machine-id` with an
//! existing `run/`).

#![expect(clippy::print_stdout, reason = "the differential test reports what it compared and skipped")]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use guestlab_content::sim::World;
use guestlab_content::sim::vfs::{NodeKind, ROOT};

/// Where the simulated side works.
const SIM_DIR: &str = "/tmp/mid";

/// The mtime every file of a layout gets before the command, to see which ones it touched.
const OLD: i64 = 1_000_000_000;

const ID: &str = "abcdef0123456789abcdef0123456789";
const UPPER: &str = "ABCDEF0123456789ABCDEF0123456789";

/// File layouts of `r/etc/machine-id` (and around it): name and the shell lines that make it.
fn layouts() -> Vec<(&'static str, String)> {
    let etc = "mkdir -p r/etc";
    let f = "r/etc/machine-id";
    vec![
        ("missing", etc.to_owned()),
        ("empty", format!("{etc}; printf '' > {f}")),
        ("uninitialized", format!("{etc}; printf 'uninitialized\\n' > {f}")),
        ("uninitialized-no-newline", format!("{etc}; printf 'uninitialized' > {f}")),
        ("valid", format!("{etc}; printf '{ID}\\n' > {f}")),
        ("valid-0444", format!("{etc}; printf '{ID}\\n' > {f}; chmod 444 {f}")),
        ("uppercase", format!("{etc}; printf '{UPPER}\\n' > {f}")),
        ("no-newline", format!("{etc}; printf '{ID}' > {f}")),
        ("zeros", format!("{etc}; printf '00000000000000000000000000000000\\n' > {f}")),
        ("dashed-uuid", format!("{etc}; printf 'abcdef01-2345-6789-abcd-ef0123456789\\n' > {f}")),
        ("31-chars", format!("{etc}; printf '{}\\n' > {f}", &ID[..31])),
        ("33-chars", format!("{etc}; printf '{ID}0\\n' > {f}")),
        ("non-hex-last", format!("{etc}; printf '{}g\\n' > {f}", &ID[..31])),
        ("non-hex-first", format!("{etc}; printf 'g{}\\n' > {f}", &ID[1..])),
        ("non-hex-middle", format!("{etc}; printf '{}g{}\\n' > {f}", &ID[..13], &ID[14..])),
        ("id-and-extra-line", format!("{etc}; printf '{ID}\\nextra\\n' > {f}")),
        ("blanks-around", format!("{etc}; printf '  {ID}\\r\\n\\n' > {f}")),
        ("crlf", format!("{etc}; printf '{ID}\\r\\n' > {f}")),
        ("empty-0600", format!("{etc}; printf '' > {f}; chmod 600 {f}")),
        ("directory", format!("mkdir -p {f}")),
        ("dangling-symlink", format!("{etc}; ln -s nothere {f}")),
        ("symlink-to-valid", format!("{etc}; printf '{ID}\\n' > r/etc/real; ln -s real {f}")),
        ("no-etc", "mkdir r".to_owned()),
        ("etc-is-a-file", "mkdir r; printf '' > r/etc".to_owned()),
        ("no-root", String::new()),
        (
            "dbus-valid",
            format!("{etc}; printf '' > {f}; mkdir -p r/var/lib/dbus; printf '{UPPER}\\n' > r/var/lib/dbus/machine-id"),
        ),
        (
            "dbus-symlink",
            format!(
                "{etc}; printf '' > {f}; mkdir -p r/var/lib/dbus; printf '{ID}\\n' > r/x; ln -s ../../../x r/var/lib/dbus/machine-id"
            ),
        ),
        (
            "dbus-invalid",
            format!(
                "{etc}; printf 'uninitialized\\n' > {f}; mkdir -p r/var/lib/dbus; printf '{}\\n' > r/var/lib/dbus/machine-id",
                &ID[..31]
            ),
        ),
        (
            "dbus-zeros",
            format!(
                "{etc}; mkdir -p r/var/lib/dbus; printf '00000000000000000000000000000000\\n' > r/var/lib/dbus/machine-id"
            ),
        ),
    ]
}

/// The commands run on every layout (`DIR` is the temporary directory).
const COMMANDS: &[&str] = &[
    "dbus-uuidgen --get=r/etc/machine-id",
    "dbus-uuidgen --ensure=r/etc/machine-id",
    "dbus-uuidgen --get=r/etc/nodir/machine-id",
    "dbus-uuidgen --ensure=r/etc/nodir/machine-id",
    "systemd-machine-id-setup --root=DIR/r --print",
    "systemd-machine-id-setup --root=DIR/r",
    "systemd-machine-id-setup --root=DIR/r --commit --print",
    "systemd-machine-id-setup --root=r/ --print",
    "systemd-machine-id-setup --root=DIR/./r//",
];

/// Commands that touch no file: option parsing, help, version, `new`, `show`.
const STANDALONE: &[&str] = &[
    "dbus-uuidgen",
    "dbus-uuidgen --version",
    "dbus-uuidgen --help",
    "dbus-uuidgen -h",
    "dbus-uuidgen --foo",
    "dbus-uuidgen extra",
    "dbus-uuidgen --getx",
    "dbus-uuidgen --get --ensure",
    "dbus-uuidgen --get=a --ensure=b",
    "dbus-uuidgen --version --help",
    "dbus-uuidgen --help --version",
    "systemd-machine-id-setup --help",
    "systemd-machine-id-setup -h",
    "systemd-machine-id-setup --version",
    "systemd-machine-id-setup --foo",
    "systemd-machine-id-setup -x",
    "systemd-machine-id-setup --print=1",
    "systemd-machine-id-setup --root=DIR/r extra",
    "systemd-machine-id-setup --root",
    "systemd-id128",
    "systemd-id128 new",
    "systemd-id128 -u new",
    "systemd-id128 new --uuid",
    "systemd-id128 -p new",
    "systemd-id128 new extra",
    "systemd-id128 foo",
    "systemd-id128 --foo",
    "systemd-id128 -x new",
    "systemd-id128 --help",
    "systemd-id128 help",
    "systemd-id128 --version",
    "systemd-id128 show",
    "systemd-id128 show root esp",
    "systemd-id128 -u show root-x86-64 swap",
    "systemd-id128 show 4f68bce3e8cd4db196e7fbcaf984b709 11111111111111111111111111111111",
    "systemd-id128 show -p root esp home",
    "systemd-id128 show nosuch",
    "systemd-id128 invocation-id",
    "systemd-id128 new -a xyz",
    "systemd-id128 new -a 4f68bce3e8cd4db196e7fbcaf984b709",
    "systemd-id128 new --app-specific",
];

fn installed(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// What one run produced.
#[derive(Debug, PartialEq, Eq)]
struct Observed {
    stdout: String,
    stderr: String,
    status: i32,
    files: String,
}

/// One file after the command: kind, mode, owner, size, contents, whether the mtime changed.
struct Entry {
    kind: char,
    mode: u32,
    uid: u32,
    gid: u32,
    size: u64,
    contents: Vec<u8>,
    target: String,
    touched: bool,
}

fn describe(entries: &BTreeMap<String, Entry>) -> String {
    let mut text = String::new();
    for (path, e) in entries {
        let _ = write!(text, "{path} {} {:o} {}:{} touched={}", e.kind, e.mode, e.uid, e.gid, e.touched);
        match e.kind {
            'f' => {
                let _ = write!(text, " size={} {:?}", e.size, String::from_utf8_lossy(&e.contents));
            }
            'l' => {
                let _ = write!(text, " -> {}", e.target);
            }
            _ => {}
        }
        text.push('\n');
    }
    text
}

/// Replaces generated IDs and dbus's temporary names. `times` is the range of Unix times the
/// command ran in (for dbus's time suffix).
struct Normaliser {
    known: Vec<String>,
    seen: Vec<String>,
    times: (i64, i64),
    /// Off for commands that print only fixed IDs (`show`): those are compared as they are.
    enabled: bool,
}

impl Normaliser {
    fn new(times: (i64, i64), command: &str) -> Self {
        // Inputs, and what dbus decodes from `…678g` (the half byte `g` ends the hex: `…6780`).
        let known = [ID.to_owned(), "00000000000000000000000000000000".to_owned(), format!("{}0", &ID[..31])];
        Self { known: known.to_vec(), seen: Vec::new(), times, enabled: !command.contains(" show") }
    }

    /// The UUID form `8-4-4-4-12` and the `SD_ID128_MAKE(xx,…)` form as 32 plain hex digits,
    /// so that they are normalised as the same ID.
    fn unify(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while !rest.is_empty() {
            let uuid = rest.get(..36).filter(|w| {
                w.char_indices().all(|(i, c)| {
                    if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_digit() || ('a'..='f').contains(&c) }
                })
            });
            let make = rest.strip_prefix("SD_ID128_MAKE(").and_then(|r| r.get(..47)).filter(|w| {
                w.split(',').count() == 16
                    && w.split(',').all(|b| b.len() == 2 && b.chars().all(|c| c.is_ascii_hexdigit()))
            });
            if let Some(w) = uuid {
                out.push_str("UUID:");
                out.push_str(&w.replace('-', ""));
                rest = &rest[36..];
            } else if let Some(w) = make {
                out.push_str("SD_ID128_MAKE:");
                out.push_str(&w.replace(',', ""));
                rest = &rest["SD_ID128_MAKE(".len() + 47..];
            } else {
                let c = rest.chars().next().unwrap_or(' ');
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        out
    }

    fn text(&mut self, text: &str) -> String {
        if !self.enabled {
            return text.to_owned();
        }
        let text = &Self::unify(text);
        let bytes = text.as_bytes();
        let mut out = String::new();
        let mut i = 0;
        while i < bytes.len() {
            let run = bytes[i..].iter().take_while(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b)).count();
            if run == 32
                && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
                && !bytes.get(i + 32).is_some_and(u8::is_ascii_alphanumeric)
            {
                let id = &text[i..i + 32];
                out.push_str(&self.id(id));
                i += 32;
            } else if run > 0 {
                out.push_str(&text[i..i + run]);
                i += run;
            } else {
                let c = text[i..].chars().next().unwrap_or('?');
                out.push(c);
                i += c.len_utf8();
            }
        }
        // dbus's temporary files: PATH.XXXXXXXX (8 letters or digits).
        for path in ["r/etc/machine-id", "r/etc/nodir/machine-id"] {
            let needle = format!("{path}.");
            let mut from = 0;
            while let Some(at) = out[from..].find(&needle).map(|p| p + from) {
                let start = at + needle.len();
                let suffix: String = out[start..].chars().take(8).collect();
                if suffix.len() == 8 && suffix.chars().all(|c| c.is_ascii_alphanumeric()) {
                    out.replace_range(start..start + 8, "XXXXXXXX");
                }
                from = start;
            }
        }
        out
    }

    fn id(&mut self, id: &str) -> String {
        if self.known.iter().any(|k| k == id) {
            return id.to_owned();
        }
        let n = match self.seen.iter().position(|s| s == id) {
            Some(p) => p + 1,
            None => {
                self.seen.push(id.to_owned());
                self.seen.len()
            }
        };
        let time = i64::from_str_radix(&id[24..], 16).unwrap_or(0);
        let shape = if (self.times.0..=self.times.1).contains(&time) {
            "DBUS"
        } else if &id[12..13] == "4" && "89ab".contains(&id[16..17]) {
            "V4"
        } else {
            "HEX"
        };
        format!("<{shape}#{n}>")
    }
}

fn real_walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, Entry>) {
    let Ok(read) = std::fs::read_dir(dir) else { return };
    for entry in read.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let rel = if rel.is_empty() { name } else { format!("{rel}/{name}") };
        let Ok(m) = std::fs::symlink_metadata(&path) else { continue };
        let kind = if m.is_symlink() {
            'l'
        } else if m.is_dir() {
            'd'
        } else {
            'f'
        };
        let e = Entry {
            kind,
            mode: if kind == 'l' { 0o777 } else { m.permissions().mode() & 0o7777 },
            uid: m.uid(),
            gid: m.gid(),
            size: m.len(),
            contents: if kind == 'f' { std::fs::read(&path).unwrap_or_default() } else { Vec::new() },
            target: std::fs::read_link(&path).map(|t| t.to_string_lossy().into_owned()).unwrap_or_default(),
            touched: kind != 'l' && m.mtime() != OLD,
        };
        out.insert(rel.clone(), e);
        if kind == 'd' {
            real_walk(&path, &rel, out);
        }
    }
}

fn real_age(dir: &Path) {
    let old = UNIX_EPOCH + Duration::from_secs(OLD as u64);
    let Ok(read) = std::fs::read_dir(dir) else { return };
    for entry in read.flatten() {
        let path = entry.path();
        let Ok(m) = std::fs::symlink_metadata(&path) else { continue };
        if m.is_symlink() {
            continue;
        }
        if m.is_dir() {
            real_age(&path);
        }
        if let Ok(f) = std::fs::File::open(&path) {
            f.set_modified(old).expect("set the mtime");
        }
    }
}

fn sim_walk(world: &World, ino: usize, rel: &str, out: &mut BTreeMap<String, Entry>) {
    let fs = &world.machine().fs;
    let Ok(entries) = fs.entries(ino) else { return };
    for (name, &child) in entries {
        let rel = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
        let Some(node) = fs.node(child) else { continue };
        let (kind, contents, target) = match &node.kind {
            NodeKind::Dir(_) => ('d', Vec::new(), String::new()),
            NodeKind::File(f) => ('f', f.read_all(1 << 16), String::new()),
            NodeKind::Symlink(t) => ('l', Vec::new(), t.clone()),
            _ => ('?', Vec::new(), String::new()),
        };
        let e = Entry {
            kind,
            mode: node.mode & 0o7777,
            uid: node.uid,
            gid: node.gid,
            size: node.size(),
            contents,
            target,
            touched: kind != 'l' && node.mtime != OLD,
        };
        out.insert(rel.clone(), e);
        if kind == 'd' {
            sim_walk(world, child, &rel, out);
        }
    }
}

fn sim_age(world: &mut World, ino: usize) {
    let children: Vec<usize> =
        world.machine().fs.entries(ino).map(|e| e.values().copied().collect()).unwrap_or_default();
    for child in children {
        let fs = &mut world.machine_mut().fs;
        if let Some(node) = fs.node_mut(child) {
            if matches!(node.kind, NodeKind::Symlink(_)) {
                continue;
            }
            node.mtime = OLD;
        }
        sim_age(world, child);
    }
}

/// Refuses any argument that could reach outside the temporary directory.
fn check_safe(args: &[String], dir: &Path) {
    let dir = dir.to_string_lossy();
    for arg in args {
        for option in ["--get=", "--ensure="] {
            if let Some(file) = arg.strip_prefix(option) {
                assert!(!file.is_empty() && !file.starts_with('/') && !file.contains(".."), "unsafe: {arg}");
            }
        }
        if let Some(root) = arg.strip_prefix("--root=") {
            // Absolute inside the directory, or relative to it (the tools run there).
            let inside = root.starts_with(&*dir) && root.len() > dir.len() + 1;
            let relative = root.starts_with('r') && !root.starts_with('/');
            assert!((inside || relative) && !root.contains(".."), "unsafe: {arg}");
        }
    }
    let tool = args.first().map_or("", String::as_str);
    let has = |p: &str| args.iter().any(|a| a.starts_with(p));
    if tool == "dbus-uuidgen" {
        // No option value means the machine's own files: only allowed where dbus stops first.
        let bare = args.iter().any(|a| a == "--get" || a == "--ensure");
        assert!(!bare || (has("--get") && has("--ensure")), "unsafe: {args:?}");
    }
    if tool == "systemd-machine-id-setup" {
        let parse_only = has("--help")
            || has("-h")
            || has("--version")
            || has("--foo")
            || has("-x")
            || has("--print=")
            || args.iter().any(|a| a == "extra" || a == "--root");
        assert!(parse_only || has("--root="), "unsafe: {args:?}");
    }
    if tool == "systemd-id128" {
        assert!(!args.iter().any(|a| a == "machine-id" || a == "boot-id"), "reads this machine's IDs: {args:?}");
    }
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

fn real_run(dir: &Path, setup: &str, command: &str) -> Observed {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("make the temporary directory");
    if !setup.is_empty() {
        let ok = Command::new("bash").arg("-c").arg(setup).current_dir(dir).status().expect("bash runs");
        assert!(ok.success(), "setup failed: {setup}");
    }
    real_age(dir);
    let dir_text = dir.to_string_lossy().into_owned();
    let args: Vec<String> = command.replace("DIR", &dir_text).split_whitespace().map(str::to_owned).collect();
    check_safe(&args, dir);
    let start = now();
    let output = Command::new(&args[0]).args(&args[1..]).current_dir(dir).output().expect("the tool runs");
    let mut normaliser = Normaliser::new((start - 1, now() + 1), command);
    let mut entries = BTreeMap::new();
    real_walk(dir, "", &mut entries);
    let stdout = normaliser.text(&String::from_utf8_lossy(&output.stdout).replace(&dir_text, "/D"));
    let stderr = normaliser.text(&String::from_utf8_lossy(&output.stderr).replace(&dir_text, "/D"));
    let files = normaliser.text(&describe(&entries));
    Observed { stdout: debian_release_masked(&stdout), stderr, status: output.status.code().unwrap_or(-1), files }
}

fn sim_run(setup: &str, command: &str) -> Observed {
    let mut world = World::new(1);
    let out = world.run(&format!("mkdir -p {SIM_DIR} && cd {SIM_DIR}"));
    assert_eq!(out.status, 0);
    if !setup.is_empty() {
        let out = world.run(setup);
        assert_eq!((out.status, out.stderr()), (0, String::new()), "setup failed in the simulation: {setup}");
    }
    let dir = world.machine().fs.resolve(ROOT, SIM_DIR, true).expect("the directory exists");
    sim_age(&mut world, dir);
    let start = world.clock;
    let out = world.run(&command.replace("DIR", SIM_DIR));
    let mut normaliser = Normaliser::new((start, world.clock + 1), command);
    let mut entries = BTreeMap::new();
    sim_walk(&world, dir, "", &mut entries);
    let stdout = normaliser.text(&out.stdout().replace(SIM_DIR, "/D"));
    let stderr = normaliser.text(&out.stderr().replace(SIM_DIR, "/D"));
    let files = normaliser.text(&describe(&entries));
    Observed { stdout: debian_release_masked(&stdout), stderr, status: out.status, files }
}

/// `--version` of the systemd tools names Debian's package release (`systemd 252
/// (252.39-1~deb12u2)`), which changes with every stable update of the machine that runs this
/// test; the release is masked, the upstream version (252) and the feature line are compared.
fn debian_release_masked(stdout: &str) -> String {
    match stdout.strip_prefix("systemd 252 (").and_then(|rest| rest.split_once(')')) {
        Some((_, rest)) => format!("systemd 252 (<DEBIAN RELEASE>){rest}"),
        None => stdout.to_owned(),
    }
}

fn compare(dir: &Path, name: &str, setup: &str, command: &str, failures: &mut Vec<String>) {
    let real = real_run(dir, setup, command);
    let sim = sim_run(setup, command);
    if std::env::var_os("GUESTLAB_MID_SHOW").is_some() {
        println!("== {name}: {command}\n{real:?}");
    }
    if real != sim {
        failures.push(format!(
            "layout {name}: `{command}`\n  real: status {} stdout {:?} stderr {:?}\n{}\n  sim:  status {} stdout {:?} stderr {:?}\n{}",
            real.status, real.stdout, real.stderr, real.files, sim.status, sim.stdout, sim.stderr, sim.files
        ));
    }
}

#[test]
fn machine_id_tools_and_guestlab_agree() {
    let tools = ["dbus-uuidgen", "systemd-machine-id-setup", "systemd-id128"];
    let missing: Vec<&str> = tools.iter().copied().filter(|t| !installed(t)).collect();
    if !missing.is_empty() {
        println!("skipped: tool missing: {}", missing.join(", "));
        return;
    }
    let base: PathBuf = std::env::temp_dir().join(format!("guestlab-machine-id-diff-{}", std::process::id()));
    let dir = base.join("w");
    let mut failures = Vec::new();
    let mut runs = 0;
    for (name, setup) in layouts() {
        for command in COMMANDS {
            compare(&dir, name, &setup, command, &mut failures);
            runs += 1;
        }
    }
    for command in STANDALONE {
        compare(&dir, "none", "", command, &mut failures);
        runs += 1;
    }
    let _ = std::fs::remove_dir_all(&base);
    println!("machine-id tools: {runs} runs compared, {} differ", failures.len());
    assert!(failures.is_empty(), "{} of {runs} runs differ:\n\n{}", failures.len(), failures.join("\n\n"));
}
