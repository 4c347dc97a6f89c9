//! The YAML editor of the cloud-init screen: an egui `TextEdit` whose layouter colours the
//! text (see `highlight`) and opens a gap under each line with a problem, where the problem's
//! message is shown; line numbers and problem markers sit in a gutter on the left.
//!
//! The text is checked inside the layouter, the moment it changes: `TextEdit` applies the
//! keystroke and lays the text out in the same call, so the messages always belong to the
//! text on screen — there is no frame in which they lag behind.

use std::ops::Range;
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{FontId, Galley, Pos2, Rect, RichText, Shape, Stroke, Ui, Vec2};
use guestlab_content::sim::cloud_init::schema::{self, ProblemKind, SchemaReport};
use guestlab_content::sim::cloud_init::yaml;

use super::highlight::{Palette, Part, parts};

/// Which file of the seed a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    UserData,
    MetaData,
    NetworkConfig,
}

impl FileKind {
    pub const ALL: [Self; 3] = [Self::UserData, Self::MetaData, Self::NetworkConfig];

    /// The file's name in the seed (and on the host).
    pub fn file_name(self) -> &'static str {
        match self {
            Self::UserData => "user-data",
            Self::MetaData => "meta-data",
            Self::NetworkConfig => "network-config",
        }
    }
}

/// One problem shown at its line.
#[derive(Clone, Debug, PartialEq)]
pub struct Inline {
    /// 1-based line and column.
    pub line: usize,
    pub column: usize,
    /// A deprecation or a hint: the file is still accepted.
    pub warning: bool,
    /// One line for under the text line.
    pub short: String,
    /// The whole message, as the tool prints it.
    pub full: String,
}

/// The checks of one text.
#[derive(Clone, Debug, Default)]
pub struct Checked {
    pub inline: Vec<Inline>,
    /// What `cloud-init schema --config-file user-data` says (user-data only).
    pub report: Option<SchemaReport>,
}

/// The lines of a PyYAML message without its marks and snippets, joined into one line.
fn yaml_summary(message: &str) -> String {
    let lines: Vec<&str> = message.lines().filter(|l| !l.starts_with(' ') && !l.trim().is_empty()).collect();
    lines.join(": ")
}

/// Checks a text as cloud-init would read it: user-data with `cloud-init schema`, meta-data
/// and network-config as YAML.
pub fn check(kind: FileKind, text: &str) -> Checked {
    match kind {
        FileKind::UserData => {
            let report = schema::validate(kind.file_name(), text);
            let inline = report
                .problems
                .iter()
                .map(|p| {
                    let (short, full) = match p.kind {
                        ProblemKind::Header | ProblemKind::NotAMapping => (p.message.clone(), p.message.clone()),
                        ProblemKind::Yaml => {
                            let body = p.message.split_once(" is not valid yaml. ").map_or(p.message.as_str(), |x| x.1);
                            (yaml_summary(body), format!("{}: {}", p.path, p.message))
                        }
                        ProblemKind::Error | ProblemKind::Deprecation => {
                            let text = format!("{}: {}", p.path, p.message);
                            (text.clone(), text)
                        }
                    };
                    Inline {
                        line: p.line.max(1),
                        column: p.column.max(1),
                        warning: p.kind == ProblemKind::Deprecation,
                        short,
                        full,
                    }
                })
                .collect();
            Checked { inline, report: Some(report) }
        }
        FileKind::MetaData | FileKind::NetworkConfig => {
            let inline = match yaml::parse(text) {
                Ok(_) => Vec::new(),
                Err(e) => {
                    let (line, column) = e.problem_at.unwrap_or((e.line, e.column));
                    vec![Inline { line, column, warning: false, short: yaml_summary(&e.message), full: e.message }]
                }
            };
            Checked { inline, report: None }
        }
    }
}

/// The text, its check, its coloured parts and the layout job made from them.
struct Analysis {
    text: String,
    checked: Checked,
    parts: Vec<(Part, Range<usize>)>,
    /// The job and what it was built for.
    job: Option<(Palette, FontId, LayoutJob)>,
}

impl Analysis {
    fn new(kind: FileKind, text: &str) -> Self {
        Self { text: text.to_owned(), checked: check(kind, text), parts: parts(text), job: None }
    }

    /// Byte ranges to underline: from each problem's column to the end of its line.
    fn underlines(&self) -> Vec<(Range<usize>, bool)> {
        let starts: Vec<usize> = std::iter::once(0).chain(self.text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let mut out = Vec::new();
        for p in &self.checked.inline {
            let Some(&start) = starts.get(p.line - 1) else { continue };
            let line = &self.text[start..];
            let line = &line[..line.find('\n').unwrap_or(line.len())];
            let end = line.trim_end().len();
            let from = line.char_indices().nth(p.column - 1).map_or(end, |(i, _)| i).min(end);
            let from = if from == end { line[..end].char_indices().last().map_or(end, |(i, _)| i) } else { from };
            if from < end {
                out.push((start + from..start + end, p.warning));
            }
        }
        out
    }

    fn job(&mut self, palette: &Palette, font: &FontId) -> LayoutJob {
        if let Some((p, f, job)) = &self.job
            && p == palette
            && f == font
        {
            return job.clone();
        }
        let underlines = self.underlines();
        let mut job = LayoutJob { text: self.text.clone(), ..LayoutJob::default() };
        job.wrap.max_width = f32::INFINITY;
        for (part, range) in &self.parts {
            // Split the part where an underline starts or ends.
            let mut cuts = vec![range.start, range.end];
            for (u, _) in &underlines {
                for b in [u.start, u.end] {
                    if range.start < b && b < range.end {
                        cuts.push(b);
                    }
                }
            }
            guestlab_content::order::sort(&mut cuts);
            cuts.dedup();
            for w in cuts.windows(2) {
                let mut format = TextFormat::simple(font.clone(), palette.color(*part));
                format.italics = *part == Part::Comment;
                if let Some((_, warning)) = underlines.iter().find(|(u, _)| u.start <= w[0] && w[1] <= u.end) {
                    format.underline = Stroke::new(1.5, if *warning { palette.warning } else { palette.error });
                }
                job.sections.push(egui::text::LayoutSection {
                    leading_space: 0.0,
                    byte_range: egui::text::ByteIndex(w[0])..egui::text::ByteIndex(w[1]),
                    format,
                });
            }
        }
        self.job = Some((*palette, font.clone(), job.clone()));
        job
    }
}

/// The font of the messages under the lines: a little smaller than the body text.
fn message_font(ui: &Ui) -> FontId {
    let body = egui::TextStyle::Body.resolve(ui.style());
    FontId::proportional((body.size * 0.9).round())
}

/// The character index of a 1-based line and column in `text` (clamped to the line's end).
fn char_index(text: &str, line: usize, column: usize) -> usize {
    let mut chars = 0;
    for (i, l) in text.split('\n').enumerate() {
        let len = l.chars().count();
        if i + 1 == line {
            return chars + (column - 1).min(len);
        }
        chars += len + 1;
    }
    chars.saturating_sub(1)
}

/// Opens a gap of `height` under each row in `gaps` (row index, height), moving the rows below
/// down. The text and its cursor mapping stay the same: only row positions change.
fn with_gaps(galley: Arc<Galley>, gaps: &[(usize, f32)]) -> Arc<Galley> {
    if gaps.is_empty() {
        return galley;
    }
    let mut g = (*galley).clone();
    let mut offset = 0.0;
    for (i, row) in g.rows.iter_mut().enumerate() {
        row.pos.y += offset;
        offset += gaps.iter().filter(|(r, _)| *r == i).map(|(_, h)| h).sum::<f32>();
    }
    g.rect.max.y += offset;
    g.mesh_bounds.max.y += offset;
    Arc::new(g)
}

/// The editor of one file: its analysis cache.
#[derive(Default)]
pub struct Editor {
    analysis: Option<Analysis>,
}

/// Texts the editor shows in the learner's language.
pub struct EditorTexts<'a> {
    /// The accessible name of the text field.
    pub name: &'a str,
    /// "Line" for the accessible names of the messages.
    pub line: &'a str,
}

impl Editor {
    /// The check of `text` (computed now if the text changed since the last one).
    pub fn checked(&mut self, kind: FileKind, text: &str) -> &Checked {
        &self.analysis(kind, text).checked
    }

    fn analysis(&mut self, kind: FileKind, text: &str) -> &mut Analysis {
        if self.analysis.as_ref().is_some_and(|a| a.text != text) {
            self.analysis = None;
        }
        self.analysis.get_or_insert_with(|| Analysis::new(kind, text))
    }

    /// Draws the editor for `text` (a file of kind `kind`), at least `min_height` high.
    pub fn ui(&mut self, ui: &mut Ui, kind: FileKind, text: &mut String, texts: &EditorTexts<'_>, min_height: f32) {
        let palette = Palette::new(ui.visuals());
        let font = egui::TextStyle::Monospace.resolve(ui.style());
        let message_font = message_font(ui);
        let message_height = ui.fonts_mut(|f| f.row_height(&message_font)) + 4.0;
        let lines = text.lines().count().max(1);
        let char_width = ui.fonts_mut(|f| f.glyph_width(&font, '0'));
        let gutter = (lines.to_string().len().max(2) as f32 * char_width + 22.0).ceil();

        let mut layouter = |ui: &Ui, buf: &dyn egui::TextBuffer, _wrap: f32| -> Arc<Galley> {
            let analysis = self.analysis(kind, buf.as_str());
            let job = analysis.job(&palette, &font);
            let galley = ui.fonts_mut(|f| f.layout_job(job));
            let rows = galley.rows.len();
            let mut gaps: Vec<(usize, f32)> = Vec::new();
            for p in &analysis.checked.inline {
                let row = (p.line - 1).min(rows.saturating_sub(1));
                match gaps.iter_mut().find(|(r, _)| *r == row) {
                    Some((_, h)) => *h += message_height,
                    None => gaps.push((row, message_height + 2.0)),
                }
            }
            with_gaps(galley, &gaps)
        };
        let output = egui::TextEdit::multiline(text)
            .font(font.clone())
            .desired_width(f32::INFINITY)
            .desired_rows(4)
            .min_size(Vec2::new(0.0, min_height))
            .margin(egui::Margin { left: gutter.min(120.0) as i8, right: 6, top: 4, bottom: 4 })
            .layouter(&mut layouter)
            .id_salt(("cloud-init-editor", kind))
            .show(ui);
        let response = output.response.response.clone().accessible_name(texts.name);
        self.gutter_ui(ui, &output.galley, output.galley_pos, response.rect, &palette, &font);
        self.messages_ui(ui, &output.galley, output.galley_pos, response.rect, &palette, texts);
    }

    /// Line numbers and problem markers, for the rows in view.
    fn gutter_ui(&self, ui: &Ui, galley: &Galley, origin: Pos2, rect: Rect, palette: &Palette, font: &FontId) {
        let clip = ui.clip_rect();
        let painter = ui.painter();
        let number_color = ui.visuals().weak_text_color();
        let line_of_row = |i: usize| i + 1;
        for (i, row) in galley.rows.iter().enumerate() {
            let top = origin.y + row.min_y();
            let bottom = top + row.row.size.y;
            if bottom < clip.top() {
                continue;
            }
            if top > clip.bottom() {
                break;
            }
            let line = line_of_row(i);
            painter.text(
                Pos2::new(origin.x - 8.0, top),
                egui::Align2::RIGHT_TOP,
                line.to_string(),
                font.clone(),
                number_color,
            );
            let Some(analysis) = &self.analysis else { continue };
            let marks: Vec<&Inline> = analysis.checked.inline.iter().filter(|p| p.line == line).collect();
            if marks.is_empty() {
                continue;
            }
            let center = Pos2::new(rect.left() + 7.0, top + row.row.size.y / 2.0);
            if marks.iter().any(|p| !p.warning) {
                painter.circle_filled(center, 4.5, palette.error);
            } else {
                // A triangle for warnings: not told apart by colour alone.
                let points =
                    vec![center + Vec2::new(0.0, -5.0), center + Vec2::new(5.0, 4.0), center + Vec2::new(-5.0, 4.0)];
                painter.add(Shape::convex_polygon(points, palette.warning, Stroke::NONE));
            }
        }
    }

    /// Each problem's message in the gap under its line (a label: readable by screen readers,
    /// the whole message on hover).
    fn messages_ui(
        &self,
        ui: &mut Ui,
        galley: &Galley,
        origin: Pos2,
        rect: Rect,
        palette: &Palette,
        texts: &EditorTexts<'_>,
    ) {
        let Some(analysis) = &self.analysis else { return };
        let message_font = message_font(ui);
        let message_height = ui.fonts_mut(|f| f.row_height(&message_font)) + 4.0;
        let rows = galley.rows.len();
        let mut below: Vec<(usize, usize)> = Vec::new(); // row → messages placed so far
        for p in &analysis.checked.inline {
            let row_index = (p.line - 1).min(rows.saturating_sub(1));
            let Some(row) = galley.rows.get(row_index) else { continue };
            let n = match below.iter_mut().find(|(r, _)| *r == row_index) {
                Some((_, n)) => {
                    *n += 1;
                    *n - 1
                }
                None => {
                    below.push((row_index, 1));
                    0
                }
            };
            let top = origin.y + row.max_y() + 1.0 + n as f32 * message_height;
            // Under the column the problem is at, as far as there is room for the message.
            let cursor = egui::text::CCursor::new(char_index(&analysis.text, p.line, p.column));
            let column_x = origin.x + galley.pos_from_cursor(cursor).left();
            // The editor may be wider than its scroll area: stop at what is in view.
            let right = rect.right().min(ui.clip_rect().right()) - 4.0;
            let left = column_x.min(origin.x.max(right - 420.0)).max(origin.x);
            let area = Rect::from_min_max(Pos2::new(left, top), Pos2::new(right, top + message_height));
            if !ui.clip_rect().intersects(area) {
                continue;
            }
            let color = if p.warning { palette.warning } else { palette.error };
            let sign = if p.warning { "▲" } else { "●" };
            let label =
                egui::Label::new(RichText::new(format!("{sign} {}", p.short)).font(message_font.clone()).color(color))
                    .truncate()
                    .selectable(false);
            let response = ui
                .scope_builder(
                    egui::UiBuilder::new().max_rect(area).layout(egui::Layout::left_to_right(egui::Align::Center)),
                    |ui| ui.add(label),
                )
                .inner;
            // A label's text is its accessible value: with the line number a screen reader (or
            // a test) knows where the message belongs.
            let name = format!("{} {}: {}", texts.line, p.line, p.short);
            ui.ctx().accesskit_node_builder(response.id, |node| node.set_value(name));
            response.on_hover_text(RichText::new(&p.full).monospace());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_data_problems_are_placed_at_their_lines() {
        let checked = check(FileKind::UserData, "#cloud-config\nhostname: web1\npackages: nginx\n");
        assert_eq!(
            checked.inline,
            [Inline {
                line: 3,
                column: 11,
                warning: false,
                short: "packages: 'nginx' is not of type 'array'".into(),
                full: "packages: 'nginx' is not of type 'array'".into(),
            }]
        );
        assert_eq!(checked.report.as_ref().map(|r| r.status), Some(1));
    }

    #[test]
    fn a_yaml_error_is_summarised_in_one_line_at_the_problem() {
        let checked = check(FileKind::UserData, "#cloud-config\nusers:\n  - name: a\n runcmd: []\n");
        let p = &checked.inline[0];
        assert_eq!((p.line, p.column), (4, 2));
        assert_eq!(p.short, "while parsing a block mapping: expected <block end>, but found '<block mapping start>'");
        assert!(p.full.starts_with("format-l2.c1: File user-data is not valid yaml. while parsing a block mapping\n"));
    }

    #[test]
    fn meta_data_is_checked_as_yaml() {
        assert_eq!(check(FileKind::MetaData, "instance-id: iid-1\nlocal-hostname: a\n").inline, []);
        let checked = check(FileKind::MetaData, "instance-id: 'iid-1\n");
        assert_eq!(checked.inline.len(), 1);
        assert_eq!(checked.inline[0].line, 2);
        assert!(checked.report.is_none());
    }

    #[test]
    fn underlines_run_from_the_column_to_the_end_of_the_line() {
        let text = "#cloud-config\npackages: nginx   \n";
        let a = Analysis::new(FileKind::UserData, text);
        let u = a.underlines();
        assert_eq!(u.len(), 1);
        assert_eq!(&text[u[0].0.clone()], "nginx");
    }
}
