//! `cp`: copies files with their contents, holes and disk-image structure; `--sparse` decides
//! which blocks the copy allocates, as GNU cp does on ext4.

use super::common::{base_name, free_bytes, join, lquote, quote};
use super::{CommandInfo, split_options, usage_error};
use crate::sim::shell::Ctx;
use crate::sim::vfs::data::Fill;
use crate::sim::vfs::{BLOCK_SIZE, BlockState, Blocks, FsError, Ino, Node, NodeKind, RegularFile};
use std::sync::Arc;

pub static COMMANDS: &[CommandInfo] = &[CommandInfo {
    name: "cp",
    run: cp,
    summary: "copy files and directories",
    usage: "Usage: cp [OPTION]... SOURCE DEST\n  or:  cp [OPTION]... SOURCE... DIRECTORY\nCopy SOURCE to DEST, or multiple SOURCE(s) to DIRECTORY.\n\n  -a, --archive            same as -dR --preserve=all\n  -d                       copy symbolic links as links\n  -f, --force              overwrite existing files (the default here)\n  -L, --dereference        always follow symbolic links in SOURCE\n  -n, --no-clobber         do not overwrite an existing file\n  -P, --no-dereference     never follow symbolic links in SOURCE\n  -p, --preserve           preserve mode, ownership and timestamps\n  -R, -r, --recursive      copy directories recursively\n      --sparse=WHEN        control creation of sparse files: auto (keep the source's\n                             holes, the default), always (also turn runs of zero\n                             blocks into holes) or never (allocate every block)\n  -T, --no-target-directory  treat DEST as a normal file\n  -v, --verbose            explain what is being done\n",
}];

/// The umask new files and directories are created under.
const UMASK: u32 = 0o022;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sparse {
    Auto,
    Always,
    Never,
}

struct Options {
    recursive: bool,
    preserve: bool,
    verbose: bool,
    no_clobber: bool,
    /// `Some(true)`: -L, `Some(false)`: -P/-d/-a, `None`: follow only without -r.
    dereference: Option<bool>,
    sparse: Sparse,
    no_target_dir: bool,
}

/// State of one `cp` run: free space left, output and status.
struct Run {
    free: u64,
    out: String,
    status: i32,
}

fn cp(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &[]);
    let mut o = Options {
        recursive: false,
        preserve: false,
        verbose: false,
        no_clobber: false,
        dereference: None,
        sparse: Sparse::Auto,
        no_target_dir: false,
    };
    for option in &options {
        match option.as_str() {
            "-r" | "-R" | "--recursive" => o.recursive = true,
            "-a" | "--archive" => {
                o.recursive = true;
                o.preserve = true;
                o.dereference = Some(false);
            }
            "-p" | "--preserve" => o.preserve = true,
            p if p.starts_with("--preserve=") => o.preserve = true,
            "-d" | "-P" | "--no-dereference" => o.dereference = Some(false),
            "-L" | "--dereference" => o.dereference = Some(true),
            "-v" | "--verbose" => o.verbose = true,
            "-n" | "--no-clobber" => o.no_clobber = true,
            "-T" | "--no-target-directory" => o.no_target_dir = true,
            "-f" | "--force" | "-i" | "--interactive" | "-u" | "--update" | "-x" => {}
            r if r.starts_with("--reflink") => {}
            "--sparse=auto" => o.sparse = Sparse::Auto,
            "--sparse=always" => o.sparse = Sparse::Always,
            "--sparse=never" => o.sparse = Sparse::Never,
            s if s.starts_with("--sparse") => {
                let value = s.split_once('=').map_or("", |(_, v)| v);
                ctx.err(&format!(
                    "cp: invalid argument {} for {}\nValid arguments are:\n  - {}\n  - {}\n  - {}\nTry 'cp --help' for more information.\n",
                    lquote(value),
                    lquote("--sparse"),
                    lquote("never"),
                    lquote("auto"),
                    lquote("always")
                ));
                return 1;
            }
            other => return usage_error(ctx, "cp", &super::builtins::unknown_option(other)),
        }
    }
    let (sources, dest) = match operands.as_slice() {
        [] => return usage_error(ctx, "cp", "missing file operand"),
        [one] => return usage_error(ctx, "cp", &format!("missing destination file operand after {}", quote(one))),
        [sources @ .., dest] => (sources, dest),
    };
    let dest_is_dir = !o.no_target_dir && ctx.node(dest, true).is_ok_and(Node::is_dir);
    if sources.len() > 1 && !dest_is_dir {
        let why = ctx.resolve(dest, true).err().map_or_else(|| "Not a directory".to_owned(), |e| e.to_string());
        ctx.err(&format!("cp: target {}: {why}\n", quote(dest)));
        return 1;
    }
    let mut run = Run { free: free_bytes(ctx), out: String::new(), status: 0 };
    for source in sources {
        let target = if dest_is_dir { join(dest, base_name(source)) } else { dest.clone() };
        let follow = o.dereference.unwrap_or(!o.recursive);
        copy_entry(ctx, &o, &mut run, source, &target, follow, 0);
    }
    ctx.out(&run.out);
    run.status
}

fn fail(ctx: &mut Ctx<'_>, run: &mut Run, message: &str) {
    ctx.out(&std::mem::take(&mut run.out));
    ctx.err(message);
    run.status = 1;
}

/// Copies one file system object (recursively for directories).
fn copy_entry(ctx: &mut Ctx<'_>, o: &Options, run: &mut Run, src: &str, dst: &str, follow: bool, depth: usize) {
    if depth > 256 || run.out.len() > crate::sim::world::MAX_OUTPUT {
        return fail(ctx, run, &format!("cp: cannot copy {}: File name too long\n", quote(src)));
    }
    let src_ino = match ctx.resolve(src, follow) {
        Ok(ino) => ino,
        Err(e) => return fail(ctx, run, &format!("cp: cannot stat {}: {e}\n", quote(src))),
    };
    let Some(node) = ctx.fs().node(src_ino).cloned() else { return };
    let (dir, name) = match ctx.fs().resolve_parent(ctx.cwd(), dst) {
        Ok((d, n)) => (d, n.to_owned()),
        Err(e) => {
            let what = if node.is_dir() { "directory" } else { "regular file" };
            return fail(ctx, run, &format!("cp: cannot create {what} {}: {e}\n", quote(dst)));
        }
    };
    let existing = ctx.fs().lookup(dir, &name);
    let existing_target = ctx.fs().resolve(dir, &name, true).ok();
    if existing_target == Some(src_ino) || existing == Some(src_ino) {
        return fail(ctx, run, &format!("cp: {} and {} are the same file\n", quote(src), quote(dst)));
    }
    if existing.is_some() && o.no_clobber {
        return;
    }
    let now = ctx.now();
    let mode = if o.preserve { node.mode } else { node.mode & 0o777 & !UMASK };
    match &node.kind {
        NodeKind::Dir(entries) => {
            if !o.recursive {
                return fail(ctx, run, &format!("cp: -r not specified; omitting directory {}\n", quote(src)));
            }
            // Copying a directory into itself would never end.
            let mut d = dir;
            for _ in 0..4096 {
                if d == src_ino {
                    return fail(
                        ctx,
                        run,
                        &format!("cp: cannot copy a directory, {}, into itself, {}\n", quote(src), quote(dst)),
                    );
                }
                if d == crate::sim::vfs::ROOT {
                    break;
                }
                d = ctx.fs().parent(d);
            }
            let target = match existing_target {
                Some(t) if ctx.fs().node(t).is_some_and(Node::is_dir) => t,
                Some(_) => {
                    return fail(
                        ctx,
                        run,
                        &format!("cp: cannot overwrite non-directory {} with directory {}\n", quote(dst), quote(src)),
                    );
                }
                None => match ctx.fs_mut().create(dir, &name, Node::dir(mode, now)) {
                    Ok(t) => t,
                    Err(e) => return fail(ctx, run, &format!("cp: cannot create directory {}: {e}\n", quote(dst))),
                },
            };
            if o.verbose {
                run.out.push_str(&format!("{} -> {}\n", quote(src), quote(dst)));
            }
            let children: Vec<String> = entries.keys().cloned().collect();
            for child in children {
                let inner_follow = o.dereference == Some(true);
                copy_entry(ctx, o, run, &join(src, &child), &join(dst, &child), inner_follow, depth + 1);
            }
            if o.preserve {
                set_meta(ctx, target, &node);
            }
        }
        NodeKind::Symlink(link) => {
            if let Some(old) = existing {
                if ctx.fs().node(old).is_some_and(Node::is_dir) {
                    return fail(
                        ctx,
                        run,
                        &format!("cp: cannot overwrite directory {} with non-directory\n", quote(dst)),
                    );
                }
                let _ = ctx.fs_mut().unlink(dir, &name, now);
            }
            match ctx.fs_mut().create(dir, &name, Node::symlink(link, now)) {
                Ok(ino) if o.preserve => set_meta(ctx, ino, &node),
                Ok(_) => {}
                Err(e) => return fail(ctx, run, &format!("cp: cannot create symbolic link {}: {e}\n", quote(dst))),
            }
            if o.verbose {
                run.out.push_str(&format!("{} -> {}\n", quote(src), quote(dst)));
            }
        }
        NodeKind::File(_) | NodeKind::CharDev { .. } => {
            let copy = match &node.kind {
                NodeKind::File(f) => copy_file(f, o.sparse),
                // Without -r a device is read: /dev/null (and the rest here) gives no bytes.
                _ if !o.recursive || follow => RegularFile::default(),
                _ => {
                    let device =
                        Node { kind: node.kind.clone(), mode, uid: node.uid, gid: node.gid, mtime: now, nlink: 1 };
                    if let Err(e) = ctx.fs_mut().create(dir, &name, device) {
                        fail(ctx, run, &format!("cp: cannot create special file {}: {e}\n", quote(dst)));
                    }
                    return;
                }
            };
            write_copy(ctx, o, run, src, dst, (dir, &name), existing_target, copy, &node);
        }
    }
}

/// Writes a copied file at `dst` (new, or over an existing file).
#[expect(clippy::too_many_arguments, reason = "the copy needs both ends and the run state")]
fn write_copy(
    ctx: &mut Ctx<'_>,
    o: &Options,
    run: &mut Run,
    src: &str,
    dst: &str,
    (dir, name): (Ino, &str),
    existing: Option<Ino>,
    mut copy: RegularFile,
    node: &Node,
) {
    let now = ctx.now();
    let old_bytes = existing.and_then(|e| ctx.fs().file(e).ok()).map_or(0, |f| f.blocks.allocated() * BLOCK_SIZE);
    let needed = (copy.blocks.allocated() * BLOCK_SIZE).saturating_sub(old_bytes);
    let full = needed > run.free;
    if full {
        // What fits is not worth modelling: the copy stays empty, as after a failed write.
        copy = RegularFile::default();
    }
    let target = match existing {
        Some(t) if ctx.fs().node(t).is_some_and(Node::is_dir) => {
            return fail(ctx, run, &format!("cp: cannot overwrite directory {} with non-directory\n", quote(dst)));
        }
        Some(t) => match ctx.fs_mut().file_mut(t, now) {
            Ok(file) => {
                *file = copy;
                t
            }
            Err(e) => return fail(ctx, run, &format!("cp: cannot create regular file {}: {e}\n", quote(dst))),
        },
        None => {
            let mode = if o.preserve { node.mode } else { node.mode & 0o777 & !UMASK };
            match ctx.fs_mut().create(dir, name, Node::file(copy, mode, now)) {
                Ok(t) => t,
                Err(e) => return fail(ctx, run, &format!("cp: cannot create regular file {}: {e}\n", quote(dst))),
            }
        }
    };
    if full {
        return fail(ctx, run, &format!("cp: error writing {}: {}\n", quote(dst), FsError::NoSpace));
    }
    run.free -= needed;
    if o.preserve {
        set_meta(ctx, target, node);
    }
    if o.verbose {
        run.out.push_str(&format!("{} -> {}\n", quote(src), quote(dst)));
    }
}

fn set_meta(ctx: &mut Ctx<'_>, ino: Ino, from: &Node) {
    if let Some(node) = ctx.fs_mut().node_mut(ino) {
        if !matches!(node.kind, NodeKind::Symlink(_)) {
            node.mode = from.mode;
        }
        node.uid = from.uid;
        node.gid = from.gid;
        node.mtime = from.mtime;
    }
}

/// The copy of a regular file: the same length, bytes and image structure; the blocks follow
/// the `--sparse` mode.
fn copy_file(src: &Arc<RegularFile>, sparse: Sparse) -> RegularFile {
    let mut blocks = Blocks::default();
    match sparse {
        // GNU cp reads a file that looks sparse (fewer blocks than its size) extent by
        // extent: its holes, and on ext4 also its unwritten (fallocated) blocks, stay holes.
        // Any other file is copied byte by byte, and every block of the copy is written.
        Sparse::Auto if src.stat_blocks() * 512 < src.len => {
            for (start, end, state) in src.blocks.ranges() {
                if state == BlockState::Written {
                    blocks.write(start, end - start);
                }
            }
            blocks.truncate(src.len);
        }
        Sparse::Auto => blocks.write(0, src.len),
        Sparse::Never => blocks.write(0, src.len),
        Sparse::Always => {
            for (start, len, fill) in src.contents.extents() {
                match fill {
                    Fill::Byte(0) => {}
                    Fill::Byte(_) => blocks.write(start, len),
                    Fill::Bytes(bytes) => {
                        // Literal bytes: only the 4 KiB blocks with a non-zero byte.
                        let mut offset = start;
                        let end = start + len;
                        while offset < end {
                            let block_end = ((offset / BLOCK_SIZE) + 1) * BLOCK_SIZE;
                            let chunk_end = block_end.min(end);
                            let a = (offset - start) as usize;
                            let b = (chunk_end - start) as usize;
                            if bytes[a..b].iter().any(|&x| x != 0) {
                                blocks.write(offset, chunk_end - offset);
                            }
                            offset = chunk_end;
                        }
                    }
                }
            }
            blocks.truncate(src.len);
        }
    }
    RegularFile {
        len: src.len,
        contents: src.contents.clone(),
        blocks,
        qcow2: src.qcow2.clone(),
        guest: src.guest.clone(),
    }
}
