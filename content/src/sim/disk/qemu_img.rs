//! `qemu-img` and `qemu-io`: the commands, their option parsing and QEMU 10.0's messages.
//! The operations that change images beyond `create` are in `qemu_img_ops`.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::chain::{self, Chain, Format, Layer};
use super::qcow2::{CreateOptions, Prealloc, Qcow2};
use super::qjson::Json;
use super::{hostfile, parse_size, qemu_img_ops, size_to_str};
use crate::sim::shell::Ctx;
use crate::sim::shell::commands::CommandInfo;
use crate::sim::vfs::{FsError, Node, NodeKind, RegularFile};

pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "qemu-img",
        run: qemu_img,
        summary: "create, inspect, convert and resize disk images",
        usage: USAGE,
    },
    CommandInfo {
        name: "qemu-io",
        run: super::qemu_io::qemu_io,
        summary: "do guest I/O on a disk image (write, read, discard)",
        usage: super::qemu_io::USAGE,
    },
];

const USAGE: &str = "qemu-img version 10.0.2 (Debian 1:10.0.2+ds-2+deb13u1~bpo12+1)
usage: qemu-img [standard options] command [command options]
QEMU disk image utility

Command syntax (the commands and options GuestLab simulates):
  check [-f fmt] [--output=ofmt] filename
  commit [-f fmt] filename
  convert [-c] [-f fmt] [-O output_fmt] [-o options] filename output_filename
  create [-f fmt] [-b backing_file [-F backing_fmt]] [-u] [-o options] filename [size]
  info [-f fmt] [--output=ofmt] [--backing-chain] filename
  map [-f fmt] [--output=ofmt] filename
  measure [--output=ofmt] [-O output_fmt] [-o options] [--size N | [-f fmt] filename]
  rebase [-f fmt] [-u] -b backing_file [-F backing_fmt] filename
  resize [--shrink] [-f fmt] [--preallocation=prealloc] filename [+ | -]size
  snapshot [-l | -a snapshot | -c snapshot | -d snapshot] filename

  'filename' is a disk image filename
  'fmt' is the disk image format: raw or qcow2
  'size' is the disk image size in bytes. Optional suffixes k or K (kilobyte, 1024),
    M (megabyte, 1024k), G (gigabyte, 1024M), T (terabyte, 1024G), P and E
  'output_fmt' is the output format, 'ofmt' is 'human' or 'json'
  '-o options' for qcow2: cluster_size, preallocation (off, metadata, falloc, full),
    compat (0.10 or 1.1), lazy_refcounts (on/off), backing_file, backing_fmt;
    for raw: preallocation (off, falloc, full)
";

/// Parsed command options: single-letter options with values, flags, long options.
#[derive(Debug, Default)]
pub struct Opts {
    pub values: BTreeMap<String, String>,
    pub flags: Vec<String>,
    pub operands: Vec<String>,
}

impl Opts {
    /// Parses `args` (after the subcommand). `with_value` lists options taking a value
    /// (`-f`, `--output`); other options must be in `flags`.
    pub fn parse(args: &[String], with_value: &[&str], flags: &[&str]) -> Result<Self, String> {
        let mut opts = Self::default();
        let mut i = 0;
        while i < args.len() {
            let arg = &args[i];
            i += 1;
            if arg == "--" {
                opts.operands.extend(args[i..].iter().cloned());
                break;
            }
            if let Some(long) = arg.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((n, v)) => (format!("--{n}"), Some(v.to_owned())),
                    None => (format!("--{long}"), None),
                };
                if with_value.contains(&name.as_str()) {
                    let value = match inline {
                        Some(v) => v,
                        None => {
                            let Some(v) = args.get(i) else {
                                return Err(format!("option '{name}' requires an argument"));
                            };
                            i += 1;
                            v.clone()
                        }
                    };
                    opts.values.insert(name, value);
                } else if flags.contains(&name.as_str()) {
                    opts.flags.push(name);
                } else {
                    return Err(format!("unrecognized option '{arg}'"));
                }
            } else if arg.len() > 1 && arg.starts_with('-') {
                let chars: Vec<char> = arg[1..].chars().collect();
                let mut j = 0;
                while j < chars.len() {
                    let name = format!("-{}", chars[j]);
                    if with_value.contains(&name.as_str()) {
                        let rest: String = chars[j + 1..].iter().collect();
                        let value = if rest.is_empty() {
                            let Some(v) = args.get(i) else {
                                return Err(format!("option requires an argument -- '{}'", chars[j]));
                            };
                            i += 1;
                            v.clone()
                        } else {
                            rest
                        };
                        // -o may be given several times: the options add up.
                        match opts.values.get_mut(&name) {
                            Some(old) if name == "-o" => {
                                old.push(',');
                                old.push_str(&value);
                            }
                            _ => {
                                opts.values.insert(name, value);
                            }
                        }
                        break;
                    }
                    if flags.contains(&name.as_str()) {
                        opts.flags.push(name);
                    } else {
                        return Err(format!("invalid option -- '{}'", chars[j]));
                    }
                    j += 1;
                }
            } else {
                opts.operands.push(arg.clone());
            }
        }
        Ok(opts)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// `--output=human|json`.
    pub fn json(&self) -> Result<bool, String> {
        match self.value("--output") {
            None | Some("human") => Ok(false),
            Some("json") => Ok(true),
            Some(other) => Err(format!("--output must be used with human or json as argument.{other:.0}")),
        }
    }
}

/// Prints `qemu-img: MESSAGE` and returns 1.
pub fn fail(ctx: &mut Ctx<'_>, message: &str) -> i32 {
    ctx.err(&format!("qemu-img: {message}\n"));
    1
}

fn qemu_img(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let Some(sub) = args.get(1) else {
        ctx.err("qemu-img: Not enough arguments\nTry 'qemu-img --help' for more information\n");
        return 1;
    };
    let rest = &args[2..];
    match sub.as_str() {
        "-h" | "--help" => {
            ctx.out(USAGE);
            0
        }
        "-V" | "--version" => {
            ctx.out("qemu-img version 10.0.2 (Debian 1:10.0.2+ds-2+deb13u1~bpo12+1)\nCopyright (c) 2003-2025 Fabrice Bellard and the QEMU Project developers\n");
            0
        }
        "create" => create(ctx, rest),
        "info" => info(ctx, rest),
        "map" => map(ctx, rest),
        "check" => check(ctx, rest),
        "convert" => qemu_img_ops::convert(ctx, rest),
        "resize" => qemu_img_ops::resize(ctx, rest),
        "measure" => qemu_img_ops::measure(ctx, rest),
        "commit" => qemu_img_ops::commit(ctx, rest),
        "rebase" => qemu_img_ops::rebase(ctx, rest),
        "snapshot" => qemu_img_ops::snapshot(ctx, rest),
        other => {
            ctx.err(&format!("qemu-img: Command not found: {other}\n"));
            1
        }
    }
}

/// Opens an image and its backing chain, printing QEMU's message on failure.
pub fn open(ctx: &mut Ctx<'_>, path: &str, format: Option<&str>) -> Result<Vec<Layer>, i32> {
    let format = match format {
        None => None,
        Some(f) => match Format::parse(f) {
            Some(f) => Some(f),
            None => return Err(fail(ctx, &format!("Unknown driver '{f}'"))),
        },
    };
    let cwd = ctx.cwd();
    chain::open(ctx.fs(), cwd, path, format).map_err(|e| fail(ctx, &format!("Could not open '{path}': {}", e.message)))
}

/// Runs `op` on the qcow2 structure and the file at `ino` (taken out and put back).
pub fn with_qcow2<R>(ctx: &mut Ctx<'_>, ino: usize, op: impl FnOnce(&mut Qcow2, &mut RegularFile) -> R) -> Option<R> {
    let now = ctx.now();
    let file = ctx.fs_mut().file_mut(ino, now).ok()?;
    let mut q = file.qcow2.take()?;
    q.free_cluster_index = 0;
    let result = op(&mut q, file);
    file.qcow2 = Some(q);
    Some(result)
}

/// Runs `op` on the file at `ino`.
pub fn with_file<R>(ctx: &mut Ctx<'_>, ino: usize, op: impl FnOnce(&mut RegularFile) -> R) -> Option<R> {
    let now = ctx.now();
    ctx.fs_mut().file_mut(ino, now).ok().map(op)
}

/// Parses `-o key=value,...` (with QEMU's `,,` escape not supported).
fn parse_o(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for item in text.split(',').filter(|s| !s.is_empty()) {
        let Some((k, v)) = item.split_once('=') else {
            return Err(format!("Invalid parameter '{item}'"));
        };
        out.push((k.to_owned(), v.to_owned()));
    }
    Ok(out)
}

/// Creates (or truncates) a file for a new image, with mode 0644.
pub fn create_file(ctx: &mut Ctx<'_>, path: &str) -> Result<usize, String> {
    let now = ctx.now();
    let cwd = ctx.cwd();
    let fs = ctx.fs_mut();
    match fs.resolve(cwd, path, true) {
        Ok(ino) => {
            let file = fs.file_mut(ino, now).map_err(|e| format!("{path}: Could not create '{path}': {e}"))?;
            *file = RegularFile::default();
            Ok(ino)
        }
        Err(FsError::NotFound) => {
            let (dir, name) =
                fs.resolve_parent(cwd, path).map_err(|e| format!("{path}: Could not create '{path}': {e}"))?;
            let name = name.to_owned();
            fs.create(dir, &name, Node::file(RegularFile::default(), 0o644, now))
                .map_err(|e| format!("{path}: Could not create '{path}': {e}"))
        }
        Err(e) => Err(format!("{path}: Could not create '{path}': {e}")),
    }
}

/// The largest image GuestLab creates (QEMU's own limit for qcow2 is 2^61 bytes with 2 MiB
/// clusters; the simulation keeps images below 64 TiB of virtual size).
const MAX_VIRTUAL: u64 = 64 << 40;

fn create(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let opts = match Opts::parse(args, &["-f", "-o", "-b", "-F"], &["-u", "-q"]) {
        Ok(o) => o,
        Err(e) => return fail(ctx, &e),
    };
    let fmt = opts.value("-f").unwrap_or("raw").to_owned();
    let Some(filename) = opts.operands.first().cloned() else {
        ctx.err("qemu-img: Expecting image file name\nTry 'qemu-img --help' for more information\n");
        return 1;
    };
    let Some(format) = Format::parse(&fmt) else {
        return fail(ctx, &format!("Unknown file format '{fmt}'"));
    };
    let mut o = match opts.value("-o").map(parse_o).transpose() {
        Ok(o) => o.unwrap_or_default(),
        Err(e) => return fail(ctx, &e),
    };
    let get = |o: &[(String, String)], k: &str| o.iter().rev().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    let mut backing = opts.value("-b").map(str::to_owned).or_else(|| get(&o, "backing_file"));
    let backing_fmt = opts.value("-F").map(str::to_owned).or_else(|| get(&o, "backing_fmt"));
    if backing.as_deref() == Some("") {
        backing = None;
    }
    let size_arg = opts.operands.get(1).cloned().or_else(|| get(&o, "size"));
    let mut size = match &size_arg {
        Some(s) => match parse_size(s) {
            Some(v) => Some(v),
            None => return fail(ctx, &format!("Invalid image size specified: '{s}'.")),
        },
        None => None,
    };
    o.retain(|(k, _)| k != "size" && k != "backing_file" && k != "backing_fmt");

    if format == Format::Raw {
        if backing.is_some() {
            return fail(ctx, &format!("{filename}: Backing file not supported for file format 'raw'"));
        }
        let prealloc = match get(&o, "preallocation").map(|p| (Prealloc::parse(&p), p)) {
            None => Prealloc::Off,
            Some((Some(Prealloc::Metadata) | None, p)) => {
                return fail(ctx, &format!("{filename}: Invalid parameter '{p}'"));
            }
            Some((Some(p), _)) => p,
        };
        if let Some((k, _)) = o.iter().find(|(k, _)| k != "preallocation") {
            return fail(ctx, &format!("Invalid parameter '{k}'\nFor format 'raw' options: preallocation, size"));
        }
        let Some(size) = size else {
            return fail(ctx, &format!("{filename}: Image creation needs a size parameter"));
        };
        if size > MAX_VIRTUAL {
            return fail(ctx, &format!("{filename}: GuestLab simulates images up to 64 TiB"));
        }
        if !opts.flag("-q") {
            let p = if prealloc == Prealloc::Off && get(&o, "preallocation").is_none() {
                String::new()
            } else {
                format!(" preallocation={}", prealloc.name())
            };
            ctx.out(&format!("Formatting '{filename}', fmt=raw size={size}{p}\n"));
        }
        let ino = match create_file(ctx, &filename) {
            Ok(i) => i,
            Err(e) => return fail(ctx, &e),
        };
        with_file(ctx, ino, |f| create_raw(f, size, prealloc));
        return 0;
    }

    // qcow2
    let mut options = CreateOptions::default();
    for (k, v) in &o {
        let ok = match k.as_str() {
            "cluster_size" => parse_size(v).is_some(),
            "preallocation" => Prealloc::parse(v).is_some(),
            "compat" => matches!(v.as_str(), "0.10" | "1.1" | "v2" | "v3"),
            "lazy_refcounts" | "extended_l2" => matches!(v.as_str(), "on" | "off"),
            "refcount_bits" => v == "16",
            "compression_type" => v == "zlib",
            _ => {
                return fail(ctx, &format!("Invalid parameter '{k}'"));
            }
        };
        if !ok {
            let message = match k.as_str() {
                "refcount_bits" => format!("{filename}: GuestLab simulates refcount_bits=16 only"),
                "extended_l2" if v == "on" => format!("{filename}: GuestLab does not simulate extended L2 entries"),
                "compression_type" => format!("{filename}: GuestLab simulates compression_type=zlib only"),
                "preallocation" => format!("{filename}: Invalid parameter '{v}'"),
                "compat" => format!("{filename}: Invalid compatibility level: '{v}'"),
                _ => format!("Parameter '{k}' expects a size"),
            };
            return fail(ctx, &message);
        }
    }
    let cluster_size = get(&o, "cluster_size").and_then(|v| parse_size(&v)).unwrap_or(65536);
    options.preallocation = get(&o, "preallocation").and_then(|p| Prealloc::parse(&p)).unwrap_or_default();
    options.version = if matches!(get(&o, "compat").as_deref(), Some("0.10" | "v2")) { 2 } else { 3 };
    options.lazy_refcounts = get(&o, "lazy_refcounts").as_deref() == Some("on");

    // A backing file needs its format, and gives the size when none is given.
    if let Some(b) = &backing {
        let combined = chain::path_combine(&filename, b);
        let backing_layers = if opts.flag("-u") && size.is_some() {
            None
        } else {
            Some(chain::open(ctx.fs(), ctx.cwd(), &combined, backing_fmt.as_deref().and_then(Format::parse)))
        };
        let detected = match backing_layers {
            Some(Ok(layers)) => {
                if size.is_none() {
                    size = Some(layers[0].size());
                }
                Some(layers[0].format)
            }
            Some(Err(e)) => {
                let message = if e.message.starts_with("Could not open") {
                    e.message
                } else {
                    format!("Could not open '{combined}': {}", e.message)
                };
                return fail(ctx, &format!("{filename}: {message}\nCould not open backing image."));
            }
            None => None,
        };
        if backing_fmt.is_none() {
            let detected = detected.map_or("raw", Format::name);
            return fail(
                ctx,
                &format!("{filename}: Backing file specified without backing format\nDetected format of {detected}."),
            );
        }
    }
    let Some(size) = size else {
        return fail(ctx, &format!("{filename}: Image creation needs a size parameter"));
    };
    if !opts.flag("-q") {
        let mut line = format!("Formatting '{filename}', fmt=qcow2 cluster_size={cluster_size} extended_l2=off");
        if let Some(p) = get(&o, "preallocation") {
            line.push_str(&format!(" preallocation={p}"));
        }
        line.push_str(&format!(" compression_type=zlib size={size}"));
        if let Some(b) = &backing {
            line.push_str(&format!(" backing_file={b}"));
        }
        if let Some(f) = &backing_fmt {
            line.push_str(&format!(" backing_fmt={f}"));
        }
        if let Some(c) = get(&o, "compat") {
            line.push_str(&format!(" compat={c}"));
        }
        line.push_str(&format!(
            " lazy_refcounts={} refcount_bits=16\n",
            if options.lazy_refcounts { "on" } else { "off" }
        ));
        ctx.out(&line);
    }
    if !cluster_size.is_power_of_two() || !(512..=2 << 20).contains(&cluster_size) {
        return fail(ctx, &format!("{filename}: Cluster size must be a power of two between 512 and 2048k"));
    }
    if options.version == 2 && options.lazy_refcounts {
        return fail(
            ctx,
            &format!(
                "{filename}: Lazy refcounts only supported with compatibility level 1.1 and above (use compat=1.1 or greater)"
            ),
        );
    }
    if size > MAX_VIRTUAL {
        return fail(ctx, &format!("{filename}: GuestLab simulates images up to 64 TiB"));
    }
    options.cluster_bits = cluster_size.trailing_zeros();
    options.size = size;
    options.backing_file = backing;
    options.backing_format = backing_fmt;
    let ino = match create_file(ctx, &filename) {
        Ok(i) => i,
        Err(e) => return fail(ctx, &e),
    };
    with_file(ctx, ino, |f| {
        let q = Qcow2::create(f, &options);
        f.qcow2 = Some(Box::new(q));
    });
    0
}

/// A raw image: the file itself, sparse, with its first block written (as file-posix does so
/// that alignment can be probed), or preallocated.
pub fn create_raw(f: &mut RegularFile, size: u64, prealloc: Prealloc) {
    *f = RegularFile::default();
    match prealloc {
        Prealloc::Full => hostfile::write_zeros(f, 0, size),
        Prealloc::Falloc => hostfile::falloc(f, 0, size),
        Prealloc::Off | Prealloc::Metadata => hostfile::set_len(f, size),
    }
    if prealloc != Prealloc::Full && size > 0 {
        hostfile::write_zeros(f, 0, size.min(4096));
    }
    f.len = size;
}

/// `actual-size`: the allocated bytes of the file.
fn actual_size(layer: &Layer) -> u64 {
    layer.file.stat_blocks() * 512
}

/// `bdrv_getlength` of the file: its length rounded up to whole sectors.
fn file_length(layer: &Layer) -> u64 {
    layer.file.len.div_ceil(512) * 512
}

fn info_json(layer: &Layer) -> Json {
    // Keys go in in QAPI field order: within a hash bucket QEMU prints the last one first.
    let child = Json::obj(vec![
        ("name", Json::str("file")),
        (
            "info",
            Json::obj(vec![
                ("filename", Json::str(&layer.name)),
                ("format", Json::str("file")),
                ("dirty-flag", Json::Bool(false)),
                ("actual-size", Json::int(actual_size(layer))),
                ("virtual-size", Json::int(file_length(layer))),
                ("format-specific", Json::obj(vec![("type", Json::str("file")), ("data", Json::Obj(vec![]))])),
                ("children", Json::Arr(vec![])),
            ]),
        ),
    ]);
    let mut pairs = vec![("filename", Json::str(&layer.name))];
    if let Some(q) = layer.file.qcow2.as_deref().filter(|_| layer.format == Format::Qcow2) {
        pairs.push(("format", Json::str("qcow2")));
        pairs.push(("dirty-flag", Json::Bool(q.dirty)));
        pairs.push(("actual-size", Json::int(actual_size(layer))));
        pairs.push(("virtual-size", Json::int(q.size)));
        pairs.push(("cluster-size", Json::int(q.cluster_size())));
        if let Some(b) = &q.backing_file {
            pairs.push(("backing-filename", Json::str(b)));
            pairs.push(("full-backing-filename", Json::str(&chain::path_combine(&layer.name, b))));
            if let Some(f) = &q.backing_format {
                pairs.push(("backing-filename-format", Json::str(f)));
            }
        }
        if !q.snapshots.is_empty() {
            pairs.push(("snapshots", Json::Arr(q.snapshots.iter().map(qemu_img_ops::snapshot_json).collect())));
        }
        let data = if q.version >= 3 {
            Json::obj(vec![
                ("compat", Json::str("1.1")),
                ("compression-type", Json::str("zlib")),
                ("lazy-refcounts", Json::Bool(q.lazy_refcounts)),
                ("refcount-bits", Json::Int(16)),
                ("corrupt", Json::Bool(false)),
                ("extended-l2", Json::Bool(false)),
            ])
        } else {
            Json::obj(vec![
                ("compat", Json::str("0.10")),
                ("compression-type", Json::str("zlib")),
                ("refcount-bits", Json::Int(16)),
            ])
        };
        pairs.push(("format-specific", Json::obj(vec![("type", Json::str("qcow2")), ("data", data)])));
    } else {
        pairs.push(("format", Json::str("raw")));
        pairs.push(("dirty-flag", Json::Bool(false)));
        pairs.push(("actual-size", Json::int(actual_size(layer))));
        pairs.push(("virtual-size", Json::int(layer.file.len)));
    }
    pairs.push(("children", Json::Arr(vec![child])));
    Json::obj(pairs)
}

fn info_human(layer: &Layer) -> String {
    let mut s = format!("image: {}\nfile format: {}\n", layer.name, layer.format.name());
    let size = layer.size();
    s.push_str(&format!(
        "virtual size: {} ({size} bytes)\ndisk size: {}\n",
        size_to_str(size),
        size_to_str(actual_size(layer))
    ));
    if let Some(q) = layer.file.qcow2.as_deref().filter(|_| layer.format == Format::Qcow2) {
        s.push_str(&format!("cluster_size: {}\n", q.cluster_size()));
        if let Some(b) = &q.backing_file {
            s.push_str(&format!("backing file: {b}"));
            let full = chain::path_combine(&layer.name, b);
            if full != *b {
                s.push_str(&format!(" (actual path: {full})"));
            }
            s.push('\n');
            if let Some(f) = &q.backing_format {
                s.push_str(&format!("backing file format: {f}\n"));
            }
        }
        if !q.snapshots.is_empty() {
            s.push_str("Snapshot list:\n");
            s.push_str(&qemu_img_ops::snapshot_table(q));
        }
        s.push_str("Format specific information:\n");
        if q.version >= 3 {
            s.push_str(&format!(
                "    compat: 1.1\n    compression type: zlib\n    lazy refcounts: {}\n    refcount bits: 16\n    corrupt: false\n    extended l2: false\n",
                q.lazy_refcounts
            ));
        } else {
            s.push_str("    compat: 0.10\n    compression type: zlib\n    refcount bits: 16\n");
        }
    }
    let len = file_length(layer);
    s.push_str(&format!(
        "Child node '/file':\n    filename: {}\n    protocol type: file\n    file length: {} ({len} bytes)\n    disk size: {}\n",
        layer.name,
        size_to_str(len),
        size_to_str(actual_size(layer))
    ));
    s
}

fn info(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let opts = match Opts::parse(args, &["-f", "--output"], &["--backing-chain", "-U", "--force-share"]) {
        Ok(o) => o,
        Err(e) => return fail(ctx, &e),
    };
    let json = match opts.json() {
        Ok(j) => j,
        Err(e) => return fail(ctx, &e),
    };
    let Some(path) = opts.operands.first() else {
        ctx.err("qemu-img: Expecting one image file name\nTry 'qemu-img --help' for more information\n");
        return 1;
    };
    let layers = match open(ctx, path, opts.value("-f")) {
        Ok(l) => l,
        Err(status) => return status,
    };
    let shown: Vec<&Layer> = if opts.flag("--backing-chain") { layers.iter().collect() } else { vec![&layers[0]] };
    let text = if json {
        if opts.flag("--backing-chain") {
            Json::Arr(shown.iter().map(|l| info_json(l)).collect()).pretty()
        } else {
            info_json(shown[0]).pretty()
        }
    } else {
        shown.iter().map(|l| info_human(l)).collect::<Vec<_>>().join("\n")
    };
    ctx.out(&text);
    if json {
        ctx.out("\n");
    }
    0
}

fn map(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let opts = match Opts::parse(args, &["-f", "--output", "--start-offset", "--max-length"], &["-U"]) {
        Ok(o) => o,
        Err(e) => return fail(ctx, &e),
    };
    let json = match opts.json() {
        Ok(j) => j,
        Err(e) => return fail(ctx, &e),
    };
    let Some(path) = opts.operands.first() else {
        ctx.err("qemu-img: Expecting one image file name\nTry 'qemu-img --help' for more information\n");
        return 1;
    };
    let layers = match open(ctx, path, opts.value("-f")) {
        Ok(l) => l,
        Err(status) => return status,
    };
    let entries = Chain { layers: &layers }.map();
    let mut out = String::new();
    if json {
        out.push('[');
        for (i, e) in entries.iter().enumerate() {
            if i > 0 {
                out.push_str(",\n");
            }
            out.push_str(&format!(
                "{{ \"start\": {}, \"length\": {}, \"depth\": {}, \"present\": {}, \"zero\": {}, \"data\": {}, \"compressed\": {}",
                e.start, e.length, e.depth, e.present, e.zero, e.data, e.compressed
            ));
            if let Some(o) = e.offset {
                out.push_str(&format!(", \"offset\": {o}"));
            }
            out.push('}');
        }
        out.push_str("]\n");
    } else {
        out.push_str(&format!("{:<16}{:<16}{:<16}{}\n", "Offset", "Length", "Mapped to", "File"));
        for e in entries.iter().filter(|e| e.data && e.offset.is_some()) {
            out.push_str(&format!(
                "{:<16}{:<16}{:<16}{}\n",
                hex(e.start),
                hex(e.length),
                hex(e.offset.unwrap_or(0)),
                e.filename
            ));
        }
    }
    ctx.out(&out);
    0
}

/// C's `%#x`: `0` for zero, `0x…` otherwise.
pub fn hex(v: u64) -> String {
    if v == 0 { "0".into() } else { format!("{v:#x}") }
}

fn check(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let opts = match Opts::parse(args, &["-f", "--output", "-r"], &["-q", "-U"]) {
        Ok(o) => o,
        Err(e) => return fail(ctx, &e),
    };
    let json = match opts.json() {
        Ok(j) => j,
        Err(e) => return fail(ctx, &e),
    };
    let Some(path) = opts.operands.first() else {
        ctx.err("qemu-img: Expecting one image file name\nTry 'qemu-img --help' for more information\n");
        return 1;
    };
    let layers = match open(ctx, path, opts.value("-f")) {
        Ok(l) => l,
        Err(status) => return status,
    };
    let layer = &layers[0];
    let Some(q) = layer.file.qcow2.as_deref().filter(|_| layer.format == Format::Qcow2) else {
        ctx.err("qemu-img: This image format does not support checks\n");
        return 63;
    };
    let (allocated, fragmented, compressed) = q.cluster_stats();
    let total = q.total_clusters();
    let end = q.image_end_offset();
    if json {
        let mut pairs = vec![
            ("filename", Json::str(&layer.name)),
            ("format", Json::str("qcow2")),
            ("check-errors", Json::Int(0)),
            ("image-end-offset", Json::int(end)),
            ("total-clusters", Json::int(total)),
        ];
        if allocated > 0 {
            pairs.push(("allocated-clusters", Json::int(allocated)));
        }
        if fragmented > 0 {
            pairs.push(("fragmented-clusters", Json::int(fragmented)));
        }
        if compressed > 0 {
            pairs.push(("compressed-clusters", Json::int(compressed)));
        }
        ctx.out(&format!("{}\n", Json::obj(pairs).pretty()));
    } else {
        let mut s = String::from("No errors were found on the image.\n");
        if total > 0 && allocated > 0 {
            let pct = |n: u64| n as f64 * 100.0 / total as f64;
            let pct_of_alloc = |n: u64| n as f64 * 100.0 / allocated as f64;
            s.push_str(&format!(
                "{allocated}/{total} = {:.2}% allocated, {:.2}% fragmented, {:.2}% compressed clusters\n",
                pct(allocated),
                pct_of_alloc(fragmented),
                pct_of_alloc(compressed)
            ));
        }
        s.push_str(&format!("Image end offset: {end}\n"));
        ctx.out(&s);
    }
    0
}

/// The layers of an image as owned clones, plus the inode of the top image.
pub fn arc_file(layer: &Layer) -> Arc<RegularFile> {
    Arc::clone(&layer.file)
}

/// Whether a node is a regular file (for error messages).
pub fn is_file(node: &Node) -> bool {
    matches!(node.kind, NodeKind::File(_))
}
