//! The lesson list and reader. Lesson files that failed to load appear in the list as error
//! entries with `file:line:column` and the message; the others load as usual.

use guestlab_content::lesson::Lesson;

use super::{Command, Recorded, Screen, ScreenCx, ScreenId};
use crate::widgets::markdown_ui::{error_color, markdown_with_quiz_ui};
use crate::widgets::quiz_ui::{QuestionState, QuizUi};

/// The learner's work on the questions shown in lessons, by question id.
type QuizStates = std::collections::HashMap<String, QuestionState>;

#[derive(Default)]
pub struct Lessons {
    /// An error entry the learner opened (index into the lesson set's errors).
    selected_error: Option<usize>,
    quiz_states: QuizStates,
}

impl Screen for Lessons {
    fn id(&self) -> ScreenId {
        ScreenId::Lessons
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>) {
        let tr = cx.tr;
        let current = cx.state.last_lesson.as_deref().and_then(|id| cx.lessons.lesson(id));

        egui::Panel::left("lesson_list").resizable(true).default_size(240.0).min_size(160.0).show(ui, |ui| {
            ui.add_space(4.0);
            ui.label(egui::RichText::new(tr.lessons_title).strong().size(18.0));
            ui.add_space(4.0);
            egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
                for lesson in &cx.lessons.lessons {
                    let selected =
                        self.selected_error.is_none() && current.is_some_and(|c| c.meta.id == lesson.meta.id);
                    let text = format!("{}. {}", lesson.meta.order, lesson.meta.title);
                    if ui.selectable_label(selected, text).clicked() {
                        self.selected_error = None;
                        cx.send(Command::OpenLesson { id: lesson.meta.id.clone(), anchor: None });
                    }
                }
                if !cx.lessons.errors.is_empty() {
                    ui.add_space(10.0);
                    ui.label(egui::RichText::new(tr.lessons_errors).color(error_color(ui)));
                    for (i, err) in cx.lessons.errors.iter().enumerate() {
                        let text = egui::RichText::new(err.file.as_str()).color(error_color(ui));
                        if ui
                            .selectable_label(self.selected_error == Some(i), text)
                            .on_hover_text(err.to_string())
                            .clicked()
                        {
                            self.selected_error = Some(i);
                        }
                    }
                }
            });
        });

        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(err) = self.selected_error.and_then(|i| cx.lessons.errors.get(i)) {
                ui.add_space(8.0);
                ui.label(egui::RichText::new(err.file.as_str()).strong().size(20.0).color(error_color(ui)));
                ui.label(tr.lessons_error_hint);
                ui.add_space(8.0);
                ui.add(egui::Label::new(egui::RichText::new(err.to_string()).monospace()).wrap());
                return;
            }
            let Some(lesson) = current else {
                ui.add_space(8.0);
                ui.label(tr.lessons_none_selected);
                return;
            };
            reader_ui(ui, lesson, cx, &mut self.quiz_states);
        });
    }
}

fn reader_ui(ui: &mut egui::Ui, lesson: &Lesson, cx: &mut ScreenCx<'_>, states: &mut QuizStates) {
    let tr = cx.tr;
    let mut clicked = None;
    egui::ScrollArea::vertical().id_salt(("lesson", &lesson.meta.id)).auto_shrink(false).show(ui, |ui| {
        ui.set_max_width(ui.available_width().min(820.0));
        ui.add_space(4.0);
        let meta = &lesson.meta;
        let mut info = format!("{} {}", meta.minutes, tr.lessons_minutes);
        if !meta.objectives.is_empty() {
            info.push_str(&format!(" · {} {}", tr.lessons_objectives, meta.objectives.join(", ")));
        }
        ui.label(egui::RichText::new(info).weak());

        let headings: Vec<_> = lesson.doc.headings().filter(|(level, _, _)| *level == 2).collect();
        if !headings.is_empty() {
            egui::CollapsingHeader::new(tr.lessons_contents).id_salt("toc").default_open(false).show(ui, |ui| {
                for (_, anchor, text) in headings {
                    if ui.link(text).clicked() {
                        clicked = Some(format!("#{anchor}"));
                    }
                }
            });
        }

        let mut scroll_to = cx.scroll_to.take();
        let mut quiz = |ui: &mut egui::Ui, ids: &[String]| quiz_block_ui(ui, lesson, ids, cx, states);
        if let Some(link) = markdown_with_quiz_ui(ui, &lesson.doc, &mut scroll_to, &mut quiz) {
            clicked = Some(link);
        }
        *cx.scroll_to = scroll_to;

        ui.add_space(16.0);
        ui.separator();
        let position = cx.lessons.lessons.iter().position(|l| l.meta.id == lesson.meta.id);
        ui.horizontal(|ui| {
            if let Some(prev) = position.and_then(|p| p.checked_sub(1)).and_then(|p| cx.lessons.lessons.get(p))
                && ui.button(tr.lessons_previous).on_hover_text(&prev.meta.title).clicked()
            {
                cx.send(Command::OpenLesson { id: prev.meta.id.clone(), anchor: None });
            }
            if let Some(next) = position.and_then(|p| cx.lessons.lessons.get(p + 1))
                && ui.button(tr.lessons_next).on_hover_text(&next.meta.title).clicked()
            {
                cx.send(Command::OpenLesson { id: next.meta.id.clone(), anchor: None });
            }
        });
        ui.add_space(24.0);
    });

    if let Some(link) = clicked {
        follow_link(ui, &link, lesson, cx);
    }
}

/// The questions of a quiz block, each answerable in place; a checked answer is recorded
/// like one in Practice.
fn quiz_block_ui(ui: &mut egui::Ui, lesson: &Lesson, ids: &[String], cx: &mut ScreenCx<'_>, states: &mut QuizStates) {
    for id in ids {
        let Some(question) = lesson.question(id) else {
            continue;
        };
        let state = states.entry(id.clone()).or_insert_with(|| QuestionState::new(question));
        egui::Frame::group(ui.style()).inner_margin(10.0).corner_radius(6.0).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let response = QuizUi::new(question).show(ui, state, cx);
            if let Some(correct) = response.graded {
                let rating = Some(guestlab_content::lesson::review::Rating::from_correct(correct));
                cx.send(Command::Record(vec![Recorded { question_id: id.clone(), correct, rating, seconds: 0 }]));
            }
        });
        ui.add_space(8.0);
    }
}

/// Acts on a clicked link: a heading of this lesson, another lesson, or the web.
fn follow_link(ui: &egui::Ui, link: &str, lesson: &Lesson, cx: &mut ScreenCx<'_>) {
    if let Some(anchor) = link.strip_prefix('#') {
        cx.send(Command::OpenLesson { id: lesson.meta.id.clone(), anchor: Some(anchor.to_owned()) });
    } else if let Some(target) = link.strip_prefix("lesson:") {
        let (id, anchor) = match target.split_once('#') {
            Some((id, anchor)) => (id, Some(anchor.to_owned())),
            None => (target, None),
        };
        cx.send(Command::OpenLesson { id: id.to_owned(), anchor });
    } else if link.starts_with("https://") || link.starts_with("http://") {
        ui.ctx().open_url(egui::OpenUrl::new_tab(link));
    } else if let Ok(route) = crate::route::Route::from_sim_link(link) {
        cx.send(Command::Open(route));
    } else {
        // `glossary:` targets arrive with the glossary.
        log::info!("{}: {link}", cx.tr.lessons_link_unavailable);
    }
}
