//! The L2 entries of a qcow2 image, kept close to the way the format keeps them: each entry is
//! the 64-bit word the format stores (offset, zero flag, compressed flag and sector count), one
//! sorted table per L2 table, the tables found by L1 index. A lookup is a hash probe and a binary
//! search in a few cache lines, which keeps a million random writes fast, and memory stays
//! proportional to the allocated clusters.

use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use super::qcow2::L2Entry;

/// A hasher for table numbers: one multiplication (the keys are small integers, and nothing
/// here is exposed to adversarial input).
#[derive(Default)]
struct TableHasher(u64);

impl Hasher for TableHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
    }
}

/// One L2 table: its entry indices in order, and their encoded entries alongside. The indices
/// are kept apart from the entries so that a binary search touches only a line or two of memory.
#[derive(Clone, Debug, Default)]
struct Table {
    keys: Vec<u32>,
    vals: Vec<u64>,
}

/// The compressed flag of an L2 entry (`QCOW_OFLAG_COMPRESSED`).
const COMPRESSED: u64 = 1 << 62;
/// The zero flag of a standard L2 entry (`QCOW_OFLAG_ZERO`).
const ZERO: u64 = 1;
/// The host offset bits of a standard L2 entry (`L2E_OFFSET_MASK`).
const OFFSET_MASK: u64 = 0x00ff_ffff_ffff_fe00;

type Tables = HashMap<u64, Table, BuildHasherDefault<TableHasher>>;

/// Guest cluster index → L2 entry, grouped by L2 table.
#[derive(Clone, Debug, Default)]
pub struct L2Map {
    /// log2 of the entries per table.
    bits: u32,
    tables: Tables,
    /// The table numbers in order (for iteration in guest order).
    order: BTreeSet<u64>,
    len: usize,
}

impl PartialEq for L2Map {
    fn eq(&self, other: &Self) -> bool {
        self.bits == other.bits && self.len == other.len && self.iter().eq(other.iter())
    }
}

impl Eq for L2Map {}

impl L2Map {
    /// A map for tables of `1 << bits` entries.
    pub fn new(bits: u32) -> Self {
        Self { bits, tables: Tables::default(), order: BTreeSet::new(), len: 0 }
    }

    /// Where a compressed entry keeps its sector count (`csize_shift`): above the offset bits.
    fn csize_shift(&self) -> u32 {
        // The cluster bits are the table bits plus three (eight-byte entries).
        62 - (self.bits + 3 - 8)
    }

    /// The entry as the format stores it.
    fn encode(&self, entry: L2Entry) -> u64 {
        let encoded = match entry {
            L2Entry::Normal(offset) => offset & OFFSET_MASK,
            L2Entry::ZeroPlain => ZERO,
            L2Entry::ZeroAlloc(offset) => (offset & OFFSET_MASK) | ZERO,
            L2Entry::Compressed { offset, sectors } => {
                COMPRESSED | (u64::from(sectors.saturating_sub(1)) << self.csize_shift()) | offset
            }
        };
        debug_assert_eq!(self.decode(encoded), entry, "an L2 entry the format cannot store");
        encoded
    }

    fn decode(&self, encoded: u64) -> L2Entry {
        if encoded & COMPRESSED != 0 {
            let shift = self.csize_shift();
            let sectors = ((encoded & !COMPRESSED) >> shift) + 1;
            L2Entry::Compressed { offset: encoded & ((1 << shift) - 1), sectors: sectors as u32 }
        } else if encoded & ZERO != 0 {
            match encoded & OFFSET_MASK {
                0 => L2Entry::ZeroPlain,
                offset => L2Entry::ZeroAlloc(offset),
            }
        } else {
            L2Entry::Normal(encoded & OFFSET_MASK)
        }
    }

    fn split(&self, cluster: u64) -> (u64, u32) {
        (cluster >> self.bits, (cluster & ((1 << self.bits) - 1)) as u32)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, cluster: u64) -> Option<L2Entry> {
        let (t, i) = self.split(cluster);
        let table = self.tables.get(&t)?;
        table.keys.binary_search(&i).ok().map(|p| self.decode(table.vals[p]))
    }

    pub fn contains_key(&self, cluster: u64) -> bool {
        self.get(cluster).is_some()
    }

    pub fn insert(&mut self, cluster: u64, entry: L2Entry) -> Option<L2Entry> {
        let (t, i) = self.split(cluster);
        let entry = self.encode(entry);
        let table = match self.tables.entry(t) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                self.order.insert(t);
                e.insert(Table::default())
            }
        };
        // Appending (sequential writes) is the common case.
        if table.keys.last().is_none_or(|&last| last < i) {
            table.keys.push(i);
            table.vals.push(entry);
            self.len += 1;
            return None;
        }
        match table.keys.binary_search(&i) {
            Ok(p) => {
                let old = std::mem::replace(&mut table.vals[p], entry);
                Some(self.decode(old))
            }
            Err(p) => {
                table.keys.insert(p, i);
                table.vals.insert(p, entry);
                self.len += 1;
                None
            }
        }
    }

    pub fn remove(&mut self, cluster: u64) -> Option<L2Entry> {
        let (t, i) = self.split(cluster);
        let table = self.tables.get_mut(&t)?;
        let p = table.keys.binary_search(&i).ok()?;
        table.keys.remove(p);
        let old = table.vals.remove(p);
        self.len -= 1;
        if table.keys.is_empty() {
            self.tables.remove(&t);
            self.order.remove(&t);
        }
        Some(self.decode(old))
    }

    pub fn clear(&mut self) {
        self.tables.clear();
        self.order.clear();
        self.len = 0;
    }

    /// Every (cluster, entry) in guest order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (u64, L2Entry)> + '_ {
        let bits = self.bits;
        self.order.iter().flat_map(move |t| {
            self.tables.get(t).into_iter().flat_map(move |table| {
                table.keys.iter().zip(&table.vals).map(move |(i, e)| ((t << bits) | u64::from(*i), self.decode(*e)))
            })
        })
    }

    pub fn values(&self) -> impl Iterator<Item = L2Entry> + '_ {
        self.iter().map(|(_, e)| e)
    }

    /// The (cluster, entry) pairs with `from <= cluster < to`, in guest order.
    pub fn range(&self, from: u64, to: u64) -> impl Iterator<Item = (u64, L2Entry)> + '_ {
        let bits = self.bits;
        let (ft, fi) = self.split(from);
        let last_table = if to == 0 { 0 } else { (to - 1) >> bits };
        self.order
            .range(ft..=last_table.max(ft))
            .flat_map(move |&t| {
                let start = if t == ft { fi } else { 0 };
                let (keys, vals) = self.tables.get(&t).map_or((&[][..], &[][..]), |tb| (&tb.keys[..], &tb.vals[..]));
                let first = keys.partition_point(|&k| k < start);
                keys[first..]
                    .iter()
                    .zip(&vals[first..])
                    .map(move |(i, e)| ((t << bits) | u64::from(*i), self.decode(*e)))
            })
            .take_while(move |(c, _)| *c < to)
    }

    /// The first entry at or after `cluster`.
    pub fn next_from(&self, cluster: u64) -> Option<(u64, L2Entry)> {
        self.range(cluster, u64::MAX).next()
    }
}

impl<'a> IntoIterator for &'a L2Map {
    type Item = (u64, L2Entry);
    type IntoIter = Box<dyn Iterator<Item = (u64, L2Entry)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_an_ordered_map() {
        let mut m = L2Map::new(6);
        for c in [5u64, 17, 1, 8, 100] {
            assert_eq!(m.insert(c, L2Entry::Normal(c << 16)), None);
        }
        assert_eq!(m.len(), 5);
        assert_eq!(m.insert(8, L2Entry::ZeroPlain), Some(L2Entry::Normal(8 << 16)));
        assert_eq!(m.get(8), Some(L2Entry::ZeroPlain));
        let keys: Vec<u64> = m.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, vec![1, 5, 8, 17, 100]);
        let keys: Vec<u64> = m.range(5, 17).map(|(k, _)| k).collect();
        assert_eq!(keys, vec![5, 8]);
        assert_eq!(m.next_from(9).map(|(k, _)| k), Some(17));
        assert_eq!(m.next_from(101), None);
        assert_eq!(m.remove(17), Some(L2Entry::Normal(17 << 16)));
        assert_eq!(m.next_from(9).map(|(k, _)| k), Some(100));
        assert_eq!(m.len(), 4);
    }

    #[test]
    fn entries_survive_the_format_encoding() {
        // 64 KiB clusters (13 table bits) and 2 MiB clusters (18), as qemu-img allows.
        for bits in [6, 13, 18] {
            let mut m = L2Map::new(bits);
            let entries = [
                L2Entry::Normal(0x5_0000),
                L2Entry::ZeroPlain,
                L2Entry::ZeroAlloc(0x7_0000),
                L2Entry::Compressed { offset: 0x1_2345, sectors: 2 },
                L2Entry::Normal(0x0000_7fff_ffff_0000),
            ];
            for (c, e) in entries.iter().enumerate() {
                m.insert(c as u64 * 1000, *e);
            }
            let back: Vec<L2Entry> = m.values().collect();
            assert_eq!(back, entries);
        }
    }
}
