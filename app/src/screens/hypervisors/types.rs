//! Type 1 and type 2: three stack diagrams (bare metal, KVM, hosted) with the products placed on
//! them, KVM's "type 1/2" explained, and the sorting game (drag and drop, or one button per
//! product and type for the keyboard).

use egui::{Align2, Pos2, Rect, RichText, Stroke, Ui, UiBuilder, Vec2};
use guestlab_content::Lang;
use guestlab_content::sim::hypervisor::products::{
    HvType, PRODUCTS, Product, ProductId, SortGame, Stack, Verdict, judge, product,
};

use super::super::hypervisors_text as text;
use super::{accent, bad, big_font, good, section, warn};

#[derive(Default)]
pub struct TypesView {
    /// The product whose reasoning is shown.
    selected: Option<ProductId>,
    game: SortGame,
}

/// One band of a stack diagram, bottom up: its title and the products drawn on it.
struct Band {
    title: String,
    products: Vec<&'static Product>,
    /// Boxes drawn side by side in the band (guests, programs) instead of a title.
    boxes: Vec<String>,
    emphasis: bool,
}

impl TypesView {
    pub fn ui(&mut self, ui: &mut Ui, lang: Lang) {
        ui.label(RichText::new(text::TYPES_INTRO.get(lang)).size(big_font(ui, 1.0).size));
        ui.add_space(8.0);
        self.diagrams_ui(ui, lang);
        if let Some(id) = self.selected {
            let p = product(id);
            egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new(text::product_name(lang, p)).strong().size(big_font(ui, 1.15).size));
                ui.label(text::product_reason(lang, id));
                ui.label(RichText::new(format!("{} {}", text::GUEST_SIDE.get(lang), text::guest_side(lang, p))).weak());
            });
        }
        section(ui, text::KVM_HEADING.get(lang));
        ui.label(text::KVM_EXPLAINED.get(lang));
        section(ui, text::SORT_HEADING.get(lang));
        ui.label(RichText::new(text::SORT_HELP.get(lang)).weak());
        ui.add_space(6.0);
        self.game_ui(ui, lang);
    }

    fn diagrams_ui(&mut self, ui: &mut Ui, lang: Lang) {
        let on = |stack: Stack| PRODUCTS.iter().filter(move |p| p.stack == stack).collect::<Vec<_>>();
        let hardware = Band {
            title: text::LAYER_HARDWARE.get(lang).to_owned(),
            products: Vec::new(),
            boxes: Vec::new(),
            emphasis: false,
        };
        let guest = text::BOX_GUEST.get(lang).to_owned();
        let stacks = [
            (
                text::STACK_TYPE1.get(lang),
                vec![
                    hardware_band(&hardware),
                    Band {
                        title: text::LAYER_HYPERVISOR.get(lang).to_owned(),
                        products: on(Stack::BareMetal),
                        boxes: Vec::new(),
                        emphasis: true,
                    },
                    Band {
                        title: String::new(),
                        products: Vec::new(),
                        boxes: vec![text::BOX_MANAGEMENT.get(lang).to_owned(), guest.clone(), guest.clone()],
                        emphasis: false,
                    },
                ],
            ),
            (
                text::STACK_KVM.get(lang),
                vec![
                    hardware_band(&hardware),
                    Band {
                        title: text::LAYER_KVM_KERNEL.get(lang).to_owned(),
                        products: on(Stack::KernelHypervisor),
                        boxes: Vec::new(),
                        emphasis: true,
                    },
                    Band {
                        title: String::new(),
                        products: Vec::new(),
                        boxes: vec![
                            text::BOX_QEMU_GUEST.get(lang).to_owned(),
                            text::BOX_QEMU_GUEST.get(lang).to_owned(),
                            text::BOX_PROGRAMS.get(lang).to_owned(),
                        ],
                        emphasis: false,
                    },
                ],
            ),
            (
                text::STACK_TYPE2.get(lang),
                vec![
                    hardware_band(&hardware),
                    Band {
                        title: text::LAYER_HOST_OS.get(lang).to_owned(),
                        products: Vec::new(),
                        boxes: Vec::new(),
                        emphasis: false,
                    },
                    Band {
                        title: text::LAYER_HV_PROGRAM.get(lang).to_owned(),
                        products: on(Stack::Hosted),
                        boxes: Vec::new(),
                        emphasis: true,
                    },
                    Band {
                        title: String::new(),
                        products: Vec::new(),
                        boxes: vec![guest.clone(), guest],
                        emphasis: false,
                    },
                ],
            ),
        ];
        let gap = 12.0;
        let width = ((ui.available_width() - 2.0 * gap - 6.0) / 3.0).floor().max(280.0);
        let height = stacks.iter().map(|(_, bands)| stack_height(ui, bands)).fold(0.0, f32::max);
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = gap;
            for (title, bands) in &stacks {
                if let Some(id) = stack_ui(ui, lang, title, bands, (width, height), self.selected) {
                    self.selected = if self.selected == Some(id) { None } else { Some(id) };
                }
            }
        });
    }

    fn game_ui(&mut self, ui: &mut Ui, lang: Lang) {
        let mut moves: Vec<(ProductId, Option<HvType>)> = Vec::new();
        ui.columns(3, |cols| {
            let (left, rest) = cols.split_at_mut(1);
            let col = &mut left[0];
            col.label(RichText::new(text::UNSORTED.get(lang)).strong());
            let (_, dropped) =
                col.dnd_drop_zone::<ProductId, ()>(egui::Frame::group(col.style()).inner_margin(8.0), |ui| {
                    ui.set_min_size(Vec2::new(ui.available_width(), 60.0));
                    for p in self.game.unsorted() {
                        ui.horizontal_wrapped(|ui| {
                            chip_ui(ui, lang, p, None);
                            for (bin, label) in
                                [(HvType::Type1, text::BUTTON_TYPE1), (HvType::Type2, text::BUTTON_TYPE2)]
                            {
                                let r = ui.button(label.get(lang));
                                let name = text::put_into(lang, text::product_name(lang, p), bin == HvType::Type1);
                                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
                                if r.clicked() {
                                    moves.push((p.id, Some(bin)));
                                }
                            }
                        });
                    }
                });
            if let Some(id) = dropped {
                moves.push((*id, None));
            }
            for (col, (bin, title)) in
                rest.iter_mut().zip([(HvType::Type1, text::BIN_TYPE1), (HvType::Type2, text::BIN_TYPE2)])
            {
                col.label(RichText::new(title.get(lang)).strong());
                let (_, dropped) =
                    col.dnd_drop_zone::<ProductId, ()>(egui::Frame::group(col.style()).inner_margin(8.0), |ui| {
                        ui.set_min_size(Vec2::new(ui.available_width(), 60.0));
                        for p in self.game.in_bin(bin) {
                            let verdict = judge(p.id, bin);
                            ui.horizontal_wrapped(|ui| {
                                chip_ui(ui, lang, p, Some(verdict));
                                let color = match verdict {
                                    Verdict::Right => good(ui),
                                    Verdict::Arguable => warn(ui),
                                    Verdict::Wrong => bad(ui),
                                };
                                ui.label(RichText::new(text::verdict(lang, verdict)).color(color).strong());
                                let r = ui.small_button(text::TAKE_BACK.get(lang));
                                let name = text::take_back(lang, text::product_name(lang, p));
                                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
                                if r.clicked() {
                                    moves.push((p.id, None));
                                }
                            });
                            ui.label(RichText::new(text::product_reason(lang, p.id)).small());
                            ui.add_space(4.0);
                        }
                    });
                if let Some(id) = dropped {
                    moves.push((*id, Some(bin)));
                }
            }
        });
        for (id, bin) in moves {
            match bin {
                Some(bin) => self.game.place(id, bin),
                None => self.game.take_back(id),
            }
        }
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            let score = text::score(lang, self.game.right(), PRODUCTS.len());
            ui.label(RichText::new(score).strong().size(big_font(ui, 1.1).size));
            if self.game.all_right() {
                ui.label(RichText::new(text::ALL_RIGHT.get(lang)).color(good(ui)).strong());
            }
            if !self.game.placed.is_empty() && ui.button(text::SORT_AGAIN.get(lang)).clicked() {
                self.game = SortGame::default();
            }
        });
    }
}

fn hardware_band(b: &Band) -> Band {
    Band { title: b.title.clone(), products: Vec::new(), boxes: Vec::new(), emphasis: false }
}

/// A product chip that can be dragged (its payload is the product's id).
fn chip_ui(ui: &mut Ui, lang: Lang, p: &Product, verdict: Option<Verdict>) {
    let id = egui::Id::unique(("hv-chip", p.id as u8, verdict.is_some()));
    ui.dnd_drag_source(id, p.id, |ui| {
        let stroke = Stroke::new(1.5, accent(ui));
        egui::Frame::new().stroke(stroke).corner_radius(6.0).inner_margin(egui::Margin::symmetric(8, 3)).show(
            ui,
            |ui| {
                ui.label(RichText::new(text::product_name(lang, p)).strong());
            },
        );
    });
}

/// Room for a band's title and one row of chips, or two when three chips may not fit in one.
fn band_height(ui: &Ui, b: &Band) -> f32 {
    let line = ui.text_style_height(&egui::TextStyle::Body);
    match b.products.len() {
        0 => line * 2.2,
        1 | 2 => line * 4.0,
        _ => line * 5.8,
    }
}

/// The height of a stack with its title.
fn stack_height(ui: &Ui, bands: &[Band]) -> f32 {
    let line = ui.text_style_height(&egui::TextStyle::Body);
    line * 2.0 + bands.iter().map(|b| band_height(ui, b)).sum::<f32>() + 6.0 * bands.len() as f32
}

/// Draws one stack bottom-up in a rect of `height` (every stack gets the tallest one's height,
/// so that the hardware lines up); returns a product whose chip was clicked.
fn stack_ui(
    ui: &mut Ui,
    lang: Lang,
    title: &str,
    bands: &[Band],
    (width, height): (f32, f32),
    selected: Option<ProductId>,
) -> Option<ProductId> {
    let line = ui.text_style_height(&egui::TextStyle::Body);
    let (rect, response) = ui.allocate_exact_size(Vec2::new(width, height), egui::Sense::hover());
    // For screen readers: the picture in words, top layer last as drawn bottom-up.
    let layers: Vec<String> =
        bands.iter().map(|b| if b.boxes.is_empty() { b.title.clone() } else { b.boxes.join(", ") }).collect();
    let description = format!("{title}: {}", layers.join(" → "));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &description));
    let painter = ui.painter_at(rect.expand(2.0));
    let visuals = ui.visuals().clone();
    let text_color = visuals.text_color();
    let stroke = Stroke::new(1.5, visuals.widgets.noninteractive.fg_stroke.color);
    painter.text(rect.center_top(), Align2::CENTER_TOP, title, big_font(ui, 1.15), text_color);
    let mut clicked = None;
    let mut bottom = rect.bottom();
    for band in bands {
        let h = band_height(ui, band);
        let r = Rect::from_min_max(Pos2::new(rect.left(), bottom - h), Pos2::new(rect.right(), bottom));
        bottom -= h + 6.0;
        if !band.boxes.is_empty() {
            let n = band.boxes.len() as f32;
            let w = (r.width() - 6.0 * (n - 1.0)) / n;
            for (i, label) in band.boxes.iter().enumerate() {
                let b = Rect::from_min_size(Pos2::new(r.left() + i as f32 * (w + 6.0), r.top()), Vec2::new(w, h));
                painter.rect(b, 6.0, visuals.faint_bg_color, stroke, egui::StrokeKind::Inside);
                let galley = painter.layout(label.clone(), big_font(ui, 1.0), text_color, w - 8.0);
                let pos = b.center() - galley.size() / 2.0;
                painter.galley(pos, galley, text_color);
            }
            continue;
        }
        let fill = if band.emphasis { accent(ui).gamma_multiply(0.35) } else { visuals.extreme_bg_color };
        painter.rect(r, 6.0, fill, stroke, egui::StrokeKind::Inside);
        let title_pos = Pos2::new(r.left() + 8.0, r.top() + 4.0);
        let galley = painter.layout(band.title.clone(), big_font(ui, 1.0), text_color, r.width() - 16.0);
        painter.galley(title_pos, galley, text_color);
        if band.products.is_empty() {
            continue;
        }
        let inner = Rect::from_min_max(Pos2::new(r.left() + 8.0, r.top() + line * 1.5), r.shrink(6.0).max);
        // A child that does not move the parent's cursor: the chips sit inside the band.
        let layout = egui::Layout::left_to_right(egui::Align::Min).with_main_wrap(true);
        let mut chips = ui.new_child(UiBuilder::new().max_rect(inner).layout(layout));
        for p in &band.products {
            let chip =
                egui::Button::new(RichText::new(text::product_name(lang, p)).strong()).selected(selected == Some(p.id));
            if chips.add(chip).clicked() {
                clicked = Some(p.id);
            }
        }
    }
    clicked
}
