//! What a command did to a file system: a [`Snapshot`] of a subtree (path → kind and metadata)
//! before and after, and the [`Change`]s between the two, in tree order.
//!
//! A snapshot keeps each regular file's contents by reference (an `Arc` clone, no copy), so the
//! diff can tell "the bytes were rewritten" from "only the time stamp moved" without reading
//! whole disk images.

use std::sync::Arc;

use super::{FsError, Ino, NodeKind, ROOT, RegularFile, Vfs};

/// The kind of a file system object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    Dir,
    File,
    Symlink,
    CharDev,
}

/// One path of a snapshot: its kind and the metadata `stat` shows.
#[derive(Clone, Debug)]
pub struct Entry {
    pub kind: EntryKind,
    /// Permission bits.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Apparent size in bytes.
    pub size: u64,
    /// Allocated 512-byte units (`stat -c %b`).
    pub blocks: u64,
    pub mtime: i64,
    /// The target of a symbolic link.
    pub target: Option<String>,
    /// The contents of a regular file, shared with the file system.
    contents: Option<Arc<RegularFile>>,
}

impl Entry {
    /// A regular file's contents as they were when the snapshot was taken.
    pub fn file(&self) -> Option<&RegularFile> {
        self.contents.as_deref()
    }

    fn same_contents(&self, other: &Self) -> bool {
        match (&self.contents, &other.contents) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b) || (a.len == b.len && a.contents == b.contents),
            (None, None) => true,
            _ => false,
        }
    }
}

/// A subtree of a file system at one moment: every path below the root with its entry, in
/// tree order (see [`cmp_paths`]). The paths share one text buffer, so that a snapshot of
/// 10,000 files costs a few allocations, not 10,000.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    text: String,
    entries: Vec<(std::ops::Range<usize>, Entry)>,
}

/// The order of paths in a tree: component by component, so that a directory comes right before
/// its contents (`/a`, `/a/b`, `/a-c`), names compared bytewise as `ls` in the C locale.
pub fn cmp_paths(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}

impl Snapshot {
    /// Takes a snapshot of `root` (an absolute path) and everything below it. Symbolic links
    /// are recorded, not followed.
    pub fn take(fs: &Vfs, root: &str) -> Result<Self, FsError> {
        let ino = if root.trim_matches('/').is_empty() { ROOT } else { fs.resolve(ROOT, root, false)? };
        let mut snapshot = Self::default();
        snapshot.text.push('/');
        if ino != ROOT {
            snapshot.text.push_str(root.trim_matches('/'));
        }
        let path = 0..snapshot.text.len();
        snapshot.walk(fs, ino, path);
        Ok(snapshot)
    }

    fn walk(&mut self, fs: &Vfs, ino: Ino, path: std::ops::Range<usize>) {
        let Some(node) = fs.node(ino) else { return };
        let (kind, target, contents) = match &node.kind {
            NodeKind::Dir(_) => (EntryKind::Dir, None, None),
            NodeKind::File(f) => (EntryKind::File, None, Some(Arc::clone(f))),
            NodeKind::Symlink(t) => (EntryKind::Symlink, Some(t.clone()), None),
            NodeKind::CharDev { .. } => (EntryKind::CharDev, None, None),
        };
        let entry = Entry {
            kind,
            mode: node.mode,
            uid: node.uid,
            gid: node.gid,
            size: node.size(),
            blocks: node.stat_blocks(),
            mtime: node.mtime,
            target,
            contents,
        };
        let root = path.len() == 1;
        self.entries.push((path.clone(), entry));
        if let NodeKind::Dir(children) = &node.kind {
            for (name, &child) in children {
                let start = self.text.len();
                if !root {
                    self.text.extend_from_within(path.clone());
                }
                self.text.push('/');
                self.text.push_str(name);
                let child_path = start..self.text.len();
                self.walk(fs, child, child_path);
            }
        }
    }

    /// The paths and their entries, in tree order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.entries.iter().map(|(range, entry)| (self.text.get(range.clone()).unwrap_or_default(), entry))
    }

    /// The entry of a path.
    pub fn get(&self, path: &str) -> Option<&Entry> {
        let i = self
            .entries
            .binary_search_by(|(range, _)| cmp_paths(self.text.get(range.clone()).unwrap_or_default(), path))
            .ok()?;
        self.entries.get(i).map(|(_, entry)| entry)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// What changed about a path that exists before and after.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Changed {
    /// It is another kind of object now (a file replaced by a symlink, ...).
    pub kind: bool,
    pub mode: bool,
    /// Owner or group.
    pub owner: bool,
    pub size: bool,
    pub blocks: bool,
    pub mtime: bool,
    /// A symlink points elsewhere.
    pub target: bool,
    /// A regular file's bytes differ.
    pub contents: bool,
}

impl Changed {
    /// Nothing changed.
    pub fn is_empty(self) -> bool {
        self == Self::default()
    }

    /// Only the time stamp moved (a directory that gained or lost an entry, a file touched).
    pub fn only_mtime(self) -> bool {
        self == Self { mtime: true, ..Self::default() }
    }

    /// The names of what changed, in `stat`'s words: `contents`, `size`, `blocks`, `mode`,
    /// `owner`, `mtime`, `target`, `type`.
    pub fn names(self) -> Vec<&'static str> {
        [
            (self.kind, "type"),
            (self.contents, "contents"),
            (self.size, "size"),
            (self.blocks, "blocks"),
            (self.target, "target"),
            (self.mode, "mode"),
            (self.owner, "owner"),
            (self.mtime, "mtime"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect()
    }
}

/// How a path differs between two snapshots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed(Changed),
}

/// One path that differs, with its entry before and after.
#[derive(Clone, Debug)]
pub struct Change {
    pub path: String,
    pub kind: ChangeKind,
    pub before: Option<Entry>,
    pub after: Option<Entry>,
}

impl Change {
    /// The kind of the object (after the change, or before it for a removal).
    pub fn entry_kind(&self) -> Option<EntryKind> {
        self.after.as_ref().or(self.before.as_ref()).map(|e| e.kind)
    }

    /// A directory whose only change is its time stamp: the side effect of an entry added to
    /// or removed from it, which the entry's own change already tells.
    pub fn is_dir_listing_only(&self) -> bool {
        matches!(self.kind, ChangeKind::Changed(c) if c.only_mtime()) && self.entry_kind() == Some(EntryKind::Dir)
    }
}

fn compare(a: &Entry, b: &Entry) -> Changed {
    Changed {
        kind: a.kind != b.kind,
        mode: a.mode != b.mode,
        owner: a.uid != b.uid || a.gid != b.gid,
        size: a.size != b.size,
        blocks: a.blocks != b.blocks,
        mtime: a.mtime != b.mtime,
        target: a.target != b.target,
        contents: !a.same_contents(b),
    }
}

/// The differences from `before` to `after`, in tree order (see [`cmp_paths`]).
pub fn diff(before: &Snapshot, after: &Snapshot) -> Vec<Change> {
    use std::cmp::Ordering;
    let mut out = Vec::new();
    let mut old = before.iter().peekable();
    let mut new = after.iter().peekable();
    loop {
        let order = match (old.peek(), new.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            // Most paths are on both sides: equal strings are equal paths, without splitting.
            (Some((a, _)), Some((b, _))) if a == b => Ordering::Equal,
            (Some((a, _)), Some((b, _))) => cmp_paths(a, b),
        };
        match order {
            Ordering::Less => {
                if let Some((path, entry)) = old.next() {
                    out.push(Change {
                        path: path.to_owned(),
                        kind: ChangeKind::Removed,
                        before: Some(entry.clone()),
                        after: None,
                    });
                }
            }
            Ordering::Greater => {
                if let Some((path, entry)) = new.next() {
                    out.push(Change {
                        path: path.to_owned(),
                        kind: ChangeKind::Added,
                        before: None,
                        after: Some(entry.clone()),
                    });
                }
            }
            Ordering::Equal => {
                if let (Some((path, a)), Some((_, b))) = (old.next(), new.next()) {
                    let changed = compare(a, b);
                    if !changed.is_empty() {
                        out.push(Change {
                            path: path.to_owned(),
                            kind: ChangeKind::Changed(changed),
                            before: Some(a.clone()),
                            after: Some(b.clone()),
                        });
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::vfs::Node;

    fn fs() -> Vfs {
        let mut fs = Vfs::new(100);
        fs.mkdir_p("/etc/libvirt/qemu/autostart", 0o755, 100).unwrap();
        fs.put_file("/etc/libvirt/qemu/vm1.xml", b"<domain/>\n", 0o600, 100).unwrap();
        fs.put_file("/etc/hostname", b"host\n", 0o644, 100).unwrap();
        fs
    }

    fn summary(changes: &[Change]) -> Vec<(String, ChangeKind)> {
        changes.iter().map(|c| (c.path.clone(), c.kind)).collect()
    }

    #[test]
    fn snapshot_of_a_subtree_lists_paths_in_order_with_their_metadata() {
        let fs = fs();
        let snap = Snapshot::take(&fs, "/etc/libvirt").unwrap();
        let paths: Vec<&str> = snap.iter().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            ["/etc/libvirt", "/etc/libvirt/qemu", "/etc/libvirt/qemu/autostart", "/etc/libvirt/qemu/vm1.xml"]
        );
        let xml = snap.get("/etc/libvirt/qemu/vm1.xml").unwrap();
        assert_eq!((xml.kind, xml.mode, xml.size, xml.blocks, xml.mtime), (EntryKind::File, 0o600, 10, 8, 100));
        let all = Snapshot::take(&fs, "/").unwrap();
        assert_eq!(all.len(), 7);
        assert_eq!(all.iter().map(|(p, _)| p).collect::<Vec<_>>()[..3], ["/", "/etc", "/etc/hostname"]);
        assert!(all.get("/etc/libvirt/qemu").is_some_and(|e| e.kind == EntryKind::Dir));
        assert!(all.get("/etc/libvirt/qemu/vm2.xml").is_none());
        assert_eq!(Snapshot::take(&fs, "/nope").unwrap_err(), FsError::NotFound);
    }

    #[test]
    fn tree_order_puts_a_directory_right_before_its_contents() {
        let mut paths = ["/a-c", "/a/b", "/", "/a", "/a/b/c", "/b"];
        crate::order::sort_by(&mut paths, |a, b| cmp_paths(a, b));
        assert_eq!(paths, ["/", "/a", "/a/b", "/a/b/c", "/a-c", "/b"]);
    }

    #[test]
    fn an_added_symlink_and_the_directory_it_went_into() {
        let mut fs = fs();
        let before = Snapshot::take(&fs, "/").unwrap();
        fs.put_symlink("/etc/libvirt/qemu/autostart/vm1.xml", "/etc/libvirt/qemu/vm1.xml", 200).unwrap();
        let after = Snapshot::take(&fs, "/").unwrap();
        let changes = diff(&before, &after);
        assert_eq!(
            summary(&changes),
            [
                (
                    "/etc/libvirt/qemu/autostart".to_owned(),
                    ChangeKind::Changed(Changed { mtime: true, ..Changed::default() })
                ),
                ("/etc/libvirt/qemu/autostart/vm1.xml".to_owned(), ChangeKind::Added),
            ]
        );
        assert!(changes[0].is_dir_listing_only());
        let link = changes[1].after.as_ref().unwrap();
        assert_eq!(
            (link.kind, link.target.as_deref(), link.size),
            (EntryKind::Symlink, Some("/etc/libvirt/qemu/vm1.xml"), 25)
        );
    }

    #[test]
    fn removed_and_rewritten_files() {
        let mut fs = fs();
        let before = Snapshot::take(&fs, "/etc").unwrap();
        let qemu = fs.resolve(ROOT, "/etc/libvirt/qemu", true).unwrap();
        fs.unlink(qemu, "vm1.xml", 300).unwrap();
        let host = fs.resolve(ROOT, "/etc/hostname", true).unwrap();
        // Same length, other bytes, same time stamp: only the contents tell.
        fs.node_mut(host).unwrap().kind = NodeKind::File(Arc::new(RegularFile::with_bytes(b"gost\n")));
        let etc = fs.resolve(ROOT, "/etc", true).unwrap();
        fs.create(etc, "machine-id", Node::file(RegularFile::default(), 0o444, 300)).unwrap();
        let after = Snapshot::take(&fs, "/etc").unwrap();
        let changes = diff(&before, &after);
        let contents_only = Changed { contents: true, ..Changed::default() };
        let dir_time = Changed { mtime: true, ..Changed::default() };
        assert_eq!(
            summary(&changes),
            [
                ("/etc".to_owned(), ChangeKind::Changed(dir_time)),
                ("/etc/hostname".to_owned(), ChangeKind::Changed(contents_only)),
                ("/etc/libvirt/qemu".to_owned(), ChangeKind::Changed(dir_time)),
                ("/etc/libvirt/qemu/vm1.xml".to_owned(), ChangeKind::Removed),
                ("/etc/machine-id".to_owned(), ChangeKind::Added),
            ]
        );
        assert_eq!(contents_only.names(), ["contents"]);
        assert_eq!(changes[3].before.as_ref().map(|e| e.mode), Some(0o600));
    }

    #[test]
    fn a_grown_file_reports_size_blocks_contents_and_time_and_identical_snapshots_nothing() {
        let mut fs = fs();
        let before = Snapshot::take(&fs, "/").unwrap();
        assert!(diff(&before, &Snapshot::take(&fs, "/").unwrap()).is_empty());
        let ino = fs.resolve(ROOT, "/etc/hostname", true).unwrap();
        fs.file_mut(ino, 400).unwrap().write_fill(4096, 4096, 0xab);
        fs.node_mut(ino).unwrap().mode = 0o600;
        let changes = diff(&before, &Snapshot::take(&fs, "/").unwrap());
        assert_eq!(changes.len(), 1);
        let ChangeKind::Changed(c) = changes[0].kind else { panic!("{:?}", changes[0].kind) };
        assert_eq!(c.names(), ["contents", "size", "blocks", "mode", "mtime"]);
        assert!(!changes[0].is_dir_listing_only());
    }
}
