//! Permissions and ownership: `chmod` (octal and symbolic modes), `chown` and `chgrp` (names
//! from `/etc/passwd` and `/etc/group`).

use super::common::{join, lquote, permissions, quote};
use super::{CommandInfo, split_options, usage_error};
use crate::sim::shell::Ctx;
use crate::sim::vfs::{FsError, Ino, Node, NodeKind, ROOT};

pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "chgrp",
        run: chgrp,
        summary: "change the group of files",
        usage: "Usage: chgrp [OPTION]... GROUP FILE...\nChange the group of each FILE to GROUP.\n\n  -c, --changes     like verbose but report only when a change is made\n  -h, --no-dereference  affect symbolic links instead of the files they point to\n  -R, --recursive   operate on files and directories recursively\n  -v, --verbose     output a diagnostic for every file processed\n",
    },
    CommandInfo {
        name: "chmod",
        run: chmod,
        summary: "change file mode bits",
        usage: "Usage: chmod [OPTION]... MODE[,MODE]... FILE...\n  or:  chmod [OPTION]... OCTAL-MODE FILE...\nChange the mode of each FILE to MODE. MODE is octal (600, 0755, 4755) or symbolic:\n[ugoa...][[-+=][rwxXst...]...][,...], e.g. u+x, go-w, a=r, u=rw,go=.\n\n  -c, --changes     like verbose but report only when a change is made\n  -f, --silent      suppress most error messages\n  -R, --recursive   change files and directories recursively\n  -v, --verbose     output a diagnostic for every file processed\n",
    },
    CommandInfo {
        name: "chown",
        run: chown,
        summary: "change file owner and group",
        usage: "Usage: chown [OPTION]... [OWNER][:[GROUP]] FILE...\nChange the owner and/or group of each FILE to OWNER and/or GROUP (names or numeric IDs).\n\n  -c, --changes     like verbose but report only when a change is made\n  -h, --no-dereference  affect symbolic links instead of the files they point to\n  -R, --recursive   operate on files and directories recursively\n  -v, --verbose     output a diagnostic for every file processed\n",
    },
];

/// The shell's umask, applied to symbolic modes without a `who`.
const UMASK: u32 = 0o022;

/// Applies a mode (octal like `755`, or symbolic like `u+x,go-w`) to `mode`. `None` if the
/// mode is invalid.
pub fn parse_mode(spec: &str, mode: u32, is_dir: bool) -> Option<u32> {
    if !spec.is_empty() && spec.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        if spec.len() > 5 {
            return None;
        }
        let value = u32::from_str_radix(spec, 8).ok()?;
        if value > 0o7777 {
            return None;
        }
        // Directories keep their set-ID bits under a short octal mode, as with GNU chmod.
        let kept = if is_dir && spec.len() < 5 { mode & 0o6000 } else { 0 };
        return Some(value | kept);
    }
    let mut mode = mode;
    for clause in spec.split(',') {
        let chars: Vec<char> = clause.chars().collect();
        let mut i = 0;
        let mut who = 0u32;
        while let Some(&c) = chars.get(i) {
            who |= match c {
                'u' => 0o4700,
                'g' => 0o2070,
                'o' => 0o1007,
                'a' => 0o7777,
                _ => break,
            };
            i += 1;
        }
        let (who, masked) = if who == 0 { (0o7777, true) } else { (who, false) };
        if i >= chars.len() {
            return None;
        }
        while i < chars.len() {
            let op = chars[i];
            if !matches!(op, '+' | '-' | '=') {
                return None;
            }
            i += 1;
            let mut bits = 0u32;
            while let Some(&c) = chars.get(i) {
                bits |= match c {
                    'r' => 0o444,
                    'w' => 0o222,
                    'x' => 0o111,
                    'X' if is_dir || mode & 0o111 != 0 => 0o111,
                    'X' => 0,
                    's' => 0o6000,
                    't' => 0o1000,
                    'u' => ((mode >> 6) & 7) * 0o111,
                    'g' => ((mode >> 3) & 7) * 0o111,
                    'o' => (mode & 7) * 0o111,
                    _ => break,
                };
                i += 1;
            }
            let mut bits = bits & who;
            if masked {
                bits &= !UMASK;
            }
            match op {
                '+' => mode |= bits,
                '-' => mode &= !bits,
                _ => {
                    let cleared = if masked { who & !UMASK } else { who };
                    // `=` keeps a directory's set-ID bits unless they are named.
                    let cleared = if is_dir { cleared & !0o6000 } else { cleared };
                    mode = (mode & !cleared) | bits;
                }
            }
        }
    }
    Some(mode)
}

/// Common options of chmod/chown/chgrp.
struct Walk {
    recursive: bool,
    verbose: bool,
    changes: bool,
    silent: bool,
    dereference: bool,
}

fn parse_walk(ctx: &mut Ctx<'_>, tool: &str, options: &[String]) -> Result<Walk, i32> {
    let mut w = Walk { recursive: false, verbose: false, changes: false, silent: false, dereference: true };
    for option in options {
        match option.as_str() {
            "-R" | "--recursive" => w.recursive = true,
            "-v" | "--verbose" => w.verbose = true,
            "-c" | "--changes" => w.changes = true,
            "-f" | "--silent" | "--quiet" => w.silent = true,
            "-h" | "--no-dereference" if tool != "chmod" => w.dereference = false,
            "--dereference" => w.dereference = true,
            other => return Err(usage_error(ctx, tool, &super::builtins::unknown_option(other))),
        }
    }
    Ok(w)
}

/// The nodes an operand stands for: itself and, with -R, everything below (symlinks found
/// below are not followed). Paths are as the user would see them.
fn targets(ctx: &Ctx<'_>, operand: &str, w: &Walk) -> Result<Vec<(String, Ino)>, FsError> {
    let ino = ctx.resolve(operand, w.dereference)?;
    let mut out = vec![(operand.to_owned(), ino)];
    if w.recursive {
        let mut stack = vec![(operand.to_owned(), ino)];
        while let Some((path, dir)) = stack.pop() {
            let Ok(entries) = ctx.fs().entries(dir) else { continue };
            for (name, &child) in entries.iter().rev() {
                let child_path = join(&path, name);
                out.push((child_path.clone(), child));
                if ctx.fs().node(child).is_some_and(Node::is_dir) {
                    stack.push((child_path, child));
                }
                if out.len() > crate::sim::vfs::MAX_NODES {
                    return Ok(out);
                }
            }
        }
    }
    Ok(out)
}

fn chmod(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    // A mode like `-w` looks like an option: take it as the mode if it parses as one.
    let mut rest: Vec<String> = Vec::new();
    let mut mode_arg: Option<String> = None;
    for a in &args[1..] {
        if mode_arg.is_none() && a.starts_with('-') && a.len() > 1 && a[1..].chars().all(|c| "rwxXst".contains(c)) {
            mode_arg = Some(a.clone());
        } else {
            rest.push(a.clone());
        }
    }
    let (options, mut operands) = split_options(&rest, &[]);
    let w = match parse_walk(ctx, "chmod", &options) {
        Ok(w) => w,
        Err(status) => return status,
    };
    let spec = match mode_arg {
        Some(m) => m,
        None if operands.is_empty() => return usage_error(ctx, "chmod", "missing operand"),
        None => operands.remove(0),
    };
    if operands.is_empty() {
        return usage_error(ctx, "chmod", &format!("missing operand after {}", lquote(&spec)));
    }
    if parse_mode(&spec, 0o644, false).is_none() {
        return usage_error(ctx, "chmod", &format!("invalid mode: {}", lquote(&spec)));
    }
    let mut status = 0;
    for operand in &operands {
        let list = match targets(ctx, operand, &w) {
            Ok(list) => list,
            Err(e) => {
                if !w.silent {
                    let dangling = ctx.resolve(operand, false).is_ok();
                    if dangling {
                        ctx.err(&format!("chmod: cannot operate on dangling symlink {}\n", quote(operand)));
                    } else {
                        ctx.err(&format!("chmod: cannot access {}: {e}\n", quote(operand)));
                    }
                }
                status = 1;
                continue;
            }
        };
        let mut out = String::new();
        for (path, ino) in list {
            let Some(node) = ctx.fs_mut().node_mut(ino) else { continue };
            if matches!(node.kind, NodeKind::Symlink(_)) {
                continue;
            }
            let old = node.mode & 0o7777;
            let new = parse_mode(&spec, old, node.is_dir()).unwrap_or(old);
            node.mode = new;
            let describe = |m: u32| format!("{m:04o} ({})", permissions(m));
            if old != new && (w.verbose || w.changes) {
                out.push_str(&format!(
                    "mode of {} changed from {} to {}\n",
                    quote(&path),
                    describe(old),
                    describe(new)
                ));
            } else if old == new && w.verbose {
                out.push_str(&format!("mode of {} retained as {}\n", quote(&path), describe(old)));
            }
        }
        ctx.out(&out);
    }
    status
}

/// Looks a group up by name (or number) in `/etc/group`.
pub fn group_id(ctx: &Ctx<'_>, name: &str) -> Option<u32> {
    if let Ok(id) = name.parse::<u32>() {
        return Some(id);
    }
    let text =
        ctx.fs().resolve(ROOT, "/etc/group", true).and_then(|i| ctx.fs().file(i).map(|f| f.read_all(1 << 20))).ok()?;
    String::from_utf8_lossy(&text).lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        (f.len() >= 3 && f[0] == name).then(|| f[2].parse().ok()).flatten()
    })
}

fn user_id(ctx: &Ctx<'_>, name: &str) -> Option<(u32, u32)> {
    if let Some((uid, gid, _)) = ctx.user(name) {
        return Some((uid, gid));
    }
    name.parse::<u32>().ok().map(|uid| (uid, uid))
}

/// Applies an owner/group change to every target of the operands.
fn change_owner(
    ctx: &mut Ctx<'_>,
    tool: &str,
    w: &Walk,
    operands: &[String],
    uid: Option<u32>,
    gid: Option<u32>,
) -> i32 {
    let mut status = 0;
    for operand in operands {
        let list = match targets(ctx, operand, w) {
            Ok(list) => list,
            Err(e) => {
                if !w.silent {
                    ctx.err(&format!("{tool}: cannot access {}: {e}\n", quote(operand)));
                }
                status = 1;
                continue;
            }
        };
        let mut out = String::new();
        for (path, ino) in list {
            let Some(node) = ctx.fs().node(ino) else { continue };
            let (old_uid, old_gid) = (node.uid, node.gid);
            let (new_uid, new_gid) = (uid.unwrap_or(old_uid), gid.unwrap_or(old_gid));
            let describe = |u: u32, g: u32| match (tool, uid.is_some(), gid.is_some()) {
                ("chgrp", _, _) | (_, false, true) => ctx.group_name(g),
                (_, true, false) => ctx.user_name(u),
                _ => format!("{}:{}", ctx.user_name(u), ctx.group_name(g)),
            };
            let changed = (old_uid, old_gid) != (new_uid, new_gid);
            let what = if tool == "chgrp" || uid.is_none() { "group" } else { "ownership" };
            if changed && (w.verbose || w.changes) {
                out.push_str(&format!(
                    "changed {what} of {} from {} to {}\n",
                    quote(&path),
                    describe(old_uid, old_gid),
                    describe(new_uid, new_gid)
                ));
            } else if !changed && w.verbose {
                out.push_str(&format!("{what} of {} retained as {}\n", quote(&path), describe(old_uid, old_gid)));
            }
            if let Some(node) = ctx.fs_mut().node_mut(ino) {
                node.uid = new_uid;
                node.gid = new_gid;
            }
        }
        ctx.out(&out);
    }
    status
}

fn chown(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, mut operands) = split_options(&args[1..], &[]);
    let w = match parse_walk(ctx, "chown", &options) {
        Ok(w) => w,
        Err(status) => return status,
    };
    if operands.is_empty() {
        return usage_error(ctx, "chown", "missing operand");
    }
    let spec = operands.remove(0);
    if operands.is_empty() {
        return usage_error(ctx, "chown", &format!("missing operand after {}", lquote(&spec)));
    }
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => match spec.split_once('.') {
            Some((u, g)) if ctx.user(&spec).is_none() => {
                ctx.err(&format!("chown: warning: '.' should be ':': {}\n", lquote(&spec)));
                (u, Some(g))
            }
            _ => (spec.as_str(), None),
        },
    };
    let mut uid = None;
    let mut gid = None;
    if !user.is_empty() {
        let Some((u, login_group)) = user_id(ctx, user) else {
            ctx.err(&format!("chown: invalid user: {}\n", lquote(&spec)));
            return 1;
        };
        uid = Some(u);
        if group == Some("") {
            gid = Some(login_group);
        }
    }
    if let Some(g) = group.filter(|g| !g.is_empty()) {
        let Some(id) = group_id(ctx, g) else {
            ctx.err(&format!("chown: invalid group: {}\n", lquote(&spec)));
            return 1;
        };
        gid = Some(id);
    }
    change_owner(ctx, "chown", &w, &operands, uid, gid)
}

fn chgrp(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, mut operands) = split_options(&args[1..], &[]);
    let w = match parse_walk(ctx, "chgrp", &options) {
        Ok(w) => w,
        Err(status) => return status,
    };
    if operands.is_empty() {
        return usage_error(ctx, "chgrp", "missing operand");
    }
    let group = operands.remove(0);
    if operands.is_empty() {
        return usage_error(ctx, "chgrp", &format!("missing operand after {}", lquote(&group)));
    }
    let Some(gid) = group_id(ctx, &group) else {
        ctx.err(&format!("chgrp: invalid group: {}\n", lquote(&group)));
        return 1;
    };
    change_owner(ctx, "chgrp", &w, &operands, None, Some(gid))
}

#[cfg(test)]
mod tests {
    use super::parse_mode;

    #[test]
    fn modes_apply_like_chmod() {
        assert_eq!(parse_mode("600", 0o644, false), Some(0o600));
        assert_eq!(parse_mode("u+x,g-r,o=w", 0o644, false), Some(0o702));
        assert_eq!(parse_mode("a=rX", 0o702, false), Some(0o555));
        assert_eq!(parse_mode("+x", 0o644, false), Some(0o755));
        assert_eq!(parse_mode("+w", 0o444, false), Some(0o644));
        assert_eq!(parse_mode("g+s,o+t", 0o755, true), Some(0o3755));
        assert_eq!(parse_mode("755", 0o2755, true), Some(0o2755));
        assert_eq!(parse_mode("go=u", 0o640, false), Some(0o666));
        assert_eq!(parse_mode("u=", 0o640, false), Some(0o040));
        assert_eq!(parse_mode("999", 0o644, false), None);
        assert_eq!(parse_mode("xyz", 0o644, false), None);
        assert_eq!(parse_mode("u", 0o644, false), None);
    }
}
