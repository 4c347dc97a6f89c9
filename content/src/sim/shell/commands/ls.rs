//! `ls`: long listings with GNU's column widths, time style and `total` line, and the
//! column layout a terminal of 80 columns shows.

use super::common::{human, inode_number, join, mode_string, quote};
use super::date::strftime;
use super::{CommandInfo, split_options, usage_error};
use crate::sim::shell::Ctx;
use crate::sim::vfs::{FsError, Ino, Node, NodeKind};

pub static COMMANDS: &[CommandInfo] = &[CommandInfo {
    name: "ls",
    run: ls,
    summary: "list directory contents",
    usage: "Usage: ls [OPTION]... [FILE]...\nList information about the FILEs (the current directory by default), sorted by name.\n\n  -a, --all             do not ignore entries starting with .\n  -A, --almost-all      do not list implied . and ..\n  -C                    list entries by columns (the default here)\n  -d, --directory       list directories themselves, not their contents\n  -F, --classify        append indicator (one of */@) to entries\n      --full-time       like -l with full times\n  -h, --human-readable  with -l and -s, print sizes like 1K 234M 2G\n  -i, --inode           print the index number of each file\n  -l                    use a long listing format\n  -L, --dereference     show information for the file a symbolic link points to\n  -n, --numeric-uid-gid like -l, but list numeric user and group IDs\n  -p                    append / indicator to directories\n  -r, --reverse         reverse order while sorting\n  -R, --recursive       list subdirectories recursively\n  -s, --size            print the allocated size of each file, in blocks (1K)\n  -S                    sort by file size, largest first\n  -t                    sort by time, newest first\n  -U                    do not sort; list entries in directory order\n  -w, --width=COLS      set output width to COLS (default 80)\n  -x                    list entries by lines instead of by columns\n  -1                    list one file per line\n\nExit status: 0 if OK, 1 if minor problems, 2 if serious trouble (e.g. a missing FILE).\n",
}];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Long,
    OnePerLine,
    Columns,
    Across,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sort {
    Name,
    Time,
    Size,
    None,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Hidden {
    Skip,
    AlmostAll,
    All,
}

struct Options {
    format: Format,
    hidden: Hidden,
    human: bool,
    size: bool,
    directory: bool,
    recursive: bool,
    inode: bool,
    sort: Sort,
    reverse: bool,
    dereference: bool,
    numeric: bool,
    classify: bool,
    slash: bool,
    full_time: bool,
    width: usize,
}

/// One entry to show.
struct Entry {
    /// The name as shown (the operand as typed, or the name in its directory).
    name: String,
    ino: Ino,
    node: Node,
}

/// Column widths of a long listing.
#[derive(Default)]
struct Widths {
    inode: usize,
    blocks: usize,
    nlink: usize,
    owner: usize,
    group: usize,
    size: usize,
    major: usize,
    minor: usize,
}

fn parse_options(ctx: &mut Ctx<'_>, options: &[String]) -> Result<Options, i32> {
    let mut o = Options {
        format: Format::Columns,
        hidden: Hidden::Skip,
        human: false,
        size: false,
        directory: false,
        recursive: false,
        inode: false,
        sort: Sort::Name,
        reverse: false,
        dereference: false,
        numeric: false,
        classify: false,
        slash: false,
        full_time: false,
        width: 80,
    };
    for option in options {
        match option.as_str() {
            "-l" | "--format=long" | "--format=verbose" => o.format = Format::Long,
            "-1" | "--format=single-column" => o.format = Format::OnePerLine,
            "-C" | "--format=vertical" => o.format = Format::Columns,
            "-x" | "--format=across" => o.format = Format::Across,
            "-a" | "--all" => o.hidden = Hidden::All,
            "-A" | "--almost-all" => o.hidden = Hidden::AlmostAll,
            "-h" | "--human-readable" => o.human = true,
            "-s" | "--size" => o.size = true,
            "-d" | "--directory" => o.directory = true,
            "-R" | "--recursive" => o.recursive = true,
            "-i" | "--inode" => o.inode = true,
            "-t" => o.sort = Sort::Time,
            "-S" => o.sort = Sort::Size,
            "-U" => o.sort = Sort::None,
            "-r" | "--reverse" => o.reverse = true,
            "-L" | "--dereference" => o.dereference = true,
            "-n" | "--numeric-uid-gid" => {
                o.numeric = true;
                o.format = Format::Long;
            }
            "-F" | "--classify" => o.classify = true,
            "-p" => o.slash = true,
            "--full-time" => {
                o.full_time = true;
                o.format = Format::Long;
            }
            "--sort=size" => o.sort = Sort::Size,
            "--sort=time" => o.sort = Sort::Time,
            "--sort=none" => o.sort = Sort::None,
            "--sort=name" => o.sort = Sort::Name,
            // Columns are padded with spaces, as with `-T 0`.
            opt if opt.starts_with("--color") || opt.starts_with("-T=") || opt.starts_with("--tabsize=") => {}
            opt if opt.starts_with("-w=") || opt.starts_with("--width=") => {
                let value = opt.split_once('=').map_or("", |(_, v)| v);
                match value.parse::<usize>() {
                    Ok(w) => o.width = if w == 0 { usize::MAX / 4 } else { w.min(10_000) },
                    Err(_) => {
                        ctx.err(&format!("ls: invalid line width: {}\n", super::common::lquote(value)));
                        return Err(2);
                    }
                }
            }
            other => return Err(usage_error(ctx, "ls", &super::builtins::unknown_option(other))),
        }
    }
    Ok(o)
}

fn ls(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, mut operands) = split_options(&args[1..], &["-w", "--width", "-T", "--tabsize"]);
    let o = match parse_options(ctx, &options) {
        Ok(o) => o,
        Err(status) => return status,
    };
    let explicit = !operands.is_empty();
    if operands.is_empty() {
        operands.push(".".to_owned());
    }
    let mut status = 0;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    // Command-line symlinks are followed unless the listing is long (or -d/-F), as GNU ls -H.
    let follow_args = o.dereference || !(o.format == Format::Long || o.directory || o.classify);
    for operand in &operands {
        let resolved = ctx.resolve(operand, follow_args).or_else(|e| match e {
            FsError::NotFound if follow_args => ctx.resolve(operand, false),
            e => Err(e),
        });
        match resolved {
            Ok(ino) => {
                let Some(node) = ctx.fs().node(ino).cloned() else { continue };
                let entry = Entry { name: operand.clone(), ino, node };
                if entry.node.is_dir() && !o.directory {
                    dirs.push(entry);
                } else {
                    files.push(entry);
                }
            }
            Err(e) => {
                ctx.err(&format!("ls: cannot access {}: {e}\n", quote(operand)));
                status = 2;
            }
        }
    }
    let mut out = String::new();
    sort_entries(&mut files, &o);
    sort_entries(&mut dirs, &o);
    if !files.is_empty() {
        // GNU sizes the columns of the operand files over every operand, directories too.
        let all: Vec<&Entry> = files.iter().chain(dirs.iter()).collect();
        let widths = widths(ctx, &all, &o);
        let files: Vec<&Entry> = files.iter().collect();
        print_entries(ctx, &files, &widths, &o, &mut out);
    }
    let show_names = operands.len() > 1 || o.recursive || (explicit && !files.is_empty());
    let mut first = files.is_empty();
    for dir in &dirs {
        list_dir(ctx, &dir.name, dir.ino, &o, show_names, &mut first, &mut out, 0);
        if ctx.output_full() || out.len() > crate::sim::world::MAX_OUTPUT {
            break;
        }
    }
    ctx.out(&out);
    status
}

/// Lists a directory (and, with -R, its subdirectories).
#[expect(clippy::too_many_arguments, reason = "the recursion carries the listing state")]
fn list_dir(
    ctx: &Ctx<'_>,
    path: &str,
    ino: Ino,
    o: &Options,
    show_name: bool,
    first: &mut bool,
    out: &mut String,
    depth: usize,
) {
    if out.len() > crate::sim::world::MAX_OUTPUT || depth > 256 {
        return;
    }
    if !*first {
        out.push('\n');
    }
    *first = false;
    if show_name {
        out.push_str(&format!("{path}:\n"));
    }
    let fs = ctx.fs();
    let mut entries = Vec::new();
    if o.hidden == Hidden::All {
        for (name, i) in [(".", ino), ("..", fs.parent(ino))] {
            if let Some(node) = fs.node(i) {
                entries.push(Entry { name: name.to_owned(), ino: i, node: node.clone() });
            }
        }
    }
    if let Ok(children) = fs.entries(ino) {
        for (name, &child) in children {
            if name.starts_with('.') && o.hidden == Hidden::Skip {
                continue;
            }
            let target = if o.dereference { fs.resolve(ino, name, true).unwrap_or(child) } else { child };
            if let Some(node) = fs.node(target) {
                entries.push(Entry { name: name.clone(), ino: target, node: node.clone() });
            }
        }
    }
    sort_entries(&mut entries, o);
    let refs: Vec<&Entry> = entries.iter().collect();
    let widths = widths(ctx, &refs, o);
    if o.format == Format::Long || o.size {
        let total: u64 = entries.iter().map(|e| e.node.stat_blocks()).sum();
        let total = if o.human { human(total * 512) } else { total.div_ceil(2).to_string() };
        out.push_str(&format!("total {total}\n"));
    }
    print_entries(ctx, &refs, &widths, o, out);
    if o.recursive {
        for entry in &entries {
            if entry.node.is_dir() && entry.name != "." && entry.name != ".." {
                // Symlinks to directories are not followed (their node is the link).
                list_dir(ctx, &join(path, &entry.name), entry.ino, o, true, first, out, depth + 1);
            }
        }
    }
}

fn sort_entries(entries: &mut [Entry], o: &Options) {
    match o.sort {
        Sort::None => {}
        Sort::Name => crate::order::sort_by(entries, |a, b| a.name.as_bytes().cmp(b.name.as_bytes())),
        Sort::Time => {
            crate::order::sort_by(entries, |a, b| b.node.mtime.cmp(&a.node.mtime).then_with(|| a.name.cmp(&b.name)));
        }
        Sort::Size => {
            crate::order::sort_by(entries, |a, b| b.node.size().cmp(&a.node.size()).then_with(|| a.name.cmp(&b.name)));
        }
    }
    if o.reverse {
        entries.reverse();
    }
}

fn blocks_text(node: &Node, o: &Options) -> String {
    let blocks = node.stat_blocks();
    if o.human { human(blocks * 512) } else { blocks.div_ceil(2).to_string() }
}

fn size_text(node: &Node, o: &Options) -> String {
    if o.human { human(node.size()) } else { node.size().to_string() }
}

fn owner(ctx: &Ctx<'_>, node: &Node, o: &Options) -> (String, String) {
    if o.numeric {
        (node.uid.to_string(), node.gid.to_string())
    } else {
        (ctx.user_name(node.uid), ctx.group_name(node.gid))
    }
}

fn widths(ctx: &Ctx<'_>, entries: &[&Entry], o: &Options) -> Widths {
    let mut w = Widths::default();
    for e in entries {
        w.inode = w.inode.max(inode_number(e.ino).to_string().len());
        w.blocks = w.blocks.max(blocks_text(&e.node, o).len());
        if o.format == Format::Long {
            let (user, group) = owner(ctx, &e.node, o);
            w.nlink = w.nlink.max(e.node.nlink.to_string().len());
            w.owner = w.owner.max(user.chars().count());
            w.group = w.group.max(group.chars().count());
            if let NodeKind::CharDev { major, minor } = e.node.kind {
                w.major = w.major.max(major.to_string().len());
                w.minor = w.minor.max(minor.to_string().len());
            } else {
                w.size = w.size.max(size_text(&e.node, o).len());
            }
        }
    }
    if w.major > 0 {
        w.size = w.size.max(w.major + 2 + w.minor);
    }
    w
}

/// The indicator `-F`/`-p` appends.
fn indicator(node: &Node, o: &Options) -> &'static str {
    match node.kind {
        NodeKind::Dir(_) if o.classify || o.slash => "/",
        NodeKind::Symlink(_) if o.classify => "@",
        NodeKind::File(_) if o.classify && node.mode & 0o111 != 0 => "*",
        _ => "",
    }
}

/// The time column: `Jun  2 09:00` within six months of now, else `Jan  1  2024`.
fn time_text(mtime: i64, now: i64, o: &Options) -> String {
    if o.full_time {
        return strftime("%Y-%m-%d %H:%M:%S.000000000 +0000", mtime);
    }
    // Half of an average Gregorian year, as GNU ls.
    let recent = mtime > now - 31_556_952 / 2 && mtime <= now;
    if recent { strftime("%b %e %H:%M", mtime) } else { strftime("%b %e  %Y", mtime) }
}

fn long_line(ctx: &Ctx<'_>, e: &Entry, w: &Widths, o: &Options) -> String {
    let mut line = String::new();
    if o.inode {
        line.push_str(&format!("{:>width$} ", inode_number(e.ino), width = w.inode));
    }
    if o.size {
        line.push_str(&format!("{:>width$} ", blocks_text(&e.node, o), width = w.blocks));
    }
    let (user, group) = owner(ctx, &e.node, o);
    let size = match e.node.kind {
        NodeKind::CharDev { major, minor } => {
            let major_width = w.major + (w.size - (w.major + 2 + w.minor));
            format!("{major:>major_width$}, {minor:>minor_width$}", minor_width = w.minor)
        }
        _ => format!("{:>width$}", size_text(&e.node, o), width = w.size),
    };
    line.push_str(&format!(
        "{} {:>nlink$} {user:<owner$} {group:<group_w$} {size} {} {}",
        mode_string(&e.node),
        e.node.nlink,
        time_text(e.node.mtime, ctx.now(), o),
        e.name,
        nlink = w.nlink,
        owner = w.owner,
        group_w = w.group,
    ));
    if let NodeKind::Symlink(target) = &e.node.kind {
        line.push_str(" -> ");
        line.push_str(target);
        if o.classify
            && let Ok(t) = ctx.resolve(&e.name, true)
            && let Some(node) = ctx.fs().node(t)
        {
            line.push_str(indicator(node, o));
        }
    } else {
        line.push_str(indicator(&e.node, o));
    }
    line
}

/// An entry as shown in the short formats: inode and block columns, the name, the indicator.
fn short_item(e: &Entry, w: &Widths, o: &Options) -> String {
    let mut item = String::new();
    if o.inode {
        item.push_str(&format!("{:>width$} ", inode_number(e.ino), width = w.inode));
    }
    if o.size {
        item.push_str(&format!("{:>width$} ", blocks_text(&e.node, o), width = w.blocks));
    }
    item.push_str(&e.name);
    item.push_str(indicator(&e.node, o));
    item
}

fn print_entries(ctx: &Ctx<'_>, entries: &[&Entry], w: &Widths, o: &Options, out: &mut String) {
    match o.format {
        Format::Long => {
            for e in entries {
                out.push_str(&long_line(ctx, e, w, o));
                out.push('\n');
            }
        }
        Format::OnePerLine => {
            for e in entries {
                out.push_str(&short_item(e, w, o));
                out.push('\n');
            }
        }
        Format::Columns | Format::Across => {
            let items: Vec<String> = entries.iter().map(|e| short_item(e, w, o)).collect();
            out.push_str(&columns(&items, o.width, o.format == Format::Across));
        }
    }
}

/// GNU ls's column layout: the most columns that fit in `width`, each as wide as its longest
/// name plus two spaces (none after the last column). Filled top to bottom, or left to right
/// with `across`.
pub fn columns(items: &[String], width: usize, across: bool) -> String {
    const MIN_COLUMN_WIDTH: usize = 3;
    let n = items.len();
    if n == 0 {
        return String::new();
    }
    let lengths: Vec<usize> = items.iter().map(|i| i.chars().count()).collect();
    let max_cols = (width / MIN_COLUMN_WIDTH).max(1).min(n);
    // For each candidate number of columns: whether it still fits, its line length, and the
    // width of each column.
    let mut valid = vec![true; max_cols];
    let mut line_len: Vec<usize> = (1..=max_cols).map(|c| c * MIN_COLUMN_WIDTH).collect();
    let mut col_widths: Vec<Vec<usize>> = (1..=max_cols).map(|c| vec![MIN_COLUMN_WIDTH; c]).collect();
    for (fileno, &len) in lengths.iter().enumerate() {
        for i in 0..max_cols {
            if !valid[i] {
                continue;
            }
            let idx = if across { fileno % (i + 1) } else { fileno / n.div_ceil(i + 1) };
            let real = len + if idx == i { 0 } else { 2 };
            if col_widths[i][idx] < real {
                line_len[i] += real - col_widths[i][idx];
                col_widths[i][idx] = real;
                valid[i] = line_len[i] < width;
            }
        }
    }
    let cols = (1..=max_cols).rev().find(|&c| valid[c - 1]).unwrap_or(1);
    let widths = &col_widths[cols - 1];
    let mut out = String::new();
    if across {
        for (i, item) in items.iter().enumerate() {
            let col = i % cols;
            out.push_str(item);
            if col + 1 == cols || i + 1 == n {
                out.push('\n');
            } else {
                out.extend(std::iter::repeat_n(' ', widths[col].saturating_sub(lengths[i])));
            }
        }
        return out;
    }
    let rows = n.div_ceil(cols);
    for row in 0..rows {
        let mut i = row;
        let mut col = 0;
        loop {
            out.push_str(&items[i]);
            let next = i + rows;
            if next >= n {
                break;
            }
            out.extend(std::iter::repeat_n(' ', widths[col].saturating_sub(lengths[i])));
            col += 1;
            i = next;
        }
        out.push('\n');
    }
    out
}
