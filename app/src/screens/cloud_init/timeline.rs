//! The boot played back as a timeline: the five stages (Detect → Local → Network → Config →
//! Final) as a strip, every module of the stages as a row that lights up when it runs, and
//! for the module in focus what it changed in the guest (files with a line diff, users) and
//! the log lines it wrote.
//!
//! What is shown is the world's trace of the guest's last boot
//! (`guestlab_content::sim::cloud_init::trace`), read afresh every frame; the [`Player`] only
//! holds where the playback is. Time comes from `stable_dt`, and a repaint is
//! requested only while playing.

use egui::{Color32, Pos2, Rect, RichText, Sense, Stroke, Ui, Vec2};
use guestlab_content::Lang;
use guestlab_content::sim::cloud_init::trace::{AccountChange, CloudInitBoot, FileChange, Outcome, Stage};
use guestlab_content::sim::vfs::diff::{ChangeKind, EntryKind};

use super::highlight::Palette;
use crate::screens::cloud_init_text as text;

/// One step of the playback: a stage's own work, or a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Stage(usize),
    Module(usize, usize),
}

/// The steps of a boot in the order they ran.
pub fn steps(boot: &CloudInitBoot) -> Vec<Step> {
    let mut out = Vec::new();
    for (s, stage) in boot.stages.iter().enumerate() {
        out.push(Step::Stage(s));
        out.extend((0..stage.modules.len()).map(|m| Step::Module(s, m)));
    }
    out
}

/// What runs a stage: its systemd unit and command.
fn runs(stage: Stage) -> String {
    format!("{}: {}", stage.unit(), stage.command())
}

/// Where the playback is. Position `p` means: steps before `floor(p)` are done, the step at
/// `floor(p)` is running; `p == steps` means the boot is over.
#[derive(Clone, Debug, PartialEq)]
pub struct Player {
    pub position: f32,
    pub playing: bool,
    /// Steps per second.
    pub speed: f32,
    /// The step the learner picked to look at (else the running one).
    pub selected: Option<Step>,
    /// The step last scrolled into view in the list.
    revealed: Option<usize>,
}

impl Default for Player {
    fn default() -> Self {
        Self { position: 0.0, playing: false, speed: 2.0, selected: None, revealed: None }
    }
}

impl Player {
    /// Starts from the beginning and plays.
    pub fn replay(&mut self) {
        self.position = 0.0;
        self.playing = true;
        self.selected = None;
    }

    /// Goes on to the start of the next step (and pauses).
    pub fn step(&mut self, steps: usize) {
        self.playing = false;
        self.selected = None;
        self.position = (self.position.floor() + 1.0).min(steps as f32);
    }

    /// Shows the end at once.
    pub fn finish(&mut self, steps: usize) {
        self.playing = false;
        self.position = steps as f32;
    }

    /// Advances by `dt` seconds while playing; stops at the end.
    pub fn advance(&mut self, dt: f32, steps: usize) {
        if !self.playing {
            return;
        }
        self.position = (self.position + dt * self.speed).min(steps as f32);
        if self.position >= steps as f32 {
            self.playing = false;
        }
    }

    /// The index of the running step (`steps` when done).
    pub fn current(&self) -> usize {
        self.position.floor() as usize
    }

    pub fn done(&self, steps: usize) -> bool {
        self.current() >= steps
    }
}

/// Colours of the timeline in the theme.
struct Colors {
    done: Color32,
    current: Color32,
    pending: Color32,
    skipped: Color32,
    error: Color32,
    added: Color32,
    removed: Color32,
    changed: Color32,
}

impl Colors {
    fn new(ui: &Ui) -> Self {
        let p = Palette::new(ui.visuals());
        Self {
            done: p.string,
            current: p.key,
            pending: ui.visuals().weak_text_color(),
            skipped: p.comment,
            error: p.error,
            added: p.string,
            removed: p.error,
            changed: p.number,
        }
    }
}

/// A line diff of two small texts (longest common subsequence): (sign, line).
pub fn line_diff(before: &str, after: &str) -> Vec<(char, String)> {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    if a.len() * b.len() > 250_000 {
        // Too big to compare line by line here: old lines out, new lines in.
        return a.iter().map(|l| ('-', (*l).to_owned())).chain(b.iter().map(|l| ('+', (*l).to_owned()))).collect();
    }
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push((' ', a[i].to_owned()));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(('-', a[i].to_owned()));
            i += 1;
        } else {
            out.push(('+', b[j].to_owned()));
            j += 1;
        }
    }
    out
}

/// Draws the controls, the stage strip, the module rows and the details of the step in focus.
pub fn ui(ui: &mut Ui, boot: &CloudInitBoot, player: &mut Player, lang: Lang, reduce_motion: bool) {
    let steps = steps(boot);
    let n = steps.len();
    let dt = ui.input(|i| i.stable_dt).min(0.1);
    player.advance(dt, n);
    if player.playing {
        ui.ctx().request_repaint();
    }
    controls_ui(ui, player, n, lang);
    ui.add_space(4.0);
    let colors = Colors::new(ui);
    stage_strip_ui(ui, boot, &steps, player, &colors, lang, reduce_motion);
    ui.add_space(6.0);
    let current = steps.get(player.current()).copied();
    let focus = player.selected.or(current);
    let list_height = (ui.available_height() * 0.42).max(120.0);
    egui::ScrollArea::vertical()
        .id_salt("cloud-init-modules")
        .max_height(list_height)
        .auto_shrink([false, true])
        .show(ui, |ui| modules_ui(ui, boot, &steps, player, focus, &colors, lang, reduce_motion));
    ui.separator();
    egui::ScrollArea::vertical().id_salt("cloud-init-details").auto_shrink([false, true]).show(ui, |ui| {
        // Long paths and log lines wrap instead of widening the panel.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
        ui.set_max_width(ui.available_width());
        if let Some(step) = focus {
            details_ui(ui, boot, step, &colors, lang);
        } else {
            ui.label(RichText::new(text::BOOT_OVER.get(lang)).weak());
        }
    });
}

fn controls_ui(ui: &mut Ui, player: &mut Player, steps: usize, lang: Lang) {
    ui.horizontal_wrapped(|ui| {
        if ui.button(format!("↻ {}", text::REPLAY.get(lang))).clicked() {
            player.replay();
        }
        let (label, hint) = if player.playing {
            (format!("‖ {}", text::PAUSE.get(lang)), text::PAUSE.get(lang))
        } else {
            (format!("▶ {}", text::PLAY.get(lang)), text::PLAY.get(lang))
        };
        if ui.button(label).on_hover_text(hint).clicked() {
            if player.playing {
                player.playing = false;
            } else {
                if player.done(steps) {
                    player.position = 0.0;
                }
                player.selected = None;
                player.playing = true;
            }
        }
        if ui.add_enabled(!player.done(steps), egui::Button::new(format!("▸| {}", text::STEP.get(lang)))).clicked() {
            player.step(steps);
        }
        if ui.add_enabled(!player.done(steps), egui::Button::new(text::SHOW_ALL.get(lang))).clicked() {
            player.finish(steps);
        }
        let speed = ui.label(text::SPEED.get(lang));
        ui.add(egui::Slider::new(&mut player.speed, 0.5..=10.0).logarithmic(true).suffix("/s").max_decimals(1))
            .labelled_by(speed.id);
    });
}

fn stage_state(boot: &CloudInitBoot, steps: &[Step], player: &Player, s: usize) -> (bool, bool) {
    let start = steps.iter().position(|st| *st == Step::Stage(s)).unwrap_or(0);
    let end = start + 1 + boot.stages[s].modules.len();
    let cur = player.current();
    (cur >= end, (start..end).contains(&cur))
}

/// The five stages as boxes joined by arrows; each can be clicked to jump to its start.
fn stage_strip_ui(
    ui: &mut Ui,
    boot: &CloudInitBoot,
    steps: &[Step],
    player: &mut Player,
    colors: &Colors,
    lang: Lang,
    reduce_motion: bool,
) {
    let width = ui.available_width();
    let height = 44.0;
    let (rect, _) = ui.allocate_exact_size(Vec2::new(width, height), Sense::hover());
    let gap = 14.0;
    let count = Stage::ALL.len() as f32;
    let box_w = (width - gap * (count - 1.0)) / count;
    let time = ui.input(|i| i.time);
    for (i, stage) in Stage::ALL.iter().enumerate() {
        let x = rect.left() + i as f32 * (box_w + gap);
        let r = Rect::from_min_size(Pos2::new(x, rect.top()), Vec2::new(box_w, height));
        let s = boot.stages.iter().position(|st| st.stage == *stage);
        let (done, running) = s.map_or((false, false), |s| stage_state(boot, steps, player, s));
        let state_word = if s.is_none() {
            text::NOT_RUN.get(lang)
        } else if done {
            text::DONE.get(lang)
        } else if running {
            text::RUNNING.get(lang)
        } else {
            text::PENDING.get(lang)
        };
        let id = ui.scope_id().with(("cloud-init-stage", i));
        let response = ui.interact(r, id, Sense::click());
        let name = format!("{}: {state_word}", stage.label());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
        let response = response.on_hover_text(runs(*stage));
        if response.clicked()
            && let Some(s) = s
            && let Some(start) = steps.iter().position(|st| *st == Step::Stage(s))
        {
            player.playing = false;
            player.selected = None;
            player.position = start as f32;
        }
        let painter = ui.painter();
        let (fill, stroke, text_color) = if done {
            (colors.done.gamma_multiply(0.25), Stroke::new(1.5, colors.done), ui.visuals().text_color())
        } else if running {
            // A gentle pulse while the stage runs (steady when motion is reduced).
            let pulse =
                if reduce_motion || !player.playing { 0.3 } else { 0.2 + 0.15 * (time as f32 * 4.0).sin().abs() };
            (colors.current.gamma_multiply(pulse), Stroke::new(2.5, colors.current), ui.visuals().strong_text_color())
        } else {
            (Color32::TRANSPARENT, Stroke::new(1.0, colors.pending), colors.pending)
        };
        painter.rect(r, 5.0, fill, stroke, egui::StrokeKind::Inside);
        if response.has_focus() {
            painter.rect_stroke(r.expand(2.0), 6.0, ui.visuals().selection.stroke, egui::StrokeKind::Outside);
        }
        painter.text(
            r.center(),
            egui::Align2::CENTER_CENTER,
            stage.label(),
            egui::FontId::proportional(13.0),
            text_color,
        );
        if i + 1 < Stage::ALL.len() {
            let y = r.center().y;
            let a = Pos2::new(r.right() + 2.0, y);
            let b = Pos2::new(r.right() + gap - 2.0, y);
            painter.arrow(a, b - a, Stroke::new(1.5, colors.pending));
        }
    }
}

/// One row of the list: a stage heading or a module.
struct Row {
    /// The stage (`Network — cloud-init.service: cloud-init init`) or the module's name.
    name: String,
    heading: bool,
    /// The module's frequency and outcome (`once-per-instance · ran`).
    detail: String,
    /// The module's outcome: whether it did its work, and the colour of its words.
    ran: bool,
    outcome_color: Color32,
    state: RowState,
    selected: bool,
}

#[expect(clippy::too_many_arguments, reason = "the pieces the list needs")]
fn modules_ui(
    ui: &mut Ui,
    boot: &CloudInitBoot,
    steps: &[Step],
    player: &mut Player,
    focus: Option<Step>,
    colors: &Colors,
    lang: Lang,
    reduce_motion: bool,
) {
    let current = player.current();
    for (index, step) in steps.iter().enumerate() {
        let state = if index < current {
            RowState::Done
        } else if index == current {
            RowState::Running
        } else {
            RowState::Pending
        };
        let selected = focus == Some(*step);
        let row = match *step {
            Step::Stage(s) => {
                let stage = &boot.stages[s];
                ui.add_space(2.0);
                let name = format!("{} — {}", stage.stage.label(), runs(stage.stage));
                Row {
                    name,
                    heading: true,
                    detail: String::new(),
                    ran: true,
                    outcome_color: colors.done,
                    state,
                    selected,
                }
            }
            Step::Module(s, m) => {
                let module = &boot.stages[s].modules[m];
                let (word, outcome_color) = outcome_word(&module.outcome, colors, lang);
                Row {
                    name: module.name.clone(),
                    heading: false,
                    detail: format!("{} · {word}", module.frequency.as_str()),
                    ran: module.outcome.ran(),
                    outcome_color,
                    state,
                    selected,
                }
            }
        };
        let response = row_ui(ui, &row, colors);
        // The running row comes into view whenever the playback moves on (playing or stepping).
        if state == RowState::Running && player.revealed != Some(index) {
            player.revealed = Some(index);
            // Keep the running module in view; without the scrolling animation when motion is
            // reduced.
            if reduce_motion {
                response.scroll_to_me_animation(Some(egui::Align::Center), egui::style::ScrollAnimation::none());
            } else {
                response.scroll_to_me(Some(egui::Align::Center));
            }
        }
        if response.clicked() {
            player.playing = false;
            player.selected = Some(*step);
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowState {
    Done,
    Running,
    Pending,
}

/// A row: a sign (● ran, ○ skipped, ▶ running, · not yet), the name, and once the row has run
/// its frequency and outcome. A button for screen readers and the keyboard: it shows the
/// step's details.
fn row_ui(ui: &mut Ui, row: &Row, colors: &Colors) -> egui::Response {
    let shown = row.state != RowState::Pending;
    let (sign, sign_color) = match row.state {
        RowState::Running => ("▶", colors.current),
        RowState::Pending => ("·", colors.pending),
        RowState::Done if row.heading || row.ran => ("●", row.outcome_color),
        RowState::Done => ("○", row.outcome_color),
    };
    let name_color = if shown { ui.visuals().text_color() } else { colors.pending };
    let font = if row.heading { egui::TextStyle::Body } else { egui::TextStyle::Monospace }.resolve(ui.style());
    let mut job = egui::text::LayoutJob::default();
    let sign_font = egui::TextStyle::Monospace.resolve(ui.style());
    job.append(sign, 0.0, egui::TextFormat::simple(sign_font, sign_color));
    job.append(&row.name, if row.heading { 6.0 } else { 18.0 }, egui::TextFormat::simple(font, name_color));
    if shown && !row.detail.is_empty() {
        let body = egui::TextStyle::Body.resolve(ui.style());
        let detail_font = egui::FontId::proportional((body.size * 0.85).round());
        job.append(&row.detail, 10.0, egui::TextFormat::simple(detail_font, row.outcome_color));
    }
    let fill = if row.state == RowState::Running {
        colors.current.gamma_multiply(0.22)
    } else if row.selected {
        ui.visuals().selection.bg_fill.gamma_multiply(0.5)
    } else {
        Color32::TRANSPARENT
    };
    let name = if shown && !row.detail.is_empty() { format!("{}: {}", row.name, row.detail) } else { row.name.clone() };
    let response = egui::Frame::new()
        .fill(fill)
        .corner_radius(3.0)
        .inner_margin(egui::Margin::symmetric(4, 1))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.add(egui::Label::new(job).sense(Sense::click()).selectable(false).truncate())
        })
        .inner;
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    if response.has_focus() {
        ui.painter().rect_stroke(
            response.rect.expand(1.0),
            3.0,
            ui.visuals().selection.stroke,
            egui::StrokeKind::Outside,
        );
    }
    response
}

fn outcome_word(outcome: &Outcome, colors: &Colors, lang: Lang) -> (String, Color32) {
    match outcome {
        Outcome::Ran => (text::RAN.get(lang).to_owned(), colors.done),
        Outcome::AlreadyRan => (text::SKIPPED_ALREADY.get(lang).to_owned(), colors.skipped),
        Outcome::NoConfig => (text::SKIPPED_NO_CONFIG.get(lang).to_owned(), colors.skipped),
        Outcome::NotVerified => (text::SKIPPED_NOT_VERIFIED.get(lang).to_owned(), colors.skipped),
        Outcome::Failed(why) => (format!("{}: {why}", text::FAILED.get(lang)), colors.error),
    }
}

/// An account change in the words of the tool that would make it.
fn account_words(change: &AccountChange, lang: Lang) -> String {
    match change {
        AccountChange::UserAdded { name, uid, gid, home, shell } => {
            format!("useradd {name}  (uid {uid}, gid {gid}, {home}, {shell})")
        }
        AccountChange::UserRemoved { name } => format!("userdel {name}"),
        AccountChange::GroupAdded { name, gid } => format!("groupadd {name}  (gid {gid})"),
        AccountChange::MemberAdded { group, user } => format!("usermod -aG {group} {user}"),
        AccountChange::PasswordChanged { user, locked } => {
            let how = if *locked { text::PASSWORD_LOCKED.get(lang) } else { text::PASSWORD_SET.get(lang) };
            format!("{user}: {how}")
        }
    }
}

/// The account changes in words, a user's new group memberships joined into one `usermod -aG`.
fn account_lines(accounts: &[AccountChange], lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for change in accounts {
        match change {
            AccountChange::MemberAdded { group, user } => match groups.iter_mut().find(|(u, _)| u == user) {
                Some((_, list)) => list.push(group.clone()),
                None => groups.push((user.clone(), vec![group.clone()])),
            },
            other => out.push(account_words(other, lang)),
        }
    }
    out.extend(groups.into_iter().map(|(user, list)| format!("usermod -aG {} {user}", list.join(","))));
    out
}

/// The lines of a file change worth showing: a diff, or the new or old text.
fn change_lines(file: &FileChange) -> Vec<(char, String)> {
    match (&file.before, &file.after) {
        (Some(b), Some(a)) => line_diff(b, a).into_iter().filter(|(s, _)| *s != ' ').collect(),
        (None, Some(a)) => a.lines().map(|l| ('+', l.to_owned())).collect(),
        (Some(b), None) => b.lines().map(|l| ('-', l.to_owned())).collect(),
        (None, None) => Vec::new(),
    }
}

/// The most file changes listed for one step (a package installation touches hundreds).
const MAX_FILES: usize = 40;
/// The most diff lines shown for one file.
const MAX_LINES: usize = 24;

/// What the step in focus did: its files (with a line diff), accounts and log lines.
fn details_ui(ui: &mut Ui, boot: &CloudInitBoot, step: Step, colors: &Colors, lang: Lang) {
    let (title, files, accounts, log, output, outcome) = match step {
        Step::Stage(s) => {
            let Some(st) = boot.stages.get(s) else { return };
            (
                format!("{} — {}", st.stage.label(), runs(st.stage)),
                &st.changes,
                &[][..],
                &st.log_lines,
                &st.output_lines,
                None,
            )
        }
        Step::Module(s, m) => {
            let Some(module) = boot.stages.get(s).and_then(|st| st.modules.get(m)) else { return };
            (
                format!("{} ({}, {})", module.name, module.module, module.frequency.as_str()),
                &module.changes,
                &module.accounts[..],
                &module.log_lines,
                &module.output_lines,
                Some(&module.outcome),
            )
        }
    };
    ui.label(RichText::new(title).strong());
    if let Some(outcome) = outcome {
        let (word, color) = outcome_word(outcome, colors, lang);
        ui.label(RichText::new(word).color(color));
    }
    if files.is_empty() && accounts.is_empty() {
        ui.label(RichText::new(text::NO_CHANGES.get(lang)).weak());
    }
    for line in account_lines(accounts, lang) {
        ui.label(RichText::new(format!("◆ {line}")).monospace());
    }
    for file in files.iter().take(MAX_FILES) {
        let (sign, color) = match file.kind {
            ChangeKind::Added => ("+", colors.added),
            ChangeKind::Changed(_) => ("~", colors.changed),
            ChangeKind::Removed => ("−", colors.removed),
        };
        let suffix = match (file.entry, &file.target) {
            (EntryKind::Dir, _) => "/".to_owned(),
            (EntryKind::Symlink, Some(t)) => format!(" → {t}"),
            _ => String::new(),
        };
        ui.add(
            egui::Label::new(RichText::new(format!("{sign} {}{suffix}", file.path)).monospace().color(color)).wrap(),
        );
        let lines = change_lines(file);
        egui::Frame::new().inner_margin(egui::Margin { left: 14, ..Default::default() }).show(ui, |ui| {
            for (sign, line) in lines.iter().take(MAX_LINES) {
                let c = if *sign == '+' { colors.added } else { colors.removed };
                ui.label(RichText::new(format!("{sign} {line}")).monospace().small().color(c));
            }
            if lines.len() > MAX_LINES {
                ui.label(RichText::new(format!("… {} {}", lines.len() - MAX_LINES, text::MORE_LINES.get(lang))).weak());
            }
        });
    }
    if files.len() > MAX_FILES {
        ui.label(RichText::new(format!("… {} {}", files.len() - MAX_FILES, text::MORE_FILES.get(lang))).weak());
    }
    for (name, lines) in [("/var/log/cloud-init.log", log), ("/var/log/cloud-init-output.log", output)] {
        if lines.is_empty() {
            continue;
        }
        ui.add_space(4.0);
        ui.label(RichText::new(name).weak());
        for line in lines {
            ui.label(RichText::new(line).monospace().small());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_player_steps_plays_and_stops_at_the_end() {
        let mut p = Player::default();
        p.step(3);
        assert_eq!((p.position, p.playing), (1.0, false));
        p.replay();
        p.advance(0.25, 3);
        assert_eq!(p.current(), 0);
        p.advance(0.5, 3); // speed 2: 1.5 steps in total
        assert_eq!(p.current(), 1);
        p.advance(10.0, 3);
        assert_eq!((p.position, p.playing, p.done(3)), (3.0, false, true));
        p.advance(1.0, 3);
        assert_eq!(p.position, 3.0);
        p.step(3);
        assert_eq!(p.position, 3.0);
    }

    #[test]
    fn a_line_diff_keeps_common_lines_and_marks_the_rest() {
        assert_eq!(
            line_diff("a\nb\nc\n", "a\nB\nc\nd\n"),
            [(' ', "a"), ('-', "b"), ('+', "B"), (' ', "c"), ('+', "d")].map(|(s, l)| (s, l.to_owned())).to_vec()
        );
        assert_eq!(line_diff("", "x"), [('+', "x".to_owned())]);
    }
}
