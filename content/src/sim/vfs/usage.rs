//! How much memory the files of the world hold, against [`MAX_FILE_DATA`]: literal bytes only
//! (runs of one repeated byte, holes and preallocated ranges cost nothing), each shared buffer
//! counted once (`cp` and snapshots share them).

use std::collections::HashSet;

use super::{Fill, NodeKind, RegularFile, Vfs};

/// The most literal file data the files of the world may hold together. Writes past it fail
/// with a note, so that a runaway script (`dd if=/dev/urandom` in a loop of lines, output
/// appended to files again and again) cannot fill the memory of a browser tab.
pub const MAX_FILE_DATA: u64 = 256 << 20;

/// The buffers already counted, by address.
#[derive(Default)]
pub struct Counted(HashSet<usize>);

impl RegularFile {
    /// The literal bytes of this file (and of a qcow2 image's compressed clusters and a guest
    /// file system inside it) not counted yet.
    pub fn data_bytes(&self, counted: &mut Counted) -> u64 {
        let mut total = 0;
        let mut add = |contents: &super::Contents| {
            for (_, len, fill) in contents.extents() {
                if let Fill::Bytes(bytes) = fill
                    && counted.0.insert(bytes.as_ptr() as usize)
                {
                    total += len;
                }
            }
        };
        add(&self.contents);
        if let Some(q) = &self.qcow2 {
            for contents in q.compressed.values() {
                add(contents);
            }
        }
        if let Some(guest) = &self.guest {
            total += guest.data_bytes(counted);
        }
        total
    }
}

impl Vfs {
    /// The literal bytes of all files not counted yet.
    pub fn data_bytes(&self, counted: &mut Counted) -> u64 {
        let mut total = 0;
        for ino in 0..self.nodes.len() {
            if let Some(NodeKind::File(file)) = self.node(ino).map(|n| &n.kind)
                && counted.0.insert(std::sync::Arc::as_ptr(file) as usize)
            {
                total += file.data_bytes(counted);
            }
        }
        total
    }
}

impl crate::sim::World {
    /// The literal file data of every machine of the world, against [`MAX_FILE_DATA`].
    pub fn file_data_bytes(&self) -> u64 {
        let mut counted = Counted::default();
        self.machines.iter().map(|m| m.fs.data_bytes(&mut counted)).sum()
    }

    /// How many more literal bytes the files of the world may take.
    pub fn file_data_room(&self) -> u64 {
        MAX_FILE_DATA.saturating_sub(self.file_data_bytes())
    }
}

/// The note a command prints when a write would pass [`MAX_FILE_DATA`].
pub fn file_data_note() -> String {
    format!(
        "GuestLab keeps at most {} MiB of written file data in memory; remove files to make room",
        MAX_FILE_DATA >> 20
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::vfs::{Node, ROOT};

    #[test]
    fn literal_bytes_count_once_and_runs_cost_nothing() {
        let mut fs = Vfs::new(0);
        let mut file = RegularFile::with_bytes(&[7; 1000]);
        file.write_fill(5000, 1 << 30, 0);
        let ino = fs.create(ROOT, "a", Node::file(file, 0o644, 0)).expect("create");
        assert_eq!(fs.data_bytes(&mut Counted::default()), 1000);
        // A second name for the same file, and a copy that shares the buffer.
        let Some(NodeKind::File(shared)) = fs.node(ino).map(|n| n.kind.clone()) else { panic!("a file") };
        let copy = RegularFile::clone(&shared);
        fs.create(ROOT, "b", Node::file(copy, 0o644, 0)).expect("create");
        assert_eq!(fs.data_bytes(&mut Counted::default()), 1000);
        fs.create(ROOT, "c", Node::file(RegularFile::with_bytes(b"xyz"), 0o644, 0)).expect("create");
        assert_eq!(fs.data_bytes(&mut Counted::default()), 1003);
    }
}
