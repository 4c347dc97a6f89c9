//! An honest placeholder for a screen that a later piece of work fills: it says what will be
//! there, in the learner's language.

use super::{Screen, ScreenCx, ScreenId, screen_heading};
use crate::i18n::Tr;

pub struct Placeholder {
    id: ScreenId,
    description: fn(&Tr) -> &'static str,
}

impl Placeholder {
    pub fn new(id: ScreenId, description: fn(&Tr) -> &'static str) -> Self {
        Self { id, description }
    }
}

impl Screen for Placeholder {
    fn id(&self) -> ScreenId {
        self.id
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>) {
        screen_heading(ui, self.id.title(cx.tr));
        egui::Frame::group(ui.style()).inner_margin(16.0).show(ui, |ui| {
            ui.set_max_width(640.0);
            ui.label(egui::RichText::new(cx.tr.placeholder_heading).strong());
            ui.add_space(6.0);
            ui.label((self.description)(cx.tr));
        });
    }
}
