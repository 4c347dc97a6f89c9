//! How the app looks beyond the theme: the high-contrast variant of both themes, "reduce
//! motion" (no animations), and a clearly visible keyboard focus ring.

use egui::{Color32, Stroke, Theme};

/// The width of the ring drawn around the widget that has keyboard focus.
pub const FOCUS_RING_WIDTH: f32 = 3.0;

/// The colour of the focus ring in a theme.
pub fn focus_color(theme: Theme, high_contrast: bool) -> Color32 {
    match (theme, high_contrast) {
        (Theme::Dark, true) => Color32::from_rgb(255, 215, 0),
        (Theme::Light, true) => Color32::from_rgb(0, 0, 170),
        (Theme::Dark, false) => Color32::from_rgb(255, 170, 60),
        (Theme::Light, false) => Color32::from_rgb(200, 90, 0),
    }
}

/// The visuals of a theme, in high contrast or not.
pub fn visuals(theme: Theme, high_contrast: bool) -> egui::Visuals {
    let mut v = match theme {
        Theme::Dark => egui::Visuals::dark(),
        Theme::Light => egui::Visuals::light(),
    };
    if !high_contrast {
        return v;
    }
    let (bg, fg, faint, hover, select_bg, select_fg, link, weak) = match theme {
        Theme::Dark => (
            Color32::BLACK,
            Color32::WHITE,
            Color32::from_gray(24),
            Color32::from_gray(50),
            Color32::from_rgb(255, 215, 0),
            Color32::BLACK,
            Color32::from_rgb(0, 255, 255),
            Color32::from_gray(215),
        ),
        Theme::Light => (
            Color32::WHITE,
            Color32::BLACK,
            Color32::from_gray(238),
            Color32::from_gray(215),
            Color32::from_rgb(0, 0, 170),
            Color32::WHITE,
            Color32::from_rgb(0, 0, 200),
            Color32::from_gray(40),
        ),
    };
    v.panel_fill = bg;
    v.window_fill = bg;
    v.extreme_bg_color = bg;
    v.faint_bg_color = faint;
    v.code_bg_color = faint;
    v.window_stroke = Stroke::new(2.0, fg);
    v.weak_text_color = Some(weak);
    v.hyperlink_color = link;
    v.selection.bg_fill = select_bg;
    v.selection.stroke = Stroke::new(2.0, select_fg);
    let focus = focus_color(theme, true);
    let w = &mut v.widgets;
    w.noninteractive.fg_stroke = Stroke::new(1.0, fg);
    w.noninteractive.bg_stroke = Stroke::new(1.5, fg);
    w.noninteractive.bg_fill = bg;
    for (state, fill, stroke) in [
        (&mut w.inactive, bg, Stroke::new(1.5, fg)),
        (&mut w.hovered, hover, Stroke::new(2.0, focus)),
        (&mut w.active, hover, Stroke::new(2.5, focus)),
        (&mut w.open, hover, Stroke::new(2.0, fg)),
    ] {
        state.bg_fill = fill;
        state.weak_bg_fill = fill;
        state.bg_stroke = stroke;
        state.fg_stroke = Stroke::new(1.5, fg);
    }
    v
}

/// Applies contrast and motion settings to both themes of the context.
pub fn apply(ctx: &egui::Context, high_contrast: bool, reduce_motion: bool) {
    for theme in [Theme::Dark, Theme::Light] {
        ctx.style_mut_of(theme, |style| {
            style.visuals = visuals(theme, high_contrast);
            let defaults = egui::Style::default();
            if reduce_motion {
                style.animation_time = 0.0;
                style.scroll_animation = egui::style::ScrollAnimation::none();
            } else {
                style.animation_time = defaults.animation_time;
                style.scroll_animation = defaults.scroll_animation;
            }
        });
    }
}

/// Whether the learner moves through the app by keyboard: then the focused widget gets a ring
/// (like the browser's `:focus-visible`); a pointer press hides it again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FocusVisible(pub bool);

impl FocusVisible {
    pub fn update(&mut self, ctx: &egui::Context) {
        ctx.input(|i| {
            for event in &i.events {
                match event {
                    egui::Event::Key {
                        key:
                            egui::Key::Tab
                            | egui::Key::ArrowUp
                            | egui::Key::ArrowDown
                            | egui::Key::ArrowLeft
                            | egui::Key::ArrowRight,
                        pressed: true,
                        ..
                    } => self.0 = true,
                    egui::Event::PointerButton { pressed: true, .. } => self.0 = false,
                    _ => {}
                }
            }
        });
    }

    /// Draws the ring around the focused widget, above everything else.
    pub fn ring_ui(self, ctx: &egui::Context, high_contrast: bool) {
        if !self.0 {
            return;
        }
        let Some(response) = ctx.memory(egui::Memory::focused).and_then(|id| ctx.read_response(id)) else { return };
        let painter =
            ctx.layer_painter(egui::LayerId::new(egui::Order::Tooltip, egui::Id::unique("guestlab-focus-ring")));
        let color = focus_color(ctx.theme(), high_contrast);
        painter.rect_stroke(
            response.rect.expand(2.0),
            4.0,
            Stroke::new(FOCUS_RING_WIDTH, color),
            egui::StrokeKind::Outside,
        );
    }
}
