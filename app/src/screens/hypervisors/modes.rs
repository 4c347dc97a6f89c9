//! Full, para- and hybrid virtualization: one guest disk write travels through the layers of
//! the stack, step by step, and a counter adds up the switches between guest and hypervisor.

use egui::{Align2, Pos2, Rect, RichText, Stroke, Ui, Vec2};
use guestlab_content::Lang;
use guestlab_content::sim::hypervisor::io_path::{Layer, Mode, Progress};

use super::super::hypervisors_text as text;
use super::{Motion, Player, PlayerAction, accent, big_font, good, section, warn};

pub struct ModesView {
    mode: Mode,
    progress: Progress,
    player: Player,
}

impl Default for ModesView {
    fn default() -> Self {
        Self { mode: Mode::Full, progress: Progress::default(), player: Player::default() }
    }
}

impl ModesView {
    pub fn ui(&mut self, ui: &mut Ui, lang: Lang, motion: Motion) {
        ui.label(RichText::new(text::MODES_INTRO.get(lang)).size(big_font(ui, 1.0).size));
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            for mode in Mode::ALL {
                let label = RichText::new(text::mode_name(lang, mode)).size(big_font(ui, 1.1).size);
                if ui.selectable_label(self.mode == mode, label).clicked() && self.mode != mode {
                    self.mode = mode;
                    self.progress = Progress::default();
                    self.player.playing = false;
                }
            }
        });
        ui.label(text::mode_summary(lang, self.mode));
        ui.add_space(6.0);
        let finished = self.progress.finished(self.mode);
        match self.player.controls_ui(ui, lang, finished, motion) {
            PlayerAction::Step => self.progress = self.progress.next(self.mode),
            PlayerAction::Restart => self.progress = Progress::default(),
            PlayerAction::None => {}
        }
        let steps = self.player.advance(ui, motion);
        if steps > 0.0 {
            self.progress = if motion.reduced {
                self.progress.next(self.mode)
            } else {
                self.progress.advance(self.mode, steps, 1.0)
            };
        }
        ui.add_space(6.0);
        let width = ui.available_width();
        let diagram_width = (width * 0.48).clamp(280.0, 560.0);
        ui.horizontal_top(|ui| {
            diagram_ui(ui, self.mode, self.progress, diagram_width, motion, lang);
            ui.vertical(|ui| {
                ui.set_max_width((width - diagram_width - 16.0).max(260.0));
                self.side_ui(ui, lang);
            });
        });
        section(ui, text::PER_REQUEST.get(lang));
        comparison_ui(ui, lang, self.mode);
    }

    fn side_ui(&self, ui: &mut Ui, lang: Lang) {
        let mode = self.mode;
        let total = mode.transitions();
        let so_far = self.progress.transitions(mode);
        ui.label(RichText::new(text::TRANSITIONS_SO_FAR.get(lang)).strong());
        ui.label(RichText::new(format!("{so_far} / {total}")).size(big_font(ui, 2.2).size).strong().color(warn(ui)));
        ui.add_space(6.0);
        let steps = mode.steps();
        for (i, s) in steps.iter().enumerate() {
            let current = i == self.progress.step;
            let done = i < self.progress.step;
            let mut line = format!("{}. {}", i + 1, text::step_text(lang, s.id));
            if s.transitions > 0 {
                line.push_str(&format!("  [{}×]", s.transitions));
            }
            let mut rich = RichText::new(line);
            if current {
                rich = rich.strong().background_color(accent(ui).gamma_multiply(0.35));
            } else if !done {
                rich = rich.weak();
            }
            ui.label(rich);
        }
        if self.progress.finished(mode) {
            ui.label(RichText::new(text::DONE.get(lang)).color(good(ui)).strong());
        } else if self.progress == Progress::default() {
            ui.label(RichText::new(text::NOT_STARTED.get(lang)).weak());
        }
        ui.add_space(8.0);
        egui::Grid::new("hv-mode-props").num_columns(2).spacing([12.0, 4.0]).show(ui, |ui| {
            let yes_no = |b: bool| if b { text::YES.get(lang) } else { text::NO.get(lang) };
            ui.label(text::GUEST_MODIFIED.get(lang));
            ui.label(RichText::new(yes_no(mode.modified_kernel())).strong());
            ui.end_row();
            ui.label(text::GUEST_KNOWS.get(lang));
            ui.label(RichText::new(yes_no(mode.guest_knows())).strong());
            ui.end_row();
            ui.label(text::SPECIAL_DRIVERS.get(lang));
            ui.label(RichText::new(yes_no(mode != Mode::Full)).strong());
            ui.end_row();
        });
    }
}

/// The stack with the request on its way.
fn diagram_ui(ui: &mut Ui, mode: Mode, progress: Progress, width: f32, motion: Motion, lang: Lang) {
    let layers = mode.layers();
    let line = ui.text_style_height(&egui::TextStyle::Body);
    let band = line * 2.3;
    let gap = line * 0.9;
    let height = layers.len() as f32 * (band + gap);
    let (rect, response) = ui.allocate_exact_size(Vec2::new(width, height), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals().clone();
    let text_color = visuals.text_color();
    let stroke = Stroke::new(1.5, visuals.widgets.noninteractive.fg_stroke.color);
    let step = mode.steps().get(progress.step).copied();
    let description = match step {
        Some(s) => format!("{} → {}", text::layer_name(lang, s.from), text::layer_name(lang, s.to)),
        None => format!("{}: {}", text::mode_name(lang, mode), text::DONE.get(lang)),
    };
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &description));
    let band_rect = |i: usize| {
        Rect::from_min_size(Pos2::new(rect.left(), rect.top() + i as f32 * (band + gap)), Vec2::new(width, band))
    };
    let index = |l: Layer| layers.iter().position(|x| *x == l).unwrap_or(0);
    for (i, layer) in layers.iter().enumerate() {
        let r = band_rect(i);
        let active = step.is_some_and(|s| s.from == *layer || s.to == *layer);
        let guest_side = matches!(layer, Layer::GuestApp | Layer::GuestKernel);
        let fill = if active {
            accent(ui).gamma_multiply(0.45)
        } else if guest_side {
            visuals.faint_bg_color
        } else {
            visuals.extreme_bg_color
        };
        painter.rect(r, 6.0, fill, stroke, egui::StrokeKind::Inside);
        painter.text(
            Pos2::new(r.left() + 10.0, r.center().y),
            Align2::LEFT_CENTER,
            text::layer_name(lang, *layer),
            big_font(ui, 1.0),
            text_color,
        );
    }
    // The boundary between guest and hypervisor, where the switches happen.
    let boundary = band_rect(1).bottom() + gap / 2.0;
    painter.extend(egui::Shape::dashed_line(
        &[Pos2::new(rect.left(), boundary), Pos2::new(rect.right(), boundary)],
        Stroke::new(2.0, warn(ui)),
        8.0,
        5.0,
    ));
    let Some(step) = step else { return };
    let x = rect.right() - width * 0.18;
    let from = band_rect(index(step.from)).center().y;
    let to = band_rect(index(step.to)).center().y;
    let t = if motion.reduced { 1.0 } else { progress.fraction.clamp(0.0, 1.0) };
    let y = from + (to - from) * t;
    let color = if step.transitions > 0 { warn(ui) } else { good(ui) };
    if from != to {
        painter.arrow(Pos2::new(x, from), Vec2::new(0.0, to - from), Stroke::new(2.0, color.gamma_multiply(0.6)));
    }
    let radius = if from == to { line * (0.35 + 0.15 * (t * std::f32::consts::TAU).sin().abs()) } else { line * 0.4 };
    painter.circle(Pos2::new(x, y), radius, color, Stroke::new(1.5, text_color));
    if step.transitions > 0 {
        painter.text(
            Pos2::new(x - radius - 6.0, y),
            Align2::RIGHT_CENTER,
            format!("{}×", step.transitions),
            big_font(ui, 1.2),
            color,
        );
    }
}

/// A bar per technique: switches per request.
fn comparison_ui(ui: &mut Ui, lang: Lang, current: Mode) {
    let max = Mode::ALL.iter().map(|m| m.transitions()).max().unwrap_or(1).max(1) as f32;
    let line = ui.text_style_height(&egui::TextStyle::Body);
    egui::Grid::new("hv-mode-bars").num_columns(3).spacing([10.0, 6.0]).show(ui, |ui| {
        for mode in Mode::ALL {
            let name = RichText::new(text::mode_name(lang, mode));
            ui.label(if mode == current { name.strong() } else { name });
            let width = 320.0 * mode.transitions() as f32 / max;
            let (r, _) = ui.allocate_exact_size(Vec2::new(320.0, line), egui::Sense::hover());
            let bar = Rect::from_min_size(r.min, Vec2::new(width.max(4.0), line));
            let color = if mode == current { warn(ui) } else { ui.visuals().weak_text_color() };
            ui.painter().rect_filled(bar, 3.0, color);
            ui.label(RichText::new(mode.transitions().to_string()).strong());
            ui.end_row();
        }
    });
}
