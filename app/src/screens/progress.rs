//! Progress: per lesson and per LPI objective (answered, right, due, time), the streak, the
//! time spent, the exams taken, and moving the progress between devices as a RON file (a path
//! on the desktop; a download and a file picker in the browser).

use guestlab_content::Lang;
use guestlab_content::lesson::progress::{Progress as Record, Stats, day_of, format_date};

use super::progress_text as text;
use super::{Command, Screen, ScreenCx, ScreenId, screen_heading};

/// The file name offered for an exported progress file.
pub const EXPORT_NAME: &str = "guestlab-progress.ron";

#[derive(Default)]
pub struct Progress {
    /// The export/import path on the desktop.
    #[cfg(not(target_arch = "wasm32"))]
    path: String,
    /// The outcome of the last save or load, and whether it went wrong.
    message: Option<(String, bool)>,
    /// A file read but not yet taken over: it would replace progress on this device, which the
    /// learner confirms first.
    pending: Option<(String, Box<Record>)>,
    #[cfg(target_arch = "wasm32")]
    inbox: crate::teacher::web::Inbox,
}

/// `1 h 05 min` or `12 min`.
fn duration_text(seconds: u32) -> String {
    let minutes = (seconds + 30) / 60;
    if minutes >= 60 { format!("{} h {:02} min", minutes / 60, minutes % 60) } else { format!("{minutes} min") }
}

fn stats_table(ui: &mut egui::Ui, id: &str, first: &str, rows: &[Stats], lang: Lang) {
    egui::Grid::new(id).striped(true).num_columns(6).spacing([14.0, 5.0]).show(ui, |ui| {
        for head in
            [first, text::ANSWERED.get(lang), text::RIGHT.get(lang), "", text::DUE.get(lang), text::TIME.get(lang)]
        {
            ui.label(egui::RichText::new(head).strong());
        }
        ui.end_row();
        for row in rows {
            ui.label(&row.title);
            ui.label(format!("{}/{}", row.answered, row.questions));
            ui.label(row.correct.to_string());
            let share = if row.questions == 0 { 0.0 } else { row.correct as f32 / row.questions as f32 };
            ui.add(egui::ProgressBar::new(share).desired_width(120.0).show_percentage());
            ui.label(row.due.to_string());
            ui.label(duration_text(row.seconds));
            ui.end_row();
        }
    });
}

impl Progress {
    /// Imports a progress file's text, reporting errors as `name:line:column: message`.
    fn import(&mut self, name: &str, text_in: &str, cx: &mut ScreenCx<'_>) {
        let lang = cx.lang;
        match Record::from_ron(text_in) {
            Ok(progress) => {
                let here = &cx.state.progress;
                if here.questions.is_empty() && here.exams.is_empty() {
                    self.take(name, progress, cx);
                } else {
                    self.message = None;
                    self.pending = Some((name.to_owned(), Box::new(progress)));
                }
            }
            Err(err) => {
                let place = match &err {
                    guestlab_content::lesson::progress::ProgressError::Ron { .. } => format!("{name}:{err}"),
                    guestlab_content::lesson::progress::ProgressError::Newer(_) => format!("{name}: {err}"),
                };
                self.message = Some((format!("{} {place}", text::NOT_PROGRESS.get(lang)), true));
            }
        }
    }

    fn take(&mut self, name: &str, progress: Record, cx: &mut ScreenCx<'_>) {
        cx.send(Command::ImportProgress(Box::new(progress)));
        self.message = Some((format!("{} {name}", text::LOADED.get(cx.lang)), false));
    }

    /// Asks before a file's progress replaces what this device has.
    fn confirm_ui(&mut self, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>) {
        let lang = cx.lang;
        let Some((name, progress)) = &self.pending else { return };
        let here = &cx.state.progress;
        let question = text::replace_question(
            lang,
            name,
            (progress.questions.len(), progress.exams.len()),
            (here.questions.len(), here.exams.len()),
        );
        let mut choice = None;
        egui::Frame::group(ui.style()).inner_margin(8.0).show(ui, |ui| {
            ui.label(egui::RichText::new(question).strong());
            ui.horizontal(|ui| {
                if ui.button(text::REPLACE.get(lang)).clicked() {
                    choice = Some(true);
                }
                if ui.button(text::KEEP.get(lang)).clicked() {
                    choice = Some(false);
                }
            });
        });
        match choice {
            Some(true) => {
                if let Some((name, progress)) = self.pending.take() {
                    self.take(&name, *progress, cx);
                }
            }
            Some(false) => {
                self.pending = None;
                self.message = Some((text::KEPT.get(lang).to_owned(), false));
            }
            None => {}
        }
    }

    fn transfer_ui(&mut self, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>) {
        let lang = cx.lang;
        ui.label(egui::RichText::new(text::MOVE.get(lang)).strong().size(17.0));
        ui.label(text::MOVE_HINT.get(lang));
        #[cfg(not(target_arch = "wasm32"))]
        {
            if self.path.is_empty() {
                self.path = crate::persist::native::data_dir()
                    .map_or_else(|| EXPORT_NAME.to_owned(), |d| d.join(EXPORT_NAME).display().to_string());
            }
            ui.horizontal(|ui| {
                let label = ui.label(text::FILE.get(lang));
                ui.add(
                    egui::TextEdit::singleline(&mut self.path).desired_width(420.0).font(egui::TextStyle::Monospace),
                )
                .labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                if ui.button(text::SAVE.get(lang)).clicked() {
                    let path = std::path::Path::new(&self.path);
                    let written = path
                        .parent()
                        .filter(|p| !p.as_os_str().is_empty())
                        .map_or(Ok(()), std::fs::create_dir_all)
                        .and_then(|()| std::fs::write(path, cx.state.progress.to_ron()));
                    self.message = Some(match written {
                        Ok(()) => (format!("{} {}", text::SAVED.get(lang), self.path), false),
                        Err(err) => (format!("{} {}: {err}", text::CANNOT_WRITE.get(lang), self.path), true),
                    });
                }
                if ui.button(text::LOAD.get(lang)).clicked() {
                    let path = self.path.clone();
                    match std::fs::read_to_string(&path) {
                        Ok(content) => self.import(&path, &content, cx),
                        Err(err) => {
                            self.message = Some((format!("{} {path}: {err}", text::CANNOT_READ.get(lang)), true));
                        }
                    }
                }
            });
        }
        #[cfg(target_arch = "wasm32")]
        {
            for (name, content) in self.inbox.take() {
                self.import(&name, &content, cx);
            }
            ui.horizontal(|ui| {
                if ui.button(text::DOWNLOAD.get(lang)).clicked()
                    && let Err(err) = crate::teacher::web::download(EXPORT_NAME, &cx.state.progress.to_ron())
                {
                    self.message = Some((format!("{} {EXPORT_NAME}: {err}", text::CANNOT_WRITE.get(lang)), true));
                }
                if ui.button(text::IMPORT.get(lang)).clicked() {
                    crate::teacher::web::pick_files(".ron", false, &self.inbox, ui.ctx());
                }
            });
        }
        ui.label(egui::RichText::new(text::REPLACES.get(lang)).weak().small());
        self.confirm_ui(ui, cx);
        if let Some((message, bad)) = &self.message {
            let rich = egui::RichText::new(message.as_str());
            ui.label(if *bad { rich.color(ui.visuals().error_fg_color) } else { rich });
        }
    }
}

impl Screen for Progress {
    fn id(&self) -> ScreenId {
        ScreenId::Progress
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>) {
        let lang = cx.lang;
        let today = day_of(cx.now);
        egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
            ui.set_max_width(ui.available_width().min(900.0));
            screen_heading(ui, ScreenId::Progress.title(cx.tr));
            let progress = &cx.state.progress;
            let by_lesson = progress.by_lesson(cx.lessons, today);
            let by_objective = progress.by_objective(cx.lessons, today);
            let questions: usize = by_lesson.iter().map(|s| s.questions).sum();
            let answered: usize = by_lesson.iter().map(|s| s.answered).sum();
            let right: usize = by_lesson.iter().map(|s| s.correct).sum();
            let due: usize = by_lesson.iter().map(|s| s.due).sum();
            ui.horizontal_wrapped(|ui| {
                let big = |t: String| egui::RichText::new(t).strong().size(18.0);
                let streak = progress.streak(today);
                let days = if streak == 1 { text::DAY } else { text::DAYS };
                ui.label(big(format!("{} {streak} {}", text::STREAK.get(lang), days.get(lang))));
                ui.add_space(18.0);
                ui.label(big(format!("{} {}", text::TIME_SPENT.get(lang), duration_text(progress.seconds()))));
                ui.add_space(18.0);
                ui.label(big(format!("{} {answered}/{questions}", text::ANSWERED.get(lang))));
                ui.add_space(18.0);
                ui.label(big(format!("{} {right}", text::RIGHT.get(lang))));
                ui.add_space(18.0);
                ui.label(big(format!("{} {due}", text::DUE.get(lang))));
                if due > 0 && ui.button(text::REVIEW_NOW.get(lang)).clicked() {
                    cx.send(Command::Navigate(ScreenId::Review));
                }
            });
            ui.add_space(12.0);
            ui.label(egui::RichText::new(text::BY_LESSON.get(lang)).strong().size(17.0));
            stats_table(ui, "progress_lessons", text::LESSON.get(lang), &by_lesson, lang);
            ui.add_space(12.0);
            ui.label(egui::RichText::new(text::BY_OBJECTIVE.get(lang)).strong().size(17.0));
            stats_table(ui, "progress_objectives", text::OBJECTIVE.get(lang), &by_objective, lang);
            ui.add_space(12.0);
            ui.label(egui::RichText::new(text::EXAMS.get(lang)).strong().size(17.0));
            if progress.exams.is_empty() {
                ui.label(text::NO_EXAMS.get(lang));
            } else {
                egui::Grid::new("progress_exams").striped(true).spacing([14.0, 4.0]).show(ui, |ui| {
                    for head in
                        [text::DATE.get(lang), text::SCORE.get(lang), text::RIGHT.get(lang), text::SEED.get(lang)]
                    {
                        ui.label(egui::RichText::new(head).strong());
                    }
                    ui.end_row();
                    for exam in progress.exams.iter().rev().take(10) {
                        ui.label(format_date(exam.day));
                        ui.label(exam.score.to_string());
                        ui.label(format!("{}/{}", exam.right, exam.questions));
                        ui.label(exam.seed.to_string());
                        ui.end_row();
                    }
                });
            }
            ui.add_space(16.0);
            self.transfer_ui(ui, cx);
        });
    }
}
