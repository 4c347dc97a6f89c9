//! The start screen: what GuestLab is, where to begin, and where the learner left off.

use super::{Command, Screen, ScreenCx, ScreenId, screen_heading};

pub struct Home;

impl Screen for Home {
    fn id(&self) -> ScreenId {
        ScreenId::Home
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>) {
        let tr = cx.tr;
        egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
            ui.set_max_width(760.0);
            screen_heading(ui, tr.home_welcome);
            ui.label(tr.home_intro);
            ui.add_space(12.0);

            ui.horizontal_wrapped(|ui| {
                if ui.button(tr.home_start_lessons).clicked() {
                    let first = cx.lessons.lessons.first().map(|l| l.meta.id.clone());
                    if let Some(id) = first {
                        cx.send(Command::OpenLesson { id, anchor: None });
                    } else {
                        cx.send(Command::Navigate(ScreenId::Lessons));
                    }
                }
                let last = cx.state.last_lesson.as_deref().and_then(|id| cx.lessons.lesson(id));
                if let Some(lesson) = last
                    && ui.button(format!("{}: {}", tr.home_continue, lesson.meta.title)).clicked()
                {
                    cx.send(Command::OpenLesson { id: lesson.meta.id.clone(), anchor: None });
                }
            });
            ui.label(
                egui::RichText::new(format!("{} {}", cx.lessons.lessons.len(), tr.home_lessons_count)).weak(),
            );

            ui.add_space(16.0);
            ui.label(egui::RichText::new(tr.home_what_is_here).strong().size(18.0));
            ui.add_space(4.0);
            for id in ScreenId::all().filter(|id| !matches!(id, ScreenId::Home | ScreenId::Settings)) {
                ui.horizontal(|ui| {
                    if ui.button(id.title(tr)).clicked() {
                        cx.send(Command::Navigate(id));
                    }
                });
            }
        });
    }
}
