//! Draws a lesson's display model ([`Doc`]): headings, paragraphs with emphasis, inline code and
//! links, code blocks, lists, tables, block quotes and rules.

use egui::{Color32, RichText, Ui};
use guestlab_content::lesson::markdown::{Align, Block, Doc, Span};

/// Draws `doc`. When a heading's anchor equals `scroll_to`, it is scrolled into view and
/// `scroll_to` is cleared. Returns the target of a link the learner clicked. Quiz blocks are
/// left out (see [`markdown_with_quiz_ui`]).
pub fn markdown_ui(ui: &mut Ui, doc: &Doc, scroll_to: &mut Option<String>) -> Option<String> {
    markdown_with_quiz_ui(ui, doc, scroll_to, &mut |_, _| {})
}

/// Like [`markdown_ui`], with `quiz` drawing each quiz block in place from the ids of its
/// questions.
pub fn markdown_with_quiz_ui(
    ui: &mut Ui,
    doc: &Doc,
    scroll_to: &mut Option<String>,
    quiz: &mut dyn FnMut(&mut Ui, &[String]),
) -> Option<String> {
    let mut clicked = None;
    for block in &doc.blocks {
        block_ui(ui, block, scroll_to, &mut clicked, quiz);
    }
    clicked
}

fn block_ui(
    ui: &mut Ui,
    block: &Block,
    scroll_to: &mut Option<String>,
    clicked: &mut Option<String>,
    quiz: &mut dyn FnMut(&mut Ui, &[String]),
) {
    match block {
        Block::Heading { level, anchor, spans } => {
            ui.add_space(if *level <= 2 { 14.0 } else { 8.0 });
            let size = match level {
                1 => 28.0,
                2 => 22.0,
                3 => 18.0,
                _ => 16.0,
            };
            let response = ui
                .horizontal_wrapped(|ui| {
                    for span in spans {
                        span_ui(ui, span, Some(size), true, clicked);
                    }
                })
                .response;
            if scroll_to.as_deref() == Some(anchor.as_str()) {
                ui.scroll_to_rect(response.rect, Some(egui::Align::TOP));
                *scroll_to = None;
            }
            ui.add_space(4.0);
        }
        Block::Paragraph(spans) => {
            paragraph_ui(ui, spans, clicked);
            ui.add_space(6.0);
        }
        Block::Code { text, .. } => {
            egui::Frame::new()
                .fill(ui.visuals().extreme_bg_color)
                .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
                .corner_radius(4.0)
                .inner_margin(8.0)
                .show(ui, |ui| {
                    ui.set_min_width(ui.available_width());
                    ui.add(egui::Label::new(RichText::new(text.trim_end_matches('\n')).monospace()).wrap());
                });
            ui.add_space(6.0);
        }
        Block::List { start, items } => {
            for (i, item) in items.iter().enumerate() {
                let marker = match start {
                    Some(n) => format!("{}.", n + i as u64),
                    None => "•".to_owned(),
                };
                ui.horizontal(|ui| {
                    ui.add_sized([18.0, 0.0], egui::Label::new(marker));
                    ui.vertical(|ui| {
                        for block in item {
                            block_ui(ui, block, scroll_to, clicked, quiz);
                        }
                    });
                });
            }
            ui.add_space(4.0);
        }
        Block::Quote(blocks) => {
            let response = egui::Frame::new()
                .fill(ui.visuals().faint_bg_color)
                .inner_margin(egui::Margin { left: 14, right: 8, top: 6, bottom: 2 })
                .show(ui, |ui| {
                    for block in blocks {
                        block_ui(ui, block, scroll_to, clicked, quiz);
                    }
                })
                .response;
            let rect = response.rect;
            ui.painter().vline(
                rect.left() + 1.5,
                rect.y_range(),
                egui::Stroke::new(3.0, ui.visuals().selection.bg_fill),
            );
            ui.add_space(6.0);
        }
        Block::Table { align, head, rows } => {
            table_ui(ui, align, head, rows, clicked);
            ui.add_space(8.0);
        }
        Block::Rule => {
            ui.separator();
        }
        // Questions are asked in place by the caller (the lesson reader), never shown as code.
        Block::Quiz { ids } => quiz(ui, ids),
    }
}

fn paragraph_ui(ui: &mut Ui, spans: &[Span], clicked: &mut Option<String>) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        for span in spans {
            span_ui(ui, span, None, false, clicked);
        }
    });
}

fn span_ui(ui: &mut Ui, span: &Span, size: Option<f32>, strong: bool, clicked: &mut Option<String>) {
    let mut text = RichText::new(&span.text);
    if let Some(size) = size {
        text = text.size(size);
    }
    if span.strong || strong {
        text = text.strong();
    }
    if span.emphasis {
        text = text.italics();
    }
    if span.strike {
        text = text.strikethrough();
    }
    if span.code {
        text = text.code();
    }
    if let Some(target) = &span.link {
        let response = ui.link(text).on_hover_text(target);
        if response.clicked() {
            *clicked = Some(target.clone());
        }
    } else {
        ui.label(text);
    }
}

fn table_ui(ui: &mut Ui, align: &[Align], head: &[Vec<Span>], rows: &[Vec<Vec<Span>>], clicked: &mut Option<String>) {
    let id = ui.next_auto_id();
    egui::Frame::new().stroke(ui.visuals().widgets.noninteractive.bg_stroke).inner_margin(6.0).show(ui, |ui| {
        egui::Grid::new(id).striped(true).spacing([16.0, 6.0]).show(ui, |ui| {
            for (col, cell) in head.iter().enumerate() {
                cell_ui(ui, cell, align.get(col), true, clicked);
            }
            ui.end_row();
            for row in rows {
                for (col, cell) in row.iter().enumerate() {
                    cell_ui(ui, cell, align.get(col), false, clicked);
                }
                ui.end_row();
            }
        });
    });
}

fn cell_ui(ui: &mut Ui, spans: &[Span], align: Option<&Align>, header: bool, clicked: &mut Option<String>) {
    let layout = match align {
        Some(Align::Right) => egui::Layout::right_to_left(egui::Align::Center),
        Some(Align::Center) => egui::Layout::top_down(egui::Align::Center),
        _ => egui::Layout::left_to_right(egui::Align::Center).with_main_wrap(true),
    };
    ui.with_layout(layout, |ui| {
        ui.set_max_width(320.0);
        ui.spacing_mut().item_spacing.x = 0.0;
        for span in spans {
            span_ui(ui, span, None, header, clicked);
        }
    });
}

/// The colour for an error entry (red that reads on light and dark backgrounds).
pub fn error_color(ui: &Ui) -> Color32 {
    ui.visuals().error_fg_color
}
