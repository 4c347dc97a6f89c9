//! The NoCloud datasource's seed: `cloud-localds` (cloud-image-utils 0.33) on the host builds
//! an ISO 9660 image labelled `cidata` — byte for byte in genisoimage's layout (`-volid cidata
//! -joliet -rock`: primary and Joliet volume descriptors, Rock Ridge names, 150 sectors of
//! padding), so that its size is the real one and `isoinfo` reads it — and a booting guest reads
//! `meta-data`, `user-data`, `network-config` and `vendor-data` back from it
//! ([`read_seed`]), as DataSourceNoCloud does from a device whose file system label is
//! `cidata` (or from `/var/lib/cloud/seed/nocloud`).

use crate::sim::shell::Ctx;
use crate::sim::shell::commands::CommandInfo;
use crate::sim::vfs::{Node, RegularFile};

/// The commands of this module.
pub static COMMANDS: &[CommandInfo] = &[CommandInfo {
    name: "cloud-localds",
    run: cloud_localds,
    summary: "build a NoCloud seed image (ISO 9660, label cidata) from user-data and meta-data",
    usage: USAGE,
}];

/// `cloud-localds --help` (cloud-image-utils 0.33).
pub const USAGE: &str = "Usage: cloud-localds [ options ] output user-data [meta-data]

   Create a disk for cloud-init to utilize nocloud

   options:
     -h | --help             show usage
     -d | --disk-format D    disk format to output. default: raw
                             can be anything supported by qemu-img or
                             tar, tar-seed-local, tar-seed-net
     -H | --hostname    H    set hostname in metadata to H
     -f | --filesystem  F    filesystem format (vfat or iso), default: iso9660

     -i | --interfaces  F    write network interfaces file into metadata
     -N | --network-config F write network config file to local datasource
     -m | --dsmode      M    add 'dsmode' ('local' or 'net') to the metadata
                             default in cloud-init is 'net', meaning network is
                             required.
     -V | --vendor-data F    vendor-data file
     -v | --verbose          increase verbosity

   Note, --dsmode, --hostname, and --interfaces are incompatible
   with metadata.

   Example:
    * cat my-user-data
      #cloud-config
      password: passw0rd
      chpasswd: { expire: False }
      ssh_pwauth: True
    * echo \"instance-id: $(uuidgen || echo i-abcdefg)\" > my-meta-data
    * cloud-localds my-seed.img my-user-data my-meta-data
    * kvm -net nic -net user,hostfwd=tcp::2222-:22 \\
         -drive file=disk1.img,if=virtio -drive file=my-seed.img,if=virtio
    * ssh -p 2222 ubuntu@localhost
";

const SECTOR: usize = 2048;
/// Sectors genisoimage puts before the first file (system area, descriptors, path tables, the
/// two root directories, the Rock Ridge continuation area).
const FIRST_FILE_SECTOR: usize = 31;
/// genisoimage pads the image with 150 zero sectors (300 KiB).
const PADDING_SECTORS: usize = 150;

/// The files of a seed, in the names NoCloud reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Seed {
    pub meta_data: String,
    pub user_data: String,
    pub network_config: Option<String>,
    pub vendor_data: Option<String>,
}

/// A 7-byte ISO 9660 directory record date (UTC).
fn record_date(now: i64) -> [u8; 7] {
    let (y, mo, d, h, mi, s) = crate::sim::time::civil(now);
    [(y - 1900).clamp(0, 255) as u8, mo as u8, d as u8, h as u8, mi as u8, s as u8, 0]
}

/// A 17-byte volume descriptor date.
fn volume_date(now: i64) -> Vec<u8> {
    let (y, mo, d, h, mi, s) = crate::sim::time::civil(now);
    let mut v = format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}00").into_bytes();
    v.push(0);
    v
}

fn both16(v: u16) -> [u8; 4] {
    let [a, b] = v.to_le_bytes();
    [a, b, b, a]
}

fn both32(v: u32) -> [u8; 8] {
    let le = v.to_le_bytes();
    let be = v.to_be_bytes();
    [le[0], le[1], le[2], le[3], be[0], be[1], be[2], be[3]]
}

/// Rock Ridge `PX` (mode, links, uid, gid: RRIP 1.09's 36 bytes) and `TF` (modify, access,
/// attributes).
fn rock_ridge_px_tf(mode: u32, links: u32, date: [u8; 7]) -> Vec<u8> {
    let mut su = vec![b'P', b'X', 36, 1];
    for v in [mode, links, 0, 0] {
        su.extend_from_slice(&both32(v));
    }
    su.extend_from_slice(&[b'T', b'F', 26, 1, 0x0e]);
    for _ in 0..3 {
        su.extend_from_slice(&date);
    }
    su
}

/// One directory record.
fn dir_record(extent: u32, size: u32, date: [u8; 7], dir: bool, name: &[u8], system_use: &[u8]) -> Vec<u8> {
    let mut r = vec![0u8; 33];
    r[2..10].copy_from_slice(&both32(extent));
    r[10..18].copy_from_slice(&both32(size));
    r[18..25].copy_from_slice(&date);
    r[25] = if dir { 2 } else { 0 };
    r[28..32].copy_from_slice(&both16(1));
    r[32] = name.len() as u8;
    r.extend_from_slice(name);
    if name.len().is_multiple_of(2) {
        r.push(0);
    }
    r.extend_from_slice(system_use);
    if r.len() % 2 == 1 {
        r.push(0);
    }
    r[0] = r.len() as u8;
    r
}

/// The 8.3 name genisoimage gives a file without Rock Ridge or Joliet (`META_DAT.;1`).
fn iso_name(name: &str) -> String {
    let (base, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let clean = |s: &str, n: usize| -> String {
        s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).take(n).collect()
    };
    format!("{}.{};1", clean(base, 8), clean(ext, 3))
}

const ROCK_RIDGE_ER: &[u8] = b"RRIP_1991ATHE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICSPLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.";

/// A volume descriptor (primary: type 1; Joliet: type 2 with the UCS-2 escape).
fn volume_descriptor(kind: u8, total: u32, path_tables: (u32, u32), root: &[u8], now: i64) -> Vec<u8> {
    let mut vd = vec![0u8; SECTOR];
    vd[0] = kind;
    vd[1..6].copy_from_slice(b"CD001");
    vd[6] = 1;
    let text = |vd: &mut Vec<u8>, at: usize, len: usize, value: &str| {
        if kind == 2 {
            let mut units: Vec<u8> = value.encode_utf16().flat_map(u16::to_be_bytes).collect();
            while units.len() < len {
                units.extend_from_slice(&[0, 0x20]);
            }
            vd[at..at + len].copy_from_slice(&units[..len]);
        } else {
            let bytes = format!("{value:<len$}");
            vd[at..at + len].copy_from_slice(&bytes.as_bytes()[..len]);
        }
    };
    text(&mut vd, 8, 32, "LINUX");
    text(&mut vd, 40, 32, "cidata");
    vd[80..88].copy_from_slice(&both32(total));
    if kind == 2 {
        vd[88..91].copy_from_slice(b"%/E");
    }
    vd[120..124].copy_from_slice(&both16(1));
    vd[124..128].copy_from_slice(&both16(1));
    vd[128..132].copy_from_slice(&both16(SECTOR as u16));
    vd[132..140].copy_from_slice(&both32(10));
    vd[140..144].copy_from_slice(&path_tables.0.to_le_bytes());
    vd[148..152].copy_from_slice(&path_tables.1.to_be_bytes());
    vd[156..156 + root.len()].copy_from_slice(root);
    for (at, len) in [(190, 128), (318, 128), (446, 128)] {
        text(&mut vd, at, len, "");
    }
    let app = "GENISOIMAGE ISO 9660/HFS FILESYSTEM CREATOR (C) 1993 E.YOUNGDALE (C) 1997-2006 J.PEARSON/J.SCHILLING (C) 2006-2007 CDRKIT TEAM";
    text(
        &mut vd,
        574,
        128,
        if kind == 2 { "GENISOIMAGE ISO 9660/HFS FILESYSTEM CREATOR (C) 1993 E.YOUNGDALE" } else { app },
    );
    for (at, len) in [(702, 37), (739, 37), (776, 37)] {
        text(&mut vd, at, len, "");
    }
    let date = volume_date(now);
    vd[813..830].copy_from_slice(&date);
    vd[830..847].copy_from_slice(&date);
    vd[847..863].copy_from_slice(b"0000000000000000");
    vd[864..881].copy_from_slice(&date);
    vd[881] = 1;
    vd
}

/// An ISO 9660 image as `genisoimage -volid cidata -joliet -rock FILES` writes it, for files
/// `(name, bytes)` (at most a handful, all in the root directory).
pub fn iso_image(files: &[(&str, &[u8])], now: i64) -> RegularFile {
    let mut files: Vec<(String, &str, &[u8])> = files.iter().map(|(n, b)| (iso_name(n), *n, *b)).collect();
    crate::order::sort_by(&mut files, |a, b| a.0.cmp(&b.0));
    let data_sectors: usize = files.iter().map(|(_, _, b)| b.len().div_ceil(SECTOR)).sum();
    let total = FIRST_FILE_SECTOR + data_sectors + PADDING_SECTORS;
    let date = record_date(now);
    let mut extents = Vec::new();
    let mut next = FIRST_FILE_SECTOR;
    for (_, _, bytes) in &files {
        extents.push(next as u32);
        next += bytes.len().div_ceil(SECTOR);
    }
    // The ISO root directory, Rock Ridge entries in its records.
    let dir_px_tf = rock_ridge_px_tf(0o40555, 2, date);
    let mut dot_su = vec![b'S', b'P', 7, 1, 0xbe, 0xef, 0, b'R', b'R', 5, 1, 0x81];
    dot_su.extend_from_slice(&dir_px_tf);
    dot_su.extend_from_slice(&[b'C', b'E', 28, 1]);
    for v in [30u32, 0, ROCK_RIDGE_ER.len() as u32 + 8] {
        dot_su.extend_from_slice(&both32(v));
    }
    let mut dotdot_su = vec![b'R', b'R', 5, 1, 0x81];
    dotdot_su.extend_from_slice(&dir_px_tf);
    let mut root = dir_record(28, SECTOR as u32, date, true, &[0], &dot_su);
    root.extend(dir_record(28, SECTOR as u32, date, true, &[1], &dotdot_su));
    let mut joliet = dir_record(29, SECTOR as u32, date, true, &[0], &[]);
    joliet.extend(dir_record(29, SECTOR as u32, date, true, &[1], &[]));
    for ((iso, name, bytes), extent) in files.iter().zip(&extents) {
        let mut su = vec![b'R', b'R', 5, 1, 0x89, b'N', b'M', 5 + name.len() as u8, 1, 0];
        su.extend_from_slice(name.as_bytes());
        su.extend_from_slice(&rock_ridge_px_tf(0o100644, 1, date));
        root.extend(dir_record(*extent, bytes.len() as u32, date, false, iso.as_bytes(), &su));
        let ucs: Vec<u8> = name.encode_utf16().flat_map(u16::to_be_bytes).collect();
        joliet.extend(dir_record(*extent, bytes.len() as u32, date, false, &ucs, &[]));
    }
    let mut file = RegularFile::default();
    let total_bytes = (total * SECTOR) as u64;
    file.write(16 * SECTOR as u64, &volume_descriptor(1, total as u32, (20, 22), &root[..34], now));
    let mut joliet_root = joliet[..34].to_vec();
    joliet_root[32] = 1;
    file.write(17 * SECTOR as u64, &volume_descriptor(2, total as u32, (24, 26), &joliet_root, now));
    let mut terminator = vec![0xffu8];
    terminator.extend_from_slice(b"CD001\x01");
    file.write(18 * SECTOR as u64, &terminator);
    for (sector, dir, little) in [(20u64, 28u32, true), (22, 28, false), (24, 29, true), (26, 29, false)] {
        let mut table = vec![1u8, 0];
        table.extend_from_slice(&if little { dir.to_le_bytes() } else { dir.to_be_bytes() });
        table.extend_from_slice(&if little { 1u16.to_le_bytes() } else { 1u16.to_be_bytes() });
        file.write(sector * SECTOR as u64, &table);
    }
    file.write(28 * SECTOR as u64, &root);
    file.write(29 * SECTOR as u64, &joliet);
    let mut er = vec![b'E', b'R', ROCK_RIDGE_ER.len() as u8 + 8, 1, 10, 84, 135, 1];
    er.extend_from_slice(ROCK_RIDGE_ER);
    file.write(30 * SECTOR as u64, &er);
    for ((_, _, bytes), extent) in files.iter().zip(&extents) {
        file.write(u64::from(*extent) * SECTOR as u64, bytes);
    }
    file.truncate(total_bytes);
    // The padding is written (zeros), as genisoimage writes it.
    let written = file.blocks.allocated() * crate::sim::vfs::BLOCK_SIZE;
    if written < total_bytes {
        file.blocks.write(0, total_bytes);
    }
    file
}

/// The volume label of an ISO 9660 image, if the file is one.
pub fn iso_label(file: &RegularFile) -> Option<String> {
    let pvd = file.contents.read(16 * SECTOR as u64, 72);
    (pvd.len() == 72 && pvd[0] == 1 && &pvd[1..6] == b"CD001")
        .then(|| String::from_utf8_lossy(&pvd[40..72]).trim_end().to_owned())
}

/// The files in the root directory of an ISO 9660 image, by their Rock Ridge names (or their
/// ISO names, lower-cased and without the version, when there is no Rock Ridge name).
pub fn iso_files(file: &RegularFile) -> Vec<(String, Vec<u8>)> {
    let pvd = file.contents.read(16 * SECTOR as u64, SECTOR);
    if pvd.len() < 190 || &pvd[1..6] != b"CD001" {
        return Vec::new();
    }
    let root = &pvd[156..190];
    let extent = u64::from(u32::from_le_bytes([root[2], root[3], root[4], root[5]]));
    let size = u32::from_le_bytes([root[10], root[11], root[12], root[13]]) as usize;
    let dir = file.contents.read(extent * SECTOR as u64, size.min(1 << 16));
    let mut out = Vec::new();
    let mut i = 0;
    while i < dir.len() && dir[i] != 0 {
        let len = dir[i] as usize;
        let Some(rec) = dir.get(i..i + len).filter(|r| r.len() >= 33) else { break };
        i += len;
        if rec[25] & 2 != 0 {
            continue;
        }
        let name_len = rec[32] as usize;
        let Some(iso) = rec.get(33..33 + name_len) else { continue };
        let mut name =
            String::from_utf8_lossy(iso).split(';').next().unwrap_or_default().trim_end_matches('.').to_lowercase();
        let mut su = &rec[(33 + name_len + usize::from(name_len.is_multiple_of(2))).min(rec.len())..];
        while su.len() >= 4 && su[2] >= 4 && su.len() >= su[2] as usize {
            if &su[..2] == b"NM" && su[2] > 5 {
                name = String::from_utf8_lossy(&su[5..su[2] as usize]).into_owned();
            }
            su = &su[su[2] as usize..];
        }
        let at = u64::from(u32::from_le_bytes([rec[2], rec[3], rec[4], rec[5]]));
        let size = u32::from_le_bytes([rec[10], rec[11], rec[12], rec[13]]) as usize;
        out.push((name, file.contents.read(at * SECTOR as u64, size.min(16 << 20))));
    }
    out
}

/// The seed on a device: an ISO 9660 file system labelled `cidata` (upper or lower case) with
/// at least `user-data` and `meta-data` (`pathprefix2dict`'s required files).
pub fn read_seed(file: &RegularFile) -> Option<Seed> {
    let label = iso_label(file)?;
    if label != "cidata" && label != "CIDATA" {
        return None;
    }
    let files = iso_files(file);
    let get = |n: &str| files.iter().find(|(name, _)| name == n).map(|(_, b)| String::from_utf8_lossy(b).into_owned());
    Some(Seed {
        meta_data: get("meta-data")?,
        user_data: get("user-data")?,
        network_config: get("network-config"),
        vendor_data: get("vendor-data"),
    })
}

/// Long options of cloud-localds (GNU getopt, unique prefixes accepted), with whether they take
/// a value, and the short option each stands for.
const LONG: &[(&str, bool, char)] = &[
    ("disk-format", true, 'd'),
    ("dsmode", true, 'm'),
    ("filesystem", true, 'f'),
    ("help", false, 'h'),
    ("hostname", true, 'H'),
    ("interfaces", true, 'i'),
    ("network-config", true, 'N'),
    ("output", true, 'o'),
    ("vendor-data", true, 'V'),
    ("verbose", false, 'v'),
];
const SHORT_WITH_VALUE: &str = "HidfmNoV";
const SHORT: &str = "hHidfmNoVv";

fn bad_usage(ctx: &mut Ctx<'_>, message: &str) -> i32 {
    ctx.err(USAGE);
    if !message.is_empty() {
        ctx.err(&format!("{message}\n"));
    }
    1
}

fn fail(ctx: &mut Ctx<'_>, message: &str) -> i32 {
    ctx.err(&format!("{message}\n"));
    1
}

/// Reads a file as `cp` would copy it; `Err` is cp's complaint.
fn copy_source(ctx: &Ctx<'_>, path: &str) -> Result<Vec<u8>, String> {
    let ino = ctx.resolve(path, true).map_err(|e| format!("cp: cannot stat '{path}': {}", e.message()))?;
    let file = ctx.fs().file(ino).map_err(|_| format!("cp: -r not specified; omitting directory '{path}'"))?;
    Ok(file.read_all(16 << 20))
}

/// `cloud-localds [options] output user-data [meta-data]`.
pub fn cloud_localds(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    let mut opts: Vec<(char, String)> = Vec::new();
    let mut operands = Vec::new();
    let mut words = argv[1..].iter();
    while let Some(w) = words.next() {
        if w == "--" {
            operands.extend(words.by_ref().cloned());
            break;
        }
        if let Some(long) = w.strip_prefix("--") {
            let (name, inline) = long.split_once('=').map_or((long, None), |(n, v)| (n, Some(v.to_owned())));
            let matches: Vec<&(&str, bool, char)> = LONG.iter().filter(|(n, _, _)| n.starts_with(name)).collect();
            let found = LONG.iter().find(|(n, _, _)| *n == name).or_else(|| (matches.len() == 1).then(|| matches[0]));
            let Some((full, takes, short)) = found else {
                let message = if matches.is_empty() {
                    format!("cloud-localds: unrecognized option '--{name}'")
                } else {
                    format!("cloud-localds: option '--{name}' is ambiguous")
                };
                ctx.err(&format!("{message}\n"));
                return bad_usage(ctx, "");
            };
            let value = if *takes {
                match inline.or_else(|| words.next().cloned()) {
                    Some(v) => v,
                    None => {
                        ctx.err(&format!("cloud-localds: option '--{full}' requires an argument\n"));
                        return bad_usage(ctx, "");
                    }
                }
            } else {
                String::new()
            };
            opts.push((*short, value));
        } else if let Some(letters) = w.strip_prefix('-').filter(|l| !l.is_empty()) {
            for (i, c) in letters.char_indices() {
                if !SHORT.contains(c) {
                    ctx.err(&format!("cloud-localds: invalid option -- '{c}'\n"));
                    return bad_usage(ctx, "");
                }
                if SHORT_WITH_VALUE.contains(c) {
                    let rest = &letters[i + 1..];
                    let value = if rest.is_empty() { words.next().cloned() } else { Some(rest.to_owned()) };
                    let Some(value) = value else {
                        ctx.err(&format!("cloud-localds: option requires an argument -- '{c}'\n"));
                        return bad_usage(ctx, "");
                    };
                    opts.push((c, value));
                    break;
                }
                opts.push((c, String::new()));
            }
        } else {
            operands.push(w.clone());
        }
    }
    let get = |c: char| opts.iter().rev().find(|(o, _)| *o == c).map(|(_, v)| v.clone());
    if get('h').is_some() {
        ctx.out(USAGE);
        return 0;
    }
    let verbose = opts.iter().filter(|(o, _)| *o == 'v').count();
    if operands.len() < 2 {
        return bad_usage(ctx, "must provide output, userdata");
    }
    if operands.len() > 3 {
        return bad_usage(ctx, "confused by additional args");
    }
    let (output, userdata, metadata) = (operands[0].clone(), operands[1].clone(), operands.get(2).cloned());
    let hostname = get('H').unwrap_or_default();
    let dsmode = get('m').unwrap_or_default();
    let interfaces = get('i');
    if metadata.is_some() && (interfaces.is_some() || !dsmode.is_empty() || !hostname.is_empty()) {
        return fail(ctx, "metadata is incompatible with: --interfaces, --hostname, --dsmode");
    }
    let disk_format = get('d').unwrap_or_else(|| "raw".to_owned());
    let mut filesystem = get('f').unwrap_or_default();
    if disk_format.starts_with("tar") {
        if !matches!(disk_format.as_str(), "tar" | "tar-seed-local" | "tar-seed-net") {
            return fail(ctx, "supported 'tar' formats are tar, tar-seed-local, tar-seed-net");
        }
        if !filesystem.is_empty() && filesystem != "tar" {
            return fail(ctx, "diskformat=tar is incompatible with filesystem");
        }
        return fail(ctx, "GuestLab's cloud-localds writes ISO 9660 seeds only, not tar archives");
    }
    if filesystem.is_empty() || filesystem == "iso" {
        filesystem = "iso9660".to_owned();
    }
    match filesystem.as_str() {
        "iso9660" => {}
        // The simulated host has no dosfstools and mtools, as this message says on a real one.
        "vfat" => return fail(ctx, "missing 'mkfs.vfat'. Required for --filesystem=vfat."),
        other => return fail(ctx, &format!("unknown filesystem {other}")),
    }
    if disk_format != "raw" {
        return fail(
            ctx,
            &format!("GuestLab's cloud-localds writes raw images only (-d raw), not --disk-format={disk_format}"),
        );
    }
    if let Some(path) = &interfaces
        && ctx.resolve(path, true).is_err()
    {
        return fail(ctx, &format!("{path}: not a readable file"));
    }
    let meta = match &metadata {
        Some(path) => match copy_source(ctx, path) {
            Ok(bytes) => bytes,
            Err(cp) => return fail(ctx, &format!("{cp}\n{path}: failed to copy")),
        },
        None => {
            let iface = interfaces
                .as_deref()
                .and_then(|p| ctx.read_text(p, 1 << 20))
                .map(|t| t.trim_end_matches('\n').replace('\n', "\\n"))
                .unwrap_or_default();
            let fields: Vec<String> = [
                ("instance-id", "iid-local01"),
                ("local-hostname", &hostname),
                ("interfaces", &iface),
                ("dsmode", &dsmode),
            ]
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("\"{k}\": \"{v}\""))
            .collect();
            format!("{{\n{}\n}}\n", fields.join(",\n")).into_bytes()
        }
    };
    let mut files: Vec<(&str, Vec<u8>)> = vec![("meta-data", meta)];
    if let Some(path) = get('N') {
        match copy_source(ctx, &path) {
            Ok(bytes) => files.push(("network-config", bytes)),
            Err(cp) => return fail(ctx, &format!("{cp}\nfailed to copy network config")),
        }
    }
    if let Some(path) = get('V') {
        match copy_source(ctx, &path) {
            Ok(bytes) => files.push(("vendor-data", bytes)),
            Err(cp) => return fail(ctx, &format!("{cp}\nfailed to copy vendor data")),
        }
    }
    let user = if userdata == "-" {
        std::mem::take(&mut ctx.stdin)
    } else {
        match copy_source(ctx, &userdata) {
            Ok(bytes) => bytes,
            Err(cp) => return fail(ctx, &format!("{cp}\n{userdata}: failed to copy")),
        }
    };
    files.push(("user-data", user));
    let now = ctx.now();
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let image = iso_image(&refs, now);
    if output == "-" {
        ctx.out_bytes(&image.read_all(usize::MAX));
    } else if let Err(message) = write_image(ctx, &output, image) {
        return fail(
            ctx,
            &format!("cp: cannot create regular file '{output}': {message}\nfailed to copy image to {output}"),
        );
    }
    if verbose >= 1 {
        ctx.err(&format!("wrote {output} with filesystem=iso9660 and diskformat=raw\n"));
    }
    0
}

/// Puts the image at `path` (as `cp` does: an existing file keeps its mode and owner).
fn write_image(ctx: &mut Ctx<'_>, path: &str, image: RegularFile) -> Result<(), String> {
    let now = ctx.now();
    let cwd = ctx.cwd();
    let fs = ctx.fs_mut();
    let (dir, name) = fs.resolve_parent(cwd, path).map_err(crate::sim::vfs::FsError::message)?;
    let name = name.to_owned();
    match fs.lookup(dir, &name) {
        Some(ino) => {
            let target = fs.resolve(cwd, path, true).unwrap_or(ino);
            *fs.file_mut(target, now).map_err(crate::sim::vfs::FsError::message)? = image;
        }
        None => {
            fs.create(dir, &name, Node::file(image, 0o644, now)).map_err(crate::sim::vfs::FsError::message)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_image_has_genisoimage_size_and_reads_back() {
        let meta = b"instance-id: a\n";
        let user = b"#cloud-config\n";
        let image = iso_image(&[("user-data", user), ("meta-data", meta)], crate::sim::EPOCH);
        // cloud-localds seed.iso user-data meta-data with two small files: 374784 bytes.
        assert_eq!(image.len, 374_784);
        assert_eq!(iso_label(&image).as_deref(), Some("cidata"));
        let files = iso_files(&image);
        assert_eq!(files, [("meta-data".to_owned(), meta.to_vec()), ("user-data".to_owned(), user.to_vec())]);
        let seed = read_seed(&image).unwrap();
        assert_eq!(seed.user_data, "#cloud-config\n");
        assert_eq!(seed.network_config, None);
        // Each file takes whole sectors: 2049 bytes take two.
        let big = vec![b'a'; 2049];
        assert_eq!(iso_image(&[("user-data", &big), ("meta-data", meta)], 0).len, 376_832);
        assert_eq!(iso_image(&[("user-data", b""), ("meta-data", b"")], 0).len, 370_688);
    }

    #[test]
    fn iso_names_are_eight_dot_three() {
        assert_eq!(iso_name("meta-data"), "META_DAT.;1");
        assert_eq!(iso_name("network-config"), "NETWORK_.;1");
    }
}
