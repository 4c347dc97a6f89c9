//! `qemu-io`: guest writes, zero writes, discards and reads on an image, as a guest would do
//! them, with QEMU's messages.

use std::sync::Arc;

use super::chain::{Chain, Format, Layer};
use super::qcow2::Data;
use super::qemu_img::{Opts, open, with_file, with_qcow2};
use super::{hostfile, parse_size};
use crate::sim::shell::Ctx;
use crate::sim::vfs::{Contents, Ino, NodeKind};

pub const USAGE: &str = "Usage: qemu-io [OPTIONS]... [-c STRING]... [file]
QEMU Disk exerciser

  -c, --cmd STRING     execute command with its arguments from the given string
  -f, --format FMT     specifies the block driver to use (raw or qcow2)
  -r, --read-only      export read-only

Commands (GuestLab simulates these):
  write [-P pattern] [-z [-u]] [-q] off len   writes len bytes of pattern (default 0xcd),
                                               or zeros with -z (-u: may unmap)
  read [-P pattern] [-q] off len              reads and, with -P, verifies the data
  discard [-q] off len                        discards (trims) the range
Sizes take the suffixes k, M, G, T (powers of 1024).
";

/// `cvtstr`: a size with a binary unit as qemu-io prints it (`64 KiB`, `1 bytes`).
fn cvtstr(value: f64) -> String {
    let units = [
        (1u64 << 60, " EiB"),
        (1 << 50, " PiB"),
        (1 << 40, " TiB"),
        (1 << 30, " GiB"),
        (1 << 20, " MiB"),
        (1 << 10, " KiB"),
    ];
    let (value, suffix) =
        units.iter().find(|(u, _)| value >= *u as f64).map_or((value, " bytes"), |(u, s)| (value / *u as f64, *s));
    // Whole units print without decimals; others with three (six for plain bytes).
    let text = if suffix == " bytes" { format!("{value:.6}") } else { format!("{value:.3}") };
    match text.find(".000") {
        Some(i) if text[i + 1..].chars().all(|c| c == '0') => format!("{}{suffix}", &text[..i]),
        _ => format!("{text}{suffix}"),
    }
}

/// The statistics line after each operation, with a simulated duration.
fn report(verb: &str, len: u64, offset: u64) -> String {
    let seconds = 0.000_05 + len as f64 / (1.8 * (1u64 << 30) as f64);
    format!(
        "{verb} {len}/{len} bytes at offset {offset}\n{}, 1 ops; {:05.2} sec ({}/sec and {:.4} ops/sec)\n",
        cvtstr(len as f64),
        seconds,
        cvtstr(len as f64 / seconds),
        1.0 / seconds
    )
}

/// Parses `off len` of a qemu-io command.
fn offset_len(args: &[String]) -> Result<(u64, u64), String> {
    let (Some(off), Some(len)) = (args.first(), args.get(1)) else {
        return Err("bad number of arguments".into());
    };
    let off = parse_size(off).ok_or_else(|| format!("non-numeric offset argument -- {off}"))?;
    let len = parse_size(len).ok_or_else(|| format!("non-numeric length argument -- {len}"))?;
    Ok((off, len))
}

fn parse_pattern(s: &str) -> Option<u8> {
    let value = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok()?,
        None => s.parse::<u64>().ok()?,
    };
    Some((value & 0xff) as u8)
}

pub fn qemu_io(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let opts = match Opts::parse(&args[1..], &["-c", "-f", "--cmd", "--format"], &["-r", "-n", "-q"]) {
        Ok(o) => o,
        Err(e) => {
            ctx.err(&format!("qemu-io: {e}\n"));
            return 1;
        }
    };
    // Every -c counts; Opts keeps the last, so collect them again in order.
    let mut commands = Vec::new();
    let mut i = 1;
    while i < args.len() {
        if (args[i] == "-c" || args[i] == "--cmd") && i + 1 < args.len() {
            commands.push(args[i + 1].clone());
            i += 2;
        } else if let Some(c) = args[i].strip_prefix("--cmd=") {
            commands.push(c.to_owned());
            i += 1;
        } else {
            i += 1;
        }
    }
    let Some(path) = opts.operands.first().cloned() else {
        ctx.err("qemu-io: no file open, try 'help open'\n");
        return 1;
    };
    let format = opts.value("-f").or(opts.value("--format")).map(str::to_owned);
    // One open for all commands, as qemu-io does. The image's own file is not held between
    // commands (a second reference would make every write copy the whole file).
    let Ok(mut layers) = open(ctx, &path, format.as_deref()) else { return 1 };
    let backing = layers.split_off(1);
    let Some(top) = layers.pop() else { return 1 };
    let size = top.size();
    let image = Image { name: top.name, ino: top.ino, format: top.format, metadata_prealloc: top.metadata_prealloc };
    drop(top.file);
    if format.is_none() && image.format == Format::Raw {
        ctx.err(&format!(
            "WARNING: Image format was not specified for '{path}' and probing guessed raw.\n         Automatically detecting the format is dangerous for raw images, write operations on block 0 will be restricted.\n         Specify the 'raw' format explicitly to remove the restrictions.\n"
        ));
    }
    let read_only = opts.flag("-r");
    let mut status = 0;
    for command in commands {
        let words: Vec<String> = command.split_whitespace().map(str::to_owned).collect();
        let Some(name) = words.first() else { continue };
        let (flags, rest): (Vec<&String>, Vec<&String>) = words[1..]
            .iter()
            .partition(|w| w.starts_with('-') && w.len() > 1 && !w[1..].starts_with(|c: char| c.is_ascii_digit()));
        // -P takes a value: it is the word after it.
        let mut pattern = None;
        let mut positional: Vec<String> = Vec::new();
        let mut skip_next = false;
        for (j, w) in words[1..].iter().enumerate() {
            if skip_next {
                skip_next = false;
                continue;
            }
            if w == "-P" {
                pattern = words.get(j + 2).cloned();
                skip_next = true;
            } else if !(w.starts_with('-') && w.len() > 1 && !w[1..].starts_with(|c: char| c.is_ascii_digit())) {
                positional.push(w.clone());
            }
        }
        let _ = rest;
        let has = |f: &str| {
            flags.iter().any(|w| w.as_str() == f || (w.len() > 2 && !w.starts_with("-P") && w.contains(&f[1..])))
        };
        let quiet = has("-q");
        let result = match name.as_str() {
            "write" | "w" | "read" | "r" | "discard" | "d" | "aio_write" => {
                let (off, len) = match offset_len(&positional) {
                    Ok(v) => v,
                    Err(e) => {
                        ctx.out(&format!("{e}\n"));
                        status = 1;
                        continue;
                    }
                };
                let is_read = matches!(name.as_str(), "read" | "r");
                if !is_read && read_only {
                    ctx.out(&format!(
                        "{} failed: Permission denied\n",
                        if name.starts_with('d') { "discard" } else { "write" }
                    ));
                    status = 1;
                    continue;
                }
                if off.checked_add(len).is_none_or(|end| end > size) {
                    let verb = if is_read {
                        "read"
                    } else if name.starts_with('d') {
                        "discard"
                    } else {
                        "write"
                    };
                    ctx.out(&format!("{verb} failed: Input/output error\n"));
                    status = 1;
                    continue;
                }
                let pattern_byte = match pattern.as_deref().map(parse_pattern) {
                    None => None,
                    Some(Some(b)) => Some(b),
                    Some(None) => {
                        ctx.out(&format!("non-numeric pattern argument -- {}\n", pattern.unwrap_or_default()));
                        status = 1;
                        continue;
                    }
                };
                Op {
                    kind: if is_read {
                        OpKind::Read
                    } else if name.starts_with('d') {
                        OpKind::Discard
                    } else if has("-z") {
                        OpKind::Zero { unmap: has("-u") }
                    } else {
                        OpKind::Write
                    },
                    off,
                    len,
                    pattern: pattern_byte,
                }
            }
            "help" => {
                ctx.out(USAGE);
                continue;
            }
            "quit" | "q" => break,
            other => {
                ctx.out(&format!("command \"{other}\" not found\n"));
                status = 1;
                continue;
            }
        };
        let ok = run_op(ctx, &image, &backing, &result);
        if !ok {
            status = 1;
        }
        if !quiet {
            let verb = match result.kind {
                OpKind::Read => "read",
                OpKind::Discard => "discard",
                OpKind::Write | OpKind::Zero { .. } => "wrote",
            };
            ctx.out(&report(verb, result.len, result.off));
        }
    }
    status
}

#[derive(Clone, Copy, Debug)]
enum OpKind {
    Write,
    Zero { unmap: bool },
    Discard,
    Read,
}

#[derive(Clone, Copy, Debug)]
struct Op {
    kind: OpKind,
    off: u64,
    len: u64,
    pattern: Option<u8>,
}

/// Whether the first `len` bytes of `buf` are all `byte` (ranges without an extent read as
/// zeros). The contents may be split into any number of extents.
fn all_bytes_are(buf: &Contents, len: u64, byte: u8) -> bool {
    let mut pos = 0;
    for (start, extent_len, fill) in buf.extents() {
        if start >= len {
            break;
        }
        if start > pos && byte != 0 {
            return false;
        }
        let end = (start + extent_len).min(len);
        let same = match fill {
            crate::sim::vfs::Fill::Byte(b) => *b == byte,
            crate::sim::vfs::Fill::Bytes(bytes) => bytes[..(end - start) as usize].iter().all(|&b| b == byte),
        };
        if !same {
            return false;
        }
        pos = end;
    }
    pos >= len || byte == 0
}

/// The opened image without its file: the file is looked up again for each command, so that
/// a read sees earlier writes and a write changes the only reference to it.
struct Image {
    name: String,
    ino: Ino,
    format: Format,
    metadata_prealloc: bool,
}

/// Runs one operation on the image above `backing`.
/// Returns `false` when a read did not match its pattern.
fn run_op(ctx: &mut Ctx<'_>, image: &Image, backing: &[Layer], op: &Op) -> bool {
    let top = image.ino;
    let chain = (!backing.is_empty()).then_some(Chain { layers: backing });
    match (image.format, op.kind) {
        (_, OpKind::Read) => {
            let Some(NodeKind::File(file)) = ctx.fs().node(top).map(|n| &n.kind) else { return false };
            let mut layers = Vec::with_capacity(1 + backing.len());
            layers.push(Layer {
                name: image.name.clone(),
                ino: top,
                format: image.format,
                file: Arc::clone(file),
                metadata_prealloc: image.metadata_prealloc,
            });
            layers.extend_from_slice(backing);
            let mut buf = Contents::default();
            Chain { layers: &layers }.read(op.off, op.len, &mut buf, 0);
            // QEMU compares the whole buffer and names the request, not the first byte.
            if let Some(p) = op.pattern
                && !all_bytes_are(&buf, op.len, p)
            {
                ctx.out(&format!("Pattern verification failed at offset {}, {} bytes\n", op.off, op.len));
            }
            true
        }
        (Format::Qcow2, kind) => {
            let has_backing = chain.is_some();
            with_qcow2(ctx, top, |q, f| match kind {
                OpKind::Write => q.write(f, chain.as_ref(), op.off, op.len, Data::Fill(op.pattern.unwrap_or(0xcd))),
                OpKind::Zero { unmap } => q.write_zeroes(f, chain.as_ref(), op.off, op.len, unmap),
                OpKind::Discard => q.discard(f, has_backing, op.off, op.len),
                OpKind::Read => {}
            });
            true
        }
        (Format::Raw, kind) => {
            with_file(ctx, top, |f| match kind {
                OpKind::Write => hostfile::data_write(f, op.off, op.len, op.pattern.unwrap_or(0xcd)),
                OpKind::Zero { unmap: false } => hostfile::zero_range(f, op.off, op.len),
                OpKind::Zero { unmap: true } | OpKind::Discard => hostfile::punch(f, op.off, op.len),
                OpKind::Read => {}
            });
            true
        }
    }
}
