//! The fonts GuestLab draws with: subsets of egui's default fonts (see
//! `assets/fonts/make_subsets.py`), which keep the web app small. Ubuntu Light for text, Hack
//! for code and the terminal, each falling back to the other.

use std::sync::Arc;

/// Installs GuestLab's fonts into a context (before the first frame).
pub fn install(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::empty();
    fonts.font_data.insert(
        "ubuntu-light".to_owned(),
        Arc::new(egui::FontData::from_static(include_bytes!("../../assets/fonts/UbuntuLight-derivative-GuestLab.ttf"))),
    );
    fonts.font_data.insert(
        "hack".to_owned(),
        Arc::new(egui::FontData::from_static(include_bytes!("../../assets/fonts/Hack-derivative-GuestLab.ttf"))),
    );
    fonts.families.insert(egui::FontFamily::Proportional, vec!["ubuntu-light".to_owned(), "hack".to_owned()]);
    fonts.families.insert(egui::FontFamily::Monospace, vec!["hack".to_owned(), "ubuntu-light".to_owned()]);
    ctx.set_fonts(fonts);
}
