//! Settings: language, theme, zoom, and where the saved data lives.

use guestlab_content::Lang;

use super::{Command, Screen, ScreenCx, ScreenId, screen_heading};
use crate::classroom_text as text;
use crate::persist::ThemeChoice;

/// The zoom factors offered by the buttons (egui's keyboard zoom uses the same range).
pub const ZOOM_STEP: f32 = 0.1;
pub const ZOOM_MIN: f32 = 0.5;
pub const ZOOM_MAX: f32 = 3.0;

pub struct Settings;

impl Screen for Settings {
    fn id(&self) -> ScreenId {
        ScreenId::Settings
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>) {
        let tr = cx.tr;
        let settings = &cx.state.settings;
        let (language, theme, zoom) = (settings.language, settings.theme, settings.zoom);
        egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
            screen_heading(ui, tr.nav_settings);

            section(ui, tr.settings_language);
            ui.horizontal(|ui| {
                for lang in Lang::ALL {
                    if ui.radio(language == lang, lang.native_name()).clicked() && language != lang {
                        cx.send(Command::SetLanguage(lang));
                    }
                }
            });
            ui.label(egui::RichText::new(tr.settings_language_hint).weak());

            section(ui, tr.settings_theme);
            ui.horizontal(|ui| {
                for choice in ThemeChoice::ALL {
                    let name = match choice {
                        ThemeChoice::System => tr.theme_system,
                        ThemeChoice::Light => tr.theme_light,
                        ThemeChoice::Dark => tr.theme_dark,
                    };
                    if ui.radio(theme == choice, name).clicked() && theme != choice {
                        cx.send(Command::SetTheme(choice));
                    }
                }
            });

            section(ui, tr.settings_zoom);
            ui.horizontal(|ui| {
                if ui.button("−").on_hover_text(tr.zoom_out).clicked() {
                    cx.send(Command::SetZoom((zoom - ZOOM_STEP).max(ZOOM_MIN)));
                }
                ui.label(format!("{:.0} %", zoom * 100.0));
                if ui.button("+").on_hover_text(tr.zoom_in).clicked() {
                    cx.send(Command::SetZoom((zoom + ZOOM_STEP).min(ZOOM_MAX)));
                }
                if ui.button(tr.zoom_reset).clicked() {
                    cx.send(Command::SetZoom(1.0));
                }
            });
            ui.label(egui::RichText::new(tr.settings_zoom_hint).weak());

            section(ui, text::ACCESSIBILITY.get(cx.lang));
            let (high_contrast, reduce_motion) = (settings.high_contrast, settings.reduce_motion);
            let mut on = high_contrast;
            if ui.checkbox(&mut on, text::HIGH_CONTRAST.get(cx.lang)).changed() {
                cx.send(Command::SetHighContrast(on));
            }
            let mut on = reduce_motion;
            if ui.checkbox(&mut on, text::REDUCE_MOTION.get(cx.lang)).changed() {
                cx.send(Command::SetReduceMotion(on));
            }
            ui.label(egui::RichText::new(text::ACCESSIBILITY_HINT.get(cx.lang)).weak());

            super::lesson_folders::lesson_folders_ui(ui, cx);

            section(ui, tr.settings_storage);
            ui.label(tr.settings_storage_location);
            ui.monospace(&cx.storage_location);

            section(ui, tr.settings_about);
            ui.label(format!("{} {} — {}", tr.app_name, env!("CARGO_PKG_VERSION"), tr.tagline));
        });
    }
}

fn section(ui: &mut egui::Ui, title: &str) {
    ui.add_space(12.0);
    ui.label(egui::RichText::new(title).strong().size(17.0));
    ui.add_space(2.0);
}
