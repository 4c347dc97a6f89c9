//! Asks one quiz [`Question`] of any kind and grades it: the one widget that Practice, Exam,
//! Review, the lesson reader and the simulator screens' check-yourself questions all use.
//!
//! # Use
//!
//! Keep a [`QuestionState`] per question you show (it survives frames; build it once with
//! [`QuestionState::new`], or [`QuestionState::with_order`] for an exam's shuffled options),
//! then draw it each frame:
//!
//! ```ignore
//! let response = QuizUi::new(question).keyboard(true).show(ui, &mut state, cx);
//! if let Some(right) = response.graded { /* record the answer (Command::Record) */ }
//! if response.next { /* go to the next question */ }
//! ```
//!
//! - **Kinds.** Single: radio buttons. Multiple ("choose N"): checkboxes with "k of N chosen".
//!   Blank: a text field (Enter checks). Order: the steps in a list, reordered by dragging or
//!   by the "Move up"/"Move down" buttons beside each step. SimTask: the task, an "Open the
//!   simulator" button (sends [`Command::Navigate`] to the screen of the task's `sim:` link)
//!   and a "Check" button that grades the shared lab's world with
//!   [`guestlab_content::sim::tasks::check`].
//! - **Modes** ([`QuizMode`]). `Practice`: a "Check answer" button, then right/wrong, the right
//!   answer, the explanation, a link back to the lesson section ([`Command::OpenLesson`]) and
//!   "Try again" (a check after it gives feedback, but no `graded`: only the first answer
//!   counts). `Exam`: no feedback; every change is the answer ([`QuestionState::answer`]).
//!   `Result`: read-only, with the feedback (an exam's review).
//! - **Keyboard** (only for the instance built with `.keyboard(true)`, and only while no text
//!   field has the focus): 1–9 pick (or toggle) the option shown at that place, Enter checks,
//!   N asks for the next question ([`QuizResponse::next`]).
//! - **Accessibility.** Every control has a name: options are "1. text", the text field is
//!   "Your answer", the order buttons are "Move up: step text", the simulator buttons carry
//!   their text, feedback is a label.
//!
//! The widget sends only navigation commands; recording progress is the caller's job.

use egui::text::LayoutJob;
use egui::{Color32, Key, Modifiers, RichText, TextFormat, Ui};
use guestlab_content::Lang;
use guestlab_content::lesson::markdown::{self, Span};
use guestlab_content::lesson::{Question, QuestionKind};
use guestlab_content::sim::tasks;

use super::quiz_text as text;
use crate::screens::{Command, ScreenCx, ScreenId};

/// How a question is asked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QuizMode {
    /// Check, feedback, retry.
    #[default]
    Practice,
    /// Answers without feedback.
    Exam,
    /// Read-only with feedback, after an exam.
    Result,
}

mod state;

pub use state::{QuestionState, QuizResponse};

/// The screen a `sim:` link opens (the lab stays as it is: a task's work is not wiped by
/// going back to the simulator).
pub fn sim_screen(link: &str) -> Option<ScreenId> {
    crate::route::Route::from_sim_link(link).ok().map(|route| route.screen())
}

/// Colours for right and wrong that read on light and dark backgrounds.
pub fn right_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode { Color32::from_rgb(90, 200, 110) } else { Color32::from_rgb(20, 130, 50) }
}

pub fn wrong_color(ui: &Ui) -> Color32 {
    ui.visuals().error_fg_color
}

/// Inline spans as one layout job (for radio, checkbox and step labels), after `prefix`.
pub fn spans_job(ui: &Ui, prefix: &str, spans: &[Span]) -> LayoutJob {
    let body = egui::TextStyle::Body.resolve(ui.style());
    let mono = egui::TextStyle::Monospace.resolve(ui.style());
    let color = ui.visuals().text_color();
    let mut job = LayoutJob::default();
    job.append(prefix, 0.0, TextFormat::simple(body.clone(), color));
    for span in spans {
        let mut format = TextFormat::simple(if span.code { mono.clone() } else { body.clone() }, color);
        if span.code {
            format.background = ui.visuals().code_bg_color;
        }
        if span.strong {
            format.color = ui.visuals().strong_text_color();
        }
        format.italics = span.emphasis;
        if span.strike {
            format.strikethrough = egui::Stroke::new(1.0, color);
        }
        job.append(&span.text, 0.0, format);
    }
    job
}

/// Draws a [`Question`]; see the module documentation.
pub struct QuizUi<'q> {
    question: &'q Question,
    mode: QuizMode,
    keyboard: bool,
    next_button: bool,
    number: Option<(usize, usize)>,
}

impl<'q> QuizUi<'q> {
    pub fn new(question: &'q Question) -> Self {
        Self { question, mode: QuizMode::Practice, keyboard: false, next_button: false, number: None }
    }

    pub fn mode(mut self, mode: QuizMode) -> Self {
        self.mode = mode;
        self
    }

    /// Whether this instance takes the number keys, Enter and N (one instance per screen).
    pub fn keyboard(mut self, keyboard: bool) -> Self {
        self.keyboard = keyboard;
        self
    }

    /// Shows a "Next question" button once the question is checked.
    pub fn next_button(mut self, next_button: bool) -> Self {
        self.next_button = next_button;
        self
    }

    /// Shows "Question i of n" above the question (1-based `i`).
    pub fn number(mut self, i: usize, n: usize) -> Self {
        self.number = Some((i, n));
        self
    }

    pub fn show(self, ui: &mut Ui, state: &mut QuestionState, cx: &mut ScreenCx<'_>) -> QuizResponse {
        let mut response = QuizResponse::default();
        if state.question_id != self.question.id {
            *state = QuestionState::new(self.question);
        } else {
            state.refresh_texts(self.question);
        }
        let lang = cx.lang;
        let q = self.question;
        let locked = self.mode == QuizMode::Result || (self.mode == QuizMode::Practice && state.graded.is_some());
        let id = egui::Id::unique(("quiz", &q.id));

        if self.keyboard && !ui.ctx().text_edit_focused() {
            self.keys(ui, state, locked, &mut response);
        }

        ui.push_id(&q.id, |ui| {
            if let Some((i, n)) = self.number {
                let label = match lang {
                    Lang::En => format!("Question {i} of {n}"),
                    Lang::De => format!("Frage {i} von {n}"),
                };
                ui.label(RichText::new(label).weak());
            }
            let clicked = crate::widgets::markdown_ui::markdown_ui(ui, &state.model.text, &mut None);
            if let Some(link) = clicked {
                follow(&link, cx);
            }
            ui.add_space(4.0);
            match &q.kind {
                QuestionKind::Single { correct, .. } => {
                    self.choices_ui(ui, state, locked, &[*correct], true, &mut response);
                }
                QuestionKind::Multiple { correct, .. } => {
                    let chosen = state.picked.iter().filter(|&&p| p).count();
                    ui.label(
                        RichText::new(format!(
                            "{} {} · {chosen} {}",
                            text::CHOOSE.get(lang),
                            correct.len(),
                            text::CHOSEN.get(lang)
                        ))
                        .strong(),
                    );
                    self.choices_ui(ui, state, locked, correct, false, &mut response);
                }
                QuestionKind::Blank { accept, .. } => self.blank_ui(ui, state, locked, accept, &mut response, lang),
                QuestionKind::Order { steps } => self.order_ui(ui, state, locked, steps.len(), id, &mut response, lang),
                QuestionKind::SimTask { sim, check } => {
                    self.sim_ui(ui, state, sim, check, &mut response, cx);
                }
            }

            ui.add_space(6.0);
            if self.mode == QuizMode::Practice
                && state.graded.is_none()
                && !matches!(q.kind, QuestionKind::SimTask { .. })
            {
                let ready = state.answered(q);
                let submit = ui.add_enabled(ready, egui::Button::new(text::SUBMIT.get(lang)));
                if submit.clicked() {
                    response.graded = Some(state.grade(q));
                }
            }
            if self.mode != QuizMode::Exam
                && let Some(right) = state.graded
            {
                self.feedback_ui(ui, state, right, &mut response, cx);
            }
            let choice = matches!(q.kind, QuestionKind::Single { .. } | QuestionKind::Multiple { .. });
            let keys = match self.mode {
                QuizMode::Exam if choice => Some(text::EXAM_KEYS),
                QuizMode::Practice if choice => Some(text::KEYS),
                QuizMode::Practice => Some(text::KEYS_NO_OPTIONS),
                _ => None,
            };
            if let Some(keys) = keys.filter(|_| self.keyboard) {
                ui.label(RichText::new(keys.get(lang)).weak().small());
            }
        });
        // After "Try again" the learner has seen the right answer: the new check shows its
        // feedback but is not an answer to record (progress and review count the first one).
        // A simulator task is checked as often as the learner likes: it grades the world.
        if state.retried && !matches!(q.kind, QuestionKind::SimTask { .. }) {
            response.graded = None;
        }
        response
    }

    fn keys(&self, ui: &Ui, state: &mut QuestionState, locked: bool, response: &mut QuizResponse) {
        const NUMBERS: [Key; 9] =
            [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5, Key::Num6, Key::Num7, Key::Num8, Key::Num9];
        let q = self.question;
        let single = matches!(q.kind, QuestionKind::Single { .. });
        let choice = single || matches!(q.kind, QuestionKind::Multiple { .. });
        ui.input_mut(|i| {
            for (n, key) in NUMBERS.into_iter().enumerate() {
                if choice && !locked && n < state.order.len() && i.consume_key(Modifiers::NONE, key) {
                    state.pick(state.order[n], single);
                    response.changed = true;
                }
            }
            if self.mode == QuizMode::Practice
                && i.consume_key(Modifiers::NONE, Key::Enter)
                && state.graded.is_none()
                && state.answered(q)
                && !matches!(q.kind, QuestionKind::SimTask { .. })
            {
                response.graded = Some(state.grade(q));
            }
            if i.consume_key(Modifiers::NONE, Key::N) && (self.mode != QuizMode::Practice || state.graded.is_some()) {
                response.next = true;
            }
        });
    }

    fn choices_ui(
        &self,
        ui: &mut Ui,
        state: &mut QuestionState,
        locked: bool,
        correct: &[usize],
        single: bool,
        response: &mut QuizResponse,
    ) {
        let feedback = state.graded.is_some() && self.mode != QuizMode::Exam;
        for (place, &option) in state.order.clone().iter().enumerate() {
            let picked = state.picked[option];
            let spans = &state.model.items[option];
            let job = spans_job(ui, &format!("{}. ", place + 1), spans);
            ui.horizontal(|ui| {
                let clicked = ui
                    .add_enabled_ui(!locked, |ui| {
                        if single {
                            ui.radio(picked, job).clicked()
                        } else {
                            ui.checkbox(&mut picked.clone(), job).clicked()
                        }
                    })
                    .inner;
                if clicked && !locked {
                    state.pick(option, single);
                    response.changed = true;
                }
                if feedback {
                    let is_right = correct.contains(&option);
                    if is_right {
                        ui.label(RichText::new("√").color(right_color(ui)).strong());
                    } else if picked {
                        ui.label(RichText::new("×").color(wrong_color(ui)).strong());
                    }
                }
            });
        }
    }

    fn blank_ui(
        &self,
        ui: &mut Ui,
        state: &mut QuestionState,
        locked: bool,
        accept: &[String],
        response: &mut QuizResponse,
        lang: Lang,
    ) {
        ui.horizontal(|ui| {
            let label = ui.label(text::YOUR_ANSWER.get(lang));
            let edit = ui.add_enabled(
                !locked,
                egui::TextEdit::singleline(&mut state.typed)
                    .hint_text(text::TYPE_HERE.get(lang))
                    .font(egui::TextStyle::Monospace)
                    .desired_width(320.0),
            );
            let edit = edit.labelled_by(label.id);
            if edit.changed() {
                response.changed = true;
            }
            if self.mode == QuizMode::Practice
                && edit.lost_focus()
                && ui.input(|i| i.key_pressed(Key::Enter))
                && !state.typed.trim().is_empty()
                && state.graded.is_none()
            {
                response.graded = Some(state.grade(self.question));
            }
        });
        if state.graded == Some(false) && self.mode != QuizMode::Exam {
            ui.label(format!("{} {}", text::ACCEPTED.get(lang), accept.join("  ·  ")));
        }
    }

    #[expect(clippy::too_many_arguments, reason = "the pieces of one question's drawing")]
    fn order_ui(
        &self,
        ui: &mut Ui,
        state: &mut QuestionState,
        locked: bool,
        len: usize,
        id: egui::Id,
        response: &mut QuizResponse,
        lang: Lang,
    ) {
        if !locked {
            ui.label(RichText::new(text::ORDER_HINT.get(lang)).weak());
        }
        let mut moved: Option<(usize, usize)> = None;
        let mut rows = |ui: &mut Ui| {
            for place in 0..len {
                let step = state.order[place];
                let spans = &state.model.items[step];
                let row = ui.horizontal(|ui| {
                    let job = spans_job(ui, &format!("≡ {}. ", place + 1), spans);
                    let plain = markdown::plain_text(spans);
                    if !locked {
                        let up = ui.add_enabled(place > 0, egui::Button::new("↑").small());
                        up.widget_info(|| {
                            egui::WidgetInfo::labeled(
                                egui::accesskit::Role::Button,
                                place > 0,
                                format!("{}: {plain}", text::MOVE_UP.get(lang)),
                            )
                        });
                        if up.clicked() {
                            moved = Some((place, place - 1));
                        }
                        let down = ui.add_enabled(place + 1 < len, egui::Button::new("↓").small());
                        down.widget_info(|| {
                            egui::WidgetInfo::labeled(
                                egui::accesskit::Role::Button,
                                place + 1 < len,
                                format!("{}: {plain}", text::MOVE_DOWN.get(lang)),
                            )
                        });
                        if down.clicked() {
                            moved = Some((place, place + 1));
                        }
                        ui.dnd_drag_source(id.with(("step", step)), place, |ui| {
                            ui.add(egui::Label::new(job).selectable(false));
                        })
                        .response
                    } else {
                        let right = state.graded.is_some() && step == place;
                        let response = ui.label(job);
                        if state.graded.is_some() && self.mode != QuizMode::Exam {
                            let (mark, color) = if right { ("√", right_color(ui)) } else { ("×", wrong_color(ui)) };
                            ui.label(RichText::new(mark).color(color).strong());
                        }
                        response
                    }
                });
                let row = row.inner;
                if let (Some(pointer), Some(from)) =
                    (ui.input(|i| i.pointer.interact_pos()), row.dnd_hover_payload::<usize>())
                {
                    let rect = row.rect;
                    let stroke = egui::Stroke::new(2.0, ui.visuals().selection.bg_fill);
                    let to = if pointer.y < rect.center().y { place } else { place + 1 };
                    let y = if to == place { rect.top() } else { rect.bottom() };
                    ui.painter().hline(rect.x_range(), y, stroke);
                    if let Some(from) = row.dnd_release_payload::<usize>() {
                        let to = if to > *from { to - 1 } else { to };
                        moved = Some((*from, to));
                    } else {
                        let _ = from;
                    }
                }
            }
        };
        if locked {
            ui.vertical(|ui| rows(ui));
        } else {
            // The frame around the steps is where they can be dropped.
            let _ = ui.dnd_drop_zone::<usize, ()>(egui::Frame::new().inner_margin(4.0), |ui| rows(ui));
        }
        if let Some((from, to)) = moved {
            state.move_step(from, to);
            response.changed = true;
        }
        if state.graded == Some(false) && self.mode != QuizMode::Exam {
            ui.label(text::RIGHT_ORDER.get(lang));
            for (i, spans) in state.model.items.iter().enumerate() {
                ui.label(spans_job(ui, &format!("{}. ", i + 1), spans));
            }
        }
    }

    fn sim_ui(
        &self,
        ui: &mut Ui,
        state: &mut QuestionState,
        sim: &str,
        check: &str,
        response: &mut QuizResponse,
        cx: &mut ScreenCx<'_>,
    ) {
        let lang = cx.lang;
        if self.mode == QuizMode::Result {
            return;
        }
        ui.label(RichText::new(text::TASK_HINT.get(lang)).weak());
        ui.horizontal(|ui| {
            if let Some(screen) = sim_screen(sim)
                && ui.button(text::OPEN_SIM.get(lang)).on_hover_text(sim).clicked()
            {
                cx.send(Command::Navigate(screen));
            }
            if ui.button(text::CHECK_WORLD.get(lang)).clicked() {
                let result = tasks::check(cx.lab.world(), check);
                if result == Some(false) && cx.lab.inputs().is_empty() {
                    // Nothing was done in the simulator yet: not an attempt to grade.
                    state.untouched = true;
                    return;
                }
                state.untouched = false;
                state.sim = Some(result);
                response.changed = true;
                if let Some(passed) = result {
                    if self.mode == QuizMode::Practice {
                        state.graded = Some(passed);
                    }
                    response.graded = Some(passed);
                }
            }
        });
        if state.untouched {
            ui.label(RichText::new(text::TASK_UNTOUCHED.get(lang)).color(wrong_color(ui)));
        }
        match state.sim {
            Some(None) => {
                ui.label(RichText::new(text::TASK_PENDING.get(lang)).color(wrong_color(ui)));
            }
            Some(Some(_)) if self.mode == QuizMode::Exam => {
                ui.label(text::TASK_CHECKED.get(lang));
            }
            _ => {}
        }
    }

    fn feedback_ui(
        &self,
        ui: &mut Ui,
        state: &mut QuestionState,
        right: bool,
        response: &mut QuizResponse,
        cx: &mut ScreenCx<'_>,
    ) {
        let lang = cx.lang;
        let q = self.question;
        let verdict = match (&q.kind, right) {
            (QuestionKind::SimTask { .. }, true) => text::TASK_DONE,
            (QuestionKind::SimTask { .. }, false) => text::TASK_NOT_YET,
            (_, true) => text::RIGHT,
            (_, false) if !state.answered(q) => text::UNANSWERED,
            (_, false) => text::WRONG,
        };
        let color = if right { right_color(ui) } else { wrong_color(ui) };
        egui::Frame::group(ui.style()).inner_margin(8.0).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(verdict.get(lang)).strong().color(color));
            if let Some(link) = crate::widgets::markdown_ui::markdown_ui(ui, &state.model.explanation, &mut None) {
                follow(&link, cx);
            }
            if let Some((lesson, heading)) = section_of(q, cx) {
                ui.horizontal_wrapped(|ui| {
                    ui.label(text::READ_MORE.get(lang));
                    let title = format!("{} › {heading}", lesson.meta.title);
                    if ui.link(title).clicked() {
                        cx.send(Command::OpenLesson { id: lesson.meta.id.clone(), anchor: Some(q.section.clone()) });
                    }
                });
            }
        });
        if self.mode == QuizMode::Practice {
            ui.horizontal(|ui| {
                if ui.button(text::RETRY.get(lang)).clicked() {
                    state.retry();
                    response.changed = true;
                }
                if self.next_button && ui.button(text::NEXT.get(lang)).clicked() {
                    response.next = true;
                }
            });
        }
    }
}

/// The lesson a question belongs to and the text of its section heading.
fn section_of<'a>(question: &Question, cx: &ScreenCx<'a>) -> Option<(&'a guestlab_content::lesson::Lesson, String)> {
    let lessons: &'a guestlab_content::lesson::LessonSet = cx.lessons;
    let lesson = lessons.lessons.iter().find(|l| l.question(&question.id).is_some())?;
    let heading = lesson.doc.headings().find(|(_, anchor, _)| *anchor == question.section).map(|(_, _, t)| t)?;
    Some((lesson, heading))
}

/// Follows a link inside a question or explanation: a lesson, a simulator or the web.
fn follow(link: &str, cx: &mut ScreenCx<'_>) {
    if let Some(target) = link.strip_prefix("lesson:") {
        let (id, anchor) = match target.split_once('#') {
            Some((id, anchor)) => (id, Some(anchor.to_owned())),
            None => (target, None),
        };
        cx.send(Command::OpenLesson { id: id.to_owned(), anchor });
    } else if let Some(screen) = sim_screen(link) {
        cx.send(Command::Navigate(screen));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sim_links_open_their_screens() {
        assert_eq!(sim_screen("sim:disk?scenario=cow-vs-raw"), Some(ScreenId::DiskImages));
        assert_eq!(sim_screen("sim:cloning"), Some(ScreenId::MachineId));
        assert_eq!(sim_screen("sim:libvirt?scenario=tour"), Some(ScreenId::LibvirtHost));
        assert_eq!(sim_screen("sim:nowhere"), None);
        assert_eq!(sim_screen("https://example.org"), None);
    }
}
