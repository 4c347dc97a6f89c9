//! `GuestLabApp`: the navigation, the persisted [`State`], and the application of the
//! [`Command`]s that screens send.

use guestlab_content::Lang;
use guestlab_content::lesson::LessonSet;

use crate::i18n::{Tr, tr};
use crate::persist::{self, MemoryStore, Notice, State, Store, Unusable};
use crate::screens::{self, Command, NAVIGATION, Screen, ScreenCx, ScreenId};

mod classroom;
pub use classroom::{Toast, Update};

/// The smallest window that still shows the navigation beside a usable screen.
pub const MIN_WINDOW_SIZE: [f32; 2] = [800.0, 560.0];

/// The lessons of both languages, parsed once at start and again when a teacher's lessons are
/// added or removed.
struct Library {
    en: LessonSet,
    de: LessonSet,
}

impl Library {
    /// The embedded lessons plus `extra` files (`(path, text)`, the path ending in
    /// `en/NN-id.md` or `de/NN-id.md`).
    fn load(extra: &[(String, String)]) -> Self {
        let files: Vec<(&str, &str)> = guestlab_content::lesson::EMBEDDED_LESSONS
            .iter()
            .copied()
            .chain(extra.iter().map(|(p, t)| (p.as_str(), t.as_str())))
            .collect();
        Self {
            en: LessonSet::load(Lang::En, files.iter().copied()),
            de: LessonSet::load(Lang::De, files.iter().copied()),
        }
    }

    fn get(&self, lang: Lang) -> &LessonSet {
        match lang {
            Lang::En => &self.en,
            Lang::De => &self.de,
        }
    }
}

pub struct GuestLabApp {
    state: State,
    /// Where the state is saved, and the state as last saved there.
    store: Box<dyn Store>,
    saved: Option<State>,
    screens: Vec<Box<dyn Screen>>,
    library: Library,
    /// Data kept aside at start; shown once until the learner dismisses it.
    notice: Option<Notice>,
    scroll_to: Option<String>,
    lab: crate::lab::Lab,
    /// The zoom factor last applied, to notice keyboard zoom (Ctrl +/−).
    applied_zoom: f32,
    /// Theme and zoom must be applied to the context before the first frame is drawn.
    style_applied: bool,
    first_frame_drawn: bool,
    /// Deep links, presenter mode, notices and the page mirror (`app/classroom.rs`).
    classroom: classroom::Classroom,
    /// A fixed wall-clock time for tests (seconds since 1970); `None`: the system clock.
    fixed_now: Option<f64>,
    /// Lesson folders given on the command line (`--lessons DIR`), not saved.
    session_lesson_dirs: Vec<String>,
    /// Lesson files opened in the web app (file picker, drag and drop): (path, text).
    opened_lessons: Vec<(String, String)>,
}

impl GuestLabApp {
    /// Creates the app with the state in `store`; an unusable stored state is kept aside and
    /// the learner told. `system_language` is the language offered on the first start.
    pub fn new(mut store: Box<dyn Store>, system_language: Lang) -> Self {
        let loaded = persist::load(store.as_mut());
        if !loaded.writable {
            // The unusable data could not be moved: keep this session in memory only.
            store = Box::new(MemoryStore::default());
        }
        let mut app = Self::with_state(loaded.state.clone().unwrap_or_default(), system_language, loaded.notice);
        app.saved = loaded.state;
        app.store = store;
        app
    }

    /// Creates the app with a given state and a store in memory (tests use this).
    pub fn with_state(mut state: State, system_language: Lang, notice: Option<Notice>) -> Self {
        if !state.language_chosen {
            state.settings.language = system_language;
        }
        Self {
            state,
            store: Box::new(MemoryStore::default()),
            saved: None,
            screens: screens::registry(),
            // Filled by `with_teacher_lessons` below.
            library: Library { en: LessonSet::default(), de: LessonSet::default() },
            notice,
            scroll_to: None,
            lab: crate::lab::Lab::default(),
            applied_zoom: 0.0,
            style_applied: false,
            first_frame_drawn: false,
            classroom: classroom::Classroom::default(),
            fixed_now: None,
            session_lesson_dirs: Vec::new(),
            opened_lessons: Vec::new(),
        }
        .with_teacher_lessons()
    }

    /// Lesson folders from the command line (`guestlab --lessons DIR`), loaded beside the
    /// built-in lessons for this run.
    pub fn with_lesson_dirs(mut self, dirs: Vec<String>) -> Self {
        self.session_lesson_dirs = dirs;
        self.with_teacher_lessons()
    }

    /// Fixes the wall-clock time (seconds since 1970) for tests; `None` goes back to the
    /// system clock.
    pub fn set_now(&mut self, now: Option<f64>) {
        self.fixed_now = now;
    }

    /// The wall-clock time in seconds since 1970.
    pub fn now(&self) -> f64 {
        self.fixed_now.unwrap_or_else(crate::teacher::system_now)
    }

    /// Reloads the lessons: built-in, the teacher's folders (saved and from the command line)
    /// and the files opened in the web app. A folder that cannot be read is an error entry.
    fn with_teacher_lessons(mut self) -> Self {
        self.reload_lessons();
        self
    }

    fn reload_lessons(&mut self) {
        let mut extra = Vec::new();
        let dirs = self.state.lesson_dirs.iter().chain(&self.session_lesson_dirs);
        let mut problems = Vec::new();
        for dir in dirs {
            let (mut files, mut errors) = crate::teacher::read_lesson_dir(dir);
            extra.append(&mut files);
            problems.append(&mut errors);
        }
        extra.extend(self.opened_lessons.iter().cloned());
        self.library = Library::load(&extra);
        for set in [&mut self.library.en, &mut self.library.de] {
            set.errors.extend(problems.iter().cloned());
        }
    }

    /// Writes the state to the store if it changed since the last write.
    fn save_if_changed(&mut self) {
        if self.saved.as_ref() == Some(&self.state) {
            return;
        }
        match self.store.save(&persist::encode(&self.state)) {
            Ok(()) => self.saved = Some(self.state.clone()),
            Err(err) => {
                log::error!("could not save the state: {err}");
                // Do not retry every frame.
                self.saved = Some(self.state.clone());
            }
        }
    }

    /// The simulated world and its terminal.
    pub fn lab(&self) -> &crate::lab::Lab {
        &self.lab
    }

    /// The lab, to prepare it (`guestlab bench` fills the terminal before drawing).
    pub fn lab_mut(&mut self) -> &mut crate::lab::Lab {
        &mut self.lab
    }

    /// The store the state is saved in.
    pub fn store_mut(&mut self) -> &mut dyn Store {
        self.store.as_mut()
    }

    /// The persisted state.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Replaces the lessons of one language (tests use this to load broken files).
    pub fn set_lessons(&mut self, lang: Lang, lessons: LessonSet) {
        match lang {
            Lang::En => self.library.en = lessons,
            Lang::De => self.library.de = lessons,
        }
    }

    fn tr(&self) -> &'static Tr {
        tr(self.state.settings.language)
    }

    /// Draws the whole app into `ui` (the root of the window).
    pub fn ui_main(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.sync_style(&ctx);
        self.classroom_begin(&ctx);
        let tr = self.tr();

        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(egui::RichText::new(tr.app_name).strong().size(18.0));
                ui.label(egui::RichText::new(tr.tagline).weak());
                self.top_bar_buttons_ui(ui);
            });
        });

        let mut commands = Vec::new();
        egui::Panel::left("navigation").resizable(false).exact_size(210.0).show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.add_space(6.0);
                for group in NAVIGATION {
                    if let Some(title) = group.title {
                        ui.add_space(8.0);
                        ui.label(egui::RichText::new(title(tr)).weak().small_raised());
                    }
                    for &id in group.entries {
                        let selected = self.state.last_screen == id;
                        let indent = if group.title.is_some() { 8.0 } else { 0.0 };
                        ui.horizontal(|ui| {
                            ui.add_space(indent);
                            ui.with_layout(egui::Layout::top_down_justified(egui::Align::LEFT), |ui| {
                                let text = egui::RichText::new(id.title(tr)).size(15.0);
                                if ui.selectable_label(selected, text).clicked() {
                                    commands.push(Command::Navigate(id));
                                }
                            });
                        });
                    }
                }
            });
        });

        self.presenter_panel_ui(ui);
        egui::CentralPanel::default().show(ui, |ui| {
            let current = self.state.last_screen;
            let lessons = self.library.get(self.state.settings.language);
            let mut cx = ScreenCx {
                tr,
                lang: self.state.settings.language,
                lab: &mut self.lab,
                lessons,
                state: &self.state,
                presenter: self.classroom.presenter.on,
                reduce_motion: self.state.settings.reduce_motion,
                storage_location: self.store.location(),
                scroll_to: &mut self.scroll_to,
                now: self.fixed_now.unwrap_or_else(crate::teacher::system_now),
                commands: Vec::new(),
            };
            if let Some(screen) = self.screens.iter_mut().find(|s| s.id() == current) {
                screen.ui(ui, &mut cx);
            }
            commands.append(&mut cx.commands);
        });

        // Lesson files dropped on the window load beside the others (teachers' own lessons).
        let dropped: Vec<(String, String)> = crate::teacher::dropped_files(&ctx)
            .into_iter()
            .filter(|(name, _)| name.ends_with(".md"))
            .map(|(name, text)| (crate::teacher::opened_lesson_path(&name, self.state.settings.language), text))
            .collect();
        if !dropped.is_empty() {
            commands.push(Command::OpenLessonFiles(dropped));
        }

        self.first_start_ui(&ctx, &mut commands);
        self.notice_ui(&ctx);

        self.announce(&commands);
        for command in commands {
            self.apply(&ctx, command);
        }
        self.classroom_end(&ctx);
        self.save_if_changed();
        if !self.first_frame_drawn {
            self.first_frame_drawn = true;
            // The browser tests and the startup measurement wait for this line.
            log::info!("GuestLab: first frame drawn");
        }
    }

    /// Applies theme and zoom from the settings, and notices zoom changed by the keyboard.
    fn sync_style(&mut self, ctx: &egui::Context) {
        if !self.style_applied {
            // main installs the fonts before the first frame; this covers other hosts (tests).
            crate::fonts::install(ctx);
            ctx.set_theme(self.state.settings.theme.preference());
            self.applied_zoom = self.state.settings.zoom * self.extra_zoom();
            ctx.set_zoom_factor(self.applied_zoom);
            self.style_applied = true;
        }
        let zoom = ctx.zoom_factor();
        if (zoom - self.applied_zoom).abs() > f32::EPSILON {
            // Presenter mode's enlargement is not the learner's zoom.
            self.state.settings.zoom = zoom / self.extra_zoom();
            self.applied_zoom = zoom;
        }
    }

    fn apply(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Navigate(id) => {
                self.state.last_screen = id;
                self.classroom.anchor = None;
            }
            Command::OpenLesson { id, anchor } => {
                self.state.last_screen = ScreenId::Lessons;
                self.state.last_lesson = Some(id);
                self.classroom.anchor.clone_from(&anchor);
                self.scroll_to = anchor;
            }
            Command::Open(route) => self.open_route(route),
            Command::SetHighContrast(on) => self.state.settings.high_contrast = on,
            Command::SetReduceMotion(on) => self.state.settings.reduce_motion = on,
            Command::SetLanguage(lang) => {
                self.state.settings.language = lang;
                self.state.language_chosen = true;
            }
            Command::SetTheme(theme) => {
                self.state.settings.theme = theme;
                ctx.set_theme(theme.preference());
            }
            Command::SetZoom(zoom) => {
                self.state.settings.zoom = zoom;
                self.applied_zoom = zoom * self.extra_zoom();
                ctx.set_zoom_factor(self.applied_zoom);
            }
            Command::Record(answers) => {
                let day = guestlab_content::lesson::progress::day_of(self.now());
                for a in answers {
                    self.state.progress.record(&a.question_id, a.correct, a.rating, day, a.seconds);
                }
            }
            Command::RecordExam(exam) => self.state.progress.record_exam(exam),
            Command::SetExamDate(day) => self.state.progress.exam_date = day,
            Command::ImportProgress(progress) => self.state.progress = *progress,
            Command::AddLessonDir(dir) => {
                if !self.state.lesson_dirs.contains(&dir) {
                    self.state.lesson_dirs.push(dir);
                }
                self.reload_lessons();
            }
            Command::RemoveLessonDir(dir) => {
                self.state.lesson_dirs.retain(|d| d != &dir);
                self.reload_lessons();
            }
            Command::OpenLessonFiles(files) => {
                for (path, text) in files {
                    self.opened_lessons.retain(|(p, _)| p != &path);
                    self.opened_lessons.push((path, text));
                }
                self.reload_lessons();
            }
        }
    }

    /// On the very first start: ask for the language, preselecting the system's.
    fn first_start_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if self.state.language_chosen {
            return;
        }
        let tr = self.tr();
        let current = self.state.settings.language;
        egui::Modal::new(egui::Id::unique("first_start")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            ui.heading(tr.first_start_title);
            ui.add_space(6.0);
            ui.label(tr.first_start_text);
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                for lang in Lang::ALL {
                    if ui.radio(current == lang, lang.native_name()).clicked() {
                        self.state.settings.language = lang;
                    }
                }
            });
            ui.add_space(8.0);
            if ui.button(tr.first_start_continue).clicked() {
                commands.push(Command::SetLanguage(self.state.settings.language));
            }
        });
    }

    /// Tells the learner once that stored data was kept aside.
    fn notice_ui(&mut self, ctx: &egui::Context) {
        let Some(notice) = &self.notice else {
            return;
        };
        let tr = self.tr();
        let mut dismissed = false;
        egui::Modal::new(egui::Id::unique("state_notice")).show(ctx, |ui| {
            ui.set_max_width(480.0);
            ui.heading(tr.notice_title);
            ui.add_space(6.0);
            ui.label(match notice.reason {
                Unusable::Unreadable(_) => tr.notice_unreadable_state,
                Unusable::Newer(_) => tr.notice_newer_state,
            });
            ui.label(tr.notice_kept_at);
            ui.monospace(&notice.kept_at);
            if let Unusable::Unreadable(detail) = &notice.reason {
                ui.label(egui::RichText::new(detail).weak().small());
            }
            ui.add_space(8.0);
            if ui.button(tr.ok).clicked() {
                dismissed = true;
            }
        });
        if dismissed {
            self.notice = None;
        }
    }
}

impl eframe::App for GuestLabApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_main(ui);
    }
}
