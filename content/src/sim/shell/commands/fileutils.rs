//! Making and removing names: `rm`, `rmdir`, `mkdir`, `mv`, `ln` and `touch`, with GNU's
//! messages and exit statuses.

use super::common::{Located, base_name, join, locate, lquote, quote};
use super::date::{parse_date, parse_touch_stamp};
use super::perms::parse_mode;
use super::{CommandInfo, split_options, usage_error};
use crate::sim::shell::Ctx;
use crate::sim::vfs::{FsError, Ino, Node, NodeKind, ROOT, RegularFile};

pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "ln",
        run: ln,
        summary: "make links between files",
        usage: "Usage: ln [OPTION]... TARGET LINK_NAME\n  or:  ln [OPTION]... TARGET\n  or:  ln [OPTION]... TARGET... DIRECTORY\nCreate hard links by default, symbolic links with --symbolic.\n\n  -f, --force            remove existing destination files\n  -n, --no-dereference   treat LINK_NAME as a normal file if it is a symbolic link to a directory\n  -s, --symbolic         make symbolic links instead of hard links\n  -v, --verbose          print name of each linked file\n",
    },
    CommandInfo {
        name: "mkdir",
        run: mkdir,
        summary: "make directories",
        usage: "Usage: mkdir [OPTION]... DIRECTORY...\nCreate the DIRECTORY(ies), if they do not already exist.\n\n  -m, --mode=MODE   set file mode (as in chmod), not a=rwx - umask\n  -p, --parents     no error if existing, make parent directories as needed\n  -v, --verbose     print a message for each created directory\n",
    },
    CommandInfo {
        name: "mv",
        run: mv,
        summary: "move (rename) files",
        usage: "Usage: mv [OPTION]... SOURCE DEST\n  or:  mv [OPTION]... SOURCE... DIRECTORY\nRename SOURCE to DEST, or move SOURCE(s) to DIRECTORY.\n\n  -f, --force      do not prompt before overwriting\n  -n, --no-clobber do not overwrite an existing file\n  -T               treat DEST as a normal file\n  -v, --verbose    explain what is being done\n",
    },
    CommandInfo {
        name: "rm",
        run: rm,
        summary: "remove files or directories",
        usage: "Usage: rm [OPTION]... [FILE]...\nRemove (unlink) the FILE(s).\n\n  -f, --force           ignore nonexistent files and arguments, never prompt\n  -i                    prompt before every removal (GuestLab does not prompt)\n  -r, -R, --recursive   remove directories and their contents recursively\n  -d, --dir             remove empty directories\n  -v, --verbose         explain what is being done\n",
    },
    CommandInfo {
        name: "rmdir",
        run: rmdir,
        summary: "remove empty directories",
        usage: "Usage: rmdir [OPTION]... DIRECTORY...\nRemove the DIRECTORY(ies), if they are empty.\n\n      --ignore-fail-on-non-empty  ignore each failure to remove a non-empty directory\n  -p, --parents   remove DIRECTORY and its ancestors\n  -v, --verbose   output a diagnostic for every directory processed\n",
    },
    CommandInfo {
        name: "touch",
        run: touch,
        summary: "change file timestamps, or create empty files",
        usage: "Usage: touch [OPTION]... FILE...\nUpdate the modification time of each FILE to the current time.\nA FILE argument that does not exist is created empty.\n\n  -c, --no-create        do not create any files\n  -d, --date=STRING      parse STRING and use it instead of current time\n  -r, --reference=FILE   use this file's time instead of current time\n  -t STAMP               use [[CC]YY]MMDDhhmm[.ss] instead of current time\n",
    },
];

/// Removes a directory tree below `dir` (post-order), printing what `-v` asks for.
fn remove_tree(ctx: &mut Ctx<'_>, dir: Ino, path: &str, verbose: bool, out: &mut String) -> Result<(), FsError> {
    let mut stack: Vec<(Ino, String, bool)> = vec![(dir, path.to_owned(), false)];
    let now = ctx.now();
    // An explicit stack: each directory is visited once to push its children, then again to
    // remove its (now empty) entries.
    while let Some((d, p, expanded)) = stack.pop() {
        let entries: Vec<(String, Ino)> = ctx.fs().entries(d)?.iter().map(|(n, &i)| (n.clone(), i)).collect();
        if !expanded {
            stack.push((d, p.clone(), true));
            for (name, ino) in entries.iter().rev() {
                if ctx.fs().node(*ino).is_some_and(Node::is_dir) {
                    stack.push((*ino, join(&p, name), false));
                }
            }
            continue;
        }
        for (name, ino) in entries {
            let is_dir = ctx.fs().node(ino).is_some_and(Node::is_dir);
            ctx.fs_mut().unlink(d, &name, now)?;
            if verbose {
                let what = if is_dir { "removed directory" } else { "removed" };
                out.push_str(&format!("{what} {}\n", quote(&join(&p, &name))));
            }
        }
    }
    Ok(())
}

fn rm(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &[]);
    let (mut recursive, mut force, mut verbose, mut dir) = (false, false, false, false);
    for option in &options {
        match option.as_str() {
            "-r" | "-R" | "--recursive" => recursive = true,
            "-f" | "--force" => force = true,
            "-v" | "--verbose" => verbose = true,
            "-d" | "--dir" => dir = true,
            "-i" | "-I" | "--interactive" | "--preserve-root" | "--one-file-system" => {}
            other => return usage_error(ctx, "rm", &super::builtins::unknown_option(other)),
        }
    }
    if operands.is_empty() {
        return if force { 0 } else { usage_error(ctx, "rm", "missing operand") };
    }
    let mut status = 0;
    for operand in &operands {
        let mut out = String::new();
        let result = rm_one(ctx, operand, recursive, dir, verbose, &mut out);
        ctx.out(&out);
        match result {
            Ok(()) => {}
            Err(RmError::Fs(FsError::NotFound)) if force => {}
            Err(RmError::Fs(e)) => {
                ctx.err(&format!("rm: cannot remove {}: {e}\n", quote(operand)));
                status = 1;
            }
            Err(RmError::Message(m)) => {
                ctx.err(&m);
                status = 1;
            }
        }
    }
    status
}

enum RmError {
    Fs(FsError),
    Message(String),
}

impl From<FsError> for RmError {
    fn from(e: FsError) -> Self {
        Self::Fs(e)
    }
}

fn rm_one(
    ctx: &mut Ctx<'_>,
    path: &str,
    recursive: bool,
    dir_ok: bool,
    verbose: bool,
    out: &mut String,
) -> Result<(), RmError> {
    if matches!(base_name(path), "." | "..") {
        return Err(RmError::Message(format!(
            "rm: refusing to remove '.' or '..' directory: skipping {}\n",
            quote(path)
        )));
    }
    if recursive && ctx.resolve(path, true) == Ok(ROOT) {
        return Err(RmError::Message(format!(
            "rm: it is dangerous to operate recursively on {}\nrm: use --no-preserve-root to override this failsafe\n",
            quote(path)
        )));
    }
    let Located { dir, name, ino } = locate(ctx, path)?;
    let is_dir = ctx.fs().node(ino).is_some_and(Node::is_dir);
    if is_dir {
        if recursive {
            remove_tree(ctx, ino, path, verbose, out)?;
        } else if !dir_ok {
            return Err(FsError::IsDir.into());
        }
    }
    let now = ctx.now();
    ctx.fs_mut().unlink(dir, &name, now)?;
    if verbose {
        let what = if is_dir { "removed directory" } else { "removed" };
        out.push_str(&format!("{what} {}\n", quote(path)));
    }
    Ok(())
}

fn rmdir(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &[]);
    let (mut parents, mut verbose, mut ignore) = (false, false, false);
    for option in &options {
        match option.as_str() {
            "-p" | "--parents" => parents = true,
            "-v" | "--verbose" => verbose = true,
            "--ignore-fail-on-non-empty" => ignore = true,
            other => return usage_error(ctx, "rmdir", &super::builtins::unknown_option(other)),
        }
    }
    if operands.is_empty() {
        return usage_error(ctx, "rmdir", "missing operand");
    }
    let mut status = 0;
    for operand in &operands {
        let mut path = operand.trim_end_matches('/').to_owned();
        loop {
            if verbose {
                ctx.out(&format!("rmdir: removing directory, {}\n", quote(&path)));
            }
            let result = locate(ctx, &path).and_then(|l| {
                if !ctx.fs().node(l.ino).is_some_and(Node::is_dir) {
                    return Err(FsError::NotDir);
                }
                let now = ctx.now();
                ctx.fs_mut().unlink(l.dir, &l.name, now)
            });
            match result {
                Ok(()) => {}
                Err(FsError::NotEmpty) if ignore => break,
                Err(e) => {
                    ctx.err(&format!("rmdir: failed to remove {}: {e}\n", quote(&path)));
                    status = 1;
                    break;
                }
            }
            match path.rfind('/') {
                Some(i) if parents && i > 0 => path.truncate(i),
                _ => break,
            }
        }
    }
    status
}

fn mkdir(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &["-m", "--mode"]);
    let (mut parents, mut verbose, mut mode) = (false, false, 0o755);
    for option in &options {
        match option.as_str() {
            "-p" | "--parents" => parents = true,
            "-v" | "--verbose" => verbose = true,
            o if o.starts_with("-m=") || o.starts_with("--mode=") => {
                let spec = o.split_once('=').map_or("", |(_, v)| v);
                match parse_mode(spec, 0o777, true) {
                    Some(m) => mode = m,
                    None => {
                        ctx.err(&format!("mkdir: invalid mode {}\n", lquote(spec)));
                        return 1;
                    }
                }
            }
            other => return usage_error(ctx, "mkdir", &super::builtins::unknown_option(other)),
        }
    }
    if operands.is_empty() {
        return usage_error(ctx, "mkdir", "missing operand");
    }
    let mut status = 0;
    for operand in &operands {
        let result = if parents { mkdir_parents(ctx, operand, mode, verbose) } else { mkdir_one(ctx, operand, mode) };
        match result {
            Ok(()) => {
                if verbose && !parents {
                    ctx.out(&format!("mkdir: created directory {}\n", quote(operand)));
                }
            }
            Err((path, e)) => {
                ctx.err(&format!("mkdir: cannot create directory {}: {e}\n", lquote(&path)));
                status = 1;
            }
        }
    }
    status
}

fn mkdir_one(ctx: &mut Ctx<'_>, path: &str, mode: u32) -> Result<(), (String, FsError)> {
    let now = ctx.now();
    let cwd = ctx.cwd();
    let fs = ctx.fs_mut();
    let (dir, name) = fs.resolve_parent(cwd, path).map_err(|e| (path.to_owned(), e))?;
    let name = name.to_owned();
    fs.create(dir, &name, Node::dir(mode, now)).map(|_| ()).map_err(|e| (path.to_owned(), e))
}

fn mkdir_parents(ctx: &mut Ctx<'_>, path: &str, mode: u32, verbose: bool) -> Result<(), (String, FsError)> {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let mut prefix = if path.starts_with('/') { "/".to_owned() } else { String::new() };
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        prefix = if prefix.is_empty() { (*part).to_owned() } else { join(&prefix, part) };
        match ctx.resolve(&prefix, true) {
            Ok(ino) if ctx.fs().node(ino).is_some_and(Node::is_dir) => {}
            Ok(_) => return Err((prefix, if last { FsError::Exists } else { FsError::NotDir })),
            Err(FsError::NotFound) => {
                mkdir_one(ctx, &prefix, if last { mode } else { 0o755 })?;
                if verbose {
                    ctx.out(&format!("mkdir: created directory {}\n", quote(&prefix)));
                }
            }
            Err(e) => return Err((prefix, e)),
        }
    }
    Ok(())
}

fn mv(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &[]);
    let (mut verbose, mut no_clobber, mut no_target_dir) = (false, false, false);
    for option in &options {
        match option.as_str() {
            "-v" | "--verbose" => verbose = true,
            "-n" | "--no-clobber" => no_clobber = true,
            "-T" | "--no-target-directory" => no_target_dir = true,
            "-f" | "--force" | "-i" | "--interactive" | "-u" | "--update" => {}
            other => return usage_error(ctx, "mv", &super::builtins::unknown_option(other)),
        }
    }
    let (sources, dest) = match operands.as_slice() {
        [] => return usage_error(ctx, "mv", "missing file operand"),
        [one] => return usage_error(ctx, "mv", &format!("missing destination file operand after {}", quote(one))),
        [sources @ .., dest] => (sources, dest),
    };
    let dest_is_dir = !no_target_dir && ctx.node(dest, true).is_ok_and(Node::is_dir);
    if sources.len() > 1 && !dest_is_dir {
        let why = match ctx.resolve(dest, true) {
            Err(e) => e.to_string(),
            Ok(_) => "Not a directory".to_owned(),
        };
        ctx.err(&format!("mv: target {}: {why}\n", quote(dest)));
        return 1;
    }
    let mut status = 0;
    for source in sources {
        let target = if dest_is_dir { join(dest, base_name(source)) } else { dest.clone() };
        if let Err(message) = mv_one(ctx, source, &target, no_clobber, verbose) {
            ctx.err(&message);
            status = 1;
        }
    }
    status
}

fn mv_one(ctx: &mut Ctx<'_>, source: &str, target: &str, no_clobber: bool, verbose: bool) -> Result<(), String> {
    let src = locate(ctx, source).map_err(|e| format!("mv: cannot stat {}: {e}\n", quote(source)))?;
    let (dir, name) = match ctx.fs().resolve_parent(ctx.cwd(), target) {
        Ok((d, n)) => (d, n.to_owned()),
        Err(FsError::NotDir) => return Err(format!("mv: cannot stat {}: Not a directory\n", quote(target))),
        Err(e) => return Err(format!("mv: cannot move {} to {}: {e}\n", quote(source), quote(target))),
    };
    let src_is_dir = ctx.fs().node(src.ino).is_some_and(Node::is_dir);
    if let Some(existing) = ctx.fs().lookup(dir, &name) {
        if existing == src.ino {
            return Err(format!("mv: {} and {} are the same file\n", quote(source), quote(target)));
        }
        if no_clobber {
            return Ok(());
        }
        let existing_is_dir = ctx.fs().node(existing).is_some_and(Node::is_dir);
        if src_is_dir && !existing_is_dir {
            return Err(format!(
                "mv: cannot overwrite non-directory {} with directory {}\n",
                quote(target),
                quote(source)
            ));
        }
        if !src_is_dir && existing_is_dir {
            return Err(format!("mv: cannot overwrite directory {} with non-directory\n", quote(target)));
        }
    }
    let now = ctx.now();
    match ctx.fs_mut().rename(src.dir, &src.name, dir, &name, now) {
        Ok(()) => {}
        Err(FsError::Invalid) => {
            return Err(format!("mv: cannot move {} to a subdirectory of itself, {}\n", quote(source), quote(target)));
        }
        Err(e) => return Err(format!("mv: cannot move {} to {}: {e}\n", quote(source), quote(target))),
    }
    if verbose {
        ctx.out(&format!("renamed {} -> {}\n", quote(source), quote(target)));
    }
    Ok(())
}

fn ln(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &[]);
    let (mut symbolic, mut force, mut verbose, mut no_deref) = (false, false, false, false);
    for option in &options {
        match option.as_str() {
            "-s" | "--symbolic" => symbolic = true,
            "-f" | "--force" => force = true,
            "-v" | "--verbose" => verbose = true,
            "-n" | "--no-dereference" => no_deref = true,
            "-T" | "--no-target-directory" => no_deref = true,
            other => return usage_error(ctx, "ln", &super::builtins::unknown_option(other)),
        }
    }
    let (targets, link): (&[String], String) = match operands.as_slice() {
        [] => return usage_error(ctx, "ln", "missing file operand"),
        [one] => (std::slice::from_ref(one), join(".", base_name(one))),
        [targets @ .., last] => (targets, last.clone()),
    };
    let link_is_dir = ctx.node(&link, !no_deref).is_ok_and(Node::is_dir);
    if targets.len() > 1 && !link_is_dir {
        let why = ctx.resolve(&link, true).err().map_or_else(|| "Not a directory".to_owned(), |e| e.to_string());
        ctx.err(&format!("ln: target {}: {why}\n", quote(&link)));
        return 1;
    }
    let mut status = 0;
    for target in targets {
        let name = if link_is_dir { join(&link, base_name(target)) } else { link.clone() };
        if let Err(message) = ln_one(ctx, target, &name, symbolic, force) {
            ctx.err(&message);
            status = 1;
        } else if verbose {
            let arrow = if symbolic { "->" } else { "=>" };
            ctx.out(&format!("{} {arrow} {}\n", quote(&name), quote(target)));
        }
    }
    status
}

fn ln_one(ctx: &mut Ctx<'_>, target: &str, name: &str, symbolic: bool, force: bool) -> Result<(), String> {
    let kind = if symbolic { "symbolic link" } else { "hard link" };
    let failed = |e: FsError| {
        if symbolic {
            format!("ln: failed to create {kind} {}: {e}\n", quote(name))
        } else {
            format!("ln: failed to create {kind} {} => {}: {e}\n", quote(name), quote(target))
        }
    };
    let existing_ino = if symbolic {
        None
    } else {
        let ino = ctx.resolve(target, false).map_err(|e| format!("ln: failed to access {}: {e}\n", quote(target)))?;
        if ctx.fs().node(ino).is_some_and(Node::is_dir) {
            return Err(format!("ln: {target}: hard link not allowed for directory\n"));
        }
        Some(ino)
    };
    let (dir, base) = ctx.fs().resolve_parent(ctx.cwd(), name).map_err(failed)?;
    let base = base.to_owned();
    let now = ctx.now();
    if let Some(old) = ctx.fs().lookup(dir, &base) {
        if !force || Some(old) == existing_ino {
            return Err(failed(FsError::Exists));
        }
        if ctx.fs().node(old).is_some_and(Node::is_dir) {
            return Err(format!("ln: {}: cannot overwrite directory\n", quote(name)));
        }
        ctx.fs_mut().unlink(dir, &base, now).map_err(failed)?;
    }
    match existing_ino {
        None => ctx.fs_mut().create(dir, &base, Node::symlink(target, now)).map(|_| ()).map_err(failed),
        Some(ino) => {
            // A hard link: a second name for the same inode.
            let fs = ctx.fs_mut();
            if let Some(Node { kind: NodeKind::Dir(entries), mtime, .. }) = fs.node_mut(dir) {
                entries.insert(base, ino);
                *mtime = now;
            }
            if let Some(node) = fs.node_mut(ino) {
                node.nlink += 1;
            }
            Ok(())
        }
    }
}

fn touch(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &["-d", "--date", "-t", "-r", "--reference"]);
    let mut when = ctx.now();
    let mut create = true;
    for option in &options {
        match option.as_str() {
            "-c" | "--no-create" => create = false,
            "-a" | "-m" | "-h" | "--no-dereference" => {}
            o if o.starts_with("-d=") || o.starts_with("--date=") => {
                let value = o.split_once('=').map_or("", |(_, v)| v);
                match parse_date(value, ctx.now()) {
                    Some(t) => when = t,
                    None => {
                        ctx.err(&format!("touch: invalid date format {}\n", lquote(value)));
                        return 1;
                    }
                }
            }
            o if o.starts_with("-t=") => match parse_touch_stamp(&o[3..]) {
                Some(t) => when = t,
                None => {
                    ctx.err(&format!("touch: invalid date format {}\n", lquote(&o[3..])));
                    return 1;
                }
            },
            o if o.starts_with("-r=") || o.starts_with("--reference=") => {
                let file = o.split_once('=').map_or("", |(_, v)| v);
                match ctx.node(file, true) {
                    Ok(node) => when = node.mtime,
                    Err(e) => {
                        ctx.err(&format!("touch: failed to get attributes of {}: {e}\n", quote(file)));
                        return 1;
                    }
                }
            }
            other => return usage_error(ctx, "touch", &super::builtins::unknown_option(other)),
        }
    }
    if operands.is_empty() {
        return usage_error(ctx, "touch", "missing file operand");
    }
    let mut status = 0;
    for operand in &operands {
        let result = match ctx.resolve(operand, true) {
            Ok(ino) => {
                if let Some(node) = ctx.fs_mut().node_mut(ino) {
                    node.mtime = when;
                }
                Ok(())
            }
            Err(FsError::NotFound) if !create => Ok(()),
            Err(FsError::NotFound) => {
                let (cwd, now) = (ctx.cwd(), ctx.now());
                let fs = ctx.fs_mut();
                fs.resolve_parent(cwd, operand).and_then(|(dir, name)| {
                    let name = name.to_owned();
                    let ino = fs.create(dir, &name, Node::file(RegularFile::default(), 0o644, now))?;
                    if let Some(node) = fs.node_mut(ino) {
                        node.mtime = when;
                    }
                    Ok(())
                })
            }
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            ctx.err(&format!("touch: cannot touch {}: {e}\n", quote(operand)));
            status = 1;
        }
    }
    status
}
