//! The qcow2 format as QEMU 10.0 lays it out: header, L1/L2 tables, refcount table and blocks
//! with 16-bit refcounts, and data clusters, allocated in the same order as QEMU's qcow2
//! driver allocates them (so offsets, file lengths and `qemu-img check` figures match).
//!
//! The image structure lives beside the file (`RegularFile::qcow2`); guest data is kept as
//! bytes of the file at the host offsets of its clusters.

use std::collections::BTreeMap;

use super::chain::Chain;
use super::hostfile;
use super::l2map::L2Map;
use crate::sim::vfs::{Contents, RegularFile};

/// What an L2 entry says about a guest cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum L2Entry {
    /// Data at this host offset.
    Normal(u64),
    /// Reads as zeros, no host cluster (zero flag, v3 images).
    ZeroPlain,
    /// Reads as zeros, host cluster kept allocated (zero flag with an offset).
    ZeroAlloc(u64),
    /// Compressed data at this host byte offset, `sectors` 512-byte sectors long.
    Compressed { offset: u64, sectors: u32 },
}

impl L2Entry {
    /// The host cluster the entry references (not for compressed clusters).
    pub fn host(self) -> Option<u64> {
        match self {
            Self::Normal(o) | Self::ZeroAlloc(o) => Some(o),
            Self::ZeroPlain | Self::Compressed { .. } => None,
        }
    }
}

/// An internal snapshot: its own L1 table and the VM state it was taken with.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub id: u32,
    pub name: String,
    /// Seconds since the epoch.
    pub date: i64,
    pub vm_clock_nsec: u64,
    pub vm_state_size: u64,
    pub l1_table_offset: u64,
    pub l1: Vec<u64>,
    /// The L2 entries as they were when the snapshot was taken.
    pub l2: L2Map,
    pub size: u64,
}

/// The structure of a qcow2 image.
#[derive(Clone, Debug, PartialEq)]
pub struct Qcow2 {
    /// 2 (`compat=0.10`) or 3 (`compat=1.1`, the default).
    pub version: u32,
    pub cluster_bits: u32,
    /// The virtual size in bytes.
    pub size: u64,
    pub lazy_refcounts: bool,
    pub backing_file: Option<String>,
    pub backing_format: Option<String>,
    pub l1_table_offset: u64,
    /// The host offset of each L2 table (0: none).
    pub l1: Vec<u64>,
    /// Guest cluster index → entry; absent means unallocated.
    pub l2: L2Map,
    pub refcount_table_offset: u64,
    /// The host offset of each refcount block (0: none); the table's length in entries.
    pub reftable: Vec<u64>,
    /// Host cluster index → refcount.
    pub refcounts: Vec<u16>,
    /// How many host clusters have a refcount above one (shared with a snapshot): while none
    /// do, every cluster an L1 or L2 entry references is known to be the image's alone.
    pub shared_clusters: u64,
    pub snapshots: Vec<Snapshot>,
    /// The guest bytes of compressed clusters, by host byte offset.
    pub compressed: BTreeMap<u64, Contents>,
    /// The dirty flag (set while an image with lazy refcounts is open for writing).
    pub dirty: bool,
    /// Where the next cluster search starts (QEMU keeps this while the image is open; it is
    /// 0 after every open).
    pub free_cluster_index: u64,
    /// Every cluster below this has a refcount above zero: a cluster search from
    /// `free_cluster_index` can start here instead (it would step over all of them), which
    /// keeps the search QEMU's without walking the whole image after every open.
    pub used_prefix: UsedPrefix,
    /// The next byte for a compressed cluster (QEMU's `free_byte_offset`).
    pub free_byte_offset: u64,
    /// Where the snapshot table is, and its size in bytes.
    pub snapshots_offset: u64,
    pub snapshots_size: u64,
    /// Freed host ranges waiting to be punched out of the file, merged when adjacent (QEMU
    /// queues them during a discard so that small clusters still free whole blocks).
    pub pending_discards: Vec<(u64, u64)>,
    pub cache_discards: bool,
}

/// A lower bound of the first cluster with refcount zero: a cache, not part of the image, so
/// two images that differ only in it are equal.
#[derive(Clone, Copy, Debug, Default)]
pub struct UsedPrefix(pub u64);

impl PartialEq for UsedPrefix {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// `qcow2_alloc_clusters` was interrupted because a new refcount block was placed; the caller
/// searches for space again (QEMU's `-EAGAIN`).
#[derive(Debug)]
pub(super) struct Again;

/// The largest number of bytes in one request (`BDRV_REQUEST_MAX_BYTES`).
const REQUEST_MAX_BYTES: u64 = i32::MAX as u64 & !511;

impl Qcow2 {
    pub fn cluster_size(&self) -> u64 {
        1 << self.cluster_bits
    }

    /// Entries per L2 table.
    pub fn l2_entries(&self) -> u64 {
        self.cluster_size() / 8
    }

    /// Refcounts per refcount block (16-bit refcounts).
    fn refblock_entries(&self) -> u64 {
        self.cluster_size() / 2
    }

    fn offset_into_cluster(&self, offset: u64) -> u64 {
        offset & (self.cluster_size() - 1)
    }

    fn start_of_cluster(&self, offset: u64) -> u64 {
        offset & !(self.cluster_size() - 1)
    }

    fn size_to_clusters(&self, size: u64) -> u64 {
        size.div_ceil(self.cluster_size())
    }

    /// The number of guest clusters (`total-clusters` of `qemu-img check`).
    pub fn total_clusters(&self) -> u64 {
        self.size_to_clusters(self.size)
    }

    /// The L1 size needed for `size` bytes.
    pub fn l1_size_for(cluster_bits: u32, size: u64) -> u64 {
        let l2_coverage = (1u64 << cluster_bits) / 8 * (1u64 << cluster_bits);
        size.div_ceil(l2_coverage)
    }

    // ----- refcounts -----------------------------------------------------------------------

    /// The refcount of a host cluster (0 where no refcount block exists).
    pub fn refcount(&self, cluster: u64) -> u64 {
        let table_index = cluster / self.refblock_entries();
        match self.reftable.get(table_index as usize) {
            Some(&block) if block != 0 => self.refcounts.get(cluster as usize).copied().map_or(0, u64::from),
            _ => 0,
        }
    }

    pub(super) fn set_refcount(&mut self, cluster: u64, value: u64) {
        let index = cluster as usize;
        if self.refcounts.len() <= index {
            self.refcounts.resize(index + 1, 0);
        }
        let old = std::mem::replace(&mut self.refcounts[index], u16::try_from(value).unwrap_or(u16::MAX));
        if value == 0 && cluster < self.used_prefix.0 {
            self.used_prefix.0 = cluster;
        }
        match (old > 1, value > 1) {
            (false, true) => self.shared_clusters += 1,
            (true, false) => self.shared_clusters -= 1,
            _ => {}
        }
    }

    /// Whether a cluster that an L1 or L2 entry references has a refcount of exactly one (QEMU
    /// reads this from the entry's "copied" flag). Without shared clusters the answer is known
    /// without looking the refcount up.
    fn exclusive(&self, cluster: u64) -> bool {
        if self.shared_clusters == 0 {
            debug_assert_eq!(self.refcount(cluster), 1, "a referenced cluster without a refcount");
            return true;
        }
        self.refcount(cluster) == 1
    }

    /// `update_refcount`: adds or subtracts one for every cluster of `[offset, offset+length)`.
    /// Freed clusters move `free_cluster_index` back and, with `discard`, are punched out of
    /// the file.
    pub(super) fn update_refcount(
        &mut self,
        f: &mut RegularFile,
        offset: u64,
        length: u64,
        decrease: bool,
        discard: bool,
    ) -> Result<(), Again> {
        if length == 0 {
            return Ok(());
        }
        let cs = self.cluster_size();
        let start = self.start_of_cluster(offset);
        let last = self.start_of_cluster(offset + length - 1);
        let mut old_table_index = u64::MAX;
        let mut cluster_offset = start;
        let mut discards: Vec<(u64, u64)> = Vec::new();
        let mut result = Ok(());
        while cluster_offset <= last {
            let cluster_index = cluster_offset / cs;
            let table_index = cluster_index / self.refblock_entries();
            if table_index != old_table_index
                && let Err(again) = self.alloc_refcount_block(f, cluster_index)
            {
                result = Err(again);
                break;
            }
            old_table_index = table_index;
            let refcount = self.refcount(cluster_index);
            let new = if decrease { refcount.saturating_sub(1) } else { refcount + 1 };
            if new == 0 && cluster_index < self.free_cluster_index {
                self.free_cluster_index = cluster_index;
            }
            self.set_refcount(cluster_index, new);
            if new == 0 && discard {
                match discards.last_mut() {
                    Some((s, l)) if *s + *l == cluster_offset => *l += cs,
                    _ => discards.push((cluster_offset, cs)),
                }
            }
            cluster_offset += cs;
        }
        for (offset, len) in discards {
            self.queue_discard(offset, len);
        }
        if !self.cache_discards {
            self.process_discards(f);
        }
        if result.is_err() && cluster_offset > offset {
            // Undo what was done before the interruption (as QEMU does).
            let done = cluster_offset - offset;
            let _ = self.update_refcount(f, offset, done, !decrease, false);
        }
        result
    }

    /// `update_refcount_discard`: adds a range to the queue, merging it with adjacent ones.
    fn queue_discard(&mut self, offset: u64, len: u64) {
        let mut start = offset;
        let mut end = offset + len;
        self.pending_discards.retain(|&(o, l)| {
            if o + l == start || end == o {
                start = start.min(o);
                end = end.max(o + l);
                false
            } else {
                true
            }
        });
        self.pending_discards.push((start, end - start));
    }

    /// `qcow2_process_discards`: punches the queued ranges.
    pub(super) fn process_discards(&mut self, f: &mut RegularFile) {
        for (offset, len) in std::mem::take(&mut self.pending_discards) {
            hostfile::punch(f, offset, len);
        }
    }

    /// `alloc_refcount_block`: makes sure the refcount block for `cluster_index` exists;
    /// creating one (and maybe a bigger refcount table) interrupts the caller with `Again`.
    fn alloc_refcount_block(&mut self, f: &mut RegularFile, cluster_index: u64) -> Result<(), Again> {
        let cs = self.cluster_size();
        let table_index = cluster_index / self.refblock_entries();
        if let Some(&block) = self.reftable.get(table_index as usize)
            && block != 0
        {
            return Ok(());
        }
        let new_block = self.alloc_clusters_noref(cs);
        let new_block_index = new_block / cs;
        if new_block_index / self.refblock_entries() == table_index {
            // The block describes itself.
            self.set_refcount(new_block_index, 1);
        } else {
            // Described by another block; this recurses at most twice.
            while self.update_refcount(f, new_block, cs, false, false).is_err() {}
        }
        hostfile::meta_write(f, new_block, cs);
        if (table_index as usize) < self.reftable.len() {
            self.reftable[table_index as usize] = new_block;
            if self.refcount(new_block_index) == 0 && new_block_index / self.refblock_entries() == table_index {
                self.set_refcount(new_block_index, 1);
            }
            return Err(Again);
        }
        // The refcount table must grow: new self-describing structures at the end.
        let blocks_used = (cluster_index + 1).max(new_block_index + 1).div_ceil(self.refblock_entries());
        let meta_offset = blocks_used * self.refblock_entries() * cs;
        self.refcount_area(f, meta_offset, 0, false, Some((table_index, new_block)));
        Err(Again)
    }

    /// `qcow2_refcount_metadata_size`: refcount blocks needed for `clusters` clusters, found
    /// as a fixed point (refcount structures count themselves).
    fn refcount_blocks_needed(&self, clusters: u64, generous: bool) -> u64 {
        let per_table_cluster = self.cluster_size() / 8;
        let per_block = self.refblock_entries();
        let mut clusters = clusters;
        let mut generous = generous;
        let (mut table, mut blocks, mut n) = (0u64, 0u64, 0u64);
        loop {
            let last = n;
            blocks = (clusters + table + blocks).div_ceil(per_block);
            table = blocks.div_ceil(per_table_cluster);
            n = clusters + blocks + table;
            if n == last && generous {
                clusters += table.div_ceil(2);
                n = 0;
                generous = false;
                continue;
            }
            if n == last {
                return blocks;
            }
        }
    }

    /// `qcow2_refcount_area`: a new refcount table (and missing refcount blocks) at
    /// `start_offset`, covering themselves and `additional_clusters` beyond. Returns the offset
    /// after the new structures.
    fn refcount_area(
        &mut self,
        f: &mut RegularFile,
        start_offset: u64,
        additional_clusters: u64,
        exact: bool,
        new_refblock: Option<(u64, u64)>,
    ) -> u64 {
        let cs = self.cluster_size();
        let total_refblocks = self.refcount_blocks_needed(start_offset / cs + additional_clusters, !exact);
        let area_index = (start_offset / cs) / self.refblock_entries();
        let mut table_size = if exact { total_refblocks } else { total_refblocks + total_refblocks.div_ceil(2) };
        let per_cluster = cs / 8;
        table_size = table_size.div_ceil(per_cluster) * per_cluster;
        let table_clusters = table_size * 8 / cs;

        let mut new_table = self.reftable.clone();
        new_table.resize(table_size.max(new_table.len() as u64) as usize, 0);
        new_table.truncate(table_size as usize);
        if let Some((index, offset)) = new_refblock {
            new_table[index as usize] = offset;
        }
        let additional_refblocks = (area_index..total_refblocks).filter(|&i| new_table[i as usize] == 0).count() as u64;
        let table_offset = start_offset + additional_refblocks * cs;
        let end_offset = table_offset + table_clusters * cs;

        let mut block_offset = start_offset;
        for i in area_index..total_refblocks {
            if new_table[i as usize] == 0 {
                new_table[i as usize] = block_offset;
                hostfile::meta_write(f, block_offset, cs);
                block_offset += cs;
            }
            let first_covered = i * self.refblock_entries() * cs;
            if first_covered < end_offset {
                let from = if first_covered < start_offset { (start_offset - first_covered) / cs } else { 0 };
                let to = ((end_offset - first_covered) / cs).min(self.refblock_entries());
                for j in from..to {
                    self.set_refcount(i * self.refblock_entries() + j, 1);
                }
            }
        }
        hostfile::meta_write(f, table_offset, table_size * 8);
        let old_offset = self.refcount_table_offset;
        let old_size = self.reftable.len() as u64;
        self.reftable = new_table;
        self.used_prefix = UsedPrefix(0);
        self.refcount_table_offset = table_offset;
        while self.update_refcount(f, old_offset, old_size * 8, true, false).is_err() {}
        end_offset
    }

    /// `alloc_clusters_noref`: the first run of `size` bytes of free clusters at or after
    /// `free_cluster_index`.
    pub(super) fn alloc_clusters_noref(&mut self, size: u64) -> u64 {
        let n = self.size_to_clusters(size);
        // The clusters below `used_prefix` are all in use: QEMU's loop would step over each.
        #[cfg(debug_assertions)]
        let plain = self.plain_search(self.free_cluster_index, n);
        let from_prefix = self.free_cluster_index <= self.used_prefix.0;
        self.free_cluster_index = self.free_cluster_index.max(self.used_prefix.0);
        // The first free cluster the search meets (a run of `n` may begin after it).
        let mut first_free = None;
        'retry: loop {
            for _ in 0..n {
                let index = self.free_cluster_index;
                self.free_cluster_index += 1;
                if self.refcount(index) != 0 {
                    continue 'retry;
                }
                first_free.get_or_insert(index);
            }
            let first = self.free_cluster_index - n;
            if from_prefix {
                // Everything from the old bound up to the first free cluster is in use.
                self.used_prefix.0 = first_free.unwrap_or(first);
            }
            #[cfg(debug_assertions)]
            debug_assert_eq!((first, self.free_cluster_index), plain, "the shortcut changed the search");
            return first << self.cluster_bits;
        }
    }

    /// QEMU's search without the shortcut: (first cluster of the run, the next search start).
    #[cfg(debug_assertions)]
    fn plain_search(&self, mut index: u64, n: u64) -> (u64, u64) {
        let mut run = 0;
        while run < n {
            run = if self.refcount(index) == 0 { run + 1 } else { 0 };
            index += 1;
        }
        (index - n, index)
    }

    /// `qcow2_alloc_clusters`.
    pub fn alloc_clusters(&mut self, f: &mut RegularFile, size: u64) -> u64 {
        loop {
            let offset = self.alloc_clusters_noref(size);
            if self.update_refcount(f, offset, size, false, false).is_ok() {
                return offset;
            }
            // A new refcount block was placed: search again from where this allocation
            // began (QEMU 10.0 places the data there, as the differential test shows).
            self.free_cluster_index = self.free_cluster_index.min(offset >> self.cluster_bits);
        }
    }

    /// `qcow2_alloc_clusters_at`: as many of `n` clusters at `offset` as are free, allocated.
    fn alloc_clusters_at(&mut self, f: &mut RegularFile, offset: u64, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        loop {
            let first = offset >> self.cluster_bits;
            let mut i = 0;
            while i < n && self.refcount(first + i) == 0 {
                i += 1;
            }
            if self.update_refcount(f, offset, i << self.cluster_bits, false, false).is_ok() {
                return i;
            }
        }
    }

    /// Frees the clusters an L2 entry references.
    pub(super) fn free_entry(&mut self, f: &mut RegularFile, entry: L2Entry, discard: bool) {
        match entry {
            L2Entry::Normal(o) | L2Entry::ZeroAlloc(o) => {
                while self.update_refcount(f, o, self.cluster_size(), true, discard).is_err() {}
            }
            L2Entry::Compressed { offset, sectors } => {
                let start = offset & !511;
                while self.update_refcount(f, start, u64::from(sectors) * 512, true, discard).is_err() {}
            }
            L2Entry::ZeroPlain => {}
        }
    }

    // ----- L1 / L2 ---------------------------------------------------------------------------

    /// `get_cluster_table`: the L2 table for a guest offset, allocated if missing (and copied
    /// if shared with a snapshot).
    pub(super) fn l2_table(&mut self, f: &mut RegularFile, guest_offset: u64) {
        let l1_index = (guest_offset >> self.cluster_bits) / self.l2_entries();
        let Some(&old) = self.l1.get(l1_index as usize) else { return };
        if old != 0 && self.exclusive(old >> self.cluster_bits) {
            return;
        }
        // l2_allocate
        let cs = self.cluster_size();
        let l2_offset = self.alloc_clusters(f, cs);
        hostfile::meta_write(f, l2_offset, cs);
        self.l1[l1_index as usize] = l2_offset;
        hostfile::meta_write(f, self.l1_table_offset + 8 * l1_index, 8);
        if old != 0 {
            // The old table stays with the snapshot that shares it.
            while self.update_refcount(f, old, cs, true, false).is_err() {}
        }
    }

    /// Whether writing to a cluster with this entry needs a new host cluster.
    fn needs_new_alloc(&self, entry: Option<L2Entry>) -> bool {
        match entry {
            Some(L2Entry::Normal(o) | L2Entry::ZeroAlloc(o)) => !self.exclusive(o >> self.cluster_bits),
            _ => true,
        }
    }

    /// `count_single_write_clusters`; `first_entry` is the entry of `first`.
    fn count_single_write_clusters(&self, first: u64, first_entry: Option<L2Entry>, n: u64, new_alloc: bool) -> u64 {
        let mut expected = first_entry.and_then(L2Entry::host).unwrap_or(0);
        for i in 0..n {
            let entry = if i == 0 { first_entry } else { self.l2.get(first + i) };
            if self.needs_new_alloc(entry) != new_alloc {
                return i;
            }
            if !new_alloc {
                if entry.and_then(L2Entry::host) != Some(expected) {
                    return i;
                }
                expected += self.cluster_size();
            }
        }
        n
    }

    /// The clusters from `guest_offset` covering `bytes`, limited to one L2 table.
    fn clusters_in_l2(&self, guest_offset: u64, bytes: u64) -> u64 {
        let l2_index = (guest_offset >> self.cluster_bits) % self.l2_entries();
        let n = self.size_to_clusters(self.offset_into_cluster(guest_offset) + bytes).min(self.l2_entries() - l2_index);
        n.min(REQUEST_MAX_BYTES >> self.cluster_bits)
    }

    /// `qcow2_alloc_host_offset`: maps as much of `[offset, offset + bytes)` as possible to
    /// one contiguous host range. Returns (host offset, bytes mapped, new allocations).
    fn alloc_host_offset(&mut self, f: &mut RegularFile, offset: u64, bytes: u64) -> (u64, u64, Vec<Alloc>) {
        let mut start = offset;
        let mut remaining = bytes;
        let mut cluster_offset: Option<u64> = None;
        let mut host_offset: Option<u64> = None;
        let mut cur_bytes = 0;
        let mut metas = Vec::new();
        loop {
            if host_offset.is_none() && cluster_offset.is_some() {
                host_offset = cluster_offset;
            }
            start += cur_bytes;
            remaining -= cur_bytes;
            if let Some(c) = cluster_offset.as_mut() {
                *c += cur_bytes;
            }
            if remaining == 0 {
                break;
            }
            cur_bytes = remaining;

            // handle_copied
            let n = self.clusters_in_l2(start, cur_bytes);
            self.l2_table(f, start);
            let first = start >> self.cluster_bits;
            let entry = self.l2.get(first);
            if !self.needs_new_alloc(entry) {
                let host = entry.and_then(L2Entry::host).unwrap_or(0);
                if cluster_offset.is_some_and(|c| self.start_of_cluster(c) != host) {
                    break;
                }
                let keep = self.count_single_write_clusters(first, entry, n, false);
                cur_bytes = cur_bytes.min(keep * self.cluster_size() - self.offset_into_cluster(start));
                if matches!(entry, Some(L2Entry::ZeroAlloc(_)))
                    || (1..keep).any(|i| matches!(self.l2.get(first + i), Some(L2Entry::ZeroAlloc(_))))
                {
                    metas.push(Alloc {
                        guest: start,
                        host: host + self.offset_into_cluster(start),
                        bytes: cur_bytes,
                        keep: true,
                    });
                }
                cluster_offset = Some(host + self.offset_into_cluster(start));
                continue;
            }

            // handle_alloc
            let mut n = self.count_single_write_clusters(first, entry, n, true);
            let alloc_at = cluster_offset.map(|c| self.start_of_cluster(c));
            let alloc_offset = match alloc_at {
                None => self.alloc_clusters(f, n << self.cluster_bits),
                Some(at) => {
                    n = self.alloc_clusters_at(f, at, n);
                    at
                }
            };
            if n == 0 {
                break;
            }
            let requested = cur_bytes + self.offset_into_cluster(start);
            let avail = n << self.cluster_bits;
            let nb = requested.min(avail);
            cur_bytes = cur_bytes.min(nb - self.offset_into_cluster(start));
            metas.push(Alloc {
                guest: start,
                host: alloc_offset + self.offset_into_cluster(start),
                bytes: cur_bytes,
                keep: false,
            });
            cluster_offset = Some(alloc_offset + self.offset_into_cluster(start));
        }
        (host_offset.unwrap_or(0), bytes - remaining, metas)
    }

    // ----- reading ---------------------------------------------------------------------------

    /// Copies the guest data of `[offset, offset + len)` as the guest sees it into `out` at
    /// `out_offset`.
    pub fn read_guest(
        &self,
        f: &RegularFile,
        backing: Option<&Chain>,
        offset: u64,
        len: u64,
        out: &mut Contents,
        out_offset: u64,
    ) {
        out.clear(out_offset, out_offset + len);
        let cs = self.cluster_size();
        let mut pos = offset;
        let end = offset + len;
        while pos < end {
            let cluster = pos >> self.cluster_bits;
            let in_cluster = self.offset_into_cluster(pos);
            let n = (cs - in_cluster).min(end - pos);
            let dst = out_offset + (pos - offset);
            match self.l2.get(cluster) {
                Some(L2Entry::Normal(host)) => out.copy_range(&f.contents, host + in_cluster, n, dst),
                Some(L2Entry::Compressed { offset: host, .. }) => {
                    if let Some(data) = self.compressed.get(&host) {
                        out.copy_range(data, in_cluster, n, dst);
                    }
                }
                Some(L2Entry::ZeroPlain | L2Entry::ZeroAlloc(_)) => {}
                None => {
                    if let Some(chain) = backing {
                        chain.read(pos, n, out, dst);
                    }
                }
            }
            pos += n;
        }
    }

    /// Whether the guest range reads as zeros by block status (QEMU's `is_zero`).
    fn is_zero(&self, backing: Option<&Chain>, offset: u64, len: u64) -> bool {
        let len = len.min(self.size.saturating_sub(offset));
        if len == 0 {
            return true;
        }
        let cs = self.cluster_size();
        let mut pos = offset;
        let end = offset + len;
        while pos < end {
            let cluster = pos >> self.cluster_bits;
            let n = (cs - self.offset_into_cluster(pos)).min(end - pos);
            let zero = match self.l2.get(cluster) {
                Some(L2Entry::ZeroPlain | L2Entry::ZeroAlloc(_)) => true,
                Some(_) => false,
                None => backing.is_none_or(|chain| chain.is_zero(pos, n)),
            };
            if !zero {
                return false;
            }
            pos += n;
        }
        true
    }

    // ----- writing ---------------------------------------------------------------------------

    /// Writes guest data: `len` copies of `fill`, or bytes copied from `src` (at `src_offset`).
    pub fn write(&mut self, f: &mut RegularFile, backing: Option<&Chain>, offset: u64, len: u64, data: Data<'_>) {
        let mut offset = offset;
        let mut bytes = len;
        let mut data_pos = 0;
        while bytes > 0 {
            let (host, cur, metas) = self.alloc_host_offset(f, offset, bytes.min(i32::MAX as u64));
            if cur == 0 {
                break;
            }
            // handle_alloc_space / perform_cow for the new allocations.
            for m in &metas {
                let cs = self.cluster_size();
                let cluster_start_guest = self.start_of_cluster(m.guest);
                let cow_start = m.guest - cluster_start_guest;
                let write_end = m.guest + m.bytes;
                let cluster_end_guest = (write_end).div_ceil(cs) * cs;
                let cow_end = cluster_end_guest - write_end;
                let alloc_start_host = m.host - cow_start;
                if cow_start == 0 && cow_end == 0 {
                    continue;
                }
                let zero_cow =
                    self.is_zero(backing, cluster_start_guest, cow_start) && self.is_zero(backing, write_end, cow_end);
                if zero_cow {
                    hostfile::zero_range(f, alloc_start_host, cluster_end_guest - cluster_start_guest);
                } else {
                    // Copy the old guest data around the write into the new clusters.
                    let mut buf = Contents::default();
                    if cow_start > 0 {
                        self.read_guest(f, backing, cluster_start_guest, cow_start, &mut buf, 0);
                        hostfile::data_copy(f, alloc_start_host, &buf, 0, cow_start);
                    }
                    if cow_end > 0 {
                        let mut buf = Contents::default();
                        self.read_guest(f, backing, write_end, cow_end, &mut buf, 0);
                        hostfile::data_copy(f, m.host + m.bytes, &buf, 0, cow_end);
                    }
                }
            }
            match data {
                Data::Fill(b) => hostfile::data_write(f, host, cur, b),
                Data::Copy(src, src_offset) => hostfile::data_copy(f, host, src, src_offset + data_pos, cur),
            }
            // qcow2_alloc_cluster_link_l2
            for m in metas {
                let first = m.guest >> self.cluster_bits;
                let count = self.size_to_clusters(self.offset_into_cluster(m.guest) + m.bytes);
                let host_first = self.start_of_cluster(m.host);
                for i in 0..count {
                    let new = L2Entry::Normal(host_first + (i << self.cluster_bits));
                    let old = self.l2.insert(first + i, new);
                    if !m.keep
                        && let Some(old) = old
                        && old.host() != new.host()
                    {
                        self.free_entry(f, old, false);
                    }
                }
            }
            offset += cur;
            data_pos += cur;
            bytes -= cur;
        }
    }

    /// Writes zeros (`qemu-io write -z`): whole clusters become zero clusters; a partial cluster
    /// does too if the rest of it reads as zeros, otherwise zeros are written as data.
    pub fn write_zeroes(&mut self, f: &mut RegularFile, backing: Option<&Chain>, offset: u64, len: u64, unmap: bool) {
        let cs = self.cluster_size();
        let end = offset + len;
        // The block layer splits the request at cluster boundaries: an unaligned head, the
        // aligned middle, an unaligned tail.
        let mut pieces = Vec::new();
        let head_end = if offset.is_multiple_of(cs) { offset } else { (self.start_of_cluster(offset) + cs).min(end) };
        if head_end > offset {
            pieces.push((offset, head_end - offset));
        }
        let tail_start = self.start_of_cluster(end).max(head_end);
        if tail_start > head_end {
            pieces.push((head_end, tail_start - head_end));
        }
        if end > tail_start {
            pieces.push((tail_start, end - tail_start));
        }
        for (start, n) in pieces {
            if self.version < 3 || !self.zero_piece(f, backing, start, n, unmap) {
                self.write(f, backing, start, n, Data::Fill(0));
            }
        }
    }

    /// `qcow2_co_pwrite_zeroes` for one piece; `false` means "not supported" (the caller then
    /// writes zeros as data).
    fn zero_piece(
        &mut self,
        f: &mut RegularFile,
        backing: Option<&Chain>,
        offset: u64,
        bytes: u64,
        unmap: bool,
    ) -> bool {
        let cs = self.cluster_size();
        let head = self.offset_into_cluster(offset);
        let mut tail = (offset + bytes).div_ceil(cs) * cs - (offset + bytes);
        if offset + bytes == self.size.div_ceil(512) * 512 {
            tail = 0;
        }
        let (mut offset, mut bytes) = (offset, bytes);
        if head != 0 || tail != 0 {
            if !(self.is_zero(backing, offset - head, head) && self.is_zero(backing, offset + bytes, tail)) {
                return false;
            }
            offset -= head;
            bytes = cs;
            match self.l2.get(offset >> self.cluster_bits) {
                None | Some(L2Entry::ZeroPlain | L2Entry::ZeroAlloc(_)) => {}
                Some(_) => return false,
            }
        }
        // qcow2_subcluster_zeroize, one L2 table at a time.
        self.cache_discards = true;
        let mut pos = offset;
        let end = offset + bytes;
        while pos < end {
            let n = self.clusters_in_l2(pos, end - pos);
            self.l2_table(f, pos);
            let first = pos >> self.cluster_bits;
            for i in 0..n {
                let old = self.l2.get(first + i);
                let compressed = matches!(old, Some(L2Entry::Compressed { .. }));
                let allocated =
                    matches!(old, Some(L2Entry::Normal(_) | L2Entry::ZeroAlloc(_) | L2Entry::Compressed { .. }));
                let do_unmap = compressed || (unmap && allocated);
                let new = match (do_unmap, old) {
                    (false, Some(L2Entry::Normal(o) | L2Entry::ZeroAlloc(o))) => L2Entry::ZeroAlloc(o),
                    _ => L2Entry::ZeroPlain,
                };
                if old == Some(new) {
                    continue;
                }
                self.l2.insert(first + i, new);
                if do_unmap && let Some(old) = old {
                    self.free_entry(f, old, true);
                }
            }
            pos = (first + n) << self.cluster_bits;
        }
        self.cache_discards = false;
        self.process_discards(f);
        true
    }

    /// `qemu-io discard`: whole clusters in the range read as zeros afterwards and their host
    /// clusters are freed (and punched out of the file).
    pub fn discard(&mut self, f: &mut RegularFile, has_backing: bool, offset: u64, len: u64) {
        self.cluster_discard(f, has_backing, offset, len, false);
    }

    /// `qcow2_cluster_discard`; with `full`, clusters become unallocated (they fall through to
    /// the backing file) instead of reading as zeros.
    fn cluster_discard(&mut self, f: &mut RegularFile, has_backing: bool, offset: u64, len: u64, full: bool) {
        self.cache_discards = true;
        self.cluster_discard_inner(f, has_backing, offset, len, full);
        self.cache_discards = false;
        self.process_discards(f);
    }

    fn cluster_discard_inner(&mut self, f: &mut RegularFile, has_backing: bool, offset: u64, len: u64, full: bool) {
        let cs = self.cluster_size();
        let end = (offset + len).min(self.size);
        let mut start = offset.div_ceil(cs) * cs;
        let mut stop = end / cs * cs;
        // The last partial cluster of an unaligned image counts as whole.
        if end == self.size && !self.size.is_multiple_of(cs) && end > start {
            stop = self.size.div_ceil(cs) * cs;
        }
        if !offset.is_multiple_of(cs) && start > end {
            start = end;
        }
        let mut pos = start;
        while pos < stop {
            let n = self.clusters_in_l2(pos, stop - pos);
            self.l2_table(f, pos);
            let first = pos >> self.cluster_bits;
            for i in 0..n {
                let old = self.l2.get(first + i);
                let allocated =
                    matches!(old, Some(L2Entry::Normal(_) | L2Entry::ZeroAlloc(_) | L2Entry::Compressed { .. }));
                let new = if full {
                    None
                } else if has_backing || allocated {
                    if self.version >= 3 { Some(L2Entry::ZeroPlain) } else { None }
                } else {
                    old
                };
                if new == old {
                    continue;
                }
                match new {
                    Some(e) => self.l2.insert(first + i, e),
                    None => self.l2.remove(first + i),
                };
                if let Some(old) = old {
                    self.free_entry(f, old, true);
                }
            }
            pos = (first + n) << self.cluster_bits;
        }
    }

    // ----- creating and resizing -------------------------------------------------------------

    /// Creates an empty image the way `qemu-img create -f qcow2` does, with `preallocation`.
    pub fn create(f: &mut RegularFile, options: &CreateOptions) -> Self {
        let cs = 1u64 << options.cluster_bits;
        // The header cluster, then a refcount table with one refcount block.
        hostfile::meta_write(f, 0, cs);
        hostfile::meta_write(f, cs, 2 * cs);
        let mut img = Self {
            version: options.version,
            cluster_bits: options.cluster_bits,
            size: 0,
            lazy_refcounts: options.lazy_refcounts,
            backing_file: None,
            backing_format: None,
            l1_table_offset: 0,
            l1: Vec::new(),
            l2: L2Map::new(options.cluster_bits - 3),
            refcount_table_offset: cs,
            reftable: {
                let mut t = vec![0; (cs / 8) as usize];
                t[0] = 2 * cs;
                t
            },
            refcounts: Vec::new(),
            shared_clusters: 0,
            snapshots: Vec::new(),
            compressed: BTreeMap::new(),
            dirty: false,
            free_cluster_index: 0,
            used_prefix: UsedPrefix(0),
            free_byte_offset: 0,
            snapshots_offset: 0,
            snapshots_size: 0,
            pending_discards: Vec::new(),
            cache_discards: false,
        };
        img.alloc_clusters(f, 3 * cs);
        img.truncate(f, None, options.size, options.preallocation);
        img.backing_file.clone_from(&options.backing_file);
        img.backing_format.clone_from(&options.backing_format);
        img.free_cluster_index = 0;
        img
    }

    /// `qcow2_grow_l1_table` with an exact size: a new L1 table at a new place.
    fn grow_l1(&mut self, f: &mut RegularFile, new_size: u64) {
        if new_size <= self.l1.len() as u64 {
            return;
        }
        let bytes = new_size * 8;
        let new_offset = self.alloc_clusters(f, bytes);
        hostfile::meta_write(f, new_offset, bytes);
        let old_offset = self.l1_table_offset;
        let old_bytes = self.l1.len() as u64 * 8;
        self.l1.resize(new_size as usize, 0);
        self.l1_table_offset = new_offset;
        if old_bytes > 0 {
            while self.update_refcount(f, old_offset, old_bytes, true, false).is_err() {}
        }
    }

    /// Resizes the image (`qemu-img resize`, and creation): grows the L1 table, and with
    /// preallocation allocates what the new area needs.
    pub fn truncate(&mut self, f: &mut RegularFile, backing: Option<&Chain>, new_size: u64, prealloc: Prealloc) {
        let old_size = self.size;
        if new_size < old_size {
            self.shrink(f, new_size);
            return;
        }
        let l1_size = Self::l1_size_for(self.cluster_bits, new_size);
        self.grow_l1(f, l1_size);
        match prealloc {
            Prealloc::Off => {}
            Prealloc::Metadata => self.preallocate_metadata(f, old_size, new_size),
            Prealloc::Falloc | Prealloc::Full => self.preallocate_data(f, old_size, new_size, prealloc),
        }
        let _ = backing;
        self.size = new_size;
    }

    /// `qcow2_co_truncate` to a smaller size: a full discard of everything past the new end,
    /// the L2 tables past it freed, and the file cut after the last used cluster.
    fn shrink(&mut self, f: &mut RegularFile, new_size: u64) {
        let cs = self.cluster_size();
        let start = new_size.div_ceil(cs) * cs;
        if start < self.size {
            self.cluster_discard(f, false, start, self.size - start, true);
        }
        let l1_size = Self::l1_size_for(self.cluster_bits, new_size) as usize;
        for i in (l1_size..self.l1.len()).rev() {
            let l2 = self.l1[i];
            if l2 != 0 {
                self.l1[i] = 0;
                while self.update_refcount(f, l2, cs, true, true).is_err() {}
            }
        }
        self.size = new_size;
        let last = (0..self.refcounts.len() as u64).rev().find(|&c| self.refcount(c) != 0);
        if let Some(last) = last
            && (last + 1) * cs < f.len
        {
            hostfile::set_len(f, (last + 1) * cs);
        }
    }

    /// `preallocate_co` with `PREALLOC_MODE_OFF`: allocates L2 tables and data clusters for the
    /// guest range (the data stays holes in the file) and sets the file length to the end of
    /// the last allocated range.
    fn preallocate_metadata(&mut self, f: &mut RegularFile, from: u64, to: u64) {
        let mut offset = from;
        let mut last_end = 0;
        while offset < to {
            let (host, cur, metas) = self.alloc_host_offset(f, offset, (to - offset).min(i32::MAX as u64));
            if cur == 0 {
                break;
            }
            for m in metas {
                let first = m.guest >> self.cluster_bits;
                let count = self.size_to_clusters(self.offset_into_cluster(m.guest) + m.bytes);
                let host_first = self.start_of_cluster(m.host);
                for i in 0..count {
                    let h = host_first + (i << self.cluster_bits);
                    self.l2.insert(first + i, L2Entry::Normal(h));
                }
            }
            last_end = host + cur;
            offset += cur;
        }
        if last_end > 0 {
            f.len = f.len.max(last_end);
        }
    }

    /// The `falloc`/`full` path of `qcow2_co_truncate`: new refcount structures at the end of
    /// the file, then all new data clusters in one contiguous run, then their L2 tables.
    fn preallocate_data(&mut self, f: &mut RegularFile, old_length: u64, offset: u64, prealloc: Prealloc) {
        let cs = self.cluster_size();
        let last_cluster = (0..self.refcounts.len() as u64).rev().find(|&c| self.refcount(c) != 0);
        let old_file_size = match last_cluster {
            Some(c) => (c + 1) * cs,
            None => f.len.div_ceil(cs) * cs,
        };
        let nb_new_data_clusters = (offset.div_ceil(cs) * cs - self.start_of_cluster(old_length)) / cs;
        let nb_new_l2_tables = nb_new_data_clusters.div_ceil(self.l2_entries()) + 1;
        let allocation_start =
            self.refcount_area(f, old_file_size, nb_new_data_clusters + nb_new_l2_tables, true, None);
        let new_file_size = allocation_start + nb_new_data_clusters * cs;
        match prealloc {
            Prealloc::Full => hostfile::write_zeros(f, f.len, new_file_size),
            _ => hostfile::falloc(f, f.len, new_file_size),
        }
        while self.update_refcount(f, allocation_start, nb_new_data_clusters * cs, false, false).is_err() {}
        let mut guest = self.start_of_cluster(old_length);
        let mut host = allocation_start;
        let mut left = nb_new_data_clusters;
        while left > 0 {
            let n = self.clusters_in_l2(guest, left * cs).min(left);
            self.l2_table(f, guest);
            let first = guest >> self.cluster_bits;
            for i in 0..n {
                // Clusters partly inside the old size keep their data.
                if !self.l2.contains_key(first + i) {
                    self.l2.insert(first + i, L2Entry::Normal(host + i * cs));
                }
            }
            guest += n * cs;
            host += n * cs;
            left -= n;
        }
    }

    // ----- status for qemu-img map, check and info ---------------------------------------------

    /// The highest used host cluster + 1, in bytes (`image-end-offset`).
    pub fn image_end_offset(&self) -> u64 {
        let last = (0..self.refcounts.len() as u64).rev().find(|&c| self.refcount(c) != 0);
        last.map_or(0, |c| (c + 1) * self.cluster_size())
    }

    /// (allocated, fragmented, compressed) clusters as `qemu-img check` counts them.
    pub fn cluster_stats(&self) -> (u64, u64, u64) {
        let (mut allocated, mut fragmented, mut compressed) = (0, 0, 0);
        let mut next_contiguous: Option<u64> = None;
        let mut table = u64::MAX;
        for (cluster, entry) in &self.l2 {
            // QEMU checks contiguity within one L2 table at a time.
            if cluster / self.l2_entries() != table {
                table = cluster / self.l2_entries();
                next_contiguous = None;
            }
            match entry {
                L2Entry::Normal(o) | L2Entry::ZeroAlloc(o) => {
                    allocated += 1;
                    if next_contiguous.is_some_and(|n| n != o) {
                        fragmented += 1;
                    }
                    next_contiguous = Some(o + self.cluster_size());
                }
                L2Entry::Compressed { .. } => {
                    allocated += 1;
                    compressed += 1;
                    fragmented += 1;
                }
                L2Entry::ZeroPlain => {}
            }
        }
        (allocated, fragmented, compressed)
    }

    /// Whether QEMU would treat this image as metadata-preallocated when it is opened: the
    /// clusters in use outnumber the file's allocated blocks (QEMU then asks the file which
    /// parts of data clusters are holes).
    pub fn looks_metadata_preallocated(&self, f: &RegularFile) -> bool {
        let real_clusters = f.stat_blocks() * 512 / self.cluster_size();
        let threshold = (real_clusters * 10 / 9).max(real_clusters + 2);
        let end_cluster = f.len.div_ceil(self.cluster_size());
        let mut count = 0;
        for i in 0..end_cluster {
            if self.refcount(i) != 0 {
                count += 1;
                if count >= threshold {
                    return true;
                }
            }
        }
        false
    }
}

/// Guest data to write.
#[derive(Clone, Copy)]
pub enum Data<'a> {
    /// One byte repeated (`qemu-io write -P`).
    Fill(u8),
    /// Bytes from other contents, starting at an offset.
    Copy(&'a Contents, u64),
}

/// A new or rewritten mapping found by `alloc_host_offset`.
#[derive(Debug)]
struct Alloc {
    guest: u64,
    host: u64,
    bytes: u64,
    /// An existing cluster kept (its zero flag is cleared by the write).
    keep: bool,
}

/// `preallocation=` of `qemu-img create` and `resize`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Prealloc {
    #[default]
    Off,
    Metadata,
    Falloc,
    Full,
}

impl Prealloc {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "off" => Some(Self::Off),
            "metadata" => Some(Self::Metadata),
            "falloc" => Some(Self::Falloc),
            "full" => Some(Self::Full),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Metadata => "metadata",
            Self::Falloc => "falloc",
            Self::Full => "full",
        }
    }
}

/// What `qemu-img create -f qcow2` was asked for.
#[derive(Clone, Debug)]
pub struct CreateOptions {
    pub size: u64,
    pub cluster_bits: u32,
    pub version: u32,
    pub lazy_refcounts: bool,
    pub preallocation: Prealloc,
    pub backing_file: Option<String>,
    pub backing_format: Option<String>,
}

impl Default for CreateOptions {
    fn default() -> Self {
        Self {
            size: 0,
            cluster_bits: 16,
            version: 3,
            lazy_refcounts: false,
            preallocation: Prealloc::Off,
            backing_file: None,
            backing_format: None,
        }
    }
}
