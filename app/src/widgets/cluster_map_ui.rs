//! Cluster maps: one cell per cluster of an image (several clusters per cell when there are
//! more clusters than pixels), coloured by what the cluster holds.

use egui::{Color32, Rect, Sense, Ui, Vec2, pos2};
use guestlab_content::sim::disk::view::{GuestKind, HostKind, Run, bucket};

/// The narrowest cell drawn, in points.
const MIN_CELL: f32 = 2.0;

pub fn guest_color(kind: GuestKind, dark: bool) -> Color32 {
    match kind {
        GuestKind::Unallocated => {
            if dark {
                Color32::from_gray(55)
            } else {
                Color32::from_gray(225)
            }
        }
        GuestKind::Backing => Color32::from_rgb(120, 170, 230),
        GuestKind::Zero => Color32::from_rgb(235, 205, 90),
        GuestKind::Data => Color32::from_rgb(60, 170, 110),
        GuestKind::Compressed => Color32::from_rgb(170, 110, 200),
    }
}

pub fn host_color(kind: HostKind, dark: bool) -> Color32 {
    match kind {
        HostKind::Hole => {
            if dark {
                Color32::from_gray(40)
            } else {
                Color32::from_gray(240)
            }
        }
        HostKind::Unwritten => Color32::from_gray(150),
        HostKind::Header => Color32::from_rgb(200, 60, 60),
        HostKind::RefcountTable => Color32::from_rgb(235, 130, 40),
        HostKind::RefcountBlock => Color32::from_rgb(245, 175, 90),
        HostKind::L1 => Color32::from_rgb(130, 80, 200),
        HostKind::L2 => Color32::from_rgb(175, 135, 230),
        HostKind::SnapshotTable => Color32::from_rgb(150, 100, 60),
        HostKind::Data => Color32::from_rgb(60, 170, 110),
    }
}

/// Draws one strip of a cluster map. `summary` holds the image's clusters summarised to at most
/// a few thousand cells (see `view::CELLS`); `total` is the number of clusters. Returns the
/// cluster under the pointer.
pub fn strip_ui<K: Copy + Ord>(
    ui: &mut Ui,
    summary: &[K],
    total: u64,
    empty: K,
    color: impl Fn(K) -> Color32,
    height: f32,
) -> (egui::Response, Option<u64>) {
    let width = ui.available_width().max(50.0);
    let (rect, response) = ui.allocate_exact_size(Vec2::new(width, height), Sense::hover());
    let units = summary.len() as u64;
    let cells = ((width / MIN_CELL) as u64).min(units.max(1)) as usize;
    let runs: Vec<Run<K>> =
        summary.iter().enumerate().map(|(i, &kind)| Run { start: i as u64, len: 1, kind }).collect();
    let kinds = bucket(&runs, units, cells, empty);
    let painter = ui.painter_at(rect);
    let cell_w = width / cells.max(1) as f32;
    // Merge neighbouring cells of the same colour into one rectangle: fewer shapes to draw.
    let mut i = 0;
    while i < kinds.len() {
        let mut j = i + 1;
        while j < kinds.len() && kinds[j] == kinds[i] {
            j += 1;
        }
        let r = Rect::from_min_max(
            pos2(rect.left() + i as f32 * cell_w, rect.top()),
            pos2(rect.left() + j as f32 * cell_w, rect.bottom()),
        );
        painter.rect_filled(r, 0.0, color(kinds[i]));
        i = j;
    }
    // Cell borders when cells are wide enough to tell apart.
    if cell_w >= 6.0 {
        let stroke = egui::Stroke::new(1.0, ui.visuals().window_fill());
        for c in 1..cells {
            let x = rect.left() + c as f32 * cell_w;
            painter.vline(x, rect.y_range(), stroke);
        }
    }
    painter.rect_stroke(
        rect,
        0.0,
        egui::Stroke::new(1.0, ui.visuals().widgets.noninteractive.bg_stroke.color),
        egui::StrokeKind::Inside,
    );
    let hovered = response.hover_pos().filter(|_| total > 0).map(|p| {
        let cell = (((p.x - rect.left()) / cell_w) as u64).min(cells as u64 - 1);
        (cell as f64 * total as f64 / cells as f64) as u64
    });
    (response, hovered)
}

/// A small legend entry: a colour swatch and a name.
pub fn legend_item(ui: &mut Ui, color: Color32, name: &str) {
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
        ui.painter().rect_filled(rect, 2.0, color);
        ui.label(egui::RichText::new(name).small());
    });
}
