//! Exam: an LPI-style exam simulation. The learner picks the format and a seed (shown, and
//! enterable, so a class can sit the same exam), answers against a visible timer with no
//! feedback, flags questions and moves freely between them; at the end (or when time is up)
//! the score on the 200–800 scale, pass or fail, the result by lesson and objective, and a
//! review of all, the wrong or the flagged answers with their explanations.

use guestlab_content::lesson::exam::{self, ExamFormat, ExamResult};
use guestlab_content::lesson::progress::{ExamRecord, day_of};
use guestlab_content::lesson::review::Rating;
use guestlab_content::lesson::{LessonSet, Question};

use super::exam_text as text;
use super::{Command, Recorded, Screen, ScreenCx, ScreenId, screen_heading};
use crate::route::Route;
use crate::widgets::quiz_ui::{QuestionState, QuizMode, QuizUi, right_color, wrong_color};

#[derive(Default)]
pub struct Exam {
    phase: Phase,
    format: ExamFormat,
    seed_text: String,
    seed_error: bool,
}

#[derive(Default)]
enum Phase {
    #[default]
    Setup,
    Running(Box<Run>),
    Done(Box<Done>),
}

/// An exam being answered.
struct Run {
    exam: exam::Exam,
    states: Vec<QuestionState>,
    flagged: Vec<bool>,
    /// Seconds spent on each question.
    seconds: Vec<f64>,
    current: usize,
    /// `ui.input(time)` at the start, and when the current question was shown.
    started: f64,
    shown_at: f64,
    confirm_finish: bool,
}

/// A finished exam.
struct Done {
    exam: exam::Exam,
    states: Vec<QuestionState>,
    flagged: Vec<bool>,
    result: ExamResult,
    took_secs: f64,
    time_up: bool,
    filter: Filter,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Filter {
    #[default]
    All,
    Wrong,
    Flagged,
}

/// `mm:ss` (or `h:mm:ss`).
pub fn clock_text(secs: f64) -> String {
    let s = secs.max(0.0).ceil() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

fn question<'a>(lessons: &'a LessonSet, item: &exam::ExamItem) -> Option<&'a Question> {
    lessons.lesson(&item.lesson_id).and_then(|l| l.question(&item.question_id))
}

impl Exam {
    fn setup_ui(&mut self, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>) {
        let lang = cx.lang;
        if self.seed_text.is_empty() {
            // A short number that is easy to read out to a class.
            self.seed_text = (cx.now as u64 % 100_000).to_string();
        }
        ui.label(text::INTRO.get(lang));
        ui.add_space(10.0);
        let eligible = cx.lessons.questions().filter(|(_, q)| exam::eligible(q)).count();
        ui.label(egui::RichText::new(text::FORMAT.get(lang)).strong());
        for format in ExamFormat::ALL {
            let name = match format {
                ExamFormat::Topic => text::TOPIC_FORMAT.get(lang),
                ExamFormat::Full => text::FULL_FORMAT.get(lang),
            };
            ui.horizontal(|ui| {
                let available = format.available(eligible);
                if ui.add_enabled(available, egui::RadioButton::new(self.format == format, name)).clicked() {
                    self.format = format;
                }
                if !available {
                    ui.label(egui::RichText::new(text::FULL_UNAVAILABLE.get(lang)).weak());
                }
            });
        }
        if !self.format.available(eligible) {
            self.format = ExamFormat::Topic;
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let label = ui.label(egui::RichText::new(text::SEED.get(lang)).strong());
            let edit = ui.add(egui::TextEdit::singleline(&mut self.seed_text).desired_width(120.0));
            edit.labelled_by(label.id);
            ui.label(egui::RichText::new(text::SEED_HINT.get(lang)).weak());
        });
        if ui.button(text::NEW_SEED.get(lang)).clicked() {
            let next = self.seed_text.trim().parse::<u64>().unwrap_or(0);
            self.seed_text = (exam::fnv1a(&next.to_le_bytes()) % 100_000).to_string();
        }
        if self.seed_error {
            ui.label(egui::RichText::new(text::SEED_INVALID.get(lang)).color(wrong_color(ui)));
        }
        ui.add_space(12.0);
        if ui.button(egui::RichText::new(text::START.get(lang)).strong().size(16.0)).clicked() {
            let Ok(seed) = self.seed_text.trim().parse::<u64>() else {
                self.seed_error = true;
                return;
            };
            self.seed_error = false;
            self.start(ui, cx.lessons, seed);
        }
    }

    fn start(&mut self, ui: &egui::Ui, lessons: &LessonSet, seed: u64) {
        let exam = exam::assemble(lessons, seed, self.format.questions());
        let states = exam
            .items
            .iter()
            .filter_map(|item| question(lessons, item).map(|q| QuestionState::with_order(q, item.order.clone())))
            .collect::<Vec<_>>();
        if states.len() != exam.items.len() {
            return;
        }
        let n = exam.items.len();
        let now = ui.input(|i| i.time);
        self.phase = Phase::Running(Box::new(Run {
            exam,
            states,
            flagged: vec![false; n],
            seconds: vec![0.0; n],
            current: 0,
            started: now,
            shown_at: now,
            confirm_finish: false,
        }));
    }
}

impl Run {
    fn go(&mut self, ui: &egui::Ui, to: usize) {
        let now = ui.input(|i| i.time);
        self.seconds[self.current] += now - self.shown_at;
        self.shown_at = now;
        self.current = to.min(self.exam.items.len().saturating_sub(1));
        self.confirm_finish = false;
    }

    fn answered(&self, lessons: &LessonSet, i: usize) -> bool {
        question(lessons, &self.exam.items[i]).is_some_and(|q| self.states[i].answered(q))
    }

    /// Grades every answer and records them; the exam becomes a [`Done`].
    fn finish(mut self, ui: &egui::Ui, cx: &mut ScreenCx<'_>, time_up: bool) -> Done {
        let now = ui.input(|i| i.time);
        self.seconds[self.current] += now - self.shown_at;
        let mut answers = Vec::with_capacity(self.states.len());
        let mut recorded = Vec::new();
        for (i, item) in self.exam.items.iter().enumerate() {
            let Some(q) = question(cx.lessons, item) else {
                answers.push(None);
                continue;
            };
            let answered = self.states[i].answered(q);
            let correct = self.states[i].grade(q);
            answers.push(self.states[i].answer(q));
            if answered {
                recorded.push(Recorded {
                    question_id: q.id.clone(),
                    correct,
                    rating: Some(Rating::from_correct(correct)),
                    seconds: self.seconds[i].round() as u32,
                });
            }
        }
        let result = exam::grade(&self.exam, cx.lessons, &answers);
        cx.send(Command::Record(recorded));
        cx.send(Command::RecordExam(ExamRecord {
            day: day_of(cx.now),
            seed: self.exam.seed,
            questions: result.total as u32,
            right: result.right as u32,
            score: result.score,
        }));
        Done {
            exam: self.exam,
            states: self.states,
            flagged: self.flagged,
            result,
            took_secs: now - self.started,
            time_up,
            filter: Filter::All,
        }
    }
}

fn running_ui(run: &mut Run, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>) -> bool {
    let lang = cx.lang;
    let n = run.exam.items.len();
    let now = ui.input(|i| i.time);
    let left = f64::from(run.exam.time_limit_secs) - (now - run.started);
    if left <= 0.0 {
        return true;
    }
    // Repaint when the shown second changes, not every frame.
    let to_next_second = left - (left.ceil() - 1.0);
    ui.ctx().request_repaint_after(std::time::Duration::from_secs_f64(to_next_second.clamp(0.05, 1.0)));

    let mut finish = false;
    ui.horizontal(|ui| {
        let warn = left < 300.0;
        let clock =
            egui::RichText::new(format!("{} {}", text::TIME_LEFT.get(lang), clock_text(left))).strong().size(20.0);
        ui.label(if warn { clock.color(wrong_color(ui)) } else { clock });
        ui.add_space(16.0);
        ui.label(egui::RichText::new(format!("{} {}", text::SEED.get(lang), run.exam.seed)).weak());
    });
    ui.add_space(4.0);
    // The question overview: click to jump; answered ones strong, flagged ones marked.
    ui.horizontal_wrapped(|ui| {
        ui.label(text::QUESTIONS.get(lang));
        for i in 0..n {
            let mut label = (i + 1).to_string();
            if run.flagged[i] {
                label.push('●');
            }
            let answered = run.answered(cx.lessons, i);
            let rich = if answered { egui::RichText::new(label).strong() } else { egui::RichText::new(label).weak() };
            let button = ui.selectable_label(i == run.current, rich);
            // A screen reader hears what the boldness and the dot show.
            let mut name = format!("{} {}", text::QUESTION.get(lang), i + 1);
            for (on, word) in
                [(answered, text::ANSWERED), (!answered, text::UNANSWERED), (run.flagged[i], text::FLAGGED)]
            {
                if on {
                    name.push_str(&format!(", {}", word.get(lang)));
                }
            }
            button.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, i == run.current, &name));
            if button.clicked() {
                run.go(ui, i);
            }
        }
    });
    ui.separator();

    let item = run.exam.items[run.current].clone();
    let Some(q) = question(cx.lessons, &item) else {
        return false;
    };
    let mut flagged = run.flagged[run.current];
    if ui.checkbox(&mut flagged, text::FLAG.get(lang)).changed() {
        run.flagged[run.current] = flagged;
    }
    let response = QuizUi::new(q).mode(QuizMode::Exam).keyboard(true).number(run.current + 1, n).show(
        ui,
        &mut run.states[run.current],
        cx,
    );
    ui.add_space(10.0);
    ui.separator();
    ui.horizontal(|ui| {
        if ui.add_enabled(run.current > 0, egui::Button::new(text::PREVIOUS.get(lang))).clicked() {
            run.go(ui, run.current - 1);
        }
        if ui.add_enabled(run.current + 1 < n, egui::Button::new(text::NEXT.get(lang))).clicked() {
            run.go(ui, run.current + 1);
        }
        ui.add_space(24.0);
        if ui.button(egui::RichText::new(text::FINISH.get(lang)).strong()).clicked() {
            run.confirm_finish = true;
        }
    });
    if response.next && run.current + 1 < n {
        run.go(ui, run.current + 1);
    }
    if run.confirm_finish {
        let unanswered = (0..n).filter(|&i| !run.answered(cx.lessons, i)).count();
        let flagged = run.flagged.iter().filter(|&&f| f).count();
        egui::Frame::group(ui.style()).inner_margin(8.0).show(ui, |ui| {
            ui.label(egui::RichText::new(text::CONFIRM_FINISH.get(lang)).strong());
            ui.label(format!("{unanswered} {} · {flagged} {}", text::UNANSWERED.get(lang), text::FLAGGED.get(lang)));
            ui.horizontal(|ui| {
                if ui.button(text::YES_FINISH.get(lang)).clicked() {
                    finish = true;
                }
                if ui.button(text::KEEP_GOING.get(lang)).clicked() {
                    run.confirm_finish = false;
                }
            });
        });
    }
    finish
}

fn done_ui(done: &mut Done, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>) -> bool {
    let lang = cx.lang;
    let r = &done.result;
    if done.time_up {
        ui.label(egui::RichText::new(text::TIME_UP.get(lang)).color(wrong_color(ui)));
    }
    let (verdict, color) =
        if r.passed { (text::PASSED.get(lang), right_color(ui)) } else { (text::FAILED.get(lang), wrong_color(ui)) };
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(format!("{} {}", text::SCORE.get(lang), r.score)).strong().size(30.0));
        ui.add_space(12.0);
        ui.label(egui::RichText::new(verdict).strong().size(24.0).color(color));
    });
    ui.label(format!(
        "{} {} {} · {} {} · {} {}",
        r.right,
        text::RIGHT_OF.get(lang),
        r.total,
        text::TOOK.get(lang),
        clock_text(done.took_secs),
        text::SEED.get(lang),
        done.exam.seed
    ));
    ui.label(egui::RichText::new(text::PASS_MARK.get(lang)).weak().small());
    ui.add_space(10.0);

    let mut new_exam = false;
    let title = |id: &str| cx.lessons.lesson(id).map_or_else(|| id.to_owned(), |l| l.meta.title.clone());
    group_table(ui, text::BY_LESSON.get(lang), r.by_lesson.iter().map(|g| (title(&g.key), g.correct, g.total)));
    ui.add_space(6.0);
    group_table(ui, text::BY_OBJECTIVE.get(lang), r.by_objective.iter().map(|g| (g.key.clone(), g.correct, g.total)));
    ui.add_space(10.0);
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(text::REVIEW_ANSWERS.get(lang)).strong().size(17.0));
        for (filter, name) in
            [(Filter::All, text::SHOW_ALL), (Filter::Wrong, text::SHOW_WRONG), (Filter::Flagged, text::SHOW_FLAGGED)]
        {
            if ui.radio(done.filter == filter, name.get(lang)).clicked() {
                done.filter = filter;
            }
        }
        ui.add_space(16.0);
        if ui.button(text::NEW_EXAM.get(lang)).clicked() {
            new_exam = true;
        }
    });
    let n = done.exam.items.len();
    let mut shown = 0;
    for i in 0..n {
        let keep = match done.filter {
            Filter::All => true,
            Filter::Wrong => !done.result.correct[i],
            Filter::Flagged => done.flagged[i],
        };
        let Some(q) = question(cx.lessons, &done.exam.items[i]).filter(|_| keep) else {
            continue;
        };
        shown += 1;
        egui::Frame::group(ui.style()).inner_margin(8.0).show(ui, |ui| {
            ui.set_width(ui.available_width());
            if done.flagged[i] {
                ui.label(egui::RichText::new(format!("● {}", text::FLAGGED.get(lang))).weak());
            }
            QuizUi::new(q).mode(QuizMode::Result).number(i + 1, n).show(ui, &mut done.states[i], cx);
        });
        ui.add_space(6.0);
    }
    if shown == 0 {
        ui.label(text::NOTHING_TO_SHOW.get(lang));
    }
    new_exam
}

fn group_table(ui: &mut egui::Ui, title: &str, rows: impl Iterator<Item = (String, usize, usize)>) {
    ui.label(egui::RichText::new(title).strong());
    egui::Grid::new(title).striped(true).num_columns(3).spacing([12.0, 4.0]).show(ui, |ui| {
        for (name, correct, total) in rows {
            ui.label(name);
            ui.label(format!("{correct}/{total}"));
            let share = if total == 0 { 0.0 } else { correct as f32 / total as f32 };
            ui.add(egui::ProgressBar::new(share).desired_width(80.0));
            ui.end_row();
        }
    });
}

impl Screen for Exam {
    fn id(&self) -> ScreenId {
        ScreenId::Exam
    }

    /// `#/exam?seed=N` for "Share": the seed of the exam running or finished, or the one
    /// entered in the set-up, so a class gets the same exam. (The address bar keeps `#/exam`,
    /// so that typing a seed or starting an exam adds no history entries.)
    fn share_route(&self) -> Route {
        let seed = match &self.phase {
            Phase::Setup => self.seed_text.trim().parse().ok(),
            Phase::Running(run) => Some(run.exam.seed),
            Phase::Done(done) => Some(done.exam.seed),
        };
        Route::Exam { seed }
    }

    /// A link with a seed opens the set-up with that seed entered (the learner picks the
    /// format and starts); an exam with another seed is left.
    fn open(&mut self, route: &Route, _lab: &mut crate::lab::Lab) {
        if let Route::Exam { seed: Some(seed) } = route {
            self.phase = Phase::Setup;
            self.seed_text = seed.to_string();
            self.seed_error = false;
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>) {
        egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
            ui.set_max_width(ui.available_width().min(900.0));
            screen_heading(ui, ScreenId::Exam.title(cx.tr));
            match std::mem::take(&mut self.phase) {
                Phase::Setup => self.setup_ui(ui, cx),
                Phase::Running(mut run) => {
                    let time_up = f64::from(run.exam.time_limit_secs) <= ui.input(|i| i.time) - run.started;
                    if time_up || running_ui(&mut run, ui, cx) {
                        let done = run.finish(ui, cx, time_up);
                        self.phase = Phase::Done(Box::new(done));
                        ui.ctx().request_repaint();
                    } else if matches!(self.phase, Phase::Setup) {
                        self.phase = Phase::Running(run);
                    }
                }
                Phase::Done(mut done) => {
                    if !done_ui(&mut done, ui, cx) {
                        self.phase = Phase::Done(done);
                    }
                }
            }
        });
    }
}
