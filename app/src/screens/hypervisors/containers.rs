//! Containers next to VMs: two stacks side by side with the shared kernel marked, system
//! containers (LXC) against application containers with an OCI image's layers, a table of what
//! is shared, and the IaaS vocabulary with buttons into the simulators that show each block.

use egui::{Align2, Pos2, Rect, RichText, Stroke, Ui, Vec2};
use guestlab_content::Lang;

use super::super::{Command, ScreenCx, ScreenId};
use super::containers_text::{self as text, T2};
use super::{accent, big_font, section, warn};

#[derive(Default)]
pub struct ContainersView {
    application: bool,
}

/// A box in a picture: its label and whether it is the shared kernel.
struct Block {
    label: String,
    shared: bool,
}

impl ContainersView {
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut ScreenCx<'_>) {
        let lang = cx.lang;
        ui.label(RichText::new(text::INTRO.get(lang)).size(big_font(ui, 1.0).size));
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            for (application, label) in [(false, text::SYSTEM), (true, text::APPLICATION)] {
                let rich = RichText::new(label.get(lang)).size(big_font(ui, 1.05).size);
                if ui.selectable_label(self.application == application, rich).clicked() {
                    self.application = application;
                }
            }
        });
        ui.add_space(6.0);
        let width = ((ui.available_width() - 16.0) / 2.0).max(300.0);
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 16.0;
            vm_stack_ui(ui, lang, width);
            container_stack_ui(ui, lang, width, self.application);
        });
        let explained = if self.application { text::APPLICATION_EXPLAINED } else { text::SYSTEM_EXPLAINED };
        ui.label(explained.get(lang));
        if self.application {
            section(ui, text::LAYERS_HEADING.get(lang));
            layers_ui(ui, lang);
        }
        section(ui, text::SHARED_HEADING.get(lang));
        egui::Grid::new("hv-containers-table").striped(true).num_columns(3).spacing([16.0, 4.0]).show(ui, |ui| {
            ui.label("");
            ui.label(RichText::new(text::VMS.get(lang)).strong());
            ui.label(RichText::new(text::CONTAINERS.get(lang)).strong());
            ui.end_row();
            for (what, vm, container) in &text::ROWS {
                ui.label(RichText::new(what.get(lang)).strong());
                ui.label(vm.get(lang));
                ui.label(container.get(lang));
                ui.end_row();
            }
        });
        section(ui, text::IAAS_HEADING.get(lang));
        ui.label(text::IAAS_INTRO.get(lang));
        ui.add_space(4.0);
        iaas_ui(ui, cx);
    }
}

/// Draws stacked rows of blocks bottom-up; each row is a list of blocks side by side.
fn picture(ui: &mut Ui, title: &str, rows: &[Vec<Block>], width: f32) {
    let line = ui.text_style_height(&egui::TextStyle::Body);
    let row_h = line * 2.2;
    let gap = 5.0;
    let height = line * 2.0 + rows.len() as f32 * (row_h + gap);
    let (rect, response) = ui.allocate_exact_size(Vec2::new(width, height), egui::Sense::hover());
    let rows_text: Vec<String> =
        rows.iter().map(|r| r.iter().map(|b| b.label.as_str()).collect::<Vec<_>>().join(", ")).collect();
    let description = format!("{title}: {}", rows_text.join(" → "));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &description));
    let painter = ui.painter_at(rect.expand(2.0));
    let visuals = ui.visuals().clone();
    let text_color = visuals.text_color();
    let stroke = Stroke::new(1.5, visuals.widgets.noninteractive.fg_stroke.color);
    painter.text(rect.center_top(), Align2::CENTER_TOP, title, big_font(ui, 1.15), text_color);
    let mut bottom = rect.bottom();
    for row in rows {
        let n = row.len().max(1) as f32;
        let w = (width - gap * (n - 1.0)) / n;
        for (i, block) in row.iter().enumerate() {
            let r =
                Rect::from_min_size(Pos2::new(rect.left() + i as f32 * (w + gap), bottom - row_h), Vec2::new(w, row_h));
            let (fill, border) = if block.shared {
                (warn(ui).gamma_multiply(0.3), Stroke::new(2.5, warn(ui)))
            } else {
                (visuals.faint_bg_color, stroke)
            };
            painter.rect(r, 5.0, fill, border, egui::StrokeKind::Inside);
            let galley = painter.layout(block.label.clone(), big_font(ui, 1.0), text_color, w - 6.0);
            painter.galley(r.center() - galley.size() / 2.0, galley, text_color);
        }
        bottom -= row_h + gap;
    }
}

fn block(label: &T2, lang: Lang) -> Block {
    Block { label: label.get(lang).to_owned(), shared: false }
}

fn vm_stack_ui(ui: &mut Ui, lang: Lang, width: f32) {
    let vm = |label: &T2| -> Vec<Block> { vec![block(label, lang), block(label, lang)] };
    let rows = vec![
        vec![block(&text::HARDWARE, lang)],
        vec![block(&text::HYPERVISOR, lang)],
        vm(&text::VIRTUAL_HW),
        vm(&text::KERNEL),
        vm(&text::LIBS),
        vm(&text::APP),
    ];
    picture(ui, text::VMS.get(lang), &rows, width);
}

fn container_stack_ui(ui: &mut Ui, lang: Lang, width: f32, application: bool) {
    let three = |label: &T2| -> Vec<Block> { (0..3).map(|_| block(label, lang)).collect() };
    let mut rows = vec![
        vec![block(&text::HARDWARE, lang)],
        vec![Block { label: text::HOST_KERNEL.get(lang).to_owned(), shared: true }],
        vec![block(if application { &text::RUNTIME_OCI } else { &text::RUNTIME_LXC }, lang)],
    ];
    if application {
        rows.push(three(&text::LIBS));
        rows.push(three(&text::ONE_PROCESS));
    } else {
        rows.push(three(&text::INIT));
        rows.push(three(&text::SERVICES));
        rows.push(three(&text::LIBS));
    }
    picture(ui, text::CONTAINERS.get(lang), &rows, width);
}

/// The layers of one image under two containers' writable layers.
fn layers_ui(ui: &mut Ui, lang: Lang) {
    let line = ui.text_style_height(&egui::TextStyle::Body);
    let width = ui.available_width().min(640.0);
    let row_h = line * 1.9;
    let height = row_h * 4.0 + 12.0;
    let (rect, _) = ui.allocate_exact_size(Vec2::new(width, height), egui::Sense::hover());
    let painter = ui.painter_at(rect.expand(2.0));
    let visuals = ui.visuals().clone();
    let text_color = visuals.text_color();
    let stroke = Stroke::new(1.5, visuals.widgets.noninteractive.fg_stroke.color);
    let image_w = width * 0.68;
    let mut y = rect.bottom();
    for label in [text::LAYER_BASE, text::LAYER_APT, text::LAYER_COPY] {
        let r = Rect::from_min_size(Pos2::new(rect.left(), y - row_h), Vec2::new(image_w, row_h - 3.0));
        painter.rect(r, 4.0, visuals.extreme_bg_color, stroke, egui::StrokeKind::Inside);
        painter.text(
            Pos2::new(r.left() + 8.0, r.center().y),
            Align2::LEFT_CENTER,
            label.get(lang),
            egui::FontId::monospace(line * 0.8),
            text_color,
        );
        y -= row_h;
    }
    let half = (image_w - 6.0) / 2.0;
    for (i, label) in [text::WRITABLE_A, text::WRITABLE_B].into_iter().enumerate() {
        let r = Rect::from_min_size(
            Pos2::new(rect.left() + i as f32 * (half + 6.0), y - row_h),
            Vec2::new(half, row_h - 3.0),
        );
        painter.rect(r, 4.0, accent(ui).gamma_multiply(0.35), Stroke::new(1.5, accent(ui)), egui::StrokeKind::Inside);
        let galley = painter.layout(label.get(lang).to_owned(), big_font(ui, 0.8), text_color, half - 6.0);
        painter.galley(r.center() - galley.size() / 2.0, galley, text_color);
    }
    let brace_x = rect.left() + image_w + 10.0;
    let top = rect.bottom() - row_h * 3.0;
    painter
        .line_segment([Pos2::new(brace_x, top), Pos2::new(brace_x, rect.bottom() - 3.0)], Stroke::new(2.0, text_color));
    painter.text(
        Pos2::new(brace_x + 8.0, (top + rect.bottom()) / 2.0),
        Align2::LEFT_CENTER,
        text::READ_ONLY.get(lang),
        big_font(ui, 0.9),
        text_color,
    );
}

/// The four IaaS building blocks, each with the simulators that show it.
fn iaas_ui(ui: &mut Ui, cx: &mut ScreenCx<'_>) {
    let lang = cx.lang;
    let links: [&[ScreenId]; 4] = [
        &[ScreenId::LibvirtHost, ScreenId::CloudInit],
        &[ScreenId::MachineId, ScreenId::DiskImages],
        &[ScreenId::DiskImages, ScreenId::LibvirtHost],
        &[ScreenId::LibvirtHost, ScreenId::MachineId],
    ];
    let mut go = None;
    ui.columns(2, |cols| {
        for (i, targets) in links.iter().enumerate() {
            let col = &mut cols[i % 2];
            egui::Frame::group(col.style()).inner_margin(10.0).show(col, |ui| {
                ui.set_width(ui.available_width());
                let (term, what) = text::iaas_term(lang, i);
                ui.label(RichText::new(term).strong().size(big_font(ui, 1.15).size));
                ui.label(what);
                ui.horizontal_wrapped(|ui| {
                    for target in *targets {
                        let label = text::open(lang, target.title(cx.tr));
                        if ui.button(label).clicked() {
                            go = Some(*target);
                        }
                    }
                });
            });
            col.add_space(6.0);
        }
    });
    if let Some(target) = go {
        cx.send(Command::Navigate(target));
    }
}
