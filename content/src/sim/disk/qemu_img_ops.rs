//! `qemu-img convert`, `resize`, `measure`, `commit`, `rebase` and `snapshot`.

use super::chain::{Chain, Format, Layer};
use super::qcow2::{CreateOptions, Data, L2Entry, Prealloc, Qcow2, Snapshot};
use super::qemu_img::{Opts, create_file, create_raw, fail, open, with_file, with_qcow2};
use super::qjson::Json;
use super::{hostfile, parse_size};
use crate::sim::shell::Ctx;
use crate::sim::vfs::{Contents, RegularFile};

/// The buffer `qemu-img convert` copies with (`IO_BUF_SIZE`).
const IO_BUF: u64 = 2 << 20;
/// `qemu-img convert`'s zero detection works on 512-byte sectors, aligned to 4 KiB.
const SECTOR: u64 = 512;
const ALIGN_SECTORS: u64 = 8;

/// `is_allocated_sectors`: the length (in sectors) of the first run of data or zeros in
/// `n` sectors starting at `sector`, with QEMU's alignment rules; `true` for data.
fn is_allocated_sectors(buf: &Contents, base: u64, n: u64, sector: u64) -> (bool, u64) {
    let (mut is_zero, mut i) = buf.zero_run(base, SECTOR, n);
    if i == n {
        return (!is_zero, i);
    }
    let tail = (sector + i) & (ALIGN_SECTORS - 1);
    if tail != 0 {
        if is_zero && i <= tail {
            is_zero = false;
        }
        if is_zero {
            i -= tail;
        } else {
            i = (i + ALIGN_SECTORS - tail).min(n);
        }
    }
    (!is_zero, i)
}

/// `is_allocated_sectors_min` with `min_sparse` = 8 sectors.
fn is_allocated_sectors_min(buf: &Contents, base: u64, n: u64, sector: u64) -> (bool, u64) {
    let min = ALIGN_SECTORS.min(n);
    let (data, first) = is_allocated_sectors(buf, base, n, sector);
    if !data {
        return (false, first);
    }
    let mut used = first;
    let mut checked = first;
    let mut left = n - first;
    while left > 0 {
        let (data, pnum) = is_allocated_sectors(buf, base + checked * SECTOR, left, sector + checked);
        left -= pnum;
        checked += pnum;
        if data {
            used = checked;
        } else if pnum >= min {
            break;
        }
    }
    (true, used)
}

/// A rough zlib size of compressed guest data: runs of one byte compress to about a
/// thousandth, other bytes not at all.
fn compressed_estimate(data: &Contents, len: u64) -> u64 {
    let mut literal = 0u64;
    let mut runs = 0u64;
    let mut covered = 0u64;
    for (start, l, fill) in data.extents() {
        if start >= len {
            break;
        }
        let l = l.min(len - start);
        covered += l;
        match fill {
            super::super::vfs::Fill::Byte(_) => runs += l,
            super::super::vfs::Fill::Bytes(_) => literal += l,
        }
    }
    runs += len - covered;
    (16 + runs / 1032 + literal).max(8)
}

pub fn convert(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let opts = match Opts::parse(args, &["-f", "-O", "-o", "-m", "-S"], &["-c", "-p", "-q", "-n", "-W", "-U"]) {
        Ok(o) => o,
        Err(e) => return fail(ctx, &e),
    };
    let [src, dst] = opts.operands.as_slice() else {
        ctx.err("qemu-img: Expecting one image file name\nTry 'qemu-img --help' for more information\n");
        return 1;
    };
    let Some(out_format) = Format::parse(opts.value("-O").unwrap_or("raw")) else {
        return fail(ctx, &format!("Unknown file format '{}'", opts.value("-O").unwrap_or_default()));
    };
    let compressed = opts.flag("-c");
    if compressed && out_format == Format::Raw {
        return fail(ctx, "Compression not supported for this file format");
    }
    let layers = match open(ctx, src, opts.value("-f")) {
        Ok(l) => l,
        Err(status) => return status,
    };
    let size = layers[0].size();
    let mut options = CreateOptions { size, ..CreateOptions::default() };
    let mut raw_prealloc = Prealloc::Off;
    for item in opts.value("-o").unwrap_or_default().split(',').filter(|s| !s.is_empty()) {
        let Some((k, v)) = item.split_once('=') else { return fail(ctx, &format!("Invalid parameter '{item}'")) };
        match (k, out_format) {
            ("cluster_size", Format::Qcow2) => match parse_size(v)
                .filter(|c| c.is_power_of_two() && (512..=2 << 20).contains(c))
            {
                Some(c) => options.cluster_bits = c.trailing_zeros(),
                None => return fail(ctx, &format!("{dst}: Cluster size must be a power of two between 512 and 2048k")),
            },
            ("preallocation", Format::Qcow2) => options.preallocation = Prealloc::parse(v).unwrap_or_default(),
            ("preallocation", Format::Raw) => raw_prealloc = Prealloc::parse(v).unwrap_or_default(),
            ("compat", Format::Qcow2) => options.version = if v == "0.10" { 2 } else { 3 },
            _ => return fail(ctx, &format!("Invalid parameter '{k}'")),
        }
    }
    let entries = Chain { layers: &layers }.map();
    // The guest OS on the image (GuestLab keeps it as files, not blocks) goes with the data.
    let guest = layers.iter().find_map(|l| l.file.guest.clone());
    let ino = match create_file(ctx, dst) {
        Ok(i) => i,
        Err(e) => return fail(ctx, &e),
    };
    with_file(ctx, ino, |f| match out_format {
        Format::Raw => create_raw(f, size, raw_prealloc),
        Format::Qcow2 => {
            let q = Qcow2::create(f, &options);
            f.qcow2 = Some(Box::new(q));
        }
    });
    let chain = Chain { layers: &layers };
    if compressed {
        // Compressed output is written in whole clusters (QEMU aligns convert's requests to
        // the cluster size with -c): each cluster that holds data is read and written once,
        // however many map entries it spans.
        let cs = with_qcow2(ctx, ino, |q, _| q.cluster_size()).unwrap_or(1 << 16);
        let mut clusters: Vec<u64> = Vec::new();
        for entry in entries.iter().filter(|e| e.data && !e.zero && e.length > 0) {
            let first = entry.start / cs;
            let last = (entry.start + entry.length - 1) / cs;
            if clusters.last().is_some_and(|&c| c >= first) {
                clusters.extend((clusters[clusters.len() - 1] + 1)..=last);
            } else {
                clusters.extend(first..=last);
            }
        }
        for cluster in clusters {
            let pos = cluster * cs;
            let n = cs.min(size - pos);
            let mut buf = Contents::default();
            chain.read(pos, n, &mut buf, 0);
            with_qcow2(ctx, ino, |q, f| write_compressed(q, f, pos, n, &buf));
        }
    }
    for entry in entries.iter().filter(|e| e.data && !e.zero && !compressed) {
        let mut pos = entry.start;
        let end = entry.start + entry.length;
        while pos < end {
            let n = (end - pos).min(IO_BUF);
            let mut buf = Contents::default();
            chain.read(pos, n, &mut buf, 0);
            {
                let sectors = n.div_ceil(SECTOR);
                let mut done = 0;
                while done < sectors {
                    let (data, count) =
                        is_allocated_sectors_min(&buf, done * SECTOR, sectors - done, pos / SECTOR + done);
                    let count = count.max(1);
                    if data {
                        let off = done * SECTOR;
                        let len = (count * SECTOR).min(n - off);
                        match out_format {
                            Format::Raw => {
                                with_file(ctx, ino, |f| hostfile::data_copy(f, pos + off, &buf, off, len));
                            }
                            Format::Qcow2 => {
                                with_qcow2(ctx, ino, |q, f| q.write(f, None, pos + off, len, Data::Copy(&buf, off)));
                            }
                        }
                    }
                    done += count;
                }
            }
            pos += n;
        }
    }
    if guest.is_some() {
        with_file(ctx, ino, |f| f.guest = guest);
    }
    0
}

/// Writes compressed clusters (`qemu-img convert -c`); clusters of zeros are skipped.
fn write_compressed(q: &mut Qcow2, f: &mut RegularFile, offset: u64, len: u64, buf: &Contents) {
    let cs = q.cluster_size();
    let mut pos = offset;
    while pos < offset + len {
        let n = (cs - pos % cs).min(offset + len - pos);
        let rel = pos - offset;
        if !buf.is_zero(rel, n) {
            let mut cluster = Contents::default();
            cluster.copy_range(buf, rel, n, pos % cs);
            let size = compressed_estimate(&cluster, cs);
            if size >= cs {
                q.write(f, None, pos, n, Data::Copy(buf, rel));
            } else {
                q.write_compressed_cluster(f, pos / cs, cluster, size);
            }
        }
        pos += n;
    }
}

pub fn resize(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    // A leading '-' in the size is an operand, not an option.
    let (size_arg, rest): (Vec<String>, Vec<String>) = match args.last() {
        Some(last)
            if last.starts_with('-') && last.len() > 1 && last[1..].starts_with(|c: char| c.is_ascii_digit()) =>
        {
            (vec![last.clone()], args[..args.len() - 1].to_vec())
        }
        _ => (Vec::new(), args.to_vec()),
    };
    let opts = match Opts::parse(&rest, &["-f", "--preallocation"], &["--shrink", "-q"]) {
        Ok(o) => o,
        Err(e) => return fail(ctx, &e),
    };
    let mut operands = opts.operands.clone();
    operands.extend(size_arg);
    let [path, size] = operands.as_slice() else {
        ctx.err("qemu-img: Expecting image file name and size\nTry 'qemu-img --help' for more information\n");
        return 1;
    };
    let layers = match open(ctx, path, opts.value("-f")) {
        Ok(l) => l,
        Err(status) => return status,
    };
    let current = layers[0].size();
    let (sign, number) = match size.strip_prefix('+') {
        Some(rest) => (1, rest),
        None => match size.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (0, size.as_str()),
        },
    };
    let Some(value) = parse_size(number) else {
        return fail(
            ctx,
            "Invalid image size specified. You may use k, M, G, T, P or E suffixes for\nqemu-img: kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.",
        );
    };
    let new_size = match sign {
        1 => current.saturating_add(value),
        -1 => match current.checked_sub(value) {
            Some(v) => v,
            None => return fail(ctx, "New image size must be positive"),
        },
        _ => value,
    };
    if new_size > 64 << 40 {
        return fail(ctx, "GuestLab simulates images up to 64 TiB");
    }
    let prealloc = opts.value("--preallocation").and_then(Prealloc::parse).unwrap_or_default();
    if new_size < current {
        if !opts.flag("--shrink") {
            ctx.err("qemu-img: Use the --shrink option to perform a shrink operation.\nqemu-img: warning: Shrinking an image will delete all data beyond the shrunken image's end. Before performing such an operation, make sure there is no important data there.\n");
            return 1;
        }
        if layers[0].format == Format::Qcow2 && layers[0].file.qcow2.as_ref().is_some_and(|q| !q.snapshots.is_empty()) {
            return fail(ctx, "Can't resize an image which has snapshots");
        }
    }
    let ino = layers[0].ino;
    match layers[0].format {
        Format::Raw => {
            with_file(ctx, ino, |f| {
                let old = f.len;
                hostfile::set_len(f, new_size);
                match prealloc {
                    Prealloc::Falloc if new_size > old => hostfile::falloc(f, old, new_size),
                    Prealloc::Full if new_size > old => hostfile::write_zeros(f, old, new_size),
                    _ => {}
                }
            });
        }
        Format::Qcow2 => {
            let backing = (layers.len() > 1).then(|| layers[1..].to_vec());
            with_qcow2(ctx, ino, |q, f| {
                q.truncate(f, backing.as_deref().map(|l| Chain { layers: l }).as_ref(), new_size, prealloc);
            });
        }
    }
    if !opts.flag("-q") {
        ctx.out("Image resized.\n");
    }
    0
}

/// `qcow2_calc_prealloc_size`: the size of a fully allocated qcow2 image.
fn fully_allocated_qcow2(size: u64, cluster_bits: u32) -> u64 {
    let cs = 1u64 << cluster_bits;
    let aligned = size.div_ceil(cs) * cs;
    let mut meta = cs;
    let per = cs / 8;
    let nl2e = (aligned / cs).div_ceil(per) * per;
    meta += nl2e * 8;
    let nl1e = (nl2e * 8 / cs).div_ceil(per) * per;
    meta += nl1e * 8;
    let clusters = (meta + aligned) / cs;
    // Refcount metadata as a fixed point (blocks of cs/2 16-bit refcounts, table of cs/8).
    let (mut table, mut blocks, mut n) = (0u64, 0u64, 0u64);
    loop {
        let last = n;
        blocks = (clusters + table + blocks).div_ceil(cs / 2);
        table = blocks.div_ceil(per);
        n = clusters + blocks + table;
        if n == last {
            break;
        }
    }
    meta + (blocks + table) * cs + aligned
}

pub fn measure(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let opts = match Opts::parse(args, &["-f", "-O", "-o", "--output", "--size"], &["-U"]) {
        Ok(o) => o,
        Err(e) => return fail(ctx, &e),
    };
    let json = match opts.json() {
        Ok(j) => j,
        Err(e) => return fail(ctx, &e),
    };
    let out_format = Format::parse(opts.value("-O").unwrap_or("raw")).unwrap_or(Format::Raw);
    let cluster_bits = opts
        .value("-o")
        .and_then(|o| o.split(',').find_map(|kv| kv.strip_prefix("cluster_size=")))
        .and_then(parse_size)
        .map_or(16, u64::trailing_zeros);
    // Persistent bitmaps are counted when a qcow2 image is measured for a qcow2 output.
    let mut bitmaps = false;
    let (virtual_size, allocated) = match (opts.value("--size"), opts.operands.first()) {
        (Some(s), None) => match parse_size(s) {
            Some(v) => (v, 0),
            None => {
                return fail(
                    ctx,
                    "Invalid image size specified. You may use k, M, G, T, P or E suffixes for\nqemu-img: kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.",
                );
            }
        },
        (None, Some(path)) => {
            let layers = match open(ctx, path, opts.value("-f")) {
                Ok(l) => l,
                Err(status) => return status,
            };
            let size = layers[0].size();
            bitmaps = layers[0].format == Format::Qcow2 && out_format == Format::Qcow2;
            let cs = 1u64 << cluster_bits;
            let mut required = 0;
            for e in (Chain { layers: &layers }).map() {
                if !e.zero && e.data && e.present {
                    let pnum = (e.start + e.length).div_ceil(cs) * cs - e.start;
                    required += e.start % cs + pnum;
                }
            }
            (size, required)
        }
        _ => return fail(ctx, "Either --size N or one filename must be specified."),
    };
    let (required, fully) = match out_format {
        Format::Raw => (virtual_size, virtual_size),
        Format::Qcow2 => {
            let fully = fully_allocated_qcow2(virtual_size, cluster_bits);
            (fully - virtual_size.div_ceil(1 << cluster_bits) * (1 << cluster_bits) + allocated, fully)
        }
    };
    if json {
        let mut pairs = vec![("required", Json::int(required)), ("fully-allocated", Json::int(fully))];
        if bitmaps {
            pairs.push(("bitmaps", Json::Int(0)));
        }
        ctx.out(&format!("{}\n", Json::obj(pairs).pretty()));
    } else {
        ctx.out(&format!("required size: {required}\nfully allocated size: {fully}\n"));
        if bitmaps {
            ctx.out("bitmaps size: 0\n");
        }
    }
    0
}

pub fn commit(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let opts = match Opts::parse(args, &["-f", "-b"], &["-d", "-q", "-p"]) {
        Ok(o) => o,
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
    if layers.len() < 2 {
        return fail(ctx, &format!("Image '{path}' does not have a backing file"));
    }
    let top = &layers[0];
    let base = &layers[1];
    let below_base = (layers.len() > 2).then(|| layers[2..].to_vec());
    // Copy what the top image has into the base, in guest order, 512 KiB at a time.
    let entries = Chain { layers: &layers[..1] }.map();
    let top_chain = Chain { layers: &layers };
    for e in entries.iter().filter(|e| e.present) {
        let mut pos = e.start;
        while pos < e.start + e.length {
            let n = (e.start + e.length - pos).min(512 << 10);
            let mut buf = Contents::default();
            top_chain.read(pos, n, &mut buf, 0);
            match base.format {
                Format::Raw => {
                    with_file(ctx, base.ino, |f| {
                        if e.zero {
                            hostfile::zero_range(f, pos, n);
                        } else {
                            hostfile::data_copy(f, pos, &buf, 0, n);
                        }
                    });
                }
                Format::Qcow2 => {
                    let below = below_base.as_deref().map(|l| Chain { layers: l });
                    with_qcow2(ctx, base.ino, |q, f| {
                        if e.zero {
                            q.write_zeroes(f, below.as_ref(), pos, n, false);
                        } else {
                            q.write(f, below.as_ref(), pos, n, Data::Copy(&buf, 0));
                        }
                    });
                }
            }
            pos += n;
        }
    }
    if !opts.flag("-d") && top.format == Format::Qcow2 {
        with_qcow2(ctx, top.ino, Qcow2::make_empty);
    }
    if !opts.flag("-q") {
        ctx.out("Image committed.\n");
    }
    0
}

pub fn rebase(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let opts = match Opts::parse(args, &["-f", "-b", "-F", "-t", "-T"], &["-u", "-q", "-p", "-U", "-c"]) {
        Ok(o) => o,
        Err(e) => return fail(ctx, &e),
    };
    let Some(path) = opts.operands.first().cloned() else {
        ctx.err("qemu-img: Expecting one image file name\nTry 'qemu-img --help' for more information\n");
        return 1;
    };
    let Some(new_backing) = opts.value("-b").map(str::to_owned) else {
        return fail(ctx, "Must specify backing file (-b) or use unsafe mode (-u)");
    };
    let new_format = opts.value("-F").map(str::to_owned);
    let layers = match open(ctx, &path, opts.value("-f")) {
        Ok(l) => l,
        Err(status) => return status,
    };
    if layers[0].format != Format::Qcow2 {
        return fail(ctx, "Operation not supported");
    }
    if !new_backing.is_empty() && new_format.is_none() {
        return fail(ctx, &format!("{path}: Backing file specified without backing format"));
    }
    if !opts.flag("-u") {
        // Safe mode: copy every cluster where the old and the new backing differ.
        let new_layers: Option<Vec<Layer>> = if new_backing.is_empty() {
            None
        } else {
            let combined = super::chain::path_combine(&path, &new_backing);
            match open(ctx, &combined, new_format.as_deref()) {
                Ok(l) => Some(l),
                Err(status) => return status,
            }
        };
        let Some(q) = layers[0].file.qcow2.as_deref() else { return 1 };
        let cs = q.cluster_size();
        let size = q.size;
        let old = (layers.len() > 1).then(|| layers[1..].to_vec());
        let mut writes = Vec::new();
        let mut pos = 0;
        while pos < size {
            let n = cs.min(size - pos);
            if !q.l2.contains_key(pos / cs) {
                let mut a = Contents::default();
                let mut b = Contents::default();
                if let Some(old) = &old {
                    Chain { layers: old }.read(pos, n, &mut a, 0);
                }
                if let Some(new) = &new_layers {
                    Chain { layers: new }.read(pos, n, &mut b, 0);
                }
                if !same_contents(&a, &b, n) {
                    writes.push((pos, n, a));
                }
            }
            pos += n;
        }
        for (pos, n, data) in writes {
            let old_chain = old.as_deref().map(|l| Chain { layers: l });
            with_qcow2(ctx, layers[0].ino, |q, f| q.write(f, old_chain.as_ref(), pos, n, Data::Copy(&data, 0)));
        }
    }
    with_qcow2(ctx, layers[0].ino, |q, _| {
        if new_backing.is_empty() {
            q.backing_file = None;
            q.backing_format = None;
        } else {
            q.backing_file = Some(new_backing.clone());
            q.backing_format.clone_from(&new_format);
        }
    });
    0
}

fn same_contents(a: &Contents, b: &Contents, len: u64) -> bool {
    let mut pos = 0;
    while pos < len {
        let n = (len - pos).min(1 << 20) as usize;
        if a.read(pos, n) != b.read(pos, n) {
            return false;
        }
        pos += n as u64;
    }
    true
}

/// One snapshot as `qemu-img info --output=json` shows it.
pub fn snapshot_json(s: &Snapshot) -> Json {
    Json::obj(vec![
        ("icount", Json::Int(0)),
        ("vm-clock-nsec", Json::int(s.vm_clock_nsec)),
        ("name", Json::str(&s.name)),
        ("date-sec", Json::Int(s.date)),
        ("date-nsec", Json::Int(0)),
        ("vm-clock-sec", Json::int(s.vm_clock_nsec / 1_000_000_000)),
        ("id", Json::str(&s.id.to_string())),
        ("vm-state-size", Json::int(s.vm_state_size)),
    ])
}

/// The snapshot table of `qemu-img snapshot -l` and `qemu-img info`.
pub fn snapshot_table(q: &Qcow2) -> String {
    // bdrv_snapshot_dump: "%-7s %-16s %8s %19s %15s %10s".
    let mut s =
        format!("{:<7} {:<16} {:>8} {:>19} {:>15} {:>10}\n", "ID", "TAG", "VM_SIZE", "DATE", "VM_CLOCK", "ICOUNT");
    for sn in &q.snapshots {
        let date = crate::sim::time::format_datetime(sn.date);
        s.push_str(&format!(
            "{:<7} {:<16} {:>8} {:>19} {:>15} {:>10}\n",
            sn.id, sn.name, "0 B", date, "0000:00:00.000", "0"
        ));
    }
    s
}

pub fn snapshot(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let opts = match Opts::parse(args, &["-c", "-a", "-d", "-f"], &["-l", "-q", "-U"]) {
        Ok(o) => o,
        Err(e) => return fail(ctx, &e),
    };
    let Some(path) = opts.operands.first().cloned() else {
        ctx.err("qemu-img: Expecting one image file name\nTry 'qemu-img --help' for more information\n");
        return 1;
    };
    let layers = match open(ctx, &path, opts.value("-f")) {
        Ok(l) => l,
        Err(status) => return status,
    };
    if layers[0].format != Format::Qcow2 {
        return fail(
            ctx,
            &format!("Could not create snapshot '{}': Operation not supported", opts.value("-c").unwrap_or_default()),
        );
    }
    let ino = layers[0].ino;
    let now = ctx.now();
    if opts.flag("-l") {
        let Some(q) = layers[0].file.qcow2.as_deref() else { return 1 };
        if !q.snapshots.is_empty() {
            ctx.out(&format!("Snapshot list:\n{}", snapshot_table(q)));
        }
        return 0;
    }
    if let Some(name) = opts.value("-c").map(str::to_owned) {
        let result = with_qcow2(ctx, ino, |q, f| q.snapshot_create(f, &name, now));
        if let Some(Err(e)) = result {
            return fail(ctx, &format!("Could not create snapshot '{name}': {e}"));
        }
        return 0;
    }
    if let Some(name) = opts.value("-a").map(str::to_owned) {
        let result = with_qcow2(ctx, ino, |q, f| q.snapshot_goto(f, &name));
        if let Some(Err(e)) = result {
            return fail(ctx, &format!("Could not apply snapshot '{name}': {e}"));
        }
        return 0;
    }
    if let Some(name) = opts.value("-d").map(str::to_owned) {
        let result = with_qcow2(ctx, ino, |q, f| q.snapshot_delete(f, &name));
        if let Some(Err(e)) = result {
            return fail(ctx, &format!("Could not delete snapshot '{name}': {e}"));
        }
        return 0;
    }
    fail(ctx, "Expecting one image file name")
}

impl Qcow2 {
    /// Writes one compressed cluster of guest data (`size` bytes in the file).
    pub fn write_compressed_cluster(&mut self, f: &mut RegularFile, cluster: u64, data: Contents, size: u64) {
        let guest = cluster * self.cluster_size();
        self.l2_table_for(f, guest);
        let offset = self.alloc_bytes(f, size);
        hostfile::meta_write(f, offset, size);
        let sectors = u32::try_from(((offset + size - 1) >> 9) - (offset >> 9) + 1).unwrap_or(u32::MAX);
        self.compressed.insert(offset, data);
        self.l2.insert(cluster, L2Entry::Compressed { offset, sectors });
    }

    /// Empties an image after `qemu-img commit` (QEMU's `make_completely_empty` for v3
    /// images): header, refcount table and block, a zeroed L1 table, nothing else.
    pub fn make_empty(&mut self, f: &mut RegularFile) {
        let cs = self.cluster_size();
        let l1_bytes = self.l1.len() as u64 * 8;
        let l1_clusters = l1_bytes.div_ceil(cs).max(1);
        if self.version >= 3 && self.snapshots.is_empty() && 3 + l1_clusters <= cs / 2 {
            self.l2.clear();
            self.compressed.clear();
            self.l1.iter_mut().for_each(|e| *e = 0);
            self.refcounts.clear();
            self.used_prefix = super::qcow2::UsedPrefix(0);
            self.shared_clusters = 0;
            self.reftable = vec![0; (cs / 8) as usize];
            self.reftable[0] = 2 * cs;
            self.refcount_table_offset = cs;
            self.l1_table_offset = 3 * cs;
            for c in 0..3 + l1_clusters {
                self.refcounts_set(c, 1);
            }
            hostfile::set_len(f, (3 + l1_clusters) * cs);
            hostfile::zero_range(f, 3 * cs, l1_clusters * cs);
            hostfile::meta_write(f, 0, 3 * cs);
        } else {
            let size = self.size;
            let entries: Vec<(u64, L2Entry)> = self.l2.iter().collect();
            for (k, e) in entries {
                self.l2.remove(k);
                self.free_any(f, e);
            }
            let _ = size;
        }
    }
}
