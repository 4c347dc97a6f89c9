//! Review: the questions due today by the FSRS schedule, one at a time. A wrong answer is
//! rated Again; after a right one the learner says how it felt (Hard, Good, Easy), each
//! button showing when the question would come back. An exam date pulls reviews forward.

use guestlab_content::Lang;
use guestlab_content::lesson::progress::{day_of, format_date, parse_date};
use guestlab_content::lesson::review::{Rating, Scheduler, due_day};

use super::practice::seconds_since;
use super::review_text as text;
use super::{Command, Recorded, Screen, ScreenCx, ScreenId, screen_heading};
use crate::widgets::quiz_ui::{QuestionState, QuizUi};

#[derive(Default)]
pub struct Review {
    state: Option<QuestionState>,
    shown_at: Option<f64>,
    /// A right answer waiting for its rating: (question id, seconds).
    awaiting_rating: Option<(String, u32)>,
    /// A wrong answer recorded as Again, shown until the learner goes on.
    again_shown: bool,
    reviewed_today: u32,
    exam_date_text: String,
    bad_date: bool,
}

fn days_text(lang: Lang, days: i64) -> String {
    let unit = if days == 1 { text::DAY.get(lang) } else { text::DAYS.get(lang) };
    format!("{days} {unit}")
}

impl Review {
    fn exam_date_ui(&mut self, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>, today: i64) {
        let lang = cx.lang;
        let current = cx.state.progress.exam_date;
        if self.exam_date_text.is_empty()
            && let Some(day) = current
        {
            self.exam_date_text = format_date(day);
        }
        ui.horizontal(|ui| {
            let label = ui.label(egui::RichText::new(text::EXAM_DATE.get(lang)).strong());
            ui.add(egui::TextEdit::singleline(&mut self.exam_date_text).hint_text("2027-03-15").desired_width(110.0))
                .labelled_by(label.id);
            if ui.button(text::SET.get(lang)).clicked() {
                match parse_date(&self.exam_date_text) {
                    Some(day) => {
                        self.bad_date = false;
                        cx.send(Command::SetExamDate(Some(day)));
                    }
                    None => self.bad_date = true,
                }
            }
            if current.is_some() && ui.button(text::CLEAR.get(lang)).clicked() {
                self.exam_date_text.clear();
                self.bad_date = false;
                cx.send(Command::SetExamDate(None));
            }
            if let Some(day) = current
                && day >= today
            {
                ui.label(format!("{} {}", text::EXAM_IN.get(lang), days_text(lang, day - today)));
            }
        });
        ui.label(egui::RichText::new(text::EXAM_DATE_HINT.get(lang)).weak().small());
        if self.bad_date {
            ui.label(egui::RichText::new(text::BAD_DATE.get(lang)).color(ui.visuals().error_fg_color));
        }
    }

    /// The Hard/Good/Easy buttons after a right answer, each with the interval it gives.
    fn rating_ui(&mut self, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>, today: i64) {
        let lang = cx.lang;
        let Some((id, seconds)) = self.awaiting_rating.clone() else {
            return;
        };
        let card = cx.state.progress.questions.get(&id).and_then(|r| r.card.clone());
        let scheduler = Scheduler::default();
        ui.label(egui::RichText::new(text::HOW_WAS_IT.get(lang)).strong());
        ui.horizontal(|ui| {
            for (rating, name) in [(Rating::Hard, text::HARD), (Rating::Good, text::GOOD), (Rating::Easy, text::EASY)] {
                let next = scheduler.review(card.as_ref(), rating, today);
                let due = due_day(&next, cx.state.progress.exam_date);
                let label = format!("{} · {}", name.get(lang), days_text(lang, due - today));
                if ui.button(label).clicked() {
                    cx.send(Command::Record(vec![Recorded {
                        question_id: id.clone(),
                        correct: true,
                        rating: Some(rating),
                        seconds,
                    }]));
                    self.awaiting_rating = None;
                    self.state = None;
                    self.reviewed_today += 1;
                }
            }
        });
    }
}

impl Screen for Review {
    fn id(&self) -> ScreenId {
        ScreenId::Review
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>) {
        let lang = cx.lang;
        let today = day_of(cx.now);
        egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
            ui.set_max_width(ui.available_width().min(820.0));
            screen_heading(ui, ScreenId::Review.title(cx.tr));
            ui.label(egui::RichText::new(text::INTRO.get(lang)).weak());
            ui.add_space(6.0);
            self.exam_date_ui(ui, cx, today);
            ui.add_space(8.0);
            let due = cx.state.progress.due(cx.lessons, today);
            // The question on screen stays until it is rated, even though recording it makes
            // it no longer due.
            let current_id = self.state.as_ref().map(|s| s.question_id.clone());
            let shown = current_id.or_else(|| due.first().map(|id| (*id).to_owned()));
            ui.label(egui::RichText::new(format!("{} {}", text::DUE_TODAY.get(lang), due.len())).strong().size(17.0));
            let Some(id) = shown else {
                if self.reviewed_today > 0 {
                    ui.label(text::DONE_FOR_TODAY.get(lang));
                } else {
                    ui.label(text::NOTHING_DUE.get(lang));
                }
                let next = cx
                    .state
                    .progress
                    .questions
                    .values()
                    .filter_map(|r| r.card.as_ref())
                    .map(|c| due_day(c, cx.state.progress.exam_date))
                    .min();
                if let Some(next) = next {
                    ui.label(format!("{} {}", text::NEXT_DUE.get(lang), format_date(next)));
                }
                return;
            };
            let lessons = cx.lessons;
            let Some((_, question)) = lessons.questions().find(|(_, q)| q.id == id) else {
                self.state = None;
                return;
            };
            ui.separator();
            let state = self.state.get_or_insert_with(|| QuestionState::new(question));
            if self.shown_at.is_none() {
                self.shown_at = Some(ui.input(|i| i.time));
            }
            let response = QuizUi::new(question).keyboard(self.awaiting_rating.is_none()).show(ui, state, cx);
            // Only the first answer counts; another try after the feedback is for the learner.
            if let Some(correct) = response.graded.filter(|_| self.awaiting_rating.is_none() && !self.again_shown) {
                let seconds = seconds_since(ui, self.shown_at.take());
                if correct {
                    self.awaiting_rating = Some((question.id.clone(), seconds));
                } else {
                    cx.send(Command::Record(vec![Recorded {
                        question_id: question.id.clone(),
                        correct: false,
                        rating: Some(Rating::Again),
                        seconds,
                    }]));
                    self.again_shown = true;
                    self.reviewed_today += 1;
                }
            }
            ui.add_space(6.0);
            if self.awaiting_rating.is_some() {
                self.rating_ui(ui, cx, today);
            } else if self.again_shown {
                ui.label(text::AGAIN_NOTE.get(lang));
                if ui.button(text::CONTINUE.get(lang)).clicked() || response.next {
                    self.again_shown = false;
                    self.state = None;
                }
            }
        });
    }
}
