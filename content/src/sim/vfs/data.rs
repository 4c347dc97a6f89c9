//! The contents of a simulated regular file: sparse bytes, and the host blocks that back them.
//!
//! Contents are kept as extents of literal bytes or of one repeated byte (what `dd if=/dev/zero`,
//! `qemu-io write -P` and preallocation write), so that a 16 TiB sparse image costs memory only
//! for what was written. Blocks follow ext4 with 4 KiB blocks: a block is a hole, allocated but
//! unwritten (`fallocate`: reads as zeros, and `SEEK_DATA` skips it), or written.

use std::collections::BTreeMap;
use std::sync::Arc;

/// The file system block size (ext4 default).
pub const BLOCK_SIZE: u64 = 4096;

/// What a range of a file holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fill {
    /// The same byte repeated.
    Byte(u8),
    /// Literal bytes; the extent covers exactly these.
    Bytes(Arc<[u8]>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Extent {
    len: u64,
    fill: Fill,
}

impl Extent {
    /// The part `[from, from + len)` of this extent (offsets relative to its start).
    fn slice(&self, from: u64, len: u64) -> Self {
        match &self.fill {
            Fill::Byte(b) => Self { len, fill: Fill::Byte(*b) },
            Fill::Bytes(bytes) => {
                let from = from as usize;
                Self { len, fill: Fill::Bytes(bytes[from..from + len as usize].into()) }
            }
        }
    }
}

/// Sparse file contents. Ranges without an extent read as zero bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contents {
    /// start offset → extent; extents never overlap and are never empty.
    extents: BTreeMap<u64, Extent>,
}

impl Contents {
    /// Contents made of these bytes.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        let mut c = Self::default();
        c.write_bytes(0, bytes);
        c
    }

    /// Removes everything in `[start, end)`, splitting extents at the edges.
    pub fn clear(&mut self, start: u64, end: u64) {
        if start >= end {
            return;
        }
        // Nothing at or after `start` (clearing a fresh cluster at the end of an image).
        match self.extents.last_key_value() {
            None => return,
            Some((&s, e)) if s + e.len <= start => return,
            _ => {}
        }
        // Walk back from the last extent that starts before `end` (no allocation: this is the
        // hot path of every image write).
        while let Some((&s, e)) = self.extents.range(..end).next_back() {
            if s + e.len <= start {
                break;
            }
            let Some(e) = self.extents.remove(&s) else { break };
            if s + e.len > end {
                self.extents.insert(end, e.slice(end - s, s + e.len - end));
            }
            if s < start {
                self.extents.insert(s, e.slice(0, start - s));
                break;
            }
        }
    }

    /// Writes `len` copies of `byte` at `offset`. Zero bytes are stored as absence.
    pub fn fill(&mut self, offset: u64, len: u64, byte: u8) {
        if len == 0 {
            return;
        }
        // Fast path: appending after every extent (new clusters go to the end of an image).
        if let Some(mut last) = self.extents.last_entry()
            && *last.key() + last.get().len <= offset
        {
            if byte == 0 {
                return;
            }
            if *last.key() + last.get().len == offset && last.get().fill == Fill::Byte(byte) {
                last.get_mut().len += len;
            } else {
                self.extents.insert(offset, Extent { len, fill: Fill::Byte(byte) });
            }
            return;
        }
        self.clear(offset, offset + len);
        if byte != 0 {
            self.extents.insert(offset, Extent { len, fill: Fill::Byte(byte) });
            self.merge_around(offset);
        }
    }

    /// Writes literal bytes at `offset`.
    pub fn write_bytes(&mut self, offset: u64, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        self.clear(offset, offset + bytes.len() as u64);
        self.extents.insert(offset, Extent { len: bytes.len() as u64, fill: Fill::Bytes(bytes.into()) });
    }

    /// Joins a `Fill::Byte` extent with equal neighbours, so that sequential pattern writes
    /// stay one extent.
    fn merge_around(&mut self, offset: u64) {
        let Some(e) = self.extents.get(&offset).cloned() else { return };
        let Fill::Byte(b) = e.fill else { return };
        let mut start = offset;
        let mut len = e.len;
        if let Some((&ps, pe)) = self.extents.range(..offset).next_back()
            && ps + pe.len == offset
            && pe.fill == Fill::Byte(b)
        {
            start = ps;
            len += pe.len;
            self.extents.remove(&offset);
        }
        if let Some(ne) = self.extents.get(&(offset + e.len)).cloned()
            && ne.fill == Fill::Byte(b)
        {
            self.extents.remove(&(offset + e.len));
            len += ne.len;
        }
        self.extents.insert(start, Extent { len, fill: Fill::Byte(b) });
    }

    /// Reads `[offset, offset + len)` (zeros where nothing was written).
    pub fn read(&self, offset: u64, len: usize) -> Vec<u8> {
        let mut out = vec![0u8; len];
        let end = offset + len as u64;
        let first = self.extents.range(..offset).next_back().map_or(offset, |(&s, _)| s);
        for (&s, e) in self.extents.range(first..end) {
            let from = s.max(offset);
            let to = (s + e.len).min(end);
            if from >= to {
                continue;
            }
            let dst = &mut out[(from - offset) as usize..(to - offset) as usize];
            match &e.fill {
                Fill::Byte(b) => dst.fill(*b),
                Fill::Bytes(bytes) => dst.copy_from_slice(&bytes[(from - s) as usize..(to - s) as usize]),
            }
        }
        out
    }

    /// Whether `[offset, offset + len)` reads as zeros only.
    pub fn is_zero(&self, offset: u64, len: u64) -> bool {
        let end = offset + len;
        let first = self.extents.range(..offset).next_back().map_or(offset, |(&s, _)| s);
        self.extents.range(first..end).all(|(&s, e)| {
            let from = s.max(offset);
            let to = (s + e.len).min(end);
            from >= to
                || match &e.fill {
                    Fill::Byte(b) => *b == 0,
                    Fill::Bytes(bytes) => bytes[(from - s) as usize..(to - s) as usize].iter().all(|&b| b == 0),
                }
        })
    }

    /// Splits `n` blocks of `block` bytes from `offset` by content: whether the first block
    /// reads as all zeros, and how many blocks in a row from it do the same. Runs inside one
    /// filled extent or one hole are skipped whole, so this is fast on large images.
    pub fn zero_run(&self, offset: u64, block: u64, n: u64) -> (bool, u64) {
        let zero_at = |i: u64| self.is_zero(offset + i * block, block);
        let first = zero_at(0);
        let mut i = 1;
        while i < n {
            let pos = offset + i * block;
            // The extent at `pos`, or the next one after it.
            let at = self.extents.range(..=pos).next_back().filter(|(s, e)| **s + e.len > pos);
            let skip_to = match at {
                Some((&s, e)) if matches!(e.fill, Fill::Byte(_)) => Some(s + e.len),
                Some(_) => None,
                None => Some(self.extents.range(pos..).next().map_or(u64::MAX, |(&s, _)| s)),
            };
            if zero_at(i) != first {
                return (first, i);
            }
            match skip_to {
                // Every block wholly before `end` reads like block i.
                Some(end) if end > pos + block => {
                    let whole = (end - offset) / block;
                    i = whole.clamp(i + 1, n);
                }
                _ => i += 1,
            }
        }
        (first, n)
    }

    /// Drops everything at or after `len`.
    pub fn truncate(&mut self, len: u64) {
        self.clear(len, u64::MAX);
    }

    /// Copies `[src, src + len)` of `from` to `dst` in `self`.
    pub fn copy_range(&mut self, from: &Self, src: u64, len: u64, dst: u64) {
        self.clear(dst, dst + len);
        let end = src + len;
        let first = from.extents.range(..src).next_back().map_or(src, |(&s, _)| s);
        for (&s, e) in from.extents.range(first..end) {
            let a = s.max(src);
            let b = (s + e.len).min(end);
            if a < b {
                self.extents.insert(dst + (a - src), e.slice(a - s, b - a));
            }
        }
    }

    /// The extents as (start, length, fill), in order.
    pub fn extents(&self) -> impl Iterator<Item = (u64, u64, &Fill)> {
        self.extents.iter().map(|(&s, e)| (s, e.len, &e.fill))
    }
}

/// The state of a file system block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockState {
    /// Allocated by `fallocate`; reads as zeros and counts for `du`.
    Unwritten,
    Written,
}

/// Which 4 KiB blocks of a file are allocated. Ranges are in blocks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Blocks {
    /// start block → (end block, state); ranges never overlap, neighbours with the same state
    /// are merged.
    ranges: BTreeMap<u64, (u64, BlockState)>,
    allocated: u64,
}

impl Blocks {
    /// The number of allocated blocks (written or unwritten).
    pub fn allocated(&self) -> u64 {
        self.allocated
    }

    fn set(&mut self, start: u64, end: u64, state: Option<BlockState>) {
        if start >= end {
            return;
        }
        // Fast paths, changing the last range in place where possible: appending after the
        // last range, or a range inside the last range (a write into a freshly zeroed cluster at
        // the end of an image).
        match self.ranges.last_entry() {
            None => {
                if let Some(st) = state {
                    self.ranges.insert(start, (end, st));
                    self.allocated += end - start;
                }
                return;
            }
            Some(mut last) => {
                let ls = *last.key();
                let (le, lst) = *last.get();
                if start >= le {
                    if let Some(st) = state {
                        if start == le && lst == st {
                            last.get_mut().0 = end;
                        } else {
                            self.ranges.insert(start, (end, st));
                        }
                        self.allocated += end - start;
                    }
                    return;
                }
                if start >= ls && end <= le {
                    let Some(st) = state else {
                        // Freeing part of the last range: the general path below.
                        return self.set_general(start, end, None);
                    };
                    if st == lst {
                        return;
                    }
                    if ls == start {
                        *last.get_mut() = (end, st);
                    } else {
                        last.get_mut().0 = start;
                        self.ranges.insert(start, (end, st));
                    }
                    if end < le {
                        self.ranges.insert(end, (le, lst));
                    }
                    if ls == start {
                        self.merge_at(start);
                    }
                    return;
                }
            }
        }
        self.set_general(start, end, state);
    }

    fn set_general(&mut self, start: u64, end: u64, state: Option<BlockState>) {
        if let Some(st) = state
            && let Some((_, &(e, cur))) = self.ranges.range(..=start).next_back()
            && e >= end
            && cur == st
        {
            return;
        }
        // Cut the ranges that overlap [start, end), walking back from `end` without allocating.
        let mut left: Option<(u64, u64, BlockState)> = None;
        let mut right: Option<(u64, u64, BlockState)> = None;
        while let Some((&s, &(e, st))) = self.ranges.range(..end).next_back() {
            if e <= start {
                break;
            }
            self.ranges.remove(&s);
            self.allocated -= e - s;
            if e > end {
                right = Some((end, e, st));
            }
            if s < start {
                left = Some((s, start, st));
                break;
            }
        }
        for (s, e, st) in [left, right].into_iter().flatten() {
            self.allocated += e - s;
            self.ranges.insert(s, (e, st));
        }
        if let Some(st) = state {
            self.allocated += end - start;
            self.ranges.insert(start, (end, st));
            self.merge_at(start);
        }
    }

    fn merge_at(&mut self, start: u64) {
        let Some(&(mut end, st)) = self.ranges.get(&start) else { return };
        let mut begin = start;
        if let Some((&ps, &(pe, pst))) = self.ranges.range(..start).next_back()
            && pe == start
            && pst == st
        {
            self.ranges.remove(&start);
            begin = ps;
        }
        if let Some(&(ne, nst)) = self.ranges.get(&end)
            && nst == st
        {
            self.ranges.remove(&end);
            end = ne;
        }
        self.ranges.insert(begin, (end, st));
    }

    /// Marks the blocks touched by a write of `[offset, offset + len)` as written.
    pub fn write(&mut self, offset: u64, len: u64) {
        if len > 0 {
            self.set(offset / BLOCK_SIZE, (offset + len).div_ceil(BLOCK_SIZE), Some(BlockState::Written));
        }
    }

    /// `fallocate`: holes in the range become unwritten blocks; written blocks stay written.
    pub fn allocate(&mut self, offset: u64, len: u64) {
        let start = offset / BLOCK_SIZE;
        let end = (offset + len).div_ceil(BLOCK_SIZE);
        let mut cursor = start;
        let existing: Vec<(u64, u64)> = self
            .ranges
            .range(..end)
            .filter(|(_, (e, _))| *e > start)
            .map(|(&s, &(e, _))| (s.max(start), e.min(end)))
            .collect();
        for (s, e) in existing {
            if cursor < s {
                self.set(cursor, s, Some(BlockState::Unwritten));
            }
            cursor = cursor.max(e);
        }
        if cursor < end {
            self.set(cursor, end, Some(BlockState::Unwritten));
        }
    }

    /// `fallocate(FALLOC_FL_ZERO_RANGE)`: whole blocks in the range become unwritten.
    pub fn zero_range(&mut self, offset: u64, len: u64) {
        let start = offset.div_ceil(BLOCK_SIZE);
        let end = (offset + len) / BLOCK_SIZE;
        if start < end {
            self.set(start, end, Some(BlockState::Unwritten));
        }
    }

    /// `fallocate(FALLOC_FL_PUNCH_HOLE)`: whole blocks in the range are freed.
    pub fn punch(&mut self, offset: u64, len: u64) {
        let start = offset.div_ceil(BLOCK_SIZE);
        let end = (offset + len) / BLOCK_SIZE;
        self.set(start, end, None);
    }

    /// Frees the blocks at or after byte `len` (the file was truncated to `len`).
    pub fn truncate(&mut self, len: u64) {
        self.set(len.div_ceil(BLOCK_SIZE), u64::MAX, None);
    }

    /// The allocated ranges as (start byte, end byte, state).
    pub fn ranges(&self) -> impl Iterator<Item = (u64, u64, BlockState)> + '_ {
        self.ranges.iter().map(|(&s, &(e, st))| (s * BLOCK_SIZE, e * BLOCK_SIZE, st))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contents_are_sparse_and_split_correctly() {
        let mut c = Contents::default();
        c.fill(0, 10, 0xab);
        c.write_bytes(4, b"hi");
        assert_eq!(c.read(0, 12), vec![0xab, 0xab, 0xab, 0xab, b'h', b'i', 0xab, 0xab, 0xab, 0xab, 0, 0]);
        c.fill(2, 4, 0);
        assert_eq!(c.read(0, 8), vec![0xab, 0xab, 0, 0, 0, 0, 0xab, 0xab]);
        assert!(c.is_zero(2, 4));
        assert!(!c.is_zero(1, 2));
        c.truncate(7);
        assert_eq!(c.read(5, 4), vec![0, 0xab, 0, 0]);
    }

    #[test]
    fn sequential_pattern_writes_stay_one_extent() {
        let mut c = Contents::default();
        for i in 0..100 {
            c.fill(i * 4096, 4096, 0xcd);
        }
        assert_eq!(c.extents().count(), 1);
    }

    #[test]
    fn copy_range_copies_extents() {
        let mut a = Contents::default();
        a.write_bytes(10, b"abcdef");
        let mut b = Contents::default();
        b.copy_range(&a, 12, 10, 100);
        assert_eq!(b.read(100, 5), b"cdef\0".to_vec());
    }

    #[test]
    fn blocks_track_ext4_allocation() {
        let mut b = Blocks::default();
        b.write(0, 1);
        assert_eq!(b.allocated(), 1);
        b.write(4095, 2);
        assert_eq!(b.allocated(), 2);
        b.allocate(0, 5 * BLOCK_SIZE);
        assert_eq!(b.allocated(), 5);
        assert_eq!(
            b.ranges().collect::<Vec<_>>(),
            vec![(0, 8192, BlockState::Written), (8192, 20480, BlockState::Unwritten)]
        );
        b.punch(100, 3 * BLOCK_SIZE);
        // Only whole blocks inside the range are freed: blocks 1 and 2.
        assert_eq!(b.allocated(), 3);
        b.truncate(BLOCK_SIZE + 1);
        assert_eq!(b.allocated(), 1);
        b.zero_range(0, 3 * BLOCK_SIZE);
        assert_eq!(b.ranges().collect::<Vec<_>>(), vec![(0, 12288, BlockState::Unwritten)]);
    }
}
