//! `stat` (the full GNU layout and `-c`/`--printf` formats) and `du` (disk usage from the
//! simulated ext4 blocks, or apparent sizes).

use std::collections::BTreeSet;

use super::common::{device_of, human, inode_number, join, lquote, mode_string, quote};
use super::date::strftime;
use super::{CommandInfo, split_options, usage_error};
use crate::sim::shell::Ctx;
use crate::sim::vfs::{Ino, Node, NodeKind};

pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "du",
        run: du,
        summary: "estimate file space usage",
        usage: "Usage: du [OPTION]... [FILE]...\nSummarize disk usage of each FILE, recursively for directories (in 1K blocks).\n\n  -a, --all             write counts for all files, not just directories\n      --apparent-size   print apparent sizes rather than disk usage\n  -b, --bytes           equivalent to '--apparent-size --block-size=1'\n  -c, --total           produce a grand total\n  -d, --max-depth=N     print the total for a directory only if it is N or fewer levels deep\n  -h, --human-readable  print sizes in human readable format (e.g., 1K 234M 2G)\n  -k                    like --block-size=1K\n  -m                    like --block-size=1M\n  -s, --summarize       display only a total for each argument\n",
    },
    CommandInfo {
        name: "stat",
        run: stat,
        summary: "display file status (size, blocks, mode, owner, times)",
        usage: "Usage: stat [OPTION]... FILE...\nDisplay file status.\n\n  -L, --dereference     follow links\n  -c  --format=FORMAT   use the specified FORMAT instead of the default;\n                          output a newline after each use of FORMAT\n      --printf=FORMAT   like --format, but interpret backslash escapes,\n                          and do not output a mandatory trailing newline\n\nFORMAT sequences: %a access rights in octal, %A in human readable form, %b number of\nblocks allocated, %B size in bytes of each block (512), %d/%D device number, %f raw mode\nin hex, %F file type, %g/%G group ID/name, %h number of hard links, %i inode number,\n%m mount point, %n file name, %N quoted file name (with link target), %o I/O block,\n%s total size in bytes, %t/%T device major/minor (hex), %u/%U user ID/name,\n%w/%W birth, %x/%X access, %y/%Y modification, %z/%Z change time (%X %Y %Z: seconds).\n",
    },
];

fn file_type_bits(node: &Node) -> u32 {
    match node.kind {
        NodeKind::Dir(_) => 0o040_000,
        NodeKind::File(_) => 0o100_000,
        NodeKind::Symlink(_) => 0o120_000,
        NodeKind::CharDev { .. } => 0o020_000,
    }
}

/// The `%N` text: `'name'`, or `'link' -> 'target'`.
fn quoted_name(name: &str, node: &Node, always: bool) -> String {
    let q = |s: &str| {
        if always || s.is_empty() || s.contains(|c: char| !(c.is_alphanumeric() || "-_./+,:@%=^~".contains(c))) {
            quote(s)
        } else {
            s.to_owned()
        }
    };
    match &node.kind {
        NodeKind::Symlink(target) => format!("{} -> {}", q(name), q(target)),
        _ => q(name),
    }
}

fn full_time(t: i64) -> String {
    strftime("%Y-%m-%d %H:%M:%S.000000000 +0000", t)
}

/// Expands one `%` directive of a stat format.
fn directive(ctx: &Ctx<'_>, conv: char, name: &str, ino: Ino, node: &Node) -> Option<(String, bool)> {
    let (major, minor) = device_of(ctx.fs(), ino);
    let dev = (u64::from(major) << 8) | u64::from(minor);
    let (rmajor, rminor) = match node.kind {
        NodeKind::CharDev { major, minor } => (major, minor),
        _ => (0, 0),
    };
    // (text, numeric): numeric fields take `0` padding.
    Some(match conv {
        'a' => (format!("{:o}", node.mode & 0o7777), true),
        'A' => (mode_string(node), false),
        'b' => (node.stat_blocks().to_string(), true),
        'B' => ("512".to_owned(), true),
        'd' => (dev.to_string(), true),
        'D' => (format!("{dev:x}"), false),
        'f' => (format!("{:x}", file_type_bits(node) | (node.mode & 0o7777)), false),
        'F' => (node.type_name().to_owned(), false),
        'g' => (node.gid.to_string(), true),
        'G' => (ctx.group_name(node.gid), false),
        'h' => (node.nlink.to_string(), true),
        'i' => (inode_number(ino).to_string(), true),
        'm' => ("/".to_owned(), false),
        'n' => (name.to_owned(), false),
        'N' => (quoted_name(name, node, true), false),
        'o' => ("4096".to_owned(), true),
        's' => (node.size().to_string(), true),
        't' => (format!("{rmajor:x}"), false),
        'T' => (format!("{rminor:x}"), false),
        'u' => (node.uid.to_string(), true),
        'U' => (ctx.user_name(node.uid), false),
        'w' | 'x' | 'y' | 'z' => (full_time(node.mtime), false),
        'W' | 'X' | 'Y' | 'Z' => (node.mtime.to_string(), true),
        'C' => ("?".to_owned(), false),
        _ => return None,
    })
}

/// Expands a `-c`/`--printf` format for one file.
fn expand_format(ctx: &Ctx<'_>, format: &str, name: &str, ino: Ino, node: &Node, escapes: bool) -> String {
    let chars: Vec<char> = format.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && escapes {
            let (text, next) = printf_escape(&chars, i + 1);
            out.push_str(&text);
            i = next;
            continue;
        }
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let mut flags = String::new();
        while let Some(&f) = chars.get(i).filter(|f| "-+ #0'".contains(**f)) {
            flags.push(f);
            i += 1;
        }
        let mut width = 0usize;
        while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
            width = (width * 10 + d as usize).min(4096);
            i += 1;
        }
        let mut precision = None;
        if chars.get(i) == Some(&'.') {
            i += 1;
            let mut p = 0usize;
            while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                p = (p * 10 + d as usize).min(4096);
                i += 1;
            }
            precision = Some(p);
        }
        let Some(&conv) = chars.get(i) else {
            out.push('%');
            break;
        };
        i += 1;
        if conv == '%' {
            out.push('%');
            continue;
        }
        let Some((mut text, numeric)) = directive(ctx, conv, name, ino, node) else {
            // Unknown directives are printed as they are, like GNU stat.
            out.extend(&chars[start..i]);
            continue;
        };
        if let Some(p) = precision
            && !numeric
        {
            text = text.chars().take(p).collect();
        }
        let len = text.chars().count();
        if len < width {
            let fill = width - len;
            if flags.contains('-') {
                text.extend(std::iter::repeat_n(' ', fill));
            } else if flags.contains('0') && numeric {
                text = format!("{}{text}", "0".repeat(fill));
            } else {
                text = format!("{}{text}", " ".repeat(fill));
            }
        }
        out.push_str(&text);
    }
    out
}

/// A backslash escape of `--printf` starting at `chars[i]` (after the backslash): the text and
/// the index after it.
fn printf_escape(chars: &[char], i: usize) -> (String, usize) {
    let Some(&c) = chars.get(i) else { return ("\\".to_owned(), i) };
    let simple = match c {
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        'e' => Some('\x1b'),
        'f' => Some('\x0c'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\x0b'),
        '\\' => Some('\\'),
        '"' => Some('"'),
        _ => None,
    };
    if let Some(s) = simple {
        return (s.to_string(), i + 1);
    }
    let (radix, start, max) = match c {
        '0'..='7' => (8, i, 3),
        'x' => (16, i + 1, 2),
        _ => return (format!("\\{c}"), i + 1),
    };
    let mut value = 0u32;
    let mut j = start;
    while j < chars.len() && j < start + max {
        match chars[j].to_digit(radix) {
            Some(d) => value = value * radix + d,
            None => break,
        }
        j += 1;
    }
    if j == start {
        return (format!("\\{c}"), i + 1);
    }
    (char::from_u32(value).unwrap_or('?').to_string(), j)
}

fn default_format(ctx: &Ctx<'_>, name: &str, ino: Ino, node: &Node) -> String {
    let (major, minor) = device_of(ctx.fs(), ino);
    let uid = node.uid;
    let gid = node.gid;
    let user = ctx.user_name(uid);
    let group = ctx.group_name(gid);
    let links = match node.kind {
        NodeKind::CharDev { major: rmajor, minor: rminor } => {
            format!("Links: {:<5} Device type: {rmajor},{rminor}", node.nlink)
        }
        _ => format!("Links: {}", node.nlink),
    };
    let time = full_time(node.mtime);
    format!(
        "  File: {}\n  Size: {:<10}\tBlocks: {:<10} IO Block: {:<6} {}\nDevice: {major},{minor}\tInode: {:<11} {links}\nAccess: ({:04o}/{})  Uid: ({uid:>5}/{user:>8})   Gid: ({gid:>5}/{group:>8})\nAccess: {time}\nModify: {time}\nChange: {time}\n Birth: {time}\n",
        quoted_name(name, node, false),
        node.size(),
        node.stat_blocks(),
        4096,
        node.type_name(),
        inode_number(ino),
        node.mode & 0o7777,
        mode_string(node),
    )
}

fn stat(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &["-c", "--format", "--printf"]);
    let mut follow = false;
    let mut format: Option<(String, bool)> = None;
    for option in &options {
        match option.as_str() {
            "-L" | "--dereference" => follow = true,
            o if o.starts_with("-c=") || o.starts_with("--format=") => {
                format = Some((o.split_once('=').map_or("", |(_, v)| v).to_owned(), false));
            }
            o if o.starts_with("--printf=") => format = Some((o["--printf=".len()..].to_owned(), true)),
            other => return usage_error(ctx, "stat", &super::builtins::unknown_option(other)),
        }
    }
    if operands.is_empty() {
        return usage_error(ctx, "stat", "missing operand");
    }
    let mut status = 0;
    let mut out = String::new();
    for operand in &operands {
        let ino = match ctx.resolve(operand, follow) {
            Ok(ino) => ino,
            Err(e) => {
                ctx.out(&std::mem::take(&mut out));
                ctx.err(&format!("stat: cannot statx {}: {e}\n", quote(operand)));
                status = 1;
                continue;
            }
        };
        let Some(node) = ctx.fs().node(ino).cloned() else { continue };
        match &format {
            Some((f, printf)) => {
                out.push_str(&expand_format(ctx, f, operand, ino, &node, *printf));
                if !printf {
                    out.push('\n');
                }
            }
            None => out.push_str(&default_format(ctx, operand, ino, &node)),
        }
    }
    ctx.out(&out);
    status
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Human,
    /// A block size in bytes.
    Bytes(u64),
}

struct DuOptions {
    all: bool,
    apparent: bool,
    summarize: bool,
    total: bool,
    max_depth: Option<usize>,
    unit: Unit,
}

/// The size of one node in bytes: allocated blocks, or apparent size.
fn node_bytes(node: &Node, apparent: bool) -> u64 {
    if apparent { node.size() } else { node.stat_blocks() * 512 }
}

fn du_text(bytes: u64, o: &DuOptions) -> String {
    match o.unit {
        Unit::Human => human(bytes),
        Unit::Bytes(b) => bytes.div_ceil(b).to_string(),
    }
}

/// Walks `path`, printing what the options ask for; returns its total bytes. A file with
/// several hard links counts once (`seen`).
fn du_walk(
    ctx: &Ctx<'_>,
    path: &str,
    ino: Ino,
    depth: usize,
    o: &DuOptions,
    seen: &mut BTreeSet<Ino>,
    out: &mut String,
) -> u64 {
    let Some(node) = ctx.fs().node(ino) else { return 0 };
    // What was counted already (a directory named twice, another link of a file) is skipped.
    if (node.is_dir() || node.nlink > 1) && !seen.insert(ino) {
        return 0;
    }
    let mut total = node_bytes(node, o.apparent);
    let shown = |d: usize| !o.summarize && o.max_depth.is_none_or(|m| d <= m);
    if let Ok(entries) = ctx.fs().entries(ino) {
        for (name, &child) in entries {
            if out.len() > crate::sim::world::MAX_OUTPUT || depth > 256 {
                break;
            }
            let child_path = join(path, name);
            let Some(child_node) = ctx.fs().node(child) else { continue };
            if child_node.is_dir() {
                total += du_walk(ctx, &child_path, child, depth + 1, o, seen, out);
            } else {
                if child_node.nlink > 1 && !seen.insert(child) {
                    continue;
                }
                let bytes = node_bytes(child_node, o.apparent);
                total += bytes;
                if o.all && shown(depth + 1) {
                    out.push_str(&format!("{}\t{child_path}\n", du_text(bytes, o)));
                }
            }
        }
    }
    if (node.is_dir() && shown(depth)) || depth == 0 {
        out.push_str(&format!("{}\t{path}\n", du_text(total, o)));
    }
    total
}

fn du(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, mut operands) = split_options(&args[1..], &["-d", "--max-depth"]);
    let mut o = DuOptions {
        all: false,
        apparent: false,
        summarize: false,
        total: false,
        max_depth: None,
        unit: Unit::Bytes(1024),
    };
    for option in &options {
        match option.as_str() {
            "-a" | "--all" => o.all = true,
            "--apparent-size" => o.apparent = true,
            "-b" | "--bytes" => {
                o.apparent = true;
                o.unit = Unit::Bytes(1);
            }
            "-c" | "--total" => o.total = true,
            "-h" | "--human-readable" => o.unit = Unit::Human,
            "-k" => o.unit = Unit::Bytes(1024),
            "-m" => o.unit = Unit::Bytes(1 << 20),
            "-s" | "--summarize" => o.summarize = true,
            "-L" | "--dereference" | "-x" | "--one-file-system" => {}
            opt if opt.starts_with("-d=") || opt.starts_with("--max-depth=") => {
                let value = opt.split_once('=').map_or("", |(_, v)| v);
                match value.parse::<usize>() {
                    Ok(d) => o.max_depth = Some(d),
                    Err(_) => {
                        ctx.err(&format!(
                            "du: invalid maximum depth {}\nTry 'du --help' for more information.\n",
                            lquote(value)
                        ));
                        return 1;
                    }
                }
            }
            other => return usage_error(ctx, "du", &super::builtins::unknown_option(other)),
        }
    }
    if o.summarize && o.max_depth.is_some_and(|d| d > 0) {
        ctx.err("du: warning: summarizing conflicts with --max-depth=0\n");
    }
    if operands.is_empty() {
        operands.push(".".to_owned());
    }
    let mut status = 0;
    let mut grand = 0u64;
    let mut seen = BTreeSet::new();
    for operand in &operands {
        match ctx.resolve(operand, false) {
            Ok(ino) => {
                let mut out = String::new();
                grand += du_walk(ctx, operand, ino, 0, &o, &mut seen, &mut out);
                ctx.out(&out);
            }
            Err(e) => {
                ctx.err(&format!("du: cannot access {}: {e}\n", quote(operand)));
                status = 1;
            }
        }
    }
    if o.total {
        ctx.out(&format!("{}\ttotal\n", du_text(grand, &o)));
    }
    status
}
