//! The start screen: what GuestLab is, where to begin, where the learner left off, and a card
//! for every part of the app.

use super::{Command, Screen, ScreenCx, ScreenId, screen_heading};

pub struct Home;

/// The width of one card on the start screen.
const CARD_WIDTH: f32 = 250.0;

impl Screen for Home {
    fn id(&self) -> ScreenId {
        ScreenId::Home
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>) {
        let tr = cx.tr;
        egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
            ui.set_max_width(ui.available_width().min(860.0));
            screen_heading(ui, tr.home_welcome);
            ui.label(tr.home_intro);
            ui.add_space(12.0);

            ui.horizontal_wrapped(|ui| {
                if ui.button(egui::RichText::new(tr.home_start_lessons).strong()).clicked() {
                    let first = cx.lessons.lessons.first().map(|l| l.meta.id.clone());
                    cx.send(
                        first.map_or(Command::Navigate(ScreenId::Lessons), |id| Command::OpenLesson {
                            id,
                            anchor: None,
                        }),
                    );
                }
                let last = cx.state.last_lesson.as_deref().and_then(|id| cx.lessons.lesson(id));
                if let Some(lesson) = last
                    && ui.button(format!("{}: {}", tr.home_continue, lesson.meta.title)).clicked()
                {
                    cx.send(Command::OpenLesson { id: lesson.meta.id.clone(), anchor: None });
                }
            });
            ui.label(egui::RichText::new(format!("{} {}", tr.home_lessons_count, cx.lessons.lessons.len())).weak());
            let today = guestlab_content::lesson::progress::day_of(cx.now);
            let due = cx.state.progress.due(cx.lessons, today).len();
            ui.horizontal(|ui| {
                let review = super::review_text::HOME_DUE.get(cx.lang);
                ui.label(egui::RichText::new(format!("{review} {due}")).strong());
                if due > 0 && ui.button(super::review_text::HOME_REVIEW.get(cx.lang)).clicked() {
                    cx.send(Command::Navigate(ScreenId::Review));
                }
            });

            ui.add_space(18.0);
            ui.label(egui::RichText::new(tr.home_what_is_here).strong().size(18.0));
            ui.add_space(6.0);
            let spacing = 10.0;
            // Frames do not wrap in a wrapping layout: lay the cards out in a grid that fits.
            let card_outer = CARD_WIDTH + 2.0 * 10.0 + 2.0;
            let columns = ((ui.available_width() + spacing) / (card_outer + spacing)).floor().max(1.0) as usize;
            let cards: Vec<_> =
                ScreenId::all().filter(|id| !matches!(id, ScreenId::Home | ScreenId::Settings)).collect();
            egui::Grid::new("home_cards").spacing([spacing, spacing]).show(ui, |ui| {
                for row in cards.chunks(columns) {
                    for &id in row {
                        card_ui(ui, id, cx);
                    }
                    ui.end_row();
                }
            });
        });
    }
}

fn card_ui(ui: &mut egui::Ui, id: ScreenId, cx: &mut ScreenCx<'_>) {
    egui::Frame::group(ui.style()).inner_margin(10.0).corner_radius(6.0).show(ui, |ui| {
        ui.set_width(CARD_WIDTH);
        ui.set_min_height(64.0);
        ui.vertical(|ui| {
            if ui.link(egui::RichText::new(id.title(cx.tr)).strong().size(16.0)).clicked() {
                cx.send(Command::Navigate(id));
            }
            ui.label(egui::RichText::new(id.summary(cx.tr)).weak());
        });
    });
}
