//! Internal snapshots of qcow2 images (`qemu-img snapshot -c/-a/-d`), compressed clusters,
//! and the small helpers other commands use.

use super::hostfile;
use super::qcow2::{L2Entry, Qcow2, Snapshot};
use crate::sim::vfs::RegularFile;

/// The size of a snapshot table entry: the fixed header (40 bytes), QEMU's extra data
/// (24 bytes), the id and the name, rounded up to 8 bytes.
fn entry_size(s: &Snapshot) -> u64 {
    (40 + 24 + s.id.to_string().len() as u64 + s.name.len() as u64).div_ceil(8) * 8
}

impl Qcow2 {
    /// `get_cluster_table` for other modules.
    pub fn l2_table_for(&mut self, f: &mut RegularFile, guest_offset: u64) {
        self.l2_table(f, guest_offset);
    }

    /// Frees what an L2 entry references (punching freed clusters).
    pub fn free_any(&mut self, f: &mut RegularFile, entry: L2Entry) {
        self.free_entry(f, entry, true);
    }

    /// Sets a refcount directly (for rebuilding an emptied image).
    pub fn refcounts_set(&mut self, cluster: u64, value: u64) {
        self.set_refcount(cluster, value);
    }

    /// `qcow2_alloc_bytes`: space for compressed data, packed into shared clusters.
    pub fn alloc_bytes(&mut self, f: &mut RegularFile, size: u64) -> u64 {
        let cs = self.cluster_size();
        let mut offset = self.free_byte_offset;
        if offset != 0 && self.refcount(offset / cs) == u64::from(u16::MAX) {
            offset = 0;
        }
        let mut free_in_cluster = cs - offset % cs;
        loop {
            if offset == 0 || free_in_cluster < size {
                let new_cluster = self.alloc_clusters_noref(cs);
                if offset == 0 || offset.div_ceil(cs) * cs != new_cluster {
                    offset = new_cluster;
                    free_in_cluster = cs;
                } else {
                    free_in_cluster += cs;
                }
            }
            if self.update_refcount(f, offset, size, false, false).is_ok() {
                break;
            }
            offset = 0;
        }
        self.free_byte_offset = offset + size;
        if self.free_byte_offset.is_multiple_of(cs) {
            self.free_byte_offset = 0;
        }
        offset
    }

    /// Adds `addend` (+1 or -1) to the refcount of every cluster an L1/L2 snapshot references.
    fn update_snapshot_refcount(&mut self, f: &mut RegularFile, l1: &[u64], l2: &super::l2map::L2Map, decrease: bool) {
        let per_table = self.l2_entries();
        let cs = self.cluster_size();
        self.cache_discards = true;
        for (i, &l2_offset) in l1.iter().enumerate() {
            if l2_offset == 0 {
                continue;
            }
            let first = i as u64 * per_table;
            let entries: Vec<L2Entry> = l2.range(first, first + per_table).map(|(_, e)| e).collect();
            for entry in entries {
                match entry {
                    L2Entry::Normal(o) | L2Entry::ZeroAlloc(o) => {
                        while self.update_refcount(f, o, cs, decrease, true).is_err() {}
                    }
                    L2Entry::Compressed { offset, sectors } => {
                        while self.update_refcount(f, offset & !511, u64::from(sectors) * 512, decrease, true).is_err()
                        {
                        }
                    }
                    L2Entry::ZeroPlain => {}
                }
            }
            while self.update_refcount(f, l2_offset, cs, decrease, true).is_err() {}
        }
        self.cache_discards = false;
        self.process_discards(f);
    }

    /// `qcow2_write_snapshots`: a new snapshot table, then the old one freed.
    fn write_snapshot_table(&mut self, f: &mut RegularFile) {
        let size: u64 = self.snapshots.iter().map(entry_size).sum();
        let old = (self.snapshots_offset, self.snapshots_size);
        if size > 0 {
            let offset = self.alloc_clusters(f, size);
            hostfile::meta_write(f, offset, size);
            self.snapshots_offset = offset;
        } else {
            self.snapshots_offset = 0;
        }
        self.snapshots_size = size;
        if old.1 > 0 {
            while self.update_refcount(f, old.0, old.1, true, true).is_err() {}
        }
    }

    /// `qemu-img snapshot -c NAME`.
    pub fn snapshot_create(&mut self, f: &mut RegularFile, name: &str, now: i64) -> Result<(), String> {
        // QEMU accepts a second snapshot with the same name (it gets a new id).
        let id = self.snapshots.iter().map(|s| s.id).max().unwrap_or(0) + 1;
        let l1_bytes = self.l1.len() as u64 * 8;
        let l1_table_offset = if l1_bytes > 0 { self.alloc_clusters(f, l1_bytes) } else { 0 };
        hostfile::meta_write(f, l1_table_offset, l1_bytes);
        let (l1, l2) = (self.l1.clone(), self.l2.clone());
        self.update_snapshot_refcount(f, &l1, &l2, false);
        self.snapshots.push(Snapshot {
            id,
            name: name.to_owned(),
            date: now,
            vm_clock_nsec: 0,
            vm_state_size: 0,
            l1_table_offset,
            l1,
            l2,
            size: self.size,
        });
        self.write_snapshot_table(f);
        Ok(())
    }

    fn find_snapshot(&self, name: &str) -> Option<usize> {
        self.snapshots.iter().position(|s| s.name == name || s.id.to_string() == name)
    }

    /// `qemu-img snapshot -a NAME`: the image goes back to the snapshot.
    pub fn snapshot_goto(&mut self, f: &mut RegularFile, name: &str) -> Result<(), String> {
        let Some(index) = self.find_snapshot(name) else {
            return Err("Failed to load snapshot: No such file or directory".into());
        };
        let sn = self.snapshots[index].clone();
        self.update_snapshot_refcount(f, &sn.l1, &sn.l2, false);
        let (l1, l2) = (self.l1.clone(), self.l2.clone());
        self.update_snapshot_refcount(f, &l1, &l2, true);
        let mut new_l1 = sn.l1.clone();
        new_l1.resize(self.l1.len().max(new_l1.len()), 0);
        self.l1 = new_l1;
        self.l2 = sn.l2;
        self.size = sn.size;
        hostfile::meta_write(f, self.l1_table_offset, self.l1.len() as u64 * 8);
        Ok(())
    }

    /// `qemu-img snapshot -d NAME`.
    pub fn snapshot_delete(&mut self, f: &mut RegularFile, name: &str) -> Result<(), String> {
        let Some(index) = self.find_snapshot(name) else {
            return Err("snapshot not found".into());
        };
        let sn = self.snapshots.remove(index);
        self.write_snapshot_table(f);
        self.update_snapshot_refcount(f, &sn.l1, &sn.l2, true);
        if !sn.l1.is_empty() {
            while self.update_refcount(f, sn.l1_table_offset, sn.l1.len() as u64 * 8, true, true).is_err() {}
        }
        Ok(())
    }
}
