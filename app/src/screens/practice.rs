//! Practice: the questions of one lesson (or all), one at a time, with immediate feedback, the
//! explanation, a link to the lesson section and another try. Each checked answer is recorded
//! in the progress and schedules the question for review.

use guestlab_content::Lang;
use guestlab_content::lesson::review::Rating;

use super::practice_text as text;
use super::{Command, Recorded, Screen, ScreenCx, ScreenId, screen_heading};
use crate::widgets::quiz_ui::{QuestionState, QuizUi};

/// The questions of a practice session and where the learner is.
#[derive(Default)]
pub struct Practice {
    /// The lesson practised; `None`: all lessons.
    scope: Option<String>,
    only_open: bool,
    /// Question ids of the session, fixed when it starts (so a question answered right does
    /// not vanish under the learner's feet).
    ids: Vec<String>,
    /// What `ids` was built for.
    built_for: Option<(Option<String>, bool, Lang, usize)>,
    current: usize,
    state: Option<QuestionState>,
    /// `ui.input(time)` when the current question was shown, for the time spent.
    shown_at: Option<f64>,
    session_right: u32,
    session_total: u32,
}

/// Seconds since `since` (egui's input time), rounded.
pub(super) fn seconds_since(ui: &egui::Ui, since: Option<f64>) -> u32 {
    let now = ui.input(|i| i.time);
    since.map_or(0, |t| (now - t).max(0.0).round() as u32)
}

impl Practice {
    fn rebuild(&mut self, cx: &ScreenCx<'_>) {
        let key = (self.scope.clone(), self.only_open, cx.lang, cx.lessons.questions().count());
        if self.built_for.as_ref() == Some(&key) {
            return;
        }
        let progress = &cx.state.progress;
        self.ids = cx
            .lessons
            .questions()
            .filter(|(l, _)| self.scope.as_ref().is_none_or(|s| *s == l.meta.id))
            .filter(|(_, q)| !self.only_open || !progress.questions.get(&q.id).is_some_and(|r| r.last_correct))
            .map(|(_, q)| q.id.clone())
            .collect();
        // Keep the question the learner is on when only the language changed.
        let same_question = self.state.as_ref().and_then(|s| self.ids.iter().position(|id| *id == s.question_id));
        self.current = same_question.unwrap_or(0);
        if same_question.is_none() {
            self.state = None;
        }
        self.built_for = Some(key);
    }

    fn go(&mut self, to: usize) {
        self.current = to;
        self.state = None;
        self.shown_at = None;
    }

    fn scope_ui(&mut self, ui: &mut egui::Ui, cx: &ScreenCx<'_>) {
        let lang = cx.lang;
        let today = guestlab_content::lesson::progress::day_of(cx.now);
        ui.add_space(4.0);
        ui.label(egui::RichText::new(text::SCOPE.get(lang)).strong().size(16.0));
        ui.add_space(4.0);
        let total = cx.lessons.questions().count();
        if ui.selectable_label(self.scope.is_none(), format!("{} ({total})", text::ALL_LESSONS.get(lang))).clicked() {
            self.scope = None;
        }
        let stats = cx.state.progress.by_lesson(cx.lessons, today);
        for (lesson, stats) in cx.lessons.lessons.iter().zip(&stats) {
            let selected = self.scope.as_deref() == Some(lesson.meta.id.as_str());
            let label = format!("{}. {} ({}/{})", lesson.meta.order, lesson.meta.title, stats.correct, stats.questions);
            if ui.selectable_label(selected, label).clicked() {
                self.scope = Some(lesson.meta.id.clone());
            }
        }
        ui.add_space(8.0);
        ui.checkbox(&mut self.only_open, text::ONLY_OPEN.get(lang));
    }
}

impl Screen for Practice {
    fn id(&self) -> ScreenId {
        ScreenId::Practice
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>) {
        let lang = cx.lang;
        egui::Panel::left("practice_scope").resizable(true).default_size(260.0).min_size(180.0).show(ui, |ui| {
            egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| self.scope_ui(ui, cx));
        });
        self.rebuild(cx);
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
                ui.set_max_width(ui.available_width().min(820.0));
                screen_heading(ui, ScreenId::Practice.title(cx.tr));
                ui.label(egui::RichText::new(text::INTRO.get(lang)).weak());
                ui.add_space(8.0);
                if self.ids.is_empty() {
                    ui.label(if self.only_open { text::NONE_LEFT.get(lang) } else { text::NO_QUESTIONS.get(lang) });
                    return;
                }
                self.current = self.current.min(self.ids.len() - 1);
                let lessons = cx.lessons;
                let Some((_, question)) = lessons.questions().find(|(_, q)| q.id == self.ids[self.current]) else {
                    self.built_for = None;
                    return;
                };
                let state = self.state.get_or_insert_with(|| QuestionState::new(question));
                if self.shown_at.is_none() {
                    self.shown_at = Some(ui.input(|i| i.time));
                }
                let response = QuizUi::new(question)
                    .keyboard(true)
                    .next_button(true)
                    .number(self.current + 1, self.ids.len())
                    .show(ui, state, cx);
                if let Some(correct) = response.graded {
                    let seconds = seconds_since(ui, self.shown_at.take());
                    self.shown_at = Some(ui.input(|i| i.time));
                    cx.send(Command::Record(vec![Recorded {
                        question_id: question.id.clone(),
                        correct,
                        rating: Some(Rating::from_correct(correct)),
                        seconds,
                    }]));
                    self.session_total += 1;
                    self.session_right += u32::from(correct);
                }
                ui.add_space(10.0);
                ui.separator();
                ui.horizontal(|ui| {
                    if ui.add_enabled(self.current > 0, egui::Button::new(text::PREVIOUS.get(lang))).clicked() {
                        self.go(self.current - 1);
                    }
                    let last = self.current + 1 >= self.ids.len();
                    if ui.add_enabled(!last, egui::Button::new(text::SKIP.get(lang))).clicked() {
                        self.go(self.current + 1);
                    }
                    if self.session_total > 0 {
                        ui.label(format!(
                            "{} {} {} {}",
                            text::SESSION.get(lang),
                            self.session_right,
                            text::RIGHT_OF.get(lang),
                            self.session_total
                        ));
                    }
                });
                if response.next {
                    let next = (self.current + 1) % self.ids.len();
                    self.go(next);
                }
            });
        });
    }
}
