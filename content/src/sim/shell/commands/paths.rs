//! Names and identities: `readlink`, `realpath`, `basename`, `dirname`, `which`, `id` and
//! `groups`.

use super::common::{lquote, quote};
use super::{CommandInfo, find, split_options, usage_error};
use crate::sim::shell::Ctx;
use crate::sim::vfs::{FsError, NodeKind, ROOT};

pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "basename",
        run: basename,
        summary: "strip directory and suffix from file names",
        usage: "Usage: basename NAME [SUFFIX]\n  or:  basename OPTION... NAME...\nPrint NAME with any leading directory components removed; also remove a trailing SUFFIX.\n\n  -a, --multiple       support multiple arguments and treat each as a NAME\n  -s, --suffix=SUFFIX  remove a trailing SUFFIX; implies -a\n",
    },
    CommandInfo {
        name: "dirname",
        run: dirname,
        summary: "strip the last component from file names",
        usage: "Usage: dirname NAME...\nOutput each NAME with its last non-slash component and trailing slashes removed;\nif NAME contains no /'s, output '.' (meaning the current directory).\n",
    },
    CommandInfo {
        name: "groups",
        run: groups,
        summary: "print the groups a user is in",
        usage: "Usage: groups [USERNAME]...\nPrint group memberships for each USERNAME or, if no USERNAME is specified, for the current user.\n",
    },
    CommandInfo {
        name: "id",
        run: id,
        summary: "print real and effective user and group IDs",
        usage: "Usage: id [OPTION]... [USER]\nPrint user and group information for USER, or (when USER omitted) for the current user.\n\n  -g, --group    print only the effective group ID\n  -G, --groups   print all group IDs\n  -n, --name     print a name instead of a number, for -u, -g or -G\n  -u, --user     print only the effective user ID\n",
    },
    CommandInfo {
        name: "readlink",
        run: readlink,
        summary: "print resolved symbolic links or canonical file names",
        usage: "Usage: readlink [OPTION]... FILE...\nPrint value of a symbolic link or canonical file name.\n\n  -f, --canonicalize            canonicalize by following every symlink; all but the last\n                                component must exist\n  -e, --canonicalize-existing   like -f, but all components must exist\n  -m, --canonicalize-missing    like -f, but no components need exist\n  -n, --no-newline              do not output the trailing delimiter\n  -v, --verbose                 report error messages\n",
    },
    CommandInfo {
        name: "realpath",
        run: realpath,
        summary: "print the resolved absolute file name",
        usage: "Usage: realpath [OPTION]... FILE...\nPrint the resolved absolute file name; all but the last component must exist.\n\n  -e, --canonicalize-existing  all components of the path must exist\n  -m, --canonicalize-missing   no path components need exist or be a directory\n  -s, --strip, --no-symlinks   don't expand symlinks\n",
    },
    CommandInfo {
        name: "which",
        run: which,
        summary: "locate a command",
        usage: "Usage: which [-a] COMMAND...\nWrite the full path of COMMAND(s) to standard output.\nExit status: 0 if all were found, 1 if some were not.\n\n  -a   print all matching pathnames of each argument\n",
    },
];

/// How much of a path must exist for canonicalization.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Canon {
    /// All but the last component (`-f`).
    AllButLast,
    /// Every component (`-e`).
    Existing,
    /// None (`-m`).
    Missing,
}

/// Canonicalizes a path with symlinks resolved, as readlink/realpath do.
fn canonicalize(ctx: &Ctx<'_>, path: &str, mode: Canon) -> Result<String, FsError> {
    let fs = ctx.fs();
    match mode {
        Canon::AllButLast => fs.canonicalize(ctx.cwd(), path),
        Canon::Existing => {
            ctx.resolve(path, true)?;
            fs.canonicalize(ctx.cwd(), path)
        }
        Canon::Missing => {
            if let Ok(p) = fs.canonicalize(ctx.cwd(), path) {
                return Ok(p);
            }
            // Resolve the longest existing prefix, then add the rest lexically.
            let absolute =
                if path.starts_with('/') { path.to_owned() } else { format!("{}/{path}", ctx.machine().cwd) };
            let parts: Vec<&str> = absolute.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
            let mut base = "/".to_owned();
            let mut i = 0;
            while i < parts.len() {
                let candidate = super::common::join(&base, parts[i]);
                match fs.canonicalize(ROOT, &candidate) {
                    Ok(p) if fs.resolve(ROOT, &p, true).is_ok() || i + 1 == parts.len() => {
                        base = p;
                        i += 1;
                    }
                    _ => break,
                }
            }
            let mut stack: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
            for part in &parts[i..] {
                if *part == ".." {
                    stack.pop();
                } else {
                    stack.push(part);
                }
            }
            Ok(format!("/{}", stack.join("/")))
        }
    }
}

fn readlink(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &[]);
    let (mut mode, mut newline, mut verbose) = (None, true, false);
    for option in &options {
        match option.as_str() {
            "-f" | "--canonicalize" => mode = Some(Canon::AllButLast),
            "-e" | "--canonicalize-existing" => mode = Some(Canon::Existing),
            "-m" | "--canonicalize-missing" => mode = Some(Canon::Missing),
            "-n" | "--no-newline" => newline = false,
            "-v" | "--verbose" => verbose = true,
            "-q" | "-s" | "--quiet" | "--silent" => verbose = false,
            other => return usage_error(ctx, "readlink", &super::builtins::unknown_option(other)),
        }
    }
    if operands.is_empty() {
        return usage_error(ctx, "readlink", "missing operand");
    }
    let mut status = 0;
    for operand in &operands {
        let result = match mode {
            Some(m) => canonicalize(ctx, operand, m),
            None => match ctx.node(operand, false).map(|n| n.kind.clone()) {
                Ok(NodeKind::Symlink(target)) => Ok(target),
                Ok(_) => Err(FsError::Invalid),
                Err(e) => Err(e),
            },
        };
        match result {
            Ok(text) => {
                let end = if newline || operands.len() > 1 { "\n" } else { "" };
                ctx.out(&format!("{text}{end}"));
            }
            Err(e) => {
                if verbose {
                    ctx.err(&format!("readlink: {operand}: {e}\n"));
                }
                status = 1;
            }
        }
    }
    status
}

fn realpath(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &[]);
    let (mut mode, mut strip, mut quiet) = (Canon::AllButLast, false, false);
    for option in &options {
        match option.as_str() {
            "-e" | "--canonicalize-existing" => mode = Canon::Existing,
            "-m" | "--canonicalize-missing" => mode = Canon::Missing,
            "-s" | "--strip" | "--no-symlinks" => strip = true,
            "-q" | "--quiet" => quiet = true,
            "-L" | "--logical" | "-P" | "--physical" => {}
            other => return usage_error(ctx, "realpath", &super::builtins::unknown_option(other)),
        }
    }
    if operands.is_empty() {
        return usage_error(ctx, "realpath", "missing operand");
    }
    let mut status = 0;
    for operand in &operands {
        let result = if strip {
            let absolute =
                if operand.starts_with('/') { operand.clone() } else { format!("{}/{operand}", ctx.machine().cwd) };
            Ok(super::builtins::normalize(&absolute))
        } else {
            canonicalize(ctx, operand, mode)
        };
        match result {
            Ok(path) => ctx.out(&format!("{path}\n")),
            Err(e) => {
                if !quiet {
                    ctx.err(&format!("realpath: {operand}: {e}\n"));
                }
                status = 1;
            }
        }
    }
    status
}

/// `basename`'s rules: trailing slashes go, then the directory part, then the suffix.
fn base_of(name: &str, suffix: &str) -> String {
    let trimmed = name.trim_end_matches('/');
    if trimmed.is_empty() {
        return if name.is_empty() { String::new() } else { "/".to_owned() };
    }
    let base = trimmed.rsplit('/').next().unwrap_or(trimmed);
    match base.strip_suffix(suffix) {
        Some(stripped) if !suffix.is_empty() && !stripped.is_empty() => stripped.to_owned(),
        _ => base.to_owned(),
    }
}

fn basename(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &["-s", "--suffix"]);
    let (mut multiple, mut suffix, mut end) = (false, String::new(), "\n");
    for option in &options {
        match option.as_str() {
            "-a" | "--multiple" => multiple = true,
            "-z" | "--zero" => end = "\0",
            o if o.starts_with("-s=") || o.starts_with("--suffix=") => {
                suffix = o.split_once('=').map_or("", |(_, v)| v).to_owned();
                multiple = true;
            }
            other => return usage_error(ctx, "basename", &super::builtins::unknown_option(other)),
        }
    }
    let names: Vec<&String> = match operands.as_slice() {
        [] => return usage_error(ctx, "basename", "missing operand"),
        all if multiple => all.iter().collect(),
        [name] => vec![name],
        [name, s] => {
            suffix.clone_from(s);
            vec![name]
        }
        [_, _, extra, ..] => return usage_error(ctx, "basename", &format!("extra operand {}", quote(extra))),
    };
    let text: String = names.iter().map(|n| format!("{}{end}", base_of(n, &suffix))).collect();
    ctx.out(&text);
    0
}

/// `dirname`'s rules.
fn dir_of(name: &str) -> String {
    let trimmed = name.trim_end_matches('/');
    if trimmed.is_empty() {
        return if name.starts_with('/') { "/".to_owned() } else { ".".to_owned() };
    }
    match trimmed.rfind('/') {
        None => ".".to_owned(),
        Some(i) => {
            let dir = trimmed[..i].trim_end_matches('/');
            if dir.is_empty() { "/".to_owned() } else { dir.to_owned() }
        }
    }
}

fn dirname(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &[]);
    let mut end = "\n";
    for option in &options {
        match option.as_str() {
            "-z" | "--zero" => end = "\0",
            other => return usage_error(ctx, "dirname", &super::builtins::unknown_option(other)),
        }
    }
    if operands.is_empty() {
        return usage_error(ctx, "dirname", "missing operand");
    }
    let text: String = operands.iter().map(|n| format!("{}{end}", dir_of(n))).collect();
    ctx.out(&text);
    0
}

/// Commands that exist only inside bash, with no program file.
const BASH_ONLY: &[&str] = &["cd", "exit", "export", "help", "history", "type", "unset", "source", "alias"];

/// Commands installed in /usr/sbin rather than /usr/bin.
const SBIN: &[&str] = &[
    "chroot", "fdisk", "losetup", "modprobe", "lsmod", "sysctl", "libvirtd", "virtlogd", "dnsmasq", "useradd",
    "usermod", "groupadd", "reboot", "shutdown", "iptables", "nft", "parted", "blkid", "mkfs", "mkswap", "fsck",
];

fn which(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &[]);
    let mut all = false;
    for option in &options {
        match option.as_str() {
            "-a" => all = true,
            other => {
                ctx.err(&format!("Illegal option {other}\nUsage: /usr/bin/which [-a] args\n"));
                return 2;
            }
        }
    }
    let mut status = i32::from(operands.is_empty());
    let mut out = String::new();
    for name in &operands {
        let known = find(name).is_some() && !BASH_ONLY.contains(&name.as_str());
        let path = if name.contains('/') {
            (ctx.resolve(name, true).is_ok()).then(|| name.clone())
        } else if known {
            let dir = if SBIN.contains(&name.as_str()) { "sbin" } else { "bin" };
            let mut found = format!("/usr/{dir}/{name}");
            if all {
                found.push_str(&format!("\n/{dir}/{name}"));
            }
            Some(found)
        } else {
            None
        };
        match path {
            Some(p) => out.push_str(&format!("{p}\n")),
            None => status = 1,
        }
    }
    ctx.out(&out);
    status
}

/// A user's account: name, uid, primary gid, and every group (primary first) as (gid, name).
struct Account {
    name: String,
    uid: u32,
    gid: u32,
    groups: Vec<(u32, String)>,
}

fn account(ctx: &Ctx<'_>, name: &str) -> Option<Account> {
    let (uid, gid, _) = ctx.user(name).or_else(|| {
        let uid: u32 = name.parse().ok()?;
        let user = ctx.user_name(uid);
        ctx.user(&user)
    })?;
    let name = ctx.user_name(uid);
    let mut groups = vec![(gid, ctx.group_name(gid))];
    let text = ctx
        .fs()
        .resolve(ROOT, "/etc/group", true)
        .and_then(|i| ctx.fs().file(i).map(|f| f.read_all(1 << 20)))
        .unwrap_or_default();
    for line in String::from_utf8_lossy(&text).lines() {
        let f: Vec<&str> = line.split(':').collect();
        if f.len() >= 4
            && f[3].split(',').any(|m| m == name)
            && let Ok(g) = f[2].parse::<u32>()
            && !groups.iter().any(|(id, _)| *id == g)
        {
            groups.push((g, f[0].to_owned()));
        }
    }
    Some(Account { name, uid, gid, groups })
}

fn current_user(ctx: &Ctx<'_>) -> String {
    ctx.var("USER").unwrap_or("root").to_owned()
}

fn id(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &[]);
    let (mut what, mut names) = (None, false);
    for option in &options {
        match option.as_str() {
            "-u" | "--user" => what = Some('u'),
            "-g" | "--group" => what = Some('g'),
            "-G" | "--groups" => what = Some('G'),
            "-n" | "--name" => names = true,
            "-r" | "--real" => {}
            other => return usage_error(ctx, "id", &super::builtins::unknown_option(other)),
        }
    }
    if operands.len() > 1 {
        return usage_error(ctx, "id", &format!("extra operand {}", quote(&operands[1])));
    }
    let user = operands.first().cloned().unwrap_or_else(|| current_user(ctx));
    let Some(a) = account(ctx, &user) else {
        ctx.err(&format!("id: {}: no such user\n", lquote(&user)));
        return 1;
    };
    let gname = ctx.group_name(a.gid);
    let text = match (what, names) {
        (Some('u'), false) => a.uid.to_string(),
        (Some('u'), true) => a.name.clone(),
        (Some('g'), false) => a.gid.to_string(),
        (Some('g'), true) => gname,
        (Some(_), false) => a.groups.iter().map(|(g, _)| g.to_string()).collect::<Vec<_>>().join(" "),
        (Some(_), true) => a.groups.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>().join(" "),
        (None, true) => {
            ctx.err("id: cannot print only names or real IDs in default format\n");
            return 1;
        }
        (None, false) => {
            let groups: Vec<String> = a.groups.iter().map(|(g, n)| format!("{g}({n})")).collect();
            format!("uid={}({}) gid={}({gname}) groups={}", a.uid, a.name, a.gid, groups.join(","))
        }
    };
    ctx.out(&format!("{text}\n"));
    0
}

fn groups(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let users: Vec<String> = args[1..].to_vec();
    if users.is_empty() {
        let user = current_user(ctx);
        let names: Vec<String> =
            account(ctx, &user).map(|a| a.groups.into_iter().map(|(_, n)| n).collect()).unwrap_or_default();
        ctx.out(&format!("{}\n", names.join(" ")));
        return 0;
    }
    let mut status = 0;
    for user in &users {
        match account(ctx, user) {
            Some(a) => {
                let names: Vec<String> = a.groups.into_iter().map(|(_, n)| n).collect();
                ctx.out(&format!("{user} : {}\n", names.join(" ")));
            }
            None => {
                ctx.err(&format!("groups: {}: no such user\n", lquote(user)));
                status = 1;
            }
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::{base_of, dir_of};

    #[test]
    fn names_split_like_coreutils() {
        assert_eq!(base_of("/a/b/c.txt", ".txt"), "c");
        assert_eq!(base_of("/a/b/", ""), "b");
        assert_eq!(base_of("/", ""), "/");
        assert_eq!(base_of(".txt", ".txt"), ".txt");
        assert_eq!(dir_of("/a/b/c"), "/a/b");
        assert_eq!(dir_of("a"), ".");
        assert_eq!(dir_of("/"), "/");
        assert_eq!(dir_of("a/"), ".");
        assert_eq!(dir_of("/a"), "/");
        assert_eq!(dir_of("a//b"), "a");
    }
}
