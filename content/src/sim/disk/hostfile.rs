//! The file operations qemu performs on an image file, with their effect on the simulated
//! ext4 file: which blocks are written, allocated unwritten (`fallocate`), or holes, and how
//! the file length changes.
//!
//! Only guest data is kept as bytes (at its host offset); metadata writes (headers, tables)
//! mark blocks as written and clear any stale data bytes there.

use crate::sim::vfs::{BLOCK_SIZE, BlockState, RegularFile};

/// `pwrite` of metadata (contents not kept).
pub fn meta_write(f: &mut RegularFile, offset: u64, len: u64) {
    if len == 0 {
        return;
    }
    f.contents.clear(offset, offset + len);
    f.blocks.write(offset, len);
    f.len = f.len.max(offset + len);
}

/// `pwrite` of `len` copies of `byte` (guest data).
pub fn data_write(f: &mut RegularFile, offset: u64, len: u64, byte: u8) {
    if len == 0 {
        return;
    }
    f.contents.fill(offset, len, byte);
    f.blocks.write(offset, len);
    f.len = f.len.max(offset + len);
}

/// `pwrite` of guest data copied from another file's contents.
pub fn data_copy(f: &mut RegularFile, offset: u64, src: &crate::sim::vfs::Contents, src_offset: u64, len: u64) {
    if len == 0 {
        return;
    }
    f.contents.copy_range(src, src_offset, len, offset);
    f.blocks.write(offset, len);
    f.len = f.len.max(offset + len);
}

/// `fallocate(FALLOC_FL_ZERO_RANGE)` without `KEEP_SIZE`: whole blocks become unwritten,
/// partial blocks at the edges are zeroed in place (a hole stays a hole), and the file grows
/// to cover the range.
pub fn zero_range(f: &mut RegularFile, offset: u64, len: u64) {
    if len == 0 {
        return;
    }
    let end = offset + len;
    f.contents.clear(offset, end);
    let first_full = offset.div_ceil(BLOCK_SIZE) * BLOCK_SIZE;
    let last_full = end / BLOCK_SIZE * BLOCK_SIZE;
    if first_full < last_full {
        f.blocks.zero_range(first_full, last_full - first_full);
    }
    f.len = f.len.max(end);
}

/// `fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)`: whole blocks are freed, partial
/// blocks are zeroed; the length stays.
pub fn punch(f: &mut RegularFile, offset: u64, len: u64) {
    if len == 0 || offset >= f.len {
        return;
    }
    let end = (offset + len).min(f.len.max(offset + len));
    f.contents.clear(offset, end);
    f.blocks.punch(offset, end - offset);
}

/// `ftruncate` to `len`.
pub fn set_len(f: &mut RegularFile, len: u64) {
    f.truncate(len);
}

/// `posix_fallocate` of `[from, to)`: holes become unwritten blocks; the file grows.
pub fn falloc(f: &mut RegularFile, from: u64, to: u64) {
    if to > from {
        f.blocks.allocate(from, to - from);
    }
    f.len = f.len.max(to);
}

/// Writing a buffer of zeros (preallocation=full).
pub fn write_zeros(f: &mut RegularFile, from: u64, to: u64) {
    if to > from {
        f.contents.clear(from, to);
        f.blocks.write(from, to - from);
    }
    f.len = f.len.max(to);
}

/// What `lseek(SEEK_DATA/SEEK_HOLE)` reports at `offset` on ext4: `true` for data (written
/// blocks), `false` for a hole (unallocated or unwritten blocks), with the length of the run
/// (limited to the file length).
pub fn seek_data(f: &RegularFile, offset: u64) -> (bool, u64) {
    if offset >= f.len {
        return (false, 0);
    }
    // The first written range that ends after `offset`.
    let mut written = f.blocks.ranges().filter(|&(_, end, state)| state == BlockState::Written && end > offset);
    let Some((start, mut end, _)) = written.next() else {
        return (false, f.len - offset);
    };
    if start > offset {
        return (false, start.min(f.len) - offset);
    }
    // Data: continue over adjacent written ranges.
    for (s2, e2, _) in written {
        if s2 != end {
            break;
        }
        end = e2;
    }
    (true, end.min(f.len) - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_range_beyond_eof_grows_the_file_with_unwritten_blocks() {
        let mut f = RegularFile::default();
        meta_write(&mut f, 0, 4096);
        zero_range(&mut f, 65536, 65536);
        assert_eq!(f.len, 131072);
        assert_eq!(f.blocks.allocated(), 17);
        assert_eq!(seek_data(&f, 0), (true, 4096));
        assert_eq!(seek_data(&f, 4096), (false, 126976));
        data_write(&mut f, 65536 + 10240, 4096, 1);
        assert_eq!(f.blocks.allocated(), 17, "the write lands in unwritten blocks");
        assert_eq!(seek_data(&f, 65536), (false, 8192));
        assert_eq!(seek_data(&f, 65536 + 8192), (true, 8192));
        // Partial blocks at the edges of a zero range keep their state: a hole stays a hole.
        let mut g = RegularFile::default();
        set_len(&mut g, 65536);
        zero_range(&mut g, 100, 5000);
        assert_eq!(g.blocks.allocated(), 0);
    }

    #[test]
    fn punch_keeps_the_length() {
        let mut f = RegularFile::default();
        data_write(&mut f, 0, 65536, 0xab);
        punch(&mut f, 4096, 8192);
        assert_eq!(f.len, 65536);
        assert_eq!(f.blocks.allocated(), 14);
        assert!(f.contents.is_zero(4096, 8192));
    }
}
