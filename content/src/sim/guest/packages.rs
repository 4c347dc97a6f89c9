//! Debian packages in a guest, as far as GuestLab follows them: dpkg's status file
//! (`/var/lib/dpkg/status`, one stanza per installed package) is the record, `apt-get`
//! (`update`, `upgrade`, `install`) and `apt` write it, `dpkg -l`, `dpkg -s` and
//! `apt list --installed` read it.
//!
//! Simplified: a small catalog of bookworm packages (those the lessons install and a few
//! more) with their versions and direct dependencies; nothing is downloaded and no package's
//! files are unpacked — only its status stanza and the lines apt prints.

use crate::sim::shell::Ctx;
use crate::sim::shell::commands::CommandInfo;
use crate::sim::vfs::{ROOT, Vfs};

/// The commands of this module.
pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "dpkg",
        run: dpkg,
        summary: "list installed packages (dpkg -l [PATTERN]) or show one (dpkg -s PACKAGE)",
        usage: "Usage: dpkg -l [PATTERN...] | dpkg -s PACKAGE...\n",
    },
    CommandInfo {
        name: "apt-get",
        run: apt_get,
        summary: "update the package lists, upgrade, install packages (from GuestLab's catalog)",
        usage: "Usage: apt-get [-y] [-q] update | upgrade | install PACKAGE...\n",
    },
    CommandInfo {
        name: "apt",
        run: apt,
        summary: "install packages, list the installed ones (apt list --installed)",
        usage: "Usage: apt update | upgrade | install [-y] PACKAGE... | list --installed\n",
    },
];

/// The status file.
pub const STATUS: &str = "/var/lib/dpkg/status";

/// One package of the catalog: name, version, architecture, section, installed size (KiB),
/// the packages it depends on, and its short description.
pub struct Package {
    pub name: &'static str,
    pub version: &'static str,
    pub arch: &'static str,
    pub section: &'static str,
    pub size: u32,
    pub depends: &'static [&'static str],
    pub description: &'static str,
}

const fn pkg(
    name: &'static str,
    version: &'static str,
    arch: &'static str,
    section: &'static str,
    size: u32,
    depends: &'static [&'static str],
    description: &'static str,
) -> Package {
    Package { name, version, arch, section, size, depends, description }
}

/// The packages GuestLab knows (Debian 12 "bookworm" versions).
pub static CATALOG: &[Package] = &[
    pkg("apt", "2.6.1", "amd64", "admin", 4144, &[], "commandline package manager"),
    pkg("base-files", "12.4+deb12u8", "amd64", "admin", 341, &[], "Debian base system miscellaneous files"),
    pkg("bash", "5.2.15-2+b7", "amd64", "shells", 7164, &[], "GNU Bourne Again SHell"),
    pkg(
        "cloud-init",
        "22.4.2-1+deb12u1",
        "all",
        "admin",
        2965,
        &[],
        "initialization system for infrastructure cloud instances",
    ),
    pkg("coreutils", "9.1-1", "amd64", "utils", 18062, &[], "GNU core utilities"),
    pkg(
        "curl",
        "7.88.1-10+deb12u8",
        "amd64",
        "web",
        500,
        &["libcurl4"],
        "command line tool for transferring data with URL syntax",
    ),
    pkg("dpkg", "1.21.22", "amd64", "admin", 6452, &[], "Debian package management system"),
    pkg(
        "git",
        "1:2.39.5-0+deb12u1",
        "amd64",
        "vcs",
        38769,
        &["git-man", "liberror-perl"],
        "fast, scalable, distributed revision control system",
    ),
    pkg(
        "git-man",
        "1:2.39.5-0+deb12u1",
        "all",
        "doc",
        2118,
        &[],
        "fast, scalable, distributed revision control system (manual pages)",
    ),
    pkg("htop", "3.2.2-2", "amd64", "utils", 422, &[], "interactive processes viewer"),
    pkg(
        "libcurl4",
        "7.88.1-10+deb12u8",
        "amd64",
        "libs",
        1061,
        &[],
        "easy-to-use client-side URL transfer library (OpenSSL flavour)",
    ),
    pkg(
        "liberror-perl",
        "0.17029-2",
        "all",
        "perl",
        40,
        &[],
        "Perl module for error/exception handling in an OO-ish way",
    ),
    pkg(
        "libnginx-mod-http-geoip",
        "1.22.1-9+deb12u1",
        "amd64",
        "httpd",
        56,
        &["nginx-common"],
        "GeoIP HTTP module for Nginx",
    ),
    pkg(
        "locales",
        "2.36-9+deb12u9",
        "all",
        "localization",
        16903,
        &[],
        "GNU C Library: National Language (locale) data [support]",
    ),
    pkg("nano", "7.2-1+deb12u1", "amd64", "editors", 2842, &[], "small, friendly text editor inspired by Pico"),
    pkg("netbase", "6.4", "all", "admin", 41, &[], "Basic TCP/IP networking system"),
    pkg(
        "nginx",
        "1.22.1-9+deb12u1",
        "amd64",
        "httpd",
        1243,
        &["nginx-common", "libnginx-mod-http-geoip"],
        "small, powerful, scalable web/proxy server",
    ),
    pkg(
        "nginx-common",
        "1.22.1-9+deb12u1",
        "all",
        "httpd",
        407,
        &[],
        "small, powerful, scalable web/proxy server - common files",
    ),
    pkg(
        "openssh-client",
        "1:9.2p1-2+deb12u3",
        "amd64",
        "net",
        5008,
        &[],
        "secure shell (SSH) client, for secure access to remote machines",
    ),
    pkg(
        "openssh-server",
        "1:9.2p1-2+deb12u3",
        "amd64",
        "net",
        1829,
        &["openssh-client"],
        "secure shell (SSH) server, for secure access from remote machines",
    ),
    pkg("qemu-guest-agent", "1:7.2+dfsg-7+deb12u7", "amd64", "admin", 1041, &[], "Guest-side qemu-system agent"),
    pkg(
        "sudo",
        "1.9.13p3-1+deb12u1",
        "amd64",
        "admin",
        6209,
        &[],
        "Provide limited super user privileges to specific users",
    ),
    pkg("systemd", "252.31-1~deb12u1", "amd64", "admin", 25419, &[], "system and service manager"),
    pkg("tree", "2.1.0-1", "amd64", "utils", 113, &[], "displays an indented directory tree, in color"),
    pkg("tzdata", "2024a-0+deb12u1", "all", "localization", 3312, &[], "time zone and daylight-saving time data"),
    pkg("vim", "2:9.0.1378-2", "amd64", "editors", 3976, &["vim-runtime"], "Vi IMproved - enhanced vi editor"),
    pkg("vim-runtime", "2:9.0.1378-2", "all", "editors", 36924, &[], "Vi IMproved - Runtime files"),
];

/// The packages of a freshly installed Debian 12 guest (the cloud image adds cloud-init).
pub const BASE: &[&str] = &[
    "apt",
    "base-files",
    "bash",
    "coreutils",
    "dpkg",
    "locales",
    "nano",
    "netbase",
    "openssh-client",
    "openssh-server",
    "sudo",
    "systemd",
    "tzdata",
];

/// The catalog entry of a package.
pub fn find(name: &str) -> Option<&'static Package> {
    CATALOG.iter().find(|p| p.name == name)
}

/// A status stanza; `auto` marks a dependency (apt's "automatically installed").
fn stanza(p: &Package) -> String {
    format!(
        "Package: {}\nStatus: install ok installed\nPriority: optional\nSection: {}\nInstalled-Size: {}\nArchitecture: {}\nVersion: {}\nDescription: {}\n",
        p.name, p.section, p.size, p.arch, p.version, p.description
    )
}

/// The status file text for a set of packages (sorted by name, as dpkg keeps it).
pub fn status_text(names: &[&str]) -> String {
    let mut names: Vec<&str> = names.to_vec();
    crate::order::sort(&mut names);
    names.dedup();
    names.iter().filter_map(|n| find(n)).map(stanza).collect::<Vec<_>>().join("\n")
}

/// The installed packages: (name, version, architecture, description), from the status file.
pub fn installed(fs: &Vfs) -> Vec<(String, String, String, String)> {
    let text = fs.read_text(ROOT, STATUS, 1 << 22).unwrap_or_default();
    text.split("\n\n")
        .filter_map(|block| {
            let field = |k: &str| {
                block.lines().find_map(|l| l.strip_prefix(k).and_then(|r| r.strip_prefix(": ")).map(str::to_owned))
            };
            field("Status").filter(|s| s.ends_with(" installed"))?;
            Some((field("Package")?, field("Version")?, field("Architecture")?, field("Description")?))
        })
        .collect()
}

fn is_installed(fs: &Vfs, name: &str) -> bool {
    installed(fs).iter().any(|(n, ..)| n == name)
}

/// A glob pattern as dpkg-query matches package names (`*`, `?`).
fn glob(pattern: &str, name: &str) -> bool {
    fn go(p: &[u8], n: &[u8]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), name.as_bytes())
}

fn dpkg(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let list = installed(ctx.fs());
    match args.get(1).map(String::as_str) {
        Some("-l" | "--list") => {
            let patterns = &args[2..];
            let rows: Vec<_> =
                list.iter().filter(|(n, ..)| patterns.is_empty() || patterns.iter().any(|p| glob(p, n))).collect();
            if rows.is_empty() {
                ctx.err(&format!("dpkg-query: no packages found matching {}\n", patterns.join(" ")));
                return 1;
            }
            let mut s = String::from(
                "Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n",
            );
            let w = |f: fn(&(String, String, String, String)) -> usize, min: usize| {
                rows.iter().map(|r| f(r)).max().unwrap_or(0).max(min)
            };
            let (wn, wv, wa) = (w(|r| r.0.len(), 4), w(|r| r.1.len(), 7), w(|r| r.2.len(), 12));
            s.push_str(&format!("||/ {:<wn$} {:<wv$} {:<wa$} Description\n", "Name", "Version", "Architecture"));
            s.push_str(&format!(
                "+++-{}-{}-{}-{}\n",
                "=".repeat(wn),
                "=".repeat(wv),
                "=".repeat(wa),
                "=".repeat(80usize.saturating_sub(wn + wv + wa + 7).max(11))
            ));
            for (n, v, a, d) in rows {
                s.push_str(&format!("ii  {n:<wn$} {v:<wv$} {a:<wa$} {d}\n"));
            }
            ctx.out(&s);
            0
        }
        Some("-s" | "--status") if args.len() > 2 => {
            let text = ctx.read_text(STATUS, 1 << 22).unwrap_or_default();
            let mut status = 0;
            for name in &args[2..] {
                match text.split("\n\n").find(|b| b.lines().next() == Some(&format!("Package: {name}"))) {
                    Some(block) => ctx.out(&format!("{}\n", block.trim_end())),
                    None => {
                        ctx.err(&format!(
                            "dpkg-query: package '{name}' is not installed and no information is available\nUse dpkg --info (= dpkg-deb --info) to examine archive files.\n"
                        ));
                        status = 1;
                    }
                }
            }
            status
        }
        _ => {
            ctx.err("GuestLab's dpkg knows -l [PATTERN...] and -s PACKAGE...\n");
            2
        }
    }
}

/// The packages to install for `names` (with their dependencies, in install order) that are
/// not installed yet, or the first unknown name.
fn resolve(fs: &Vfs, names: &[String]) -> Result<Vec<(&'static Package, bool)>, String> {
    let mut out: Vec<(&'static Package, bool)> = Vec::new();
    fn add(fs: &Vfs, p: &'static Package, auto: bool, out: &mut Vec<(&'static Package, bool)>) {
        if out.iter().any(|(q, _)| q.name == p.name) || is_installed(fs, p.name) {
            return;
        }
        for d in p.depends {
            if let Some(dep) = find(d) {
                add(fs, dep, true, out);
            }
        }
        out.push((p, auto));
    }
    for name in names {
        let p = find(name).ok_or_else(|| name.clone())?;
        add(fs, p, false, &mut out);
    }
    Ok(out)
}

/// The repositories of a Debian 12 guest, as `apt-get update` fetches them.
const UPDATE: &str = "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]\nGet:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]\nGet:3 http://deb.debian.org/debian-security bookworm-security InRelease [48.0 kB]\nGet:4 http://deb.debian.org/debian bookworm/main amd64 Packages [8,792 kB]\nGet:5 http://deb.debian.org/debian-security bookworm-security/main amd64 Packages [262 kB]\nFetched 9,308 kB in 2s (4,654 kB/s)\nReading package lists...\n";

fn thousands(n: u32) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Runs `apt-get install` (or `apt install`): prints what apt prints and records the packages
/// in the status file. Returns the exit status.
pub fn install(ctx: &mut Ctx<'_>, names: &[String]) -> i32 {
    ctx.out("Reading package lists...\nBuilding dependency tree...\nReading state information...\n");
    let plan = match resolve(ctx.fs(), names) {
        Ok(plan) => plan,
        Err(unknown) => {
            ctx.err(&format!("E: Unable to locate package {unknown}\n"));
            return 100;
        }
    };
    let already: Vec<&String> = names.iter().filter(|n| !plan.iter().any(|(p, _)| p.name == n.as_str())).collect();
    for name in &already {
        if let Some(p) = find(name) {
            ctx.out(&format!("{name} is already the newest version ({}).\n", p.version));
        }
    }
    if plan.is_empty() {
        ctx.out("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
        return 0;
    }
    let extra: Vec<&str> = plan.iter().filter(|(_, auto)| *auto).map(|(p, _)| p.name).collect();
    if !extra.is_empty() {
        ctx.out(&format!("The following additional packages will be installed:\n  {}\n", extra.join(" ")));
    }
    let mut all: Vec<&str> = plan.iter().map(|(p, _)| p.name).collect();
    crate::order::sort(&mut all);
    let size: u32 = plan.iter().map(|(p, _)| p.size).sum();
    let mut s = format!(
        "The following NEW packages will be installed:\n  {}\n0 upgraded, {} newly installed, 0 to remove and 0 not upgraded.\nNeed to get {} kB of archives.\nAfter this operation, {} kB of additional disk space will be used.\n",
        all.join(" "),
        plan.len(),
        thousands(size / 3),
        thousands(size)
    );
    for (i, (p, _)) in plan.iter().enumerate() {
        s.push_str(&format!(
            "Get:{} http://deb.debian.org/debian bookworm/main {} {} {} [{} kB]\n",
            i + 1,
            p.arch,
            p.name,
            p.version,
            thousands(p.size / 3)
        ));
    }
    s.push_str(&format!("Fetched {} kB in 0s ({} kB/s)\n", thousands(size / 3), thousands(size)));
    for (p, _) in &plan {
        s.push_str(&format!(
            "Selecting previously unselected package {n}.\nPreparing to unpack .../{n}_{v}_{a}.deb ...\nUnpacking {n} ({v}) ...\n",
            n = p.name,
            v = p.version.split_once(':').map_or(p.version, |(_, v)| v),
            a = p.arch
        ));
    }
    for (p, _) in &plan {
        s.push_str(&format!("Setting up {} ({}) ...\n", p.name, p.version));
    }
    ctx.out(&s);
    let mut names: Vec<String> = installed(ctx.fs()).into_iter().map(|(n, ..)| n).collect();
    names.extend(plan.iter().map(|(p, _)| p.name.to_owned()));
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let text = status_text(&refs);
    let now = ctx.now();
    crate::sim::libvirt::files::write(ctx.fs_mut(), STATUS, &text, 0o644, now);
    0
}

fn needs_root(ctx: &mut Ctx<'_>) -> bool {
    if ctx.var("USER").unwrap_or("root") == "root" {
        return false;
    }
    ctx.err("E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?\n");
    true
}

fn apt_get(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let words: Vec<String> = args[1..].iter().filter(|a| !a.starts_with('-')).cloned().collect();
    match words.first().map(String::as_str) {
        Some("update") => {
            if needs_root(ctx) {
                return 100;
            }
            ctx.out(UPDATE);
            0
        }
        Some("upgrade" | "dist-upgrade" | "full-upgrade") => {
            if needs_root(ctx) {
                return 100;
            }
            ctx.out("Reading package lists...\nBuilding dependency tree...\nReading state information...\nCalculating upgrade...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
            0
        }
        Some("install") => {
            if needs_root(ctx) {
                return 100;
            }
            install(ctx, &words[1..])
        }
        Some(other) => {
            ctx.err(&format!("E: Invalid operation {other}\n"));
            100
        }
        None => {
            ctx.out("apt 2.6.1 (amd64)\nUsage: apt-get [options] command\n");
            1
        }
    }
}

fn apt(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    if args.get(1).map(String::as_str) == Some("list") {
        let only: Vec<&String> = args[2..].iter().filter(|a| !a.starts_with('-')).collect();
        ctx.out("Listing... Done\n");
        let mut s = String::new();
        for (n, v, a, _) in installed(ctx.fs()) {
            if only.is_empty() || only.iter().any(|p| glob(p, &n)) {
                s.push_str(&format!("{n}/stable,now {v} {a} [installed]\n"));
            }
        }
        ctx.out(&s);
        return 0;
    }
    apt_get(ctx, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dependency_is_in_the_catalog_and_the_base_set_too() {
        for p in CATALOG {
            for d in p.depends {
                assert!(find(d).is_some(), "{} depends on unknown {d}", p.name);
            }
        }
        for b in BASE {
            assert!(find(b).is_some(), "{b}");
        }
        assert!(glob("ngin*", "nginx") && glob("?ash", "bash") && !glob("nginx", "nginx-common"));
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn installed_packages_are_read_from_the_status_file() {
        let mut fs = Vfs::new(0);
        fs.mkdir_p("/var/lib/dpkg", 0o755, 0).unwrap();
        fs.put_file(STATUS, status_text(&["sudo", "bash"]).as_bytes(), 0o644, 0).unwrap();
        let names: Vec<String> = installed(&fs).into_iter().map(|(n, ..)| n).collect();
        assert_eq!(names, ["bash", "sudo"]);
    }
}
