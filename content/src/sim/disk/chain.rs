//! Opening images as QEMU does: probing the format, following backing files, and asking each
//! layer of a backing chain what a guest range holds (the block status behind `qemu-img map`
//! and every copy-on-write decision).

use std::sync::Arc;

use super::hostfile;
use super::qcow2::{L2Entry, Qcow2};
use crate::sim::vfs::{Contents, FsError, Ino, NodeKind, RegularFile, Vfs};

/// An image format QEMU knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Raw,
    Qcow2,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Self::Raw => "raw",
            Self::Qcow2 => "qcow2",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "raw" => Some(Self::Raw),
            "qcow2" => Some(Self::Qcow2),
            _ => None,
        }
    }
}

/// One opened image.
#[derive(Clone, Debug)]
pub struct Layer {
    /// The name QEMU uses for it (the path as given, or the backing file name joined to the
    /// directory of the image that names it).
    pub name: String,
    pub ino: Ino,
    pub format: Format,
    pub file: Arc<RegularFile>,
    /// QEMU's guess that the image was created with `preallocation=metadata`.
    pub metadata_prealloc: bool,
}

impl Layer {
    fn qcow2(&self) -> Option<&Qcow2> {
        match self.format {
            Format::Qcow2 => self.file.qcow2.as_deref(),
            Format::Raw => None,
        }
    }

    /// The virtual size.
    pub fn size(&self) -> u64 {
        self.qcow2().map_or(self.file.len, |q| q.size)
    }
}

/// A backing chain: `layers[0]` is the image, `layers[1]` its backing file, and so on.
#[derive(Clone, Copy, Debug)]
pub struct Chain<'a> {
    pub layers: &'a [Layer],
}

/// What a layer says about a guest range (QEMU's `BDRV_BLOCK_*` flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Status {
    pub data: bool,
    pub zero: bool,
    pub allocated: bool,
    pub compressed: bool,
    /// Offset in the layer's file, when valid.
    pub offset: Option<u64>,
}

/// One extent of `qemu-img map`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapEntry {
    pub start: u64,
    pub length: u64,
    pub depth: usize,
    pub present: bool,
    pub zero: bool,
    pub data: bool,
    pub compressed: bool,
    pub offset: Option<u64>,
    /// The file of the layer the extent comes from (for the human output).
    pub filename: String,
}

impl<'a> Chain<'a> {
    fn below(&self) -> Option<Chain<'a>> {
        (self.layers.len() > 1).then(|| Chain { layers: &self.layers[1..] })
    }

    /// The block status of the top layer at `offset`, and for how many bytes it holds
    /// (`bdrv_block_status`, one layer).
    pub fn layer_status(&self, offset: u64, max: u64) -> (Status, u64) {
        let layer = &self.layers[0];
        let size = layer.size();
        let max = max.min(size.saturating_sub(offset));
        match layer.qcow2() {
            Some(q) => {
                let cs = q.cluster_size();
                let cluster = offset / cs;
                let entry = q.l2.get(cluster);
                let in_cluster = offset % cs;
                let host = |o: u64| o + in_cluster;
                let mut run = (cs - in_cluster).min(max);
                // Extend over following clusters of the same kind (contiguous on the host).
                if entry.is_none() {
                    // Unallocated up to the next entry.
                    let next = q.l2.next_from(cluster + 1).map_or(u64::MAX, |(k, _)| k);
                    run = (next.saturating_sub(cluster).saturating_mul(cs) - in_cluster).min(max);
                } else {
                    for (next, (k, e)) in (cluster + 1..).zip(q.l2.range(cluster + 1, u64::MAX)) {
                        if run >= max || k != next {
                            break;
                        }
                        let same = match (entry, e) {
                            (Some(L2Entry::ZeroPlain), L2Entry::ZeroPlain) => true,
                            (Some(L2Entry::Normal(a)), L2Entry::Normal(b))
                            | (Some(L2Entry::ZeroAlloc(a)), L2Entry::ZeroAlloc(b)) => b == a + (next - cluster) * cs,
                            _ => false,
                        };
                        if !same {
                            break;
                        }
                        run = (run + cs).min(max);
                    }
                }
                let mut status = match entry {
                    None => Status { data: false, zero: false, allocated: false, compressed: false, offset: None },
                    Some(L2Entry::ZeroPlain) => {
                        Status { data: false, zero: true, allocated: true, compressed: false, offset: None }
                    }
                    Some(L2Entry::ZeroAlloc(o)) => {
                        Status { data: false, zero: true, allocated: true, compressed: false, offset: Some(host(o)) }
                    }
                    Some(L2Entry::Normal(o)) => {
                        Status { data: true, zero: false, allocated: true, compressed: false, offset: Some(host(o)) }
                    }
                    Some(L2Entry::Compressed { .. }) => {
                        Status { data: true, zero: false, allocated: true, compressed: true, offset: None }
                    }
                };
                if let (Some(L2Entry::Normal(_)), true, Some(host_offset)) =
                    (entry, layer.metadata_prealloc, status.offset)
                {
                    // Ask the file which parts are holes.
                    let (is_data, file_run) = hostfile::seek_data(&layer.file, host_offset);
                    if host_offset >= layer.file.len || !is_data {
                        status.zero = true;
                    }
                    if file_run > 0 && host_offset < layer.file.len {
                        run = run.min(file_run);
                    }
                }
                if !status.allocated {
                    match self.below() {
                        None => status.zero = true,
                        Some(below) => {
                            if offset >= below.layers[0].size() {
                                status.zero = true;
                            }
                        }
                    }
                }
                (status, run)
            }
            None => {
                // raw: the file's holes and data (file-posix with SEEK_DATA/SEEK_HOLE).
                let (is_data, file_run) = hostfile::seek_data(&layer.file, offset);
                let run = if file_run == 0 { max } else { file_run.min(max) };
                (
                    Status { data: is_data, zero: !is_data, allocated: true, compressed: false, offset: Some(offset) },
                    run,
                )
            }
        }
    }

    /// `qemu-img map`'s `get_block_status`: the first layer (top down) that has the range.
    pub fn map_status(&self, offset: u64, max: u64) -> MapEntry {
        let mut chain = *self;
        let mut depth = 0;
        let mut bytes = max;
        loop {
            let (status, run) = chain.layer_status(offset, bytes);
            bytes = run.max(1).min(bytes);
            let layer = &chain.layers[0];
            let go_down = !(status.data || status.zero);
            match chain.below() {
                Some(below) if go_down => {
                    // The backing layer may be shorter.
                    let backing_size = below.layers[0].size();
                    bytes = bytes.min(backing_size.saturating_sub(offset)).max(1);
                    chain = below;
                    depth += 1;
                }
                _ => {
                    return MapEntry {
                        start: offset,
                        length: bytes,
                        depth,
                        present: status.allocated,
                        zero: status.zero,
                        data: status.data,
                        compressed: status.compressed,
                        offset: status.offset,
                        filename: layer.name.clone(),
                    };
                }
            }
        }
    }

    /// Every extent of `qemu-img map`, merged as QEMU merges them.
    pub fn map(&self) -> Vec<MapEntry> {
        let length = self.layers[0].size();
        let mut out: Vec<MapEntry> = Vec::new();
        let mut pos = 0;
        while pos < length {
            let entry = self.map_status(pos, length - pos);
            pos += entry.length;
            if let Some(last) = out.last_mut()
                && last.depth == entry.depth
                && last.present == entry.present
                && last.zero == entry.zero
                && last.data == entry.data
                && last.compressed == entry.compressed
                && last.filename == entry.filename
                && last.offset.is_some() == entry.offset.is_some()
                && last.offset.is_none_or(|o| Some(o + last.length) == entry.offset)
            {
                last.length += entry.length;
                continue;
            }
            out.push(entry);
        }
        out
    }

    /// Whether `[offset, offset + len)` reads as zeros by block status.
    pub fn is_zero(&self, offset: u64, len: u64) -> bool {
        let mut pos = offset;
        let end = offset + len;
        while pos < end {
            let size = self.layers[0].size();
            if pos >= size {
                return true;
            }
            let (status, run) = self.layer_status(pos, end - pos);
            let run = run.max(1);
            if status.zero {
                // ok
            } else if status.data {
                return false;
            } else {
                if let Some(below) = self.below()
                    && !below.is_zero(pos, run)
                {
                    return false;
                }
            }
            pos += run;
        }
        true
    }

    /// Copies the guest data of `[offset, offset + len)` into `out` at `out_offset`.
    pub fn read(&self, offset: u64, len: u64, out: &mut Contents, out_offset: u64) {
        let layer = &self.layers[0];
        let size = layer.size();
        let len_inside = len.min(size.saturating_sub(offset));
        out.clear(out_offset, out_offset + len);
        if len_inside == 0 {
            return;
        }
        match layer.qcow2() {
            Some(q) => q.read_guest(&layer.file, self.below().as_ref(), offset, len_inside, out, out_offset),
            None => out.copy_range(&layer.file.contents, offset, len_inside, out_offset),
        }
    }
}

/// Why an image could not be opened; `message` follows QEMU's wording after
/// `Could not open 'NAME': `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenError {
    pub message: String,
}

/// The directory part of a path, for joining a relative backing file name (`path_combine`).
pub fn path_combine(base: &str, name: &str) -> String {
    if name.starts_with('/') {
        return name.to_owned();
    }
    match base.rfind('/') {
        Some(i) => format!("{}/{name}", &base[..i]),
        None => name.to_owned(),
    }
}

/// Opens `path` and its backing chain. `format` is `-f` (or `None` to probe). Each layer is
/// cloned out of the file system (files are shared, so this is cheap).
pub fn open(fs: &Vfs, cwd: Ino, path: &str, format: Option<Format>) -> Result<Vec<Layer>, OpenError> {
    let mut layers = Vec::new();
    let mut name = path.to_owned();
    let mut fmt = format;
    loop {
        let ino = fs.resolve(cwd, &name, true).map_err(|e| OpenError { message: open_errno(&name, e) })?;
        let file = match fs.node(ino).map(|n| &n.kind) {
            Some(NodeKind::File(f)) => Arc::clone(f),
            Some(NodeKind::Dir(_)) => {
                return Err(OpenError { message: format!("Could not open '{name}': Is a directory") });
            }
            _ => return Err(OpenError { message: format!("Could not open '{name}': Invalid argument") }),
        };
        let probed = if file.qcow2.is_some() { Format::Qcow2 } else { Format::Raw };
        let format = fmt.unwrap_or(probed);
        if format == Format::Qcow2 && file.qcow2.is_none() {
            return Err(OpenError { message: "Image is not in qcow2 format".to_string() });
        }
        let metadata_prealloc = match (&format, file.qcow2.as_deref()) {
            (Format::Qcow2, Some(q)) => q.looks_metadata_preallocated(&file),
            _ => false,
        };
        let backing = match (&format, file.qcow2.as_deref()) {
            (Format::Qcow2, Some(q)) => q.backing_file.clone().map(|b| (b, q.backing_format.clone())),
            _ => None,
        };
        layers.push(Layer { name: name.clone(), ino, format, file, metadata_prealloc });
        let Some((backing, backing_format)) = backing else { break };
        if layers.len() > 16 {
            return Err(OpenError { message: "Backing chain too long".into() });
        }
        let next = path_combine(&name, &backing);
        if fs.resolve(cwd, &next, true).is_err() {
            return Err(OpenError {
                message: format!("Could not open backing file: Could not open '{next}': No such file or directory"),
            });
        }
        name = next;
        fmt = backing_format.as_deref().and_then(Format::parse);
    }
    Ok(layers)
}

fn open_errno(name: &str, e: FsError) -> String {
    format!("Could not open '{name}': {e}")
}
