//! A display model of disk images for the Disk images screen: what every guest cluster reads
//! from, and what every cluster of the image file holds — built once per change of the world,
//! as runs, so that drawing costs the same for a 1 MiB and a 16 TiB image.

use std::collections::BTreeMap;

use super::chain::{self, Chain, Format};
use super::qcow2::L2Entry;
use crate::sim::vfs::{BlockState, NodeKind, ROOT, RegularFile};
use crate::sim::world::World;

/// What a guest cluster reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GuestKind {
    /// Not allocated: reads as zeros.
    Unallocated,
    /// Not allocated in this image: read from the backing file.
    Backing,
    /// Reads as zeros by a zero flag (qcow2) or an unwritten/punched range (raw).
    Zero,
    /// Data stored in this image.
    Data,
    /// Compressed data (qcow2).
    Compressed,
}

/// What a cluster of the image file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HostKind {
    /// A hole in the file (no blocks allocated).
    Hole,
    /// Allocated but never written (`fallocate`): reads zeros, costs disk space.
    Unwritten,
    Header,
    RefcountTable,
    RefcountBlock,
    L1,
    L2,
    SnapshotTable,
    /// Guest data.
    Data,
}

/// A run of clusters of one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run<K> {
    pub start: u64,
    pub len: u64,
    pub kind: K,
}

/// One image as the screen draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageView {
    pub path: String,
    pub format: Format,
    pub virtual_size: u64,
    /// `ls -l`.
    pub file_len: u64,
    /// `du` in bytes.
    pub allocated: u64,
    /// The cell unit: the qcow2 cluster size, or 64 KiB for raw images.
    pub cluster_size: u64,
    pub backing: Option<String>,
    pub guest: Vec<Run<GuestKind>>,
    pub host: Vec<Run<HostKind>>,
    /// Guest cluster → host offset, for data and zero-allocated clusters (qcow2).
    mapping: BTreeMap<u64, u64>,
    /// Host cluster → guest cluster (inverse of `mapping`).
    inverse: BTreeMap<u64, u64>,
    /// `guest` and `host` summarised to at most [`CELLS`] cells (drawing costs the same for
    /// any image size).
    pub guest_cells: Vec<GuestKind>,
    pub host_cells: Vec<HostKind>,
}

/// The most cells a cluster map keeps; a strip of up to this many pixels shows every one.
pub const CELLS: u64 = 2048;

/// The cell size for raw images.
const RAW_UNIT: u64 = 65536;

fn push<K: PartialEq + Copy>(runs: &mut Vec<Run<K>>, start: u64, len: u64, kind: K) {
    if len == 0 {
        return;
    }
    if let Some(last) = runs.last_mut()
        && last.kind == kind
        && last.start + last.len == start
    {
        last.len += len;
        return;
    }
    runs.push(Run { start, len, kind });
}

impl ImageView {
    /// The host offset a guest cluster is stored at (qcow2), or the same offset (raw).
    pub fn host_of(&self, guest_cluster: u64) -> Option<u64> {
        match self.format {
            Format::Raw => Some(guest_cluster * self.cluster_size),
            Format::Qcow2 => self.mapping.get(&guest_cluster).copied(),
        }
    }

    /// The guest offset stored in a host cluster.
    pub fn guest_of(&self, host_cluster: u64) -> Option<u64> {
        match self.format {
            Format::Raw => Some(host_cluster * self.cluster_size),
            Format::Qcow2 => self.inverse.get(&host_cluster).map(|g| g * self.cluster_size),
        }
    }

    /// The number of guest clusters and of host clusters.
    pub fn guest_clusters(&self) -> u64 {
        self.virtual_size.div_ceil(self.cluster_size)
    }

    pub fn host_clusters(&self) -> u64 {
        self.file_len.div_ceil(self.cluster_size)
    }

    /// The kind of a guest cluster.
    pub fn guest_kind(&self, cluster: u64) -> GuestKind {
        kind_at(&self.guest, cluster).unwrap_or(GuestKind::Unallocated)
    }

    /// The kind of a host cluster.
    pub fn host_kind(&self, cluster: u64) -> HostKind {
        kind_at(&self.host, cluster).unwrap_or(HostKind::Hole)
    }
}

fn kind_at<K: Copy>(runs: &[Run<K>], cluster: u64) -> Option<K> {
    let i = runs.partition_point(|r| r.start + r.len <= cluster);
    runs.get(i).filter(|r| r.start <= cluster).map(|r| r.kind)
}

/// Buckets runs into `cells` cells over `total` clusters; each cell shows the most notable kind
/// in it (the largest by `Ord`, so data wins over holes).
pub fn bucket<K: Copy + Ord>(runs: &[Run<K>], total: u64, cells: usize, empty: K) -> Vec<K> {
    let mut out = vec![empty; cells];
    if total == 0 || cells == 0 {
        return out;
    }
    let cells_u = cells as u128;
    let total_u = u128::from(total);
    for run in runs {
        if run.kind <= empty {
            continue;
        }
        let first = ((u128::from(run.start) * cells_u / total_u) as usize).min(cells - 1);
        let last = ((u128::from(run.start + run.len) * cells_u).div_ceil(total_u) as usize).clamp(first + 1, cells);
        for cell in &mut out[first..last] {
            if run.kind > *cell {
                *cell = run.kind;
            }
        }
    }
    out
}

/// The view of the image at `path` on the current machine, or `None` if it is not a file.
pub fn image_view(world: &World, path: &str) -> Option<ImageView> {
    let mut view = image_view_runs(world, path)?;
    view.guest_cells = bucket(
        &view.guest,
        view.guest_clusters(),
        view.guest_clusters().clamp(1, CELLS) as usize,
        GuestKind::Unallocated,
    );
    view.host_cells =
        bucket(&view.host, view.host_clusters(), view.host_clusters().clamp(1, CELLS) as usize, HostKind::Hole);
    Some(view)
}

fn image_view_runs(world: &World, path: &str) -> Option<ImageView> {
    let fs = &world.machine().fs;
    let layers = chain::open(fs, ROOT, path, None).ok()?;
    let top = &layers[0];
    let file = &top.file;
    Some(match (top.format, file.qcow2.as_deref()) {
        (Format::Qcow2, Some(q)) => {
            let cs = q.cluster_size();
            let has_backing = layers.len() > 1;
            let mut guest = Vec::new();
            let mut mapping = BTreeMap::new();
            let mut pos = 0;
            for (cluster, entry) in &q.l2 {
                if cluster >= q.total_clusters() {
                    break;
                }
                push(
                    &mut guest,
                    pos,
                    cluster - pos,
                    if has_backing { GuestKind::Backing } else { GuestKind::Unallocated },
                );
                let kind = match entry {
                    L2Entry::Normal(_) => GuestKind::Data,
                    L2Entry::ZeroPlain | L2Entry::ZeroAlloc(_) => GuestKind::Zero,
                    L2Entry::Compressed { .. } => GuestKind::Compressed,
                };
                push(&mut guest, cluster, 1, kind);
                if let Some(host) = entry.host() {
                    mapping.insert(cluster, host / cs);
                }
                pos = cluster + 1;
            }
            push(
                &mut guest,
                pos,
                q.total_clusters().saturating_sub(pos),
                if has_backing { GuestKind::Backing } else { GuestKind::Unallocated },
            );
            let inverse: BTreeMap<u64, u64> = mapping.iter().map(|(&g, &h)| (h, g)).collect();
            let mapping = mapping.into_iter().map(|(g, h)| (g, h * cs)).collect();
            ImageView {
                path: path.to_owned(),
                format: Format::Qcow2,
                virtual_size: q.size,
                file_len: file.len,
                allocated: file.stat_blocks() * 512,
                cluster_size: cs,
                backing: q.backing_file.clone(),
                guest,
                host: host_runs_qcow2(q, file, &inverse),
                mapping,
                inverse,
                guest_cells: Vec::new(),
                host_cells: Vec::new(),
            }
        }
        _ => {
            let runs = raw_runs(file);
            ImageView {
                path: path.to_owned(),
                format: Format::Raw,
                virtual_size: file.len,
                file_len: file.len,
                allocated: file.stat_blocks() * 512,
                cluster_size: RAW_UNIT,
                backing: None,
                guest: runs
                    .iter()
                    .map(|r| Run {
                        start: r.start,
                        len: r.len,
                        kind: match r.kind {
                            HostKind::Data => GuestKind::Data,
                            HostKind::Unwritten => GuestKind::Zero,
                            _ => GuestKind::Unallocated,
                        },
                    })
                    .collect(),
                host: runs,
                mapping: BTreeMap::new(),
                inverse: BTreeMap::new(),
                guest_cells: Vec::new(),
                host_cells: Vec::new(),
            }
        }
    })
}

/// A raw file in 64 KiB cells: written, unwritten or holes.
fn raw_runs(file: &RegularFile) -> Vec<Run<HostKind>> {
    let mut runs = Vec::new();
    let mut pos = 0;
    for (start, end, state) in file.blocks.ranges() {
        let s = start / RAW_UNIT;
        let e = end.div_ceil(RAW_UNIT).max(s + 1);
        if s > pos {
            push(&mut runs, pos, s - pos, HostKind::Hole);
        }
        let kind = if state == BlockState::Written { HostKind::Data } else { HostKind::Unwritten };
        let from = s.max(pos);
        if e > from {
            push(&mut runs, from, e - from, kind);
        }
        pos = pos.max(e);
    }
    let total = file.len.div_ceil(RAW_UNIT);
    if total > pos {
        push(&mut runs, pos, total - pos, HostKind::Hole);
    }
    runs
}

/// The clusters of a qcow2 file: what metadata or data each one holds.
fn host_runs_qcow2(q: &super::qcow2::Qcow2, file: &RegularFile, inverse: &BTreeMap<u64, u64>) -> Vec<Run<HostKind>> {
    let cs = q.cluster_size();
    let total = file.len.div_ceil(cs);
    let mut kinds: BTreeMap<u64, HostKind> = BTreeMap::new();
    kinds.insert(0, HostKind::Header);
    let table_clusters = (q.reftable.len() as u64 * 8).div_ceil(cs);
    for i in 0..table_clusters {
        kinds.insert(q.refcount_table_offset / cs + i, HostKind::RefcountTable);
    }
    for &block in q.reftable.iter().filter(|&&b| b != 0) {
        kinds.insert(block / cs, HostKind::RefcountBlock);
    }
    let l1_clusters = (q.l1.len() as u64 * 8).div_ceil(cs);
    for i in 0..l1_clusters {
        kinds.insert(q.l1_table_offset / cs + i, HostKind::L1);
    }
    for &l2 in q.l1.iter().filter(|&&o| o != 0) {
        kinds.insert(l2 / cs, HostKind::L2);
    }
    if q.snapshots_size > 0 {
        for i in 0..q.snapshots_size.div_ceil(cs) {
            kinds.insert(q.snapshots_offset / cs + i, HostKind::SnapshotTable);
        }
    }
    for &host in inverse.keys() {
        kinds.entry(host).or_insert(HostKind::Data);
    }
    for s in &q.snapshots {
        for i in 0..(s.l1.len() as u64 * 8).div_ceil(cs) {
            kinds.insert(s.l1_table_offset / cs + i, HostKind::L1);
        }
    }
    let mut runs = Vec::new();
    let mut pos = 0;
    for (&cluster, &kind) in kinds.range(..total.max(1)) {
        if cluster > pos {
            push(&mut runs, pos, cluster - pos, HostKind::Hole);
        }
        push(&mut runs, cluster, 1, kind);
        pos = cluster + 1;
    }
    if total > pos {
        push(&mut runs, pos, total - pos, HostKind::Hole);
    }
    runs
}

/// The disk image files (raw or qcow2, by content) directly in `dir`, sorted by name.
pub fn images_in(world: &World, dir: &str) -> Vec<String> {
    let fs = &world.machine().fs;
    let Ok(ino) = fs.resolve(ROOT, dir, true) else { return Vec::new() };
    let Ok(entries) = fs.entries(ino) else { return Vec::new() };
    let base = dir.trim_end_matches('/');
    entries
        .iter()
        .filter(|&(name, &i)| {
            matches!(fs.node(i).map(|n| &n.kind), Some(NodeKind::File(f)) if f.qcow2.is_some() || name.ends_with(".img") || name.ends_with(".raw") || name.ends_with(".qcow2") || name.ends_with(".iso"))
        })
        .map(|(name, _)| format!("{base}/{name}"))
        .collect()
}

/// The guest-side status of a guest cluster through the whole chain (for hover texts).
pub fn chain_status(world: &World, path: &str, guest_offset: u64) -> Option<(usize, bool, bool)> {
    let layers = chain::open(&world.machine().fs, ROOT, path, None).ok()?;
    let e = Chain { layers: &layers }.map_status(guest_offset, 1);
    Some((e.depth, e.data, e.zero))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_of_qcow2_and_raw_images() {
        let mut w = World::new(1);
        let out = w.run("qemu-img create -f qcow2 d.qcow2 1G >/dev/null; qemu-io -c 'write 1M 64k' -c 'write -z 3M 64k' d.qcow2 >/dev/null; qemu-img create -f raw r.img 1M >/dev/null");
        assert_eq!(out.status, 0, "{out:?}");
        let v = image_view(&w, "/root/d.qcow2").expect("view");
        assert_eq!(v.cluster_size, 65536);
        assert_eq!(v.guest_kind(16), GuestKind::Data);
        assert_eq!(v.guest_kind(48), GuestKind::Zero);
        assert_eq!(v.guest_kind(0), GuestKind::Unallocated);
        assert_eq!(v.host_of(16), Some(327680));
        assert_eq!(v.guest_of(5), Some(1 << 20));
        assert_eq!(v.host_kind(0), HostKind::Header);
        assert_eq!(v.host_kind(1), HostKind::RefcountTable);
        assert_eq!(v.host_kind(2), HostKind::RefcountBlock);
        assert_eq!(v.host_kind(3), HostKind::L1);
        assert_eq!(v.host_kind(4), HostKind::L2);
        assert_eq!(v.host_kind(5), HostKind::Data);
        let r = image_view(&w, "/root/r.img").expect("raw view");
        assert_eq!(r.format, Format::Raw);
        assert_eq!(r.guest_kind(0), GuestKind::Data, "the first block is written at creation");
        assert_eq!(r.guest_kind(1), GuestKind::Unallocated);
        assert_eq!(images_in(&w, "/root"), vec!["/root/d.qcow2".to_owned(), "/root/r.img".to_owned()]);
    }

    #[test]
    fn buckets_keep_the_most_notable_kind() {
        let runs = vec![
            Run { start: 0, len: 100, kind: GuestKind::Unallocated },
            Run { start: 100, len: 1, kind: GuestKind::Data },
            Run { start: 101, len: 99, kind: GuestKind::Unallocated },
        ];
        let cells = bucket(&runs, 200, 4, GuestKind::Unallocated);
        assert_eq!(
            cells,
            vec![GuestKind::Unallocated, GuestKind::Unallocated, GuestKind::Data, GuestKind::Unallocated]
        );
    }
}
