//! Migration: the pre-copy rounds of a live migration as an animation of memory pages between
//! two hosts, with a dirty-page-rate slider (rounds, data, the final pause), offline migration
//! for comparison, why shared storage matters, and `virsh migrate` between the lab's host and
//! host2 in a terminal.

use egui::{Align2, Color32, Pos2, Rect, RichText, Stroke, Ui, Vec2};
use guestlab_content::Lang;
use guestlab_content::sim::hypervisor::host2::{HostView, hosts_view};
use guestlab_content::sim::hypervisor::migration::{self as model, Live, Params};
use guestlab_content::sim::libvirt::DomainState;

use super::super::ScreenCx;
use super::migration_text::{self as text, Phase};
use super::{Motion, Player, PlayerAction, accent, bad, big_font, good, section, warn};
use crate::lab::Lab;
use crate::widgets::terminal_ui::Terminal;

/// Pages in the picture of the guest's memory.
const CELLS: usize = 256;
const COLUMNS: usize = 16;
/// The disk data copied without shared storage (MiB).
const DISK_MIB: f64 = 10240.0;
const LINKS: [f64; 2] = [117.0, 1170.0];
const MEMORIES: [f64; 3] = [2048.0, 8192.0, 32768.0];
const DOMAIN: &str = "bookworm";

pub struct MigrationView {
    dirty: f64,
    link: f64,
    memory: f64,
    shared: bool,
    /// Phases completed, and the fraction of the current one.
    phase: usize,
    fraction: f32,
    player: Player,
    terminal: Terminal,
    /// The simulation for the current settings.
    live: Live,
}

impl Default for MigrationView {
    fn default() -> Self {
        let mut view = Self {
            dirty: 300.0,
            link: LINKS[1],
            memory: MEMORIES[0],
            shared: true,
            phase: 0,
            fraction: 0.0,
            player: Player::default(),
            terminal: Terminal::default(),
            live: model::live(&Params::default()),
        };
        view.recompute();
        view
    }
}

impl MigrationView {
    fn params(&self) -> Params {
        Params {
            memory_mib: self.memory,
            bandwidth_mib_s: self.link,
            dirty_mib_s: self.dirty,
            storage_mib: if self.shared { 0.0 } else { DISK_MIB },
            ..Params::default()
        }
    }

    fn recompute(&mut self) {
        self.live = model::live(&self.params());
        self.phase = 0;
        self.fraction = 0.0;
        self.player.playing = false;
    }

    fn phases(&self) -> Vec<Phase> {
        let n = self.live.rounds.len();
        let mut out = Vec::new();
        if self.live.storage_mib > 0.0 {
            out.push(Phase::Storage);
        }
        out.extend((0..n).map(|i| Phase::Round(i, n)));
        out.push(Phase::StopAndCopy);
        out.push(Phase::Resumed);
        out
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        cx: &mut ScreenCx<'_>,
        motion: Motion,
        check: impl FnOnce(&mut Ui, &mut ScreenCx<'_>),
    ) {
        let lang = cx.lang;
        egui::Panel::bottom("hv-migration-terminal")
            .resizable(true)
            .default_size(180.0)
            .min_size(120.0)
            .frame(egui::Frame::new().inner_margin(egui::Margin { top: 6, ..Default::default() }))
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(cx.lab.world().machine().prompt()).monospace().strong());
                    if ui
                        .add_enabled(cx.lab.can_undo(), egui::Button::new(super::text::UNDO.get(lang)).small())
                        .clicked()
                    {
                        cx.lab.undo();
                    }
                    if ui.small_button(super::text::RESET.get(lang)).clicked() {
                        cx.lab.reset();
                        self.terminal.follow();
                    }
                });
                self.terminal.ui(ui, cx.lab, lang, text::TERMINAL_HINT.get(lang));
            });
        egui::CentralPanel::default().frame(egui::Frame::new().inner_margin(4.0)).show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("hv-migration").auto_shrink(false).show(ui, |ui| {
                ui.label(RichText::new(text::INTRO.get(lang)).size(big_font(ui, 1.0).size));
                ui.add_space(6.0);
                self.settings_ui(ui, lang);
                self.animation_ui(ui, lang, motion);
                section(ui, text::OFFLINE_HEADING.get(lang));
                let offline = model::offline(&self.params());
                ui.label(text::offline_summary(
                    lang,
                    model::SHUTDOWN_SECONDS,
                    offline.copy_seconds,
                    model::BOOT_SECONDS,
                ));
                section(ui, text::SHARED_HEADING.get(lang));
                ui.label(text::SHARED_EXPLAINED.get(lang));
                section(ui, text::WORLD_HEADING.get(lang));
                ui.label(RichText::new(text::WORLD_HELP.get(lang)).weak());
                self.world_ui(ui, cx.lab, lang);
                check(ui, cx);
            });
        });
    }

    fn settings_ui(&mut self, ui: &mut Ui, lang: Lang) {
        let mut changed = false;
        ui.horizontal_wrapped(|ui| {
            let slider =
                egui::Slider::new(&mut self.dirty, 0.0..=2000.0).step_by(10.0).text(text::DIRTY_RATE.get(lang));
            changed |= ui.add(slider).changed();
            ui.separator();
            ui.label(text::LINK.get(lang));
            for link in LINKS {
                changed |= ui.selectable_value(&mut self.link, link, text::link_name(link)).changed();
            }
            ui.separator();
            ui.label(text::MEMORY.get(lang));
            for m in MEMORIES {
                changed |= ui.selectable_value(&mut self.memory, m, format!("{} GiB", m / 1024.0)).changed();
            }
            ui.separator();
            changed |= ui.checkbox(&mut self.shared, text::SHARED.get(lang)).changed();
        });
        if changed {
            self.recompute();
        }
    }

    fn animation_ui(&mut self, ui: &mut Ui, lang: Lang, motion: Motion) {
        let phases = self.phases();
        let finished = self.phase + 1 >= phases.len();
        match self.player.controls_ui(ui, lang, finished, motion) {
            PlayerAction::Step => {
                self.phase = (self.phase + 1).min(phases.len() - 1);
                self.fraction = 0.0;
            }
            PlayerAction::Restart => {
                self.phase = 0;
                self.fraction = 0.0;
            }
            PlayerAction::None => {}
        }
        let steps = self.player.advance(ui, motion);
        if steps > 0.0 {
            if motion.reduced {
                self.phase = (self.phase + 1).min(phases.len() - 1);
                self.fraction = 0.0;
            } else {
                self.fraction += steps;
                while self.fraction >= 1.0 && self.phase + 1 < phases.len() {
                    self.fraction -= 1.0;
                    self.phase += 1;
                }
                if self.phase + 1 >= phases.len() {
                    self.fraction = 0.0;
                }
            }
        }
        let phase = phases[self.phase.min(phases.len() - 1)];
        let fraction = if motion.reduced { 1.0 } else { self.fraction };
        self.figures_ui(ui, lang);
        ui.label(RichText::new(text::phase(lang, &phase)).strong().size(big_font(ui, 1.15).size));
        ui.horizontal_top(|ui| {
            let width = (ui.available_width() * 0.6).clamp(320.0, 720.0);
            self.hosts_picture_ui(ui, phase, fraction, width, lang);
            ui.vertical(|ui| self.rounds_ui(ui, phase));
        });
        let (clean, dirty, pending) = (good(ui), bad(ui), warn(ui));
        ui.horizontal_wrapped(|ui| {
            legend(ui, clean, text::LEGEND_CLEAN.get(lang));
            legend(ui, dirty, text::LEGEND_DIRTY.get(lang));
            legend(ui, pending, text::LEGEND_PENDING.get(lang));
        });
    }

    /// Two hosts, each with the guest's memory as a grid of pages.
    fn hosts_picture_ui(&self, ui: &mut Ui, phase: Phase, fraction: f32, width: f32, lang: Lang) {
        let line = ui.text_style_height(&egui::TextStyle::Body);
        let gap = 40.0;
        let host_w = (width - gap) / 2.0;
        let cell = ((host_w - 20.0) / COLUMNS as f32).floor().min(line * 1.1);
        let rows = CELLS / COLUMNS;
        let height = line * 3.6 + cell * rows as f32 + 16.0;
        let (rect, response) = ui.allocate_exact_size(Vec2::new(width, height), egui::Sense::hover());
        let description = text::phase(lang, &phase);
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &description));
        let painter = ui.painter_at(rect);
        let visuals = ui.visuals().clone();
        let text_color = visuals.text_color();
        let stroke = Stroke::new(1.5, visuals.widgets.noninteractive.fg_stroke.color);
        let source = Rect::from_min_size(rect.min, Vec2::new(host_w, height));
        let target = Rect::from_min_size(Pos2::new(rect.left() + host_w + gap, rect.top()), Vec2::new(host_w, height));
        let states = self.cells(phase, fraction);
        let (clean, dirty, pending) = (good(ui), bad(ui), warn(ui));
        let empty = visuals.widgets.inactive.bg_fill;
        for (i, (r, title)) in [(source, text::SOURCE), (target, text::TARGET)].into_iter().enumerate() {
            let running = (i == 0) != (phase == Phase::Resumed);
            let paused = phase == Phase::StopAndCopy;
            let border = if running && !paused { Stroke::new(3.0, clean) } else { stroke };
            painter.rect(r, 8.0, visuals.faint_bg_color, border, egui::StrokeKind::Inside);
            painter.text(
                r.center_top() + Vec2::new(0.0, 4.0),
                Align2::CENTER_TOP,
                title.get(lang),
                big_font(ui, 1.05),
                text_color,
            );
            let status = if paused {
                text::PAUSED.get(lang)
            } else if running {
                text::RUNNING_HERE.get(lang)
            } else {
                ""
            };
            painter.text(
                r.center_top() + Vec2::new(0.0, line * 1.5),
                Align2::CENTER_TOP,
                status,
                big_font(ui, 0.95),
                if paused { pending } else { clean },
            );
            let grid_left = r.left() + (r.width() - cell * COLUMNS as f32) / 2.0;
            let grid_top = r.top() + line * 3.0;
            for (k, state) in states.iter().enumerate() {
                let (row, col) = (k / COLUMNS, k % COLUMNS);
                let c = Rect::from_min_size(
                    Pos2::new(grid_left + col as f32 * cell, grid_top + row as f32 * cell),
                    Vec2::splat(cell - 1.0),
                );
                let color = match (i, state) {
                    (0, Cell::Dirty) => dirty,
                    (0, Cell::Pending | Cell::Unsent) => pending,
                    (0, _) if phase == Phase::Resumed => empty,
                    (0, _) => clean.gamma_multiply(0.5),
                    (_, Cell::Unsent) => empty,
                    (_, Cell::Dirty) => dirty.gamma_multiply(0.45),
                    (_, _) => clean,
                };
                painter.rect_filled(c, 1.5, color);
            }
        }
        // The link, with the data on its way.
        let y = rect.center().y;
        let from = Pos2::new(source.right() + 4.0, y);
        painter.arrow(from, Vec2::new(gap - 8.0, 0.0), Stroke::new(3.0, accent(ui)));
        if phase == Phase::Storage {
            painter.text(
                Pos2::new(rect.center().x, rect.bottom() - 4.0),
                Align2::CENTER_BOTTOM,
                text::DISK_COPY.get(lang),
                big_font(ui, 0.95),
                pending,
            );
        }
    }

    /// The state of each page at a point of the animation.
    fn cells(&self, phase: Phase, fraction: f32) -> Vec<Cell> {
        let count = |mib: f64| ((mib / self.memory * CELLS as f64).ceil() as usize).min(CELLS);
        let order = |i: usize| (i * 97 + 13) % CELLS;
        let mut cells = vec![Cell::Unsent; CELLS];
        let set = |cells: &mut Vec<Cell>, n: usize, state: Cell| {
            for i in 0..n {
                cells[order(i)] = state;
            }
        };
        match phase {
            Phase::Storage => {}
            Phase::Round(r, _) => {
                let round = self.live.rounds[r];
                let to_send = count(round.sent_mib);
                let sent = (fraction * to_send as f32) as usize;
                let dirtied = (fraction * count(round.dirtied_mib) as f32) as usize;
                if r == 0 {
                    // First round: everything not sent yet is still to send.
                    for i in 0..CELLS {
                        cells[order(i)] = if i < sent { Cell::Clean } else { Cell::Unsent };
                    }
                } else {
                    cells.iter_mut().for_each(|c| *c = Cell::Clean);
                    for i in sent..to_send {
                        cells[order(i)] = Cell::Pending;
                    }
                }
                set(&mut cells, dirtied, Cell::Dirty);
            }
            Phase::StopAndCopy => {
                cells.iter_mut().for_each(|c| *c = Cell::Clean);
                let rest = count(self.live.stop_and_copy_mib);
                let sent = (fraction * rest as f32) as usize;
                for i in sent..rest {
                    cells[order(i)] = Cell::Pending;
                }
            }
            Phase::Resumed => cells.iter_mut().for_each(|c| *c = Cell::Clean),
        }
        cells
    }

    /// The pause, the rounds, the data and the time, as large figures in a row.
    fn figures_ui(&self, ui: &mut Ui, lang: Lang) {
        let live = &self.live;
        let big = big_font(ui, 1.7).size;
        let downtime_color = if live.converged { good(ui) } else { bad(ui) };
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 28.0;
            let figure = |ui: &mut Ui, label: &str, value: String, color: Option<Color32>| {
                ui.vertical(|ui| {
                    ui.label(RichText::new(label).strong());
                    let mut rich = RichText::new(value).size(big).strong();
                    if let Some(c) = color {
                        rich = rich.color(c);
                    }
                    ui.label(rich);
                });
            };
            let downtime = if live.converged { text::DOWNTIME } else { text::DOWNTIME_FORCED };
            figure(ui, downtime.get(lang), format!("{} ms", fmt(live.downtime_ms)), Some(downtime_color));
            figure(ui, text::ROUNDS.get(lang), live.rounds.len().to_string(), None);
            figure(ui, text::TRANSFERRED.get(lang), format!("{} MiB", fmt(live.total_mib)), None);
            figure(ui, text::TOTAL_TIME.get(lang), format!("{} s", fmt(live.total_seconds)), None);
        });
        if !live.converged {
            ui.label(RichText::new(text::NOT_CONVERGING.get(lang)).color(bad(ui)));
        }
    }

    /// The rounds as a table, the current one marked.
    fn rounds_ui(&self, ui: &mut Ui, phase: Phase) {
        let live = &self.live;
        egui::Grid::new("hv-migration-rounds").striped(true).num_columns(3).spacing([12.0, 2.0]).show(ui, |ui| {
            for head in ["#", "MiB", "s"] {
                ui.label(RichText::new(head).strong());
            }
            ui.end_row();
            for (i, r) in live.rounds.iter().enumerate().take(12) {
                let current = phase == Phase::Round(i, live.rounds.len());
                let highlight = accent_text(ui);
                let mark =
                    |s: String| if current { RichText::new(s).strong().color(highlight) } else { RichText::new(s) };
                ui.label(mark((i + 1).to_string()));
                ui.label(mark(fmt(r.sent_mib)));
                ui.label(mark(fmt(r.seconds)));
                ui.end_row();
            }
            if live.rounds.len() > 12 {
                ui.label("…");
                ui.end_row();
            }
            let current = phase == Phase::StopAndCopy;
            let stop = RichText::new("stop").strong();
            ui.label(if current { stop.color(accent_text(ui)) } else { stop });
            ui.label(fmt(live.stop_and_copy_mib));
            ui.label(fmt(live.downtime_ms / 1000.0));
            ui.end_row();
        });
    }

    /// The lab's two hosts, and the migration commands.
    fn world_ui(&mut self, ui: &mut Ui, lab: &mut Lab, lang: Lang) {
        let hosts = hosts_view(lab.world(), DOMAIN);
        let host2_made = lab.world().host2.is_some();
        ui.columns(2, |cols| {
            for (col, (host, made)) in cols.iter_mut().zip(hosts.iter().zip([true, host2_made])) {
                host_card_ui(col, host, made, lang);
            }
        });
        ui.add_space(6.0);
        let world = lab.world();
        let state = world.libvirt.domains.get(DOMAIN).map(|d| d.state);
        let mut run: Vec<String> = Vec::new();
        egui::Grid::new("hv-migration-commands").num_columns(2).spacing([10.0, 4.0]).show(ui, |ui| {
            let can_start = state == Some(DomainState::ShutOff);
            if ui.add_enabled(can_start, egui::Button::new(text::PREPARE.get(lang))).clicked() {
                if world.libvirt.networks.get("default").is_none_or(|n| !n.active) {
                    run.push("virsh net-start default".to_owned());
                }
                run.push(format!("virsh start {DOMAIN}"));
            }
            ui.label(RichText::new(format!("virsh start {DOMAIN}")).monospace().weak());
            ui.end_row();
            for command in [
                format!("virsh migrate --live {DOMAIN} qemu+ssh://host2/system"),
                format!("virsh migrate --live --copy-storage-all --persistent --undefinesource --verbose {DOMAIN} qemu+ssh://host2/system"),
                format!("virsh migrate --offline --persistent {DOMAIN} qemu+ssh://host2/system"),
                "virsh -c qemu+ssh://host2/system list --all".to_owned(),
            ] {
                if ui.button(RichText::new(&command).monospace()).clicked() {
                    run.push(command.clone());
                }
                ui.label(RichText::new(text::command_note(lang, &command)).weak());
                ui.end_row();
            }
        });
        if !run.is_empty() {
            for _ in 0..lab.world().return_to.len() {
                lab.run("exit");
            }
            for command in run {
                lab.run(&command);
            }
            self.terminal.follow();
        }
    }
}

/// A page of guest memory in the picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cell {
    /// Not sent yet in the first round: to send on the source, missing on the target.
    Unsent,
    Pending,
    Clean,
    Dirty,
}

fn fmt(x: f64) -> String {
    if x >= 100.0 || x == x.round() { format!("{x:.0}") } else { format!("{x:.2}") }
}

fn accent_text(ui: &Ui) -> Color32 {
    ui.visuals().selection.stroke.color
}

fn legend(ui: &mut Ui, color: Color32, label: &str) {
    let size = ui.text_style_height(&egui::TextStyle::Body) * 0.8;
    let (r, _) = ui.allocate_exact_size(Vec2::splat(size), egui::Sense::hover());
    ui.painter().rect_filled(r, 2.0, color);
    ui.label(label);
}

fn host_card_ui(ui: &mut Ui, host: &HostView, made: bool, lang: Lang) {
    egui::Frame::group(ui.style()).inner_margin(8.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(&host.name).strong().size(big_font(ui, 1.15).size));
        if !made {
            ui.label(RichText::new(text::NOT_SET_UP.get(lang)).weak());
        }
        if host.domains.is_empty() {
            ui.label(RichText::new(text::NO_DOMAINS.get(lang)).weak());
        }
        for (name, state, persistent) in &host.domains {
            let kind = if *persistent { text::PERSISTENT } else { text::TRANSIENT };
            let color = if *state == DomainState::Running { good(ui) } else { ui.visuals().weak_text_color() };
            ui.label(
                RichText::new(format!("{name}: {} ({})", state.as_str(), kind.get(lang))).monospace().color(color),
            );
        }
        for (path, exists) in &host.files {
            let (mark, color) = if *exists { ("√", good(ui)) } else { ("×", ui.visuals().weak_text_color()) };
            ui.label(RichText::new(format!("{mark} {path}")).monospace().color(color));
        }
    });
}
