//! Sizing and filling files: `dd` (with its three-line summary), `truncate` and `fallocate`.
//! Writes are bounded by ext4's largest file (16 TiB) and by the host disk's free space.

use rand::RngCore as _;

use super::common::{
    MAX_FILE_SIZE, Round, SizeError, free_bytes, human_number, lquote, new_allocation, parse_size, quote,
};
use super::printf::format_g;
use super::{CommandInfo, split_options, usage_error};
use crate::sim::shell::Ctx;
use crate::sim::vfs::{BLOCK_SIZE, FsError, Ino, Node, NodeKind, RegularFile};
use crate::sim::world::MAX_OUTPUT;

pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "dd",
        run: dd,
        summary: "convert and copy a file (write zeros, copy images)",
        usage: "Usage: dd [OPERAND]...\nCopy a file, converting and formatting according to the operands.\n\n  bs=BYTES        read and write up to BYTES bytes at a time (default: 512)\n  ibs=BYTES       read up to BYTES bytes at a time\n  obs=BYTES       write BYTES bytes at a time\n  count=N         copy only N input blocks\n  if=FILE         read from FILE instead of stdin (/dev/zero, /dev/urandom, a file)\n  of=FILE         write to FILE instead of stdout\n  seek=N          skip N obs-sized blocks at start of output\n  skip=N          skip N ibs-sized blocks at start of input\n  conv=CONVS      notrunc (do not truncate the output file), sparse (seek rather than\n                  write the output for NUL input blocks), fsync, fdatasync\n  status=LEVEL    none, noxfer or progress\n\nN and BYTES may be followed by: c=1, w=2, b=512, K=1024, KB=1000, M, MB, G, GB, T ...\n",
    },
    CommandInfo {
        name: "fallocate",
        run: fallocate,
        summary: "preallocate space to a file",
        usage: "Usage:\n fallocate [options] <filename>\n\nPreallocate space to, or deallocate space from a file.\n\nOptions:\n -l, --length <num>   length for range operations, in bytes\n -n, --keep-size      maintain the apparent size of the file\n -o, --offset <num>   offset for range operations, in bytes\n -p, --punch-hole     replace a range with a hole (implies -n)\n -z, --zero-range     zero and ensure allocation of a range\n -v, --verbose        verbose mode\n\n<num> arguments may be followed by the suffixes for KiB, MiB, GiB, TiB, PiB and EiB\n(the \"iB\" is optional) or KB, MB, GB ... for powers of 1000.\n",
    },
    CommandInfo {
        name: "truncate",
        run: truncate,
        summary: "shrink or extend the size of a file",
        usage: "Usage: truncate OPTION... FILE...\nShrink or extend the size of each FILE to the specified size.\nA FILE argument that does not exist is created. Extending makes a hole (no blocks).\n\n  -c, --no-create        do not create any files\n  -r, --reference=RFILE  base size on RFILE\n  -s, --size=SIZE        set or adjust the file size by SIZE bytes\n\nSIZE may be followed by K, M, G, T, P, E (powers of 1024) or KB, MB, ... (powers of 1000);\nwith a prefix: '+' extend by, '-' reduce by, '<' at most, '>' at least.\n",
    },
];

/// At most this much is read from /dev/urandom by one command (the bytes are kept literally).
const MAX_RANDOM: u64 = 64 << 20;

/// Where `dd` reads from.
enum Input {
    Zero,
    Random,
    Bytes(Vec<u8>),
    File(std::sync::Arc<RegularFile>),
}

/// The deterministic time a copy of `bytes` takes: a fixed start-up plus 1.5 GB/s.
fn copy_seconds(bytes: u64) -> f64 {
    0.000_05 + bytes as f64 / 1.5e9
}

/// `1048576 bytes (1.0 MB, 1.0 MiB) copied, 0.000749 s, 1.4 GB/s`.
fn transfer_line(bytes: u64) -> String {
    let (si, si_exp) = human_number(bytes, 1000, Round::Nearest);
    let (iec, iec_exp) = human_number(bytes, 1024, Round::Nearest);
    const SI: [&str; 8] = ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    const IEC: [&str; 8] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];
    let amount = if si_exp == 0 {
        if bytes == 1 { "1 byte copied".to_owned() } else { format!("{bytes} bytes copied") }
    } else if iec_exp == 0 {
        format!("{bytes} bytes ({si} {}) copied", SI[si_exp - 1])
    } else {
        format!("{bytes} bytes ({si} {}, {iec} {}) copied", SI[si_exp - 1], IEC[iec_exp - 1])
    };
    let seconds = copy_seconds(bytes);
    // GNU's floating-point human_readable: at least kB, one decimal while it fits.
    let mut rate = bytes as f64 / seconds;
    let mut exponent = 0;
    let mut scale = 1.0;
    loop {
        scale *= 1000.0;
        exponent += 1;
        if !(scale * 1000.0 <= rate && exponent < 8) {
            break;
        }
    }
    rate /= scale;
    let mut number = format!("{rate:.1}");
    if number.len() > 4 {
        number = format!("{rate:.0}");
    }
    format!("{amount}, {} s, {number} {}/s\n", format_g(seconds, 6, false), SI[exponent - 1])
}

fn dd_number(ctx: &mut Ctx<'_>, value: &str, positive: bool) -> Result<u64, i32> {
    match parse_size(value, true) {
        Ok(n) if !positive || n > 0 => Ok(n),
        Ok(_) | Err(SizeError::Invalid) => {
            ctx.err(&format!("dd: invalid number: {}\n", lquote(value)));
            Err(1)
        }
        Err(SizeError::Overflow) => {
            ctx.err(&format!("dd: invalid number: {}: Value too large for defined data type\n", lquote(value)));
            Err(1)
        }
    }
}

fn dd(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (mut ibs, mut obs) = (512u64, 512u64);
    let (mut count, mut skip, mut seek) = (None, 0u64, 0u64);
    let (mut input, mut output) = (None::<String>, None::<String>);
    let (mut notrunc, mut sparse) = (false, false);
    let mut status_level = "default";
    for arg in &args[1..] {
        let Some((key, value)) = arg.split_once('=') else {
            return usage_error(ctx, "dd", &format!("unrecognized operand {}", lquote(arg)));
        };
        let number = |ctx: &mut Ctx<'_>, positive| dd_number(ctx, value, positive);
        let result = match key {
            "bs" => number(ctx, true).map(|n| {
                ibs = n;
                obs = n;
            }),
            "ibs" => number(ctx, true).map(|n| ibs = n),
            "obs" => number(ctx, true).map(|n| obs = n),
            "count" => number(ctx, false).map(|n| count = Some(n)),
            "skip" | "iseek" => number(ctx, false).map(|n| skip = n),
            "seek" | "oseek" => number(ctx, false).map(|n| seek = n),
            "if" => {
                input = Some(value.to_owned());
                Ok(())
            }
            "of" => {
                output = Some(value.to_owned());
                Ok(())
            }
            "conv" => {
                for conv in value.split(',') {
                    match conv {
                        "notrunc" => notrunc = true,
                        "sparse" => sparse = true,
                        "fsync" | "fdatasync" | "noerror" | "sync" | "excl" | "nocreat" => {}
                        other => {
                            ctx.err(&format!(
                                "dd: invalid conversion: {}\nTry 'dd --help' for more information.\n",
                                lquote(other)
                            ));
                            return 1;
                        }
                    }
                }
                Ok(())
            }
            "iflag" | "oflag" => Ok(()),
            "status" => match value {
                "none" | "noxfer" | "progress" | "default" => {
                    status_level = if value == "progress" { "default" } else { value };
                    Ok(())
                }
                other => {
                    ctx.err(&format!(
                        "dd: invalid status level: {}\nTry 'dd --help' for more information.\n",
                        lquote(other)
                    ));
                    return 1;
                }
            },
            _ => return usage_error(ctx, "dd", &format!("unrecognized operand {}", lquote(arg))),
        };
        if let Err(status) = result {
            return status;
        }
    }

    // The input.
    let mut read_error = false;
    let source = match input.as_deref() {
        None => Input::Bytes(std::mem::take(&mut ctx.stdin)),
        Some("/dev/zero") => Input::Zero,
        Some("/dev/urandom" | "/dev/random") => Input::Random,
        Some(path) => match ctx.node(path, true).map(|n| n.kind.clone()) {
            Ok(NodeKind::File(f)) => Input::File(f),
            Ok(NodeKind::Dir(_)) => {
                ctx.err(&format!("dd: error reading {}: Is a directory\n", quote(path)));
                read_error = true;
                Input::Bytes(Vec::new())
            }
            Ok(NodeKind::CharDev { major: 1, minor: 5 }) => Input::Zero,
            Ok(NodeKind::CharDev { major: 1, minor: 8 | 9 }) => Input::Random,
            Ok(_) => Input::Bytes(Vec::new()),
            Err(e) => {
                ctx.err(&format!("dd: failed to open {}: {e}\n", quote(path)));
                return 1;
            }
        },
    };
    let available = match &source {
        Input::Zero | Input::Random => u64::MAX,
        Input::Bytes(b) => b.len() as u64,
        Input::File(f) => f.len,
    };
    let skip_bytes = skip.saturating_mul(ibs);
    let mut status = 0;
    let remaining = if skip_bytes > available {
        ctx.err(&format!("dd: {}: cannot skip to specified offset\n", input.as_deref().unwrap_or("standard input")));
        0
    } else {
        available - skip_bytes
    };
    let mut total = count.map_or(remaining, |c| c.saturating_mul(ibs).min(remaining));

    // The output.
    let seek_bytes = seek.saturating_mul(obs);
    let target = match output.as_deref() {
        None => None,
        Some("/dev/null") => Some(None),
        Some(path) => match open_output(ctx, path, seek_bytes, notrunc) {
            Ok(ino) => Some(Some(ino)),
            Err(message) => {
                ctx.err(&message);
                return 1;
            }
        },
    };
    let mut error = None;
    match target {
        Some(Some(ino)) => {
            let name = output.clone().unwrap_or_default();
            if seek_bytes.saturating_add(total) > MAX_FILE_SIZE {
                // ext4 cuts the write at its limit; the next write fails.
                total = MAX_FILE_SIZE.saturating_sub(seek_bytes);
                error = Some(format!("dd: error writing {}: {}\n", quote(&name), FsError::TooBig));
            }
            if matches!(source, Input::Random) && total > MAX_RANDOM {
                total = MAX_RANDOM;
                error = Some(format!(
                    "dd: GuestLab reads at most {} MiB from {} in one command\n",
                    MAX_RANDOM >> 20,
                    input.as_deref().unwrap_or_default()
                ));
            }
            let literal = literal_bytes(&source, skip_bytes, total);
            let room = ctx.world.file_data_room();
            if literal > room {
                total = total.saturating_sub(literal - room) / BLOCK_SIZE * BLOCK_SIZE;
                error = Some(format!(
                    "dd: error writing {}: {} ({})\n",
                    quote(&name),
                    FsError::NoSpace,
                    crate::sim::vfs::usage::file_data_note()
                ));
            }
            let needed = if sparse && matches!(source, Input::Zero) {
                0
            } else {
                new_allocation(ctx.fs(), ino, seek_bytes, total)
            };
            let free = free_bytes(ctx);
            if needed > free {
                total = total.saturating_sub(needed - free) / BLOCK_SIZE * BLOCK_SIZE;
                error = Some(format!("dd: error writing {}: {}\n", quote(&name), FsError::NoSpace));
            }
            write_output(ctx, ino, &source, skip_bytes, seek_bytes, total, sparse);
        }
        Some(None) => {}
        None => {
            total = total.min(MAX_OUTPUT as u64 + 1);
            let bytes = read_input(ctx, &source, skip_bytes, total);
            ctx.out_bytes(&bytes);
        }
    }

    // The summary on standard error.
    let (in_full, in_part) = match (&error, count) {
        (Some(_), _) => (total / obs + 1, 0),
        _ => (total / ibs, u64::from(total % ibs != 0)),
    };
    let (out_full, out_part) =
        if error.is_some() { (total / obs, 0) } else { (total / obs, u64::from(total % obs != 0)) };
    let mut summary = error.clone().unwrap_or_default();
    if error.is_some() || read_error {
        status = 1;
    }
    if status_level != "none" {
        summary.push_str(&format!("{in_full}+{in_part} records in\n{out_full}+{out_part} records out\n"));
        if status_level != "noxfer" {
            summary.push_str(&transfer_line(total));
        }
    }
    ctx.err(&summary);
    status
}

/// Opens (or creates) the output file and truncates it at the seek offset unless `notrunc`.
fn open_output(ctx: &mut Ctx<'_>, path: &str, seek_bytes: u64, notrunc: bool) -> Result<Ino, String> {
    let now = ctx.now();
    let ino = match ctx.resolve(path, true) {
        Ok(ino) => ino,
        Err(FsError::NotFound) => {
            let cwd = ctx.cwd();
            let fs = ctx.fs_mut();
            fs.resolve_parent(cwd, path)
                .and_then(|(dir, name)| {
                    let name = name.to_owned();
                    fs.create(dir, &name, Node::file(RegularFile::default(), 0o644, now))
                })
                .map_err(|e| format!("dd: failed to open {}: {e}\n", quote(path)))?
        }
        Err(e) => return Err(format!("dd: failed to open {}: {e}\n", quote(path))),
    };
    match ctx.fs().node(ino).map(|n| &n.kind) {
        Some(NodeKind::File(_)) => {}
        Some(NodeKind::Dir(_)) => return Err(format!("dd: failed to open {}: Is a directory\n", quote(path))),
        _ => return Err(format!("dd: GuestLab cannot write to the device {}\n", quote(path))),
    }
    if seek_bytes > MAX_FILE_SIZE {
        return Err(format!(
            "dd: failed to truncate to {seek_bytes} bytes in output file {}: File too large\n",
            quote(path)
        ));
    }
    let file = ctx.fs_mut().file_mut(ino, now).map_err(|e| format!("dd: failed to open {}: {e}\n", quote(path)))?;
    if !notrunc {
        file.truncate(seek_bytes);
    }
    Ok(ino)
}

/// How many literal bytes (kept in memory byte by byte) copying `len` bytes of the input from
/// `skip` writes: all of random or piped input, the literal extents of a file.
fn literal_bytes(source: &Input, skip: u64, len: u64) -> u64 {
    match source {
        Input::Zero => 0,
        Input::Random | Input::Bytes(_) => len,
        Input::File(f) => f
            .contents
            .extents()
            .filter(|(_, _, fill)| matches!(fill, crate::sim::vfs::Fill::Bytes(_)))
            .map(|(start, extent_len, _)| (start + extent_len).min(skip + len).saturating_sub(start.max(skip)))
            .sum(),
    }
}

/// Reads `len` bytes of the input (bounded by the callers: the output limit for standard
/// output, [`MAX_RANDOM`] for random bytes).
fn read_input(ctx: &mut Ctx<'_>, source: &Input, skip: u64, len: u64) -> Vec<u8> {
    let len = usize::try_from(len.min(MAX_RANDOM.max(MAX_OUTPUT as u64 + 1))).unwrap_or(usize::MAX);
    match source {
        Input::Zero => vec![0; len],
        Input::Random => {
            let mut bytes = vec![0; len];
            ctx.world.rng.fill_bytes(&mut bytes);
            bytes
        }
        Input::Bytes(b) => {
            let start = usize::try_from(skip).unwrap_or(usize::MAX).min(b.len());
            b[start..(start + len).min(b.len())].to_vec()
        }
        Input::File(f) => f.contents.read(skip, len),
    }
}

fn write_output(ctx: &mut Ctx<'_>, ino: Ino, source: &Input, skip: u64, seek: u64, len: u64, sparse: bool) {
    if len == 0 {
        return;
    }
    let random = if matches!(source, Input::Random) || matches!(source, Input::Bytes(_)) {
        read_input(ctx, source, skip, len)
    } else {
        Vec::new()
    };
    let now = ctx.now();
    let Ok(file) = ctx.fs_mut().file_mut(ino, now) else { return };
    file.qcow2 = None;
    match source {
        Input::Zero if sparse => file.len = file.len.max(seek + len),
        Input::Zero => file.write_fill(seek, len, 0),
        Input::Random | Input::Bytes(_) => file.write(seek, &random),
        Input::File(src) => {
            file.contents.copy_range(&src.contents, skip, len, seek);
            if sparse {
                // Only the blocks with data are written; zero blocks stay holes.
                for (start, extent_len, _) in src.contents.extents() {
                    let a = start.max(skip);
                    let b = (start + extent_len).min(skip + len);
                    if a < b && !src.contents.is_zero(a, b - a) {
                        file.blocks.write(seek + (a - skip), b - a);
                    }
                }
            } else {
                file.blocks.write(seek, len);
            }
            file.len = file.len.max(seek + len);
        }
    }
}

fn truncate(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &["-s", "--size", "-r", "--reference"]);
    let mut size_spec = None;
    let mut reference = None;
    let mut create = true;
    for option in &options {
        match option.as_str() {
            "-c" | "--no-create" => create = false,
            "-o" | "--io-blocks" => {}
            o if o.starts_with("-s=") || o.starts_with("--size=") => {
                size_spec = Some(o.split_once('=').map_or("", |(_, v)| v).to_owned());
            }
            o if o.starts_with("-r=") || o.starts_with("--reference=") => {
                let file = o.split_once('=').map_or("", |(_, v)| v);
                match ctx.node(file, true) {
                    Ok(node) => reference = Some(node.size()),
                    Err(e) => {
                        ctx.err(&format!("truncate: cannot stat {}: {e}\n", quote(file)));
                        return 1;
                    }
                }
            }
            other => return usage_error(ctx, "truncate", &super::builtins::unknown_option(other)),
        }
    }
    if size_spec.is_none() && reference.is_none() {
        return usage_error(
            ctx,
            "truncate",
            &format!("you must specify either {} or {}", lquote("--size"), lquote("--reference")),
        );
    }
    if operands.is_empty() {
        return usage_error(ctx, "truncate", "missing file operand");
    }
    // The mode prefix and the size.
    let (mode, amount) = match size_spec.as_deref() {
        Some(spec) => {
            let (mode, number) = match spec.chars().next() {
                Some(c @ ('+' | '-' | '<' | '>' | '/' | '%')) => (c, &spec[1..]),
                _ => ('=', spec),
            };
            match parse_size(number, false) {
                Ok(n) => (mode, n),
                Err(SizeError::Invalid) => {
                    ctx.err(&format!("truncate: Invalid number: {}\n", lquote(spec)));
                    return 1;
                }
                Err(SizeError::Overflow) => {
                    ctx.err(&format!(
                        "truncate: Invalid number: {}: Value too large for defined data type\n",
                        lquote(spec)
                    ));
                    return 1;
                }
            }
        }
        None => ('=', reference.unwrap_or(0)),
    };
    if matches!(mode, '/' | '%') && amount == 0 {
        ctx.err("truncate: division by zero\n");
        return 1;
    }
    let mut status = 0;
    for operand in &operands {
        if let Err(message) = truncate_one(ctx, operand, mode, amount, create) {
            ctx.err(&message);
            status = 1;
        }
    }
    status
}

fn truncate_one(ctx: &mut Ctx<'_>, path: &str, mode: char, amount: u64, create: bool) -> Result<(), String> {
    let now = ctx.now();
    let cannot_open = |e: FsError| format!("truncate: cannot open {} for writing: {e}\n", quote(path));
    let ino = match ctx.resolve(path, true) {
        Ok(ino) => ino,
        Err(FsError::NotFound) if !create => return Ok(()),
        Err(FsError::NotFound) => {
            let cwd = ctx.cwd();
            let fs = ctx.fs_mut();
            let (dir, name) = fs.resolve_parent(cwd, path).map_err(cannot_open)?;
            let name = name.to_owned();
            fs.create(dir, &name, Node::file(RegularFile::default(), 0o644, now)).map_err(cannot_open)?
        }
        Err(e) => return Err(cannot_open(e)),
    };
    let current = ctx.fs().file(ino).map_err(cannot_open)?.len;
    let new = match mode {
        '+' => current.saturating_add(amount),
        '-' => current.saturating_sub(amount),
        '<' => current.min(amount),
        '>' => current.max(amount),
        '/' => current / amount * amount,
        '%' => current.div_ceil(amount).saturating_mul(amount),
        _ => amount,
    };
    if new > MAX_FILE_SIZE {
        return Err(format!("truncate: failed to truncate {} at {new} bytes: {}\n", quote(path), FsError::TooBig));
    }
    let file = ctx.fs_mut().file_mut(ino, now).map_err(cannot_open)?;
    file.truncate(new);
    Ok(())
}

fn fallocate(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &["-l", "--length", "-o", "--offset"]);
    let (mut length, mut offset) = (None, 0u64);
    let (mut keep_size, mut punch, mut zero, mut verbose) = (false, false, false, false);
    for option in &options {
        match option.as_str() {
            "-n" | "--keep-size" => keep_size = true,
            "-p" | "--punch-hole" => {
                punch = true;
                keep_size = true;
            }
            "-z" | "--zero-range" => zero = true,
            "-v" | "--verbose" => verbose = true,
            "-x" | "--posix" => {}
            o if o.starts_with("-l=") || o.starts_with("--length=") => {
                match parse_size(o.split_once('=').map_or("", |(_, v)| v), false) {
                    Ok(n) if n > 0 => length = Some(n),
                    _ => {
                        ctx.err("fallocate: invalid length value specified\n");
                        return 1;
                    }
                }
            }
            o if o.starts_with("-o=") || o.starts_with("--offset=") => {
                match parse_size(o.split_once('=').map_or("", |(_, v)| v), false) {
                    Ok(n) => offset = n,
                    Err(_) => {
                        ctx.err("fallocate: invalid offset value specified\n");
                        return 1;
                    }
                }
            }
            other => {
                let text = super::builtins::unknown_option(other);
                ctx.err(&format!("fallocate: {text}\nTry 'fallocate --help' for more information.\n"));
                return 1;
            }
        }
    }
    let Some(length) = length else {
        ctx.err("fallocate: no length argument specified\n");
        return 1;
    };
    let path = match operands.as_slice() {
        [] => {
            ctx.err("fallocate: no filename specified\nTry 'fallocate --help' for more information.\n");
            return 1;
        }
        [path] => path.clone(),
        _ => {
            ctx.err("fallocate: unexpected number of arguments\n");
            return 1;
        }
    };
    let now = ctx.now();
    let ino = match ctx.resolve(&path, true) {
        Ok(ino) => ino,
        Err(FsError::NotFound) if !keep_size => {
            let cwd = ctx.cwd();
            let fs = ctx.fs_mut();
            match fs.resolve_parent(cwd, &path).and_then(|(dir, name)| {
                let name = name.to_owned();
                fs.create(dir, &name, Node::file(RegularFile::default(), 0o644, now))
            }) {
                Ok(ino) => ino,
                Err(e) => {
                    ctx.err(&format!("fallocate: cannot open {path}: {e}\n"));
                    return 1;
                }
            }
        }
        Err(e) => {
            ctx.err(&format!("fallocate: cannot open {path}: {e}\n"));
            return 1;
        }
    };
    if ctx.fs().file(ino).is_err() {
        ctx.err(&format!("fallocate: cannot open {path}: {}\n", FsError::IsDir));
        return 1;
    }
    let end = offset.saturating_add(length);
    if end > MAX_FILE_SIZE {
        ctx.err(&format!("fallocate: fallocate failed: {}\n", FsError::TooBig));
        return 1;
    }
    if !punch && new_allocation(ctx.fs(), ino, offset, length) > free_bytes(ctx) {
        ctx.err(&format!("fallocate: fallocate failed: {}\n", FsError::NoSpace));
        return 1;
    }
    let Ok(file) = ctx.fs_mut().file_mut(ino, now) else { return 1 };
    if punch {
        file.contents.fill(offset, length.min(file.len.saturating_sub(offset)), 0);
        file.blocks.punch(offset, length);
    } else {
        if zero {
            file.contents.fill(offset, length.min(file.len.saturating_sub(offset)), 0);
        }
        file.blocks.allocate(offset, length);
        if zero {
            file.blocks.zero_range(offset, length);
        }
        if !keep_size {
            file.len = file.len.max(end);
        }
    }
    if verbose {
        let what = if punch {
            "hole created"
        } else if zero {
            "zeroed"
        } else {
            "allocated"
        };
        ctx.out(&format!("{path}: {} ({length} bytes) {what}.\n", human_readable_iec(length)));
    }
    0
}

/// util-linux's size text: `1 MiB`.
fn human_readable_iec(bytes: u64) -> String {
    let (number, exponent) = human_number(bytes, 1024, Round::Nearest);
    const IEC: [&str; 8] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];
    let number = number.strip_suffix(".0").unwrap_or(&number).to_owned();
    if exponent == 0 { format!("{number} B") } else { format!("{number} {}", IEC[exponent - 1]) }
}

#[cfg(test)]
mod tests {
    use super::transfer_line;

    #[test]
    fn transfer_lines_look_like_gnu_dd() {
        assert_eq!(transfer_line(0), "0 bytes copied, 5e-05 s, 0.0 kB/s\n");
        assert_eq!(transfer_line(1), "1 byte copied, 5.00007e-05 s, 20.0 kB/s\n");
        assert_eq!(transfer_line(1000), "1000 bytes (1.0 kB) copied, 5.06667e-05 s, 19.7 MB/s\n");
        assert_eq!(transfer_line(1_048_576), "1048576 bytes (1.0 MB, 1.0 MiB) copied, 0.000749051 s, 1.4 GB/s\n");
        assert_eq!(transfer_line(104_857_600), "104857600 bytes (105 MB, 100 MiB) copied, 0.0699551 s, 1.5 GB/s\n");
    }
}
