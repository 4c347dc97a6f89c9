//! Helpers shared by the file and text utilities: GNU-style quoting of names in messages,
//! human-readable sizes, size suffixes, inode numbers and the host disk's capacity.

use crate::sim::shell::Ctx;
use crate::sim::vfs::{BLOCK_SIZE, FsError, Ino, Node, NodeKind, ROOT, Vfs};

/// The capacity of the host's simulated disk: how much *written* data (allocated blocks) all
/// files together may hold before writes fail with `No space left on device`.
pub const HOST_DISK_BYTES: u64 = 256 << 30;

/// The largest file ext4 with 4 KiB blocks allows (16 TiB less one block); `truncate`, `dd`
/// and `fallocate` past it fail with `File too large`.
pub const MAX_FILE_SIZE: u64 = (16 << 40) - BLOCK_SIZE;

/// Quotes a file name the way GNU tools do in messages (`'name'`, `"it's"`).
pub fn quote(name: &str) -> String {
    if !name.contains('\'') {
        format!("'{name}'")
    } else if !name.contains(['"', '$', '`', '\\', '!']) {
        format!("\"{name}\"")
    } else {
        format!("'{}'", name.replace('\'', "'\\''"))
    }
}

/// Quotes a value with the typographic quotes GNU tools use in a UTF-8 locale (`‘abc’`).
pub fn lquote(value: &str) -> String {
    format!("\u{2018}{value}\u{2019}")
}

/// Rounding of [`human`] numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Round {
    /// Up, as `ls -h` and `du -h`.
    Ceiling,
    /// To the nearest, ties to even, as `dd`.
    Nearest,
}

/// GNU `human_readable` for an exact number of bytes: `12`, `4.0K`, `12K`, `1.0G` (one decimal
/// below 10). Returns the number and the power of `base` used (0: no suffix).
pub fn human_number(n: u64, base: u64, round: Round) -> (String, usize) {
    let n = u128::from(n);
    let base = u128::from(base);
    let mut exponent = 0usize;
    let mut denom = 1u128;
    while n >= denom * base && exponent < 8 {
        denom *= base;
        exponent += 1;
    }
    if exponent == 0 {
        return (n.to_string(), 0);
    }
    let round_up = |q: u128, r: u128, d: u128| match round {
        Round::Ceiling => r > 0,
        Round::Nearest => 2 * r > d || (2 * r == d && q % 2 == 1),
    };
    if n < 10 * denom {
        let (q, r) = (n * 10 / denom, n * 10 % denom);
        let tenths = q + u128::from(round_up(q, r, denom));
        if tenths < 100 {
            return (format!("{}.{}", tenths / 10, tenths % 10), exponent);
        }
        return ("10".to_owned(), exponent);
    }
    let (q, r) = (n / denom, n % denom);
    let amount = q + u128::from(round_up(q, r, denom));
    if amount == base && exponent < 8 {
        return ("1.0".to_owned(), exponent + 1);
    }
    (amount.to_string(), exponent)
}

/// `ls -h`/`du -h` sizes: `0`, `1023`, `4.0K`, `3.1M`.
pub fn human(bytes: u64) -> String {
    let (number, exponent) = human_number(bytes, 1024, Round::Ceiling);
    match exponent {
        0 => number,
        e => format!("{number}{}", SUFFIXES[e - 1]),
    }
}

/// The power-of-1024 suffixes, `K` to `Y`.
pub const SUFFIXES: [char; 8] = ['K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];

/// Why a size argument was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeError {
    Invalid,
    /// The number does not fit (`Value too large for defined data type`).
    Overflow,
}

/// Parses a size with GNU suffixes: `K`/`KiB` = 1024, `KB` = 1000, `M`, `G`, `T`, `P`, `E`
/// (and `b` = 512, `c` = 1, `w` = 2 when `dd_style`). Lowercase `k` is accepted too.
pub fn parse_size(text: &str, dd_style: bool) -> Result<u64, SizeError> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Err(SizeError::Invalid);
    }
    let (number, suffix) = text.split_at(digits);
    let value: u64 = number.parse().map_err(|_| SizeError::Overflow)?;
    let multiplier: u64 = match suffix {
        "" => 1,
        "c" if dd_style => 1,
        "w" if dd_style => 2,
        "b" if dd_style => 512,
        _ => {
            let mut chars = suffix.chars();
            let power = match chars.next().map(|c| c.to_ascii_uppercase()) {
                Some('K') => 1,
                Some('M') => 2,
                Some('G') => 3,
                Some('T') => 4,
                Some('P') => 5,
                Some('E') => 6,
                Some('Z') => 7,
                Some('Y') => 8,
                _ => return Err(SizeError::Invalid),
            };
            let base: u64 = match chars.as_str() {
                "" | "iB" => 1024,
                "B" => 1000,
                _ => return Err(SizeError::Invalid),
            };
            let mut m: u64 = 1;
            for _ in 0..power {
                m = m.checked_mul(base).ok_or(SizeError::Overflow)?;
            }
            m
        }
    };
    let size = value.checked_mul(multiplier).ok_or(SizeError::Overflow)?;
    if size > i64::MAX as u64 {
        return Err(SizeError::Overflow);
    }
    Ok(size)
}

/// The inode number shown by `ls -i` and `stat`: the root directory is 2, as on ext4.
pub fn inode_number(ino: Ino) -> u64 {
    if ino == ROOT { 2 } else { 1_310_720 + ino as u64 }
}

/// Joins a directory path as the user typed it and a name: `d` + `x` → `d/x`, `/` + `x` → `/x`.
pub fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') { format!("{dir}{name}") } else { format!("{dir}/{name}") }
}

/// The bytes of written or allocated data all files of a file system hold (what fills the
/// host's disk).
pub fn used_bytes(fs: &Vfs) -> u64 {
    let mut total = 0u64;
    let mut stack = vec![ROOT];
    let mut linked = std::collections::BTreeSet::new();
    // Directories form a tree, so each is visited once; files with several hard links are
    // counted once.
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs.entries(dir) else { continue };
        for &ino in entries.values() {
            match fs.node(ino) {
                Some(Node { kind: NodeKind::Dir(_), .. }) => stack.push(ino),
                Some(Node { kind: NodeKind::File(f), nlink, .. }) if *nlink < 2 || linked.insert(ino) => {
                    total = total.saturating_add(f.blocks.allocated() * BLOCK_SIZE);
                }
                _ => {}
            }
        }
    }
    total
}

/// The space still free on the host's disk.
pub fn free_bytes(ctx: &Ctx<'_>) -> u64 {
    HOST_DISK_BYTES.saturating_sub(used_bytes(ctx.fs()))
}

/// How many bytes of new blocks writing `[offset, offset + len)` of file `ino` would allocate.
pub fn new_allocation(fs: &Vfs, ino: Ino, offset: u64, len: u64) -> u64 {
    if len == 0 {
        return 0;
    }
    let start = offset / BLOCK_SIZE * BLOCK_SIZE;
    let end = (offset.saturating_add(len)).div_ceil(BLOCK_SIZE) * BLOCK_SIZE;
    let allocated: u64 = match fs.file(ino) {
        Ok(f) => f.blocks.ranges().map(|(s, e, _)| e.min(end).saturating_sub(s.max(start))).sum(),
        Err(_) => 0,
    };
    (end - start).saturating_sub(allocated)
}

/// The numbers of a `Device:` field: devtmpfs for `/dev` and its devices, else the host's
/// root disk (`/dev/vda1`, 254:1).
pub fn device_of(fs: &Vfs, ino: Ino) -> (u32, u32) {
    if matches!(fs.node(ino).map(|n| &n.kind), Some(NodeKind::CharDev { .. })) {
        return (0, 5);
    }
    let dev = fs.resolve(ROOT, "/dev", true).ok();
    let mut cur = ino;
    for _ in 0..4096 {
        if Some(cur) == dev {
            return (0, 5);
        }
        if cur == ROOT || !fs.node(cur).is_some_and(crate::sim::vfs::Node::is_dir) {
            break;
        }
        cur = fs.parent(cur);
    }
    (254, 1)
}

/// The permission string of `ls -l` and `stat` (`-rwsr-xr-t`), with set-user-ID, set-group-ID
/// and sticky bits.
pub fn mode_string(node: &Node) -> String {
    let mut s = String::with_capacity(10);
    s.push(node.type_char());
    s.push_str(&permissions(node.mode));
    s
}

/// The nine permission characters of a mode (`rw-r--r--`, `rwsr-x--T`).
pub fn permissions(mode: u32) -> String {
    let mut s = String::with_capacity(9);
    for (shift, special, lower, upper) in [(6, 0o4000, 's', 'S'), (3, 0o2000, 's', 'S'), (0, 0o1000, 't', 'T')] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(match (bits & 1 != 0, mode & special != 0) {
            (true, true) => lower,
            (false, true) => upper,
            (true, false) => 'x',
            (false, false) => '-',
        });
    }
    s
}

/// Where a path names an existing entry: its directory, its name there, and its node (the
/// last component is not followed).
pub struct Located {
    pub dir: Ino,
    pub name: String,
    pub ino: Ino,
}

/// Finds the entry a path names without following a final symlink. A trailing slash requires
/// a directory (or a symlink to one).
pub fn locate(ctx: &Ctx<'_>, path: &str) -> Result<Located, FsError> {
    let fs = ctx.fs();
    let (dir, name) = fs.resolve_parent(ctx.cwd(), path)?;
    let ino = fs.lookup(dir, name).ok_or(FsError::NotFound)?;
    if path.ends_with('/') && !fs.resolve(ctx.cwd(), path, true).is_ok_and(|i| fs.node(i).is_some_and(Node::is_dir)) {
        return Err(FsError::NotDir);
    }
    Ok(Located { dir, name: name.to_owned(), ino })
}

/// Writes (or with `append`, appends) bytes to a regular file, creating it (mode 0644) if
/// needed, as a shell redirection would. Any disk-image structure of the file is dropped.
pub fn write_file(ctx: &mut Ctx<'_>, path: &str, bytes: &[u8], append: bool) -> Result<(), FsError> {
    let now = ctx.now();
    let ino = match ctx.resolve(path, true) {
        Ok(ino) => ino,
        Err(FsError::NotFound) => {
            let cwd = ctx.cwd();
            let fs = ctx.fs_mut();
            let (dir, name) = fs.resolve_parent(cwd, path)?;
            let name = name.to_owned();
            fs.create(dir, &name, Node::file(crate::sim::vfs::RegularFile::default(), 0o644, now))?
        }
        Err(e) => return Err(e),
    };
    match ctx.fs().node(ino).map(|n| &n.kind) {
        Some(NodeKind::Dir(_)) => return Err(FsError::IsDir),
        Some(NodeKind::CharDev { .. }) => return Ok(()),
        _ => {}
    }
    let file = ctx.fs_mut().file_mut(ino, now)?;
    if !append {
        *file = crate::sim::vfs::RegularFile::default();
    }
    file.qcow2 = None;
    let offset = file.len;
    file.write(offset, bytes);
    Ok(())
}

/// Splits text into lines: a final line without a newline still counts, an empty text has
/// none.
pub fn lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.split('\n').collect();
    if text.ends_with('\n') || text.is_empty() {
        lines.pop();
    }
    lines
}

/// The last component of a path (`a/b/` → `b`).
pub fn base_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.is_empty() { "" } else { "/" };
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes_round_like_gnu() {
        assert_eq!(human(0), "0");
        assert_eq!(human(1023), "1023");
        assert_eq!(human(1024), "1.0K");
        assert_eq!(human(1025), "1.1K");
        assert_eq!(human(4096), "4.0K");
        assert_eq!(human(10239), "10K");
        assert_eq!(human(12 * 1024), "12K");
        assert_eq!(human(3096 * 1024), "3.1M");
        assert_eq!(human(1024 * 1024 - 1), "1.0M");
        assert_eq!(human(1 << 30), "1.0G");
        assert_eq!(human(u64::MAX), "16E");
        assert_eq!(human_number(3_145_728, 1000, Round::Nearest), ("3.1".into(), 2));
        assert_eq!(human_number(65_536, 1000, Round::Nearest), ("66".into(), 1));
        assert_eq!(human_number(104_857_600, 1000, Round::Nearest), ("105".into(), 2));
    }

    #[test]
    fn sizes_parse_with_suffixes() {
        assert_eq!(parse_size("1K", false), Ok(1024));
        assert_eq!(parse_size("1k", false), Ok(1024));
        assert_eq!(parse_size("1KB", false), Ok(1000));
        assert_eq!(parse_size("1KiB", false), Ok(1024));
        assert_eq!(parse_size("2G", false), Ok(2 << 30));
        assert_eq!(parse_size("3b", true), Ok(1536));
        assert_eq!(parse_size("3b", false), Err(SizeError::Invalid));
        assert_eq!(parse_size("abc", false), Err(SizeError::Invalid));
        assert_eq!(parse_size("9E", false), Err(SizeError::Overflow));
        assert_eq!(parse_size("1x", false), Err(SizeError::Invalid));
    }

    #[test]
    fn permission_strings_show_special_bits() {
        assert_eq!(permissions(0o644), "rw-r--r--");
        assert_eq!(permissions(0o4755), "rwsr-xr-x");
        assert_eq!(permissions(0o2644), "rw-r-Sr--");
        assert_eq!(permissions(0o1777), "rwxrwxrwt");
        assert_eq!(permissions(0o1776), "rwxrwxrwT");
        assert_eq!(base_name("a/b/"), "b");
        assert_eq!(base_name("/"), "/");
        assert_eq!(base_name("x"), "x");
    }

    #[test]
    fn names_are_quoted_for_messages() {
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), "\"it's\"");
        assert_eq!(lquote("x"), "‘x’");
    }
}
