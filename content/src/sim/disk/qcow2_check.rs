//! The refcount check of `qemu-img check` (QEMU's `qcow2_check_refcounts`), on the model:
//! every host cluster's refcount is recomputed from what references it — the header, the L1
//! tables, the L2 tables, data and compressed clusters, the refcount table and blocks, the
//! snapshot table — and compared with the stored refcount. Property tests run it after random
//! operation sequences; a leak or a wrong refcount there is a bug of the simulator.

use std::collections::{BTreeMap, BTreeSet};

use super::l2map::L2Map;
use super::qcow2::{L2Entry, Qcow2};

/// What the check found. Empty when the image is consistent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefcountCheck {
    /// Clusters with a refcount that nothing references (QEMU: "Leaked cluster").
    pub leaks: Vec<u64>,
    /// (cluster, stored refcount, references): the refcount is wrong (QEMU: "ERROR cluster").
    pub errors: Vec<(u64, u64, u64)>,
    /// Host clusters referenced by two L2 entries of the active table (data written to one
    /// guest cluster would appear in another).
    pub shared_data: Vec<u64>,
}

impl RefcountCheck {
    pub fn is_clean(&self) -> bool {
        self.leaks.is_empty() && self.errors.is_empty() && self.shared_data.is_empty()
    }
}

impl Qcow2 {
    /// Recomputes the refcount of every host cluster from the references to it.
    pub fn check_refcounts(&self) -> RefcountCheck {
        let cs = self.cluster_size();
        let mut refs: BTreeMap<u64, u64> = BTreeMap::new();
        let mut add_range = |offset: u64, len: u64| {
            if len == 0 {
                return;
            }
            let first = offset / cs;
            let last = (offset + len - 1) / cs;
            for cluster in first..=last {
                *refs.entry(cluster).or_default() += 1;
            }
        };
        // The header.
        add_range(0, cs);
        // The refcount table and the refcount blocks.
        add_range(self.refcount_table_offset, self.reftable.len() as u64 * 8);
        for &block in self.reftable.iter().filter(|&&b| b != 0) {
            add_range(block, cs);
        }
        // The snapshot table.
        if self.snapshots_size > 0 {
            add_range(self.snapshots_offset, self.snapshots_size);
        }
        // Each L1 table, each L2 table it points to, and the clusters those reference: once
        // per L1 table, as QEMU counts them (an L2 table shared with a snapshot, and its data,
        // have a refcount of two).
        let tables = |l1_offset: u64, l1: &[u64], l2: &L2Map, add_range: &mut dyn FnMut(u64, u64)| {
            add_range(l1_offset, l1.len() as u64 * 8);
            for (index, &table) in l1.iter().enumerate() {
                if table == 0 {
                    continue;
                }
                add_range(table, cs);
                let first = index as u64 * self.l2_entries();
                for (_, entry) in l2.range(first, first + self.l2_entries()) {
                    match entry {
                        L2Entry::Normal(o) | L2Entry::ZeroAlloc(o) => add_range(o, cs),
                        L2Entry::Compressed { offset, sectors } => {
                            // QEMU counts the 512-byte sectors the compressed data occupies.
                            add_range(offset & !511, u64::from(sectors) * 512);
                        }
                        L2Entry::ZeroPlain => {}
                    }
                }
            }
        };
        tables(self.l1_table_offset, &self.l1, &self.l2, &mut add_range);
        for snapshot in &self.snapshots {
            tables(snapshot.l1_table_offset, &snapshot.l1, &snapshot.l2, &mut add_range);
        }

        let mut check = RefcountCheck::default();
        let highest = (self.refcounts.len() as u64).max(refs.keys().next_back().map_or(0, |&c| c + 1));
        for cluster in 0..highest {
            let stored = self.refcount(cluster);
            let referenced = refs.get(&cluster).copied().unwrap_or(0);
            if stored != referenced {
                if referenced == 0 {
                    check.leaks.push(cluster);
                } else {
                    check.errors.push((cluster, stored, referenced));
                }
            }
        }
        let mut owners: BTreeSet<u64> = BTreeSet::new();
        for (_, entry) in self.l2.iter() {
            if let L2Entry::Normal(o) | L2Entry::ZeroAlloc(o) = entry
                && !owners.insert(o / cs)
            {
                check.shared_data.push(o / cs);
            }
        }
        check
    }
}
