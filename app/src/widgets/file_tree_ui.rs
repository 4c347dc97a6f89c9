//! A collapsible tree of one machine's file system, drawn row by row: only the rows in view are
//! laid out, from a flat display model that is rebuilt when the world changes or a directory is
//! opened or closed. Paths that a command added or changed glow for a few seconds.

use std::collections::{BTreeMap, BTreeSet};

use egui::{Color32, Sense, Ui};
use guestlab_content::sim::vfs::diff::{Change, ChangeKind};
use guestlab_content::sim::vfs::{Ino, NodeKind, ROOT, Vfs};

/// How long a highlight takes to fade, in seconds.
pub const FADE_SECONDS: f64 = 3.0;

/// At most this many changed paths have their directories opened to show them.
const REVEAL_LIMIT: usize = 60;

/// What a row shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    Dir,
    File,
    /// A regular file holding a disk image (qcow2 structure, or a raw image by its name).
    Image,
    Symlink,
    Device,
}

/// One visible line of the tree. Its texts live in the tree's text arena (one buffer for all
/// rows, so that rebuilding 10,000 rows allocates next to nothing): see [`FileTree::path`].
#[derive(Clone, Debug)]
pub struct Row {
    pub depth: usize,
    /// The absolute path, as a range of the arena; the name is its end from `name`.
    path: std::ops::Range<usize>,
    name: usize,
    /// The target of a symlink, as a range of the arena.
    target: Option<std::ops::Range<usize>>,
    pub kind: RowKind,
    /// Open (for directories).
    pub open: bool,
    /// A directory with entries.
    pub has_children: bool,
}

/// How a path was touched by the last commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Added,
    Changed,
}

/// The tree's state: open directories, the selection, the highlights and the display model.
pub struct FileTree {
    open: BTreeSet<String>,
    selected: Option<String>,
    /// Path → (how, when, in the context's time).
    marks: BTreeMap<String, (Mark, f64)>,
    rows: Vec<Row>,
    /// The texts of the rows.
    text: String,
    /// The world version the rows were built for; `None` forces a rebuild.
    built_for: Option<u64>,
    /// Scroll so that the row of this path is in view (after a change or a selection).
    reveal: Option<String>,
    /// The rows drawn last frame.
    in_view: std::ops::Range<usize>,
}

/// Every ancestor of an absolute path, from `/` down, without the path itself.
fn ancestors(path: &str) -> impl Iterator<Item = String> + '_ {
    let mut ends: Vec<usize> = path.match_indices('/').map(|(i, _)| i).filter(|&i| i > 0).collect();
    ends.push(0);
    guestlab_content::order::sort(&mut ends);
    ends.into_iter().map(move |i| if i == 0 { "/".to_owned() } else { path[..i].to_owned() })
}

fn is_image_name(name: &str) -> bool {
    [".img", ".raw", ".qcow2", ".iso"].iter().any(|ext| name.ends_with(ext))
}

impl FileTree {
    /// A tree with these directories (and their ancestors) open.
    pub fn new(open: &[&str]) -> Self {
        let mut tree = Self {
            open: BTreeSet::from(["/".to_owned()]),
            selected: None,
            marks: BTreeMap::new(),
            rows: Vec::new(),
            text: String::new(),
            built_for: None,
            reveal: None,
            in_view: 0..0,
        };
        for path in open {
            tree.open_with_ancestors(path);
        }
        tree
    }

    fn open_with_ancestors(&mut self, path: &str) {
        self.open.extend(ancestors(path));
        self.open.insert(path.to_owned());
        self.built_for = None;
    }

    /// The selected path.
    pub fn selected(&self) -> Option<&str> {
        self.selected.as_deref()
    }

    /// Selects a path and scrolls to it (opening its directories).
    pub fn select(&mut self, path: &str) {
        self.selected = Some(path.to_owned());
        self.open.extend(ancestors(path));
        self.reveal = Some(path.to_owned());
        self.built_for = None;
    }

    pub fn is_open(&self, path: &str) -> bool {
        self.open.contains(path)
    }

    /// Opens or closes a directory.
    pub fn toggle(&mut self, path: &str) {
        if !self.open.remove(path) {
            self.open.insert(path.to_owned());
        }
        self.built_for = None;
    }

    /// The display model (rebuilt by [`FileTree::refresh`]).
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The highlight of a path, if it is still glowing at `now`: its kind and strength (1 → 0).
    pub fn mark(&self, path: &str, now: f64) -> Option<(Mark, f32)> {
        let &(mark, at) = self.marks.get(path)?;
        let strength = 1.0 - (now - at) / FADE_SECONDS;
        (strength > 0.0).then_some((mark, strength as f32))
    }

    /// Highlights what a command added or changed (not directories whose only change is a new
    /// or removed entry), opens the directories that hold them and scrolls to the first one.
    /// Highlights of earlier commands go out, so that the tree shows what the last one did.
    pub fn mark_changes(&mut self, changes: &[Change], now: f64) {
        self.marks.clear();
        let shown: Vec<&Change> =
            changes.iter().filter(|c| !c.is_dir_listing_only() && !matches!(c.kind, ChangeKind::Removed)).collect();
        for change in &shown {
            let mark = if matches!(change.kind, ChangeKind::Added) { Mark::Added } else { Mark::Changed };
            self.marks.insert(change.path.clone(), (mark, now));
        }
        if shown.len() <= REVEAL_LIMIT {
            for change in &shown {
                // Opening a new directory would show every file inside: open only its parents.
                self.open.extend(ancestors(&change.path));
            }
        }
        if let Some(first) = shown.first() {
            self.reveal = Some(first.path.clone());
        }
        self.built_for = None;
    }

    /// Forgets highlights that have faded; `true` while some still glow.
    fn fade(&mut self, now: f64) -> bool {
        self.marks.retain(|_, &mut (_, at)| now - at < FADE_SECONDS);
        !self.marks.is_empty()
    }

    /// The absolute path of a row.
    pub fn path(&self, row: &Row) -> &str {
        self.text.get(row.path.clone()).unwrap_or_default()
    }

    /// The name of a row (`/` for the root).
    pub fn name(&self, row: &Row) -> &str {
        self.text.get(row.name..row.path.end).unwrap_or_default()
    }

    /// The target of a symlink row.
    pub fn target(&self, row: &Row) -> Option<&str> {
        row.target.clone().and_then(|r| self.text.get(r))
    }

    /// Rebuilds the display model if the world (its `version`) or the open directories changed.
    pub fn refresh(&mut self, fs: &Vfs, version: u64) {
        if self.built_for == Some(version) {
            return;
        }
        self.rows.clear();
        self.text.clear();
        self.text.push('/');
        let open = self.open.contains("/");
        self.rows.push(Row {
            depth: 0,
            path: 0..1,
            name: 0,
            target: None,
            kind: RowKind::Dir,
            open,
            has_children: fs.entries(ROOT).is_ok_and(|e| !e.is_empty()),
        });
        if open {
            self.add_children(fs, ROOT, 0..0, 1);
        }
        self.built_for = Some(version);
    }

    fn add_children(&mut self, fs: &Vfs, dir: Ino, dir_path: std::ops::Range<usize>, depth: usize) {
        let Ok(entries) = fs.entries(dir) else { return };
        for (name, &ino) in entries {
            let Some(node) = fs.node(ino) else { continue };
            let start = self.text.len();
            self.text.extend_from_within(dir_path.clone());
            self.text.push('/');
            let name_start = self.text.len();
            self.text.push_str(name);
            let path = start..self.text.len();
            let (kind, has_children) = match &node.kind {
                NodeKind::Dir(children) => (RowKind::Dir, !children.is_empty()),
                NodeKind::File(f) if f.qcow2.is_some() || is_image_name(name) => (RowKind::Image, false),
                NodeKind::File(_) => (RowKind::File, false),
                NodeKind::Symlink(_) => (RowKind::Symlink, false),
                NodeKind::CharDev { .. } => (RowKind::Device, false),
            };
            let target = match &node.kind {
                NodeKind::Symlink(t) => {
                    let at = self.text.len();
                    self.text.push_str(t);
                    Some(at..self.text.len())
                }
                _ => None,
            };
            let open = kind == RowKind::Dir && self.open.contains(&self.text[path.clone()]);
            self.rows.push(Row { depth, path: path.clone(), name: name_start, target, kind, open, has_children });
            if open {
                self.add_children(fs, ino, path, depth + 1);
            }
        }
    }

    /// Draws the tree. Returns the path the learner selected this frame.
    pub fn ui(&mut self, ui: &mut Ui, fs: &Vfs, version: u64) -> Option<String> {
        let now = ui.input(|i| i.time);
        if self.fade(now) {
            // About 30 frames a second while something glows, none once all have faded.
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(33));
        }
        self.refresh(fs, version);

        let font = egui::TextStyle::Monospace.resolve(ui.style());
        let row_height = ui.text_style_height(&egui::TextStyle::Monospace) + 3.0;
        // Rows touch, so that highlights form one band.
        ui.spacing_mut().item_spacing.y = 0.0;
        let spacing = 0.0;
        let colors = Colors::new(ui.visuals());

        let mut scroll = egui::ScrollArea::both().id_salt("file-tree").auto_shrink(false);
        if let Some(path) = self.reveal.take()
            && let Some(index) = self.rows.iter().position(|r| self.path(r) == path)
            && !(self.in_view.start + 1..self.in_view.end.saturating_sub(2)).contains(&index)
        {
            let offset = (index as f32 - 3.0).max(0.0) * (row_height + spacing);
            scroll = scroll.vertical_scroll_offset(offset);
        }

        let mut clicked: Option<(usize, bool)> = None;
        let output = scroll.show_rows(ui, row_height, self.rows.len(), |ui, range| {
            let width = ui.available_width().max(200.0);
            for index in range.clone() {
                let Some(row) = self.rows.get(index) else { break };
                let (rect, response) = ui.allocate_exact_size(egui::vec2(width, row_height), Sense::click());
                let (path, name) = (self.path(row), self.name(row));
                let selected = self.selected.as_deref() == Some(path);
                response.widget_info(|| egui::WidgetInfo::selected(egui::Role::TreeItem, true, selected, name));
                if !ui.is_rect_visible(rect) {
                    continue;
                }
                let painter = ui.painter();
                if selected {
                    painter.rect_filled(rect, 2.0, ui.visuals().selection.bg_fill);
                } else if response.hovered() {
                    painter.rect_filled(rect, 2.0, ui.visuals().widgets.hovered.weak_bg_fill);
                }
                if let Some((mark, strength)) = self.mark(path, now) {
                    painter.rect_filled(rect, 2.0, colors.mark(mark).gamma_multiply(0.45 * strength));
                }
                let indent = 14.0 * row.depth as f32;
                let x = rect.left() + 4.0 + indent;
                let y = rect.center().y;
                let arrow = match (row.kind, row.open, row.has_children) {
                    (RowKind::Dir, true, _) => "▾",
                    (RowKind::Dir, false, true) => "▸",
                    _ => " ",
                };
                painter.text(egui::pos2(x, y), egui::Align2::LEFT_CENTER, arrow, font.clone(), colors.weak);
                let name = if row.kind == RowKind::Dir && path != "/" { format!("{name}/") } else { name.to_owned() };
                let name_rect = painter.text(
                    egui::pos2(x + 14.0, y),
                    egui::Align2::LEFT_CENTER,
                    name,
                    font.clone(),
                    colors.kind(row.kind),
                );
                let mut end = name_rect.right();
                if let Some(target) = self.target(row) {
                    let r = painter.text(
                        egui::pos2(end + 6.0, y),
                        egui::Align2::LEFT_CENTER,
                        format!("→ {target}"),
                        font.clone(),
                        colors.weak,
                    );
                    end = r.right();
                }
                // A closed directory with something new inside.
                if row.kind == RowKind::Dir && !row.open {
                    let prefix = format!("{path}/");
                    let inside = self
                        .marks
                        .range(prefix.clone()..)
                        .take_while(|(p, _)| p.starts_with(&prefix))
                        .find(|&(_, &(_, at))| now - at < FADE_SECONDS);
                    if let Some((_, &(mark, _))) = inside {
                        painter.text(
                            egui::pos2(end + 6.0, y),
                            egui::Align2::LEFT_CENTER,
                            "●",
                            font.clone(),
                            colors.mark(mark),
                        );
                    }
                }
                if response.clicked() {
                    let on_arrow = response.interact_pointer_pos().is_some_and(|p| p.x < x + 14.0);
                    clicked = Some((index, on_arrow));
                }
            }
            range
        });
        self.in_view = output.inner;

        let (index, on_arrow) = clicked?;
        let row = self.rows.get(index)?;
        let (kind, open) = (row.kind, row.open);
        let path = self.path(row).to_owned();
        if kind == RowKind::Dir && (on_arrow || self.selected.as_deref() == Some(path.as_str()) || !open) {
            self.toggle(&path);
        }
        if on_arrow {
            return None;
        }
        self.selected = Some(path.clone());
        Some(path)
    }
}

/// The tree's colours for the current theme.
struct Colors {
    dir: Color32,
    file: Color32,
    image: Color32,
    link: Color32,
    device: Color32,
    weak: Color32,
    added: Color32,
    changed: Color32,
}

impl Colors {
    fn new(visuals: &egui::Visuals) -> Self {
        if visuals.dark_mode {
            Self {
                dir: Color32::from_rgb(130, 170, 255),
                file: visuals.text_color(),
                image: Color32::from_rgb(240, 170, 90),
                link: Color32::from_rgb(110, 210, 210),
                device: Color32::from_rgb(220, 200, 110),
                weak: visuals.weak_text_color(),
                added: Color32::from_rgb(60, 200, 90),
                changed: Color32::from_rgb(240, 190, 40),
            }
        } else {
            Self {
                dir: Color32::from_rgb(30, 80, 190),
                file: visuals.text_color(),
                image: Color32::from_rgb(170, 90, 10),
                link: Color32::from_rgb(10, 130, 130),
                device: Color32::from_rgb(140, 110, 0),
                weak: visuals.weak_text_color(),
                added: Color32::from_rgb(40, 170, 70),
                changed: Color32::from_rgb(230, 160, 0),
            }
        }
    }

    fn kind(&self, kind: RowKind) -> Color32 {
        match kind {
            RowKind::Dir => self.dir,
            RowKind::File => self.file,
            RowKind::Image => self.image,
            RowKind::Symlink => self.link,
            RowKind::Device => self.device,
        }
    }

    fn mark(&self, mark: Mark) -> Color32 {
        match mark {
            Mark::Added => self.added,
            Mark::Changed => self.changed,
        }
    }
}

/// The colour of a highlight, for the "what changed" list and legends.
pub fn mark_color(mark: Mark, dark: bool) -> Color32 {
    match (mark, dark) {
        (Mark::Added, true) => Color32::from_rgb(60, 200, 90),
        (Mark::Added, false) => Color32::from_rgb(40, 170, 70),
        (Mark::Changed, true) => Color32::from_rgb(240, 190, 40),
        (Mark::Changed, false) => Color32::from_rgb(230, 160, 0),
    }
}

#[cfg(test)]
mod tests {
    use guestlab_content::sim::vfs::diff::{Snapshot, diff};

    use super::*;

    fn fs() -> Vfs {
        let mut fs = Vfs::new(0);
        fs.mkdir_p("/etc/libvirt/qemu", 0o755, 0).unwrap();
        fs.mkdir_p("/var/lib/libvirt/images", 0o755, 0).unwrap();
        fs.mkdir_p("/run/libvirt/qemu", 0o755, 0).unwrap();
        fs.put_file("/etc/libvirt/qemu/vm1.xml", b"<domain/>", 0o600, 0).unwrap();
        fs.put_file("/var/lib/libvirt/images/vm1.qcow2", b"QFI", 0o600, 0).unwrap();
        fs
    }

    fn paths(tree: &FileTree) -> Vec<&str> {
        tree.rows().iter().map(|r| tree.path(r)).collect()
    }

    #[test]
    fn ancestors_run_from_the_root_down() {
        assert_eq!(ancestors("/etc/libvirt/qemu").collect::<Vec<_>>(), ["/", "/etc", "/etc/libvirt"]);
        assert_eq!(ancestors("/etc").collect::<Vec<_>>(), ["/"]);
    }

    #[test]
    fn the_model_shows_open_directories_only_and_follows_toggles() {
        let fs = fs();
        let mut tree = FileTree::new(&["/etc/libvirt", "/var/lib/libvirt"]);
        tree.refresh(&fs, 1);
        assert_eq!(
            paths(&tree),
            [
                "/",
                "/etc",
                "/etc/libvirt",
                "/etc/libvirt/qemu",
                "/run",
                "/var",
                "/var/lib",
                "/var/lib/libvirt",
                "/var/lib/libvirt/images"
            ]
        );
        assert_eq!(tree.rows()[3].depth, 3);
        tree.toggle("/etc/libvirt/qemu");
        tree.refresh(&fs, 1);
        assert_eq!(paths(&tree)[4], "/etc/libvirt/qemu/vm1.xml");
        tree.toggle("/etc");
        tree.refresh(&fs, 1);
        assert_eq!(paths(&tree)[..3], ["/", "/etc", "/run"]);
    }

    #[test]
    fn changes_glow_then_fade_and_their_directories_open() {
        let mut fs = fs();
        let mut tree = FileTree::new(&[]);
        let before = Snapshot::take(&fs, "/").unwrap();
        fs.put_file("/run/libvirt/qemu/vm1.pid", b"4242", 0o644, 5).unwrap();
        let changes = diff(&before, &Snapshot::take(&fs, "/").unwrap());
        tree.mark_changes(&changes, 10.0);
        tree.refresh(&fs, 2);
        assert!(paths(&tree).contains(&"/run/libvirt/qemu/vm1.pid"));
        let pid = tree.rows().iter().find(|r| tree.path(r) == "/run/libvirt/qemu/vm1.pid").unwrap();
        assert_eq!((pid.kind, tree.name(pid), pid.depth), (RowKind::File, "vm1.pid", 4));
        assert_eq!(tree.mark("/run/libvirt/qemu/vm1.pid", 11.5), Some((Mark::Added, 0.5)));
        // The directory only gained an entry: not highlighted itself.
        assert_eq!(tree.mark("/run/libvirt/qemu", 10.0), None);
        assert!(tree.fade(12.0));
        assert!(!tree.fade(13.5));
        assert_eq!(tree.mark("/run/libvirt/qemu/vm1.pid", 13.5), None);
    }
}
