//! The contents of one file of a machine: text (XML in colour), a symlink as an arrow to its
//! target, a disk image as its format and sizes, a directory as its entry count. The display
//! model is rebuilt only when the path or the world changes.

use egui::text::LayoutJob;
use egui::{Color32, RichText, TextFormat, Ui};
use guestlab_content::Lang;
use guestlab_content::sim::disk::size_to_str;
use guestlab_content::sim::time::format_datetime;
use guestlab_content::sim::vfs::{NodeKind, ROOT, Vfs};

/// The most bytes of a text file shown.
const TEXT_LIMIT: usize = 64 * 1024;

fn tx(lang: Lang, en: &'static str, de: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::De => de,
    }
}

/// What the learner asked for in the viewer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewAction {
    /// Look at a disk image on the Disk images screen.
    OpenDiskImages,
}

/// What a file is, for showing.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    Missing,
    Dir { entries: Vec<String> },
    Text { text: String, xml: bool, truncated: bool },
    Binary,
    Symlink { target: String, resolved: Option<String> },
    Image { format: &'static str, virtual_size: u64, backing: Option<String>, snapshots: usize },
    Device { major: u32, minor: u32 },
}

/// The display model of one path.
#[derive(Clone, Debug, PartialEq)]
pub struct FileModel {
    pub path: String,
    pub shown: Shown,
    /// `ls -l`'s mode string, owner ids, apparent size, allocated bytes, mtime.
    pub mode: String,
    pub owner: (u32, u32),
    pub size: u64,
    pub allocated: u64,
    pub mtime: i64,
}

fn is_image_name(name: &str) -> bool {
    [".img", ".raw"].iter().any(|ext| name.ends_with(ext))
}

impl FileModel {
    /// Looks at `path` in `fs` (symlinks are not followed).
    pub fn new(fs: &Vfs, path: &str) -> Self {
        let node = fs.resolve(ROOT, path, false).ok().and_then(|ino| fs.node(ino).map(|n| (ino, n)));
        let Some((ino, node)) = node else {
            return Self {
                path: path.to_owned(),
                shown: Shown::Missing,
                mode: String::new(),
                owner: (0, 0),
                size: 0,
                allocated: 0,
                mtime: 0,
            };
        };
        let shown = match &node.kind {
            NodeKind::Dir(_) => {
                Shown::Dir { entries: fs.entries(ino).map(|e| e.keys().cloned().collect()).unwrap_or_default() }
            }
            NodeKind::Symlink(target) => {
                let resolved = fs.resolve(ROOT, path, true).ok().and_then(|_| fs.canonicalize(ROOT, path).ok());
                Shown::Symlink { target: target.clone(), resolved }
            }
            NodeKind::CharDev { major, minor } => Shown::Device { major: *major, minor: *minor },
            NodeKind::File(f) => {
                if let Some(q) = f.qcow2.as_deref() {
                    Shown::Image {
                        format: "qcow2",
                        virtual_size: q.size,
                        backing: q.backing_file.clone(),
                        snapshots: q.snapshots.len(),
                    }
                } else if is_image_name(path) {
                    Shown::Image { format: "raw", virtual_size: f.len, backing: None, snapshots: 0 }
                } else {
                    let bytes = f.read_all(TEXT_LIMIT);
                    match String::from_utf8(bytes) {
                        Ok(text) if !text.contains('\0') => {
                            let xml = path.ends_with(".xml") || text.trim_start().starts_with('<');
                            Shown::Text { text, xml, truncated: f.len as usize > TEXT_LIMIT }
                        }
                        _ => Shown::Binary,
                    }
                }
            }
        };
        Self {
            path: path.to_owned(),
            shown,
            mode: node.mode_string(),
            owner: (node.uid, node.gid),
            size: node.size(),
            allocated: node.stat_blocks() * 512,
            mtime: node.mtime,
        }
    }
}

/// The viewer: caches the model of the path shown.
#[derive(Default)]
pub struct FileView {
    model: Option<(u64, FileModel)>,
}

impl FileView {
    /// The model of `path` at world `version` (rebuilt only when either changed).
    pub fn model(&mut self, fs: &Vfs, path: &str, version: u64) -> &FileModel {
        if !matches!(&self.model, Some((v, m)) if *v == version && m.path == path) {
            self.model = None;
        }
        &self.model.get_or_insert_with(|| (version, FileModel::new(fs, path))).1
    }

    /// Draws the file at `path`; returns what the learner asked for.
    pub fn ui(&mut self, ui: &mut Ui, fs: &Vfs, path: &str, version: u64, lang: Lang) -> Option<ViewAction> {
        let model = self.model(fs, path, version);
        model_ui(ui, model, lang)
    }
}

fn model_ui(ui: &mut Ui, model: &FileModel, lang: Lang) -> Option<ViewAction> {
    let mut action = None;
    ui.label(RichText::new(&model.path).monospace().strong());
    if model.shown == Shown::Missing {
        ui.label(tx(lang, "This path does not exist (any more).", "Diesen Pfad gibt es nicht (mehr)."));
        return None;
    }
    ui.label(
        RichText::new(format!(
            "{}  {}:{}  {} B  {}",
            model.mode,
            model.owner.0,
            model.owner.1,
            model.size,
            format_datetime(model.mtime)
        ))
        .monospace()
        .weak(),
    );
    ui.add_space(4.0);
    match &model.shown {
        Shown::Missing => {}
        Shown::Dir { entries } => {
            ui.label(format!("{}: {}", tx(lang, "Directory, entries", "Verzeichnis, Einträge"), entries.len()));
            for name in entries.iter().take(200) {
                ui.label(RichText::new(name).monospace());
            }
        }
        Shown::Symlink { target, resolved } => {
            let name = model.path.rsplit('/').next().unwrap_or(&model.path);
            ui.label(RichText::new(format!("{name} → {target}")).monospace().size(15.0));
            match resolved {
                Some(r) => ui.label(format!("{} {r}", tx(lang, "Resolves to", "Zeigt auf"))),
                None => {
                    ui.label(tx(lang, "Dangling: the target does not exist.", "Ins Leere: Das Ziel gibt es nicht."))
                }
            };
            ui.label(
                RichText::new(tx(
                    lang,
                    "A symbolic link holds only a path: deleting the link leaves the target alone.",
                    "Ein symbolischer Link enthält nur einen Pfad: Wird der Link gelöscht, bleibt das Ziel erhalten.",
                ))
                .weak(),
            );
        }
        Shown::Device { major, minor } => {
            ui.label(format!("{} {major}, {minor}", tx(lang, "Character device", "Zeichengerät")));
        }
        Shown::Binary => {
            ui.label(tx(lang, "Binary data.", "Binärdaten."));
        }
        Shown::Image { format, virtual_size, backing, snapshots } => {
            egui::Grid::new("image-facts").num_columns(2).spacing([12.0, 4.0]).show(ui, |ui| {
                ui.label(tx(lang, "Format", "Format"));
                ui.label(RichText::new(*format).monospace().strong());
                ui.end_row();
                ui.label(tx(lang, "Virtual size (the guest's disk)", "Virtuelle Größe (Platte des Gastes)"));
                ui.label(RichText::new(size_to_str(*virtual_size)).monospace());
                ui.end_row();
                ui.label(tx(lang, "File size (ls -l)", "Dateigröße (ls -l)"));
                ui.label(RichText::new(format!("{} ({} B)", size_to_str(model.size), model.size)).monospace());
                ui.end_row();
                ui.label(tx(lang, "Allocated (du)", "Belegt (du)"));
                ui.label(RichText::new(size_to_str(model.allocated)).monospace());
                ui.end_row();
                if let Some(b) = backing {
                    ui.label(tx(lang, "Backing file", "Backing-File"));
                    ui.label(RichText::new(b).monospace());
                    ui.end_row();
                }
                if *snapshots > 0 {
                    ui.label(tx(lang, "Internal snapshots", "Interne Snapshots"));
                    ui.label(RichText::new(snapshots.to_string()).monospace());
                    ui.end_row();
                }
            });
            ui.add_space(4.0);
            if ui.button(tx(lang, "Open in Disk images →", "In Disk-Images öffnen →")).clicked() {
                action = Some(ViewAction::OpenDiskImages);
            }
        }
        Shown::Text { text, xml, truncated } => {
            let font = egui::TextStyle::Monospace.resolve(ui.style());
            let job = if *xml {
                xml_job(text, &font, &XmlColors::new(ui.visuals()))
            } else {
                LayoutJob::simple(text.clone(), font, ui.visuals().text_color(), f32::INFINITY)
            };
            egui::ScrollArea::both().id_salt("file-view-text").auto_shrink([false, true]).show(ui, |ui| {
                ui.add(egui::Label::new(job).extend());
            });
            if *truncated {
                ui.label(RichText::new(tx(lang, "(only the start is shown)", "(nur der Anfang wird gezeigt)")).weak());
            }
        }
    }
    action
}

/// The parts of XML text that get their own colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XmlPart {
    Text,
    /// `<`, `</`, `>`, `/>`, `=` and the tag name.
    Tag,
    AttrName,
    AttrValue,
    Comment,
}

/// Splits XML text into coloured parts (byte ranges). Malformed input still covers every byte.
pub fn xml_parts(text: &str) -> Vec<(XmlPart, std::ops::Range<usize>)> {
    let bytes = text.as_bytes();
    let mut out: Vec<(XmlPart, std::ops::Range<usize>)> = Vec::new();
    let mut push = |part: XmlPart, range: std::ops::Range<usize>| {
        if range.is_empty() {
            return;
        }
        match out.last_mut() {
            Some((p, r)) if *p == part && r.end == range.start => r.end = range.end,
            _ => out.push((part, range)),
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        if text[i..].starts_with("<!--") {
            let end = text[i + 4..].find("-->").map_or(bytes.len(), |e| i + 4 + e + 3);
            push(XmlPart::Comment, i..end);
            i = end;
        } else if bytes[i] == b'<' {
            // The tag name.
            let mut j = i + 1;
            while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' && bytes[j] != b'/' {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'/' && j == i + 1 {
                j += 1;
                while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                    j += 1;
                }
            }
            push(XmlPart::Tag, i..j);
            i = j;
            // Attributes, up to the closing `>`.
            while i < bytes.len() && bytes[i] != b'>' {
                let c = bytes[i];
                if c.is_ascii_whitespace() {
                    push(XmlPart::Text, i..i + 1);
                    i += 1;
                } else if c == b'"' || c == b'\'' {
                    let end = text[i + 1..].find(c as char).map_or(bytes.len(), |e| i + 1 + e + 1);
                    push(XmlPart::AttrValue, i..end);
                    i = end;
                } else if c == b'=' || c == b'/' || c == b'?' {
                    push(XmlPart::Tag, i..i + 1);
                    i += 1;
                } else {
                    let mut j = i;
                    while j < bytes.len() && !matches!(bytes[j], b'=' | b'>' | b'/') && !bytes[j].is_ascii_whitespace()
                    {
                        j += 1;
                    }
                    push(XmlPart::AttrName, i..j);
                    i = j;
                }
            }
            if i < bytes.len() {
                push(XmlPart::Tag, i..i + 1);
                i += 1;
            }
        } else {
            let end = text[i..].find('<').map_or(bytes.len(), |e| i + e);
            push(XmlPart::Text, i..end);
            i = end;
        }
    }
    out
}

/// The colours of XML parts in the current theme.
pub struct XmlColors {
    text: Color32,
    tag: Color32,
    attr_name: Color32,
    attr_value: Color32,
    comment: Color32,
}

impl XmlColors {
    pub fn new(visuals: &egui::Visuals) -> Self {
        if visuals.dark_mode {
            Self {
                text: visuals.text_color(),
                tag: Color32::from_rgb(110, 170, 255),
                attr_name: Color32::from_rgb(150, 220, 250),
                attr_value: Color32::from_rgb(230, 160, 120),
                comment: Color32::from_rgb(120, 160, 110),
            }
        } else {
            Self {
                text: visuals.text_color(),
                tag: Color32::from_rgb(20, 70, 180),
                attr_name: Color32::from_rgb(170, 40, 40),
                attr_value: Color32::from_rgb(20, 120, 60),
                comment: Color32::from_rgb(120, 120, 120),
            }
        }
    }
}

/// XML text as a coloured layout job.
pub fn xml_job(text: &str, font: &egui::FontId, colors: &XmlColors) -> LayoutJob {
    let mut job = LayoutJob::default();
    for (part, range) in xml_parts(text) {
        let color = match part {
            XmlPart::Text => colors.text,
            XmlPart::Tag => colors.tag,
            XmlPart::AttrName => colors.attr_name,
            XmlPart::AttrValue => colors.attr_value,
            XmlPart::Comment => colors.comment,
        };
        let mut format = TextFormat::simple(font.clone(), color);
        if part == XmlPart::Comment {
            format.italics = true;
        }
        job.append(&text[range], 0.0, format);
    }
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Vec<(XmlPart, &str)> {
        xml_parts(text).into_iter().map(|(p, r)| (p, &text[r])).collect()
    }

    #[test]
    fn xml_is_split_into_tags_attributes_values_comments_and_text() {
        use XmlPart::*;
        assert_eq!(
            parts("<!-- hi -->\n<disk type='file'>\n  <source file=\"/a b\"/>x</disk>"),
            [
                (Comment, "<!-- hi -->"),
                (Text, "\n"),
                (Tag, "<disk"),
                (Text, " "),
                (AttrName, "type"),
                (Tag, "="),
                (AttrValue, "'file'"),
                (Tag, ">"),
                (Text, "\n  "),
                (Tag, "<source"),
                (Text, " "),
                (AttrName, "file"),
                (Tag, "="),
                (AttrValue, "\"/a b\""),
                (Tag, "/>"),
                (Text, "x"),
                (Tag, "</disk>"),
            ]
        );
    }

    #[test]
    fn broken_xml_still_covers_every_byte() {
        for text in ["<a b='x", "<!-- open", "<", "a < b", "<a/"] {
            let covered: usize = xml_parts(text).iter().map(|(_, r)| r.len()).sum();
            assert_eq!(covered, text.len(), "{text:?}");
        }
    }

    #[test]
    fn the_model_tells_files_links_images_and_missing_paths_apart() {
        let mut fs = Vfs::new(0);
        fs.mkdir_p("/etc/libvirt/qemu/autostart", 0o755, 0).unwrap();
        fs.put_file("/etc/libvirt/qemu/vm1.xml", b"<domain type='kvm'/>\n", 0o600, 0).unwrap();
        fs.put_symlink("/etc/libvirt/qemu/autostart/vm1.xml", "/etc/libvirt/qemu/vm1.xml", 0).unwrap();
        fs.put_file("/disk.img", &[0; 10], 0o644, 0).unwrap();
        let xml = FileModel::new(&fs, "/etc/libvirt/qemu/vm1.xml");
        assert_eq!(xml.shown, Shown::Text { text: "<domain type='kvm'/>\n".into(), xml: true, truncated: false });
        assert_eq!((xml.mode.as_str(), xml.size, xml.allocated), ("-rw-------", 21, 4096));
        let link = FileModel::new(&fs, "/etc/libvirt/qemu/autostart/vm1.xml");
        assert_eq!(
            link.shown,
            Shown::Symlink {
                target: "/etc/libvirt/qemu/vm1.xml".into(),
                resolved: Some("/etc/libvirt/qemu/vm1.xml".into())
            }
        );
        let raw = FileModel::new(&fs, "/disk.img");
        assert_eq!(raw.shown, Shown::Image { format: "raw", virtual_size: 10, backing: None, snapshots: 0 });
        assert_eq!(FileModel::new(&fs, "/nope").shown, Shown::Missing);
    }
}
