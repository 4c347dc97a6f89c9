//! The L2 entries of a qcow2 image, kept the way the format keeps them: one sorted vector per
//! L2 table, the tables in an ordered map by L1 index. A lookup is a walk down a small tree and a
//! binary search in one contiguous table, which keeps a million random writes fast, and memory
//! stays proportional to the allocated clusters.

use std::collections::BTreeMap;

use super::qcow2::L2Entry;

/// Guest cluster index → L2 entry, grouped by L2 table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct L2Map {
    /// log2 of the entries per table.
    bits: u32,
    tables: BTreeMap<u64, Vec<(u32, L2Entry)>>,
    len: usize,
}

impl L2Map {
    /// A map for tables of `1 << bits` entries.
    pub fn new(bits: u32) -> Self {
        Self { bits, tables: BTreeMap::new(), len: 0 }
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

    pub fn get(&self, cluster: &u64) -> Option<&L2Entry> {
        let (t, i) = self.split(*cluster);
        let table = self.tables.get(&t)?;
        table.binary_search_by_key(&i, |e| e.0).ok().map(|p| &table[p].1)
    }

    pub fn contains_key(&self, cluster: &u64) -> bool {
        self.get(cluster).is_some()
    }

    pub fn insert(&mut self, cluster: u64, entry: L2Entry) -> Option<L2Entry> {
        let (t, i) = self.split(cluster);
        let table = self.tables.entry(t).or_default();
        // Appending (sequential writes) is the common case.
        if table.last().is_none_or(|last| last.0 < i) {
            table.push((i, entry));
            self.len += 1;
            return None;
        }
        match table.binary_search_by_key(&i, |e| e.0) {
            Ok(p) => Some(std::mem::replace(&mut table[p].1, entry)),
            Err(p) => {
                table.insert(p, (i, entry));
                self.len += 1;
                None
            }
        }
    }

    pub fn remove(&mut self, cluster: &u64) -> Option<L2Entry> {
        let (t, i) = self.split(*cluster);
        let table = self.tables.get_mut(&t)?;
        let p = table.binary_search_by_key(&i, |e| e.0).ok()?;
        let (_, old) = table.remove(p);
        self.len -= 1;
        if table.is_empty() {
            self.tables.remove(&t);
        }
        Some(old)
    }

    pub fn clear(&mut self) {
        self.tables.clear();
        self.len = 0;
    }

    /// Every (cluster, entry) in guest order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (u64, &L2Entry)> + '_ {
        let bits = self.bits;
        self.tables.iter().flat_map(move |(&t, table)| table.iter().map(move |(i, e)| ((t << bits) | u64::from(*i), e)))
    }

    pub fn values(&self) -> impl Iterator<Item = &L2Entry> + '_ {
        self.tables.values().flat_map(|t| t.iter().map(|(_, e)| e))
    }

    /// The (cluster, entry) pairs with `from <= cluster < to`, in guest order.
    pub fn range(&self, from: u64, to: u64) -> impl Iterator<Item = (u64, &L2Entry)> + '_ {
        let bits = self.bits;
        let (ft, fi) = self.split(from);
        let last_table = if to == 0 { 0 } else { (to - 1) >> bits };
        self.tables
            .range(ft..=last_table.max(ft))
            .flat_map(move |(&t, table)| {
                let start = if t == ft { fi } else { 0 };
                let first = table.partition_point(|e| e.0 < start);
                table[first..].iter().map(move |(i, e)| ((t << bits) | u64::from(*i), e))
            })
            .take_while(move |(c, _)| *c < to)
    }

    /// The first entry at or after `cluster`.
    pub fn next_from(&self, cluster: u64) -> Option<(u64, &L2Entry)> {
        self.range(cluster, u64::MAX).next()
    }
}

impl<'a> IntoIterator for &'a L2Map {
    type Item = (u64, &'a L2Entry);
    type IntoIter = Box<dyn Iterator<Item = (u64, &'a L2Entry)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_an_ordered_map() {
        let mut m = L2Map::new(3);
        for c in [5u64, 17, 1, 8, 100] {
            assert_eq!(m.insert(c, L2Entry::Normal(c * 10)), None);
        }
        assert_eq!(m.len(), 5);
        assert_eq!(m.insert(8, L2Entry::ZeroPlain), Some(L2Entry::Normal(80)));
        assert_eq!(m.get(&8), Some(&L2Entry::ZeroPlain));
        let keys: Vec<u64> = m.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, vec![1, 5, 8, 17, 100]);
        let keys: Vec<u64> = m.range(5, 17).map(|(k, _)| k).collect();
        assert_eq!(keys, vec![5, 8]);
        assert_eq!(m.next_from(9).map(|(k, _)| k), Some(17));
        assert_eq!(m.next_from(101), None);
        assert_eq!(m.remove(&17), Some(L2Entry::Normal(170)));
        assert_eq!(m.next_from(9).map(|(k, _)| k), Some(100));
        assert_eq!(m.len(), 4);
    }
}
