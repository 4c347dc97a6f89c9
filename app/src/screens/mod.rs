//! The screens of GuestLab: one file per screen behind the tiny [`Screen`] trait, kept in a
//! registry. A screen draws itself and asks for app-wide effects by pushing [`Command`]s, which
//! the app applies after the frame.

pub(crate) mod cloud_init;
mod cloud_init_text;
mod disk_images;
mod disk_images_text;
mod exam;
mod exam_text;
mod home;
mod hypervisors;
mod hypervisors_text;
mod lesson_folders;
mod lessons;
mod libvirt_host;
mod libvirt_host_text;
mod machine_id;
mod machine_id_text;
mod practice;
mod practice_text;
mod progress;
mod progress_text;
mod review;
mod review_text;
mod settings;

use guestlab_content::Lang;
use guestlab_content::lesson::LessonSet;
use serde::{Deserialize, Serialize};

use crate::i18n::Tr;
use crate::persist::{State, ThemeChoice};

/// Every place the navigation leads to. Persisted as the last screen, so names are stable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScreenId {
    #[default]
    Home,
    Lessons,
    Hypervisors,
    LibvirtHost,
    DiskImages,
    MachineId,
    CloudInit,
    Practice,
    Exam,
    Review,
    Progress,
    Settings,
}

/// A group of entries in the navigation panel.
pub struct NavGroup {
    /// The group's heading; `None` for top-level entries.
    pub title: Option<fn(&Tr) -> &'static str>,
    pub entries: &'static [ScreenId],
}

/// The navigation panel, top to bottom.
pub const NAVIGATION: &[NavGroup] = &[
    NavGroup { title: None, entries: &[ScreenId::Home, ScreenId::Lessons] },
    NavGroup {
        title: Some(|t| t.nav_simulators),
        entries: &[
            ScreenId::Hypervisors,
            ScreenId::LibvirtHost,
            ScreenId::DiskImages,
            ScreenId::MachineId,
            ScreenId::CloudInit,
        ],
    },
    NavGroup {
        title: Some(|t| t.nav_training),
        entries: &[ScreenId::Practice, ScreenId::Exam, ScreenId::Review, ScreenId::Progress],
    },
    NavGroup { title: None, entries: &[ScreenId::Settings] },
];

impl ScreenId {
    /// Every screen, in navigation order.
    pub fn all() -> impl Iterator<Item = Self> {
        NAVIGATION.iter().flat_map(|g| g.entries.iter().copied())
    }

    /// One line about the screen, for the cards on Home.
    pub fn summary(self, tr: &Tr) -> &'static str {
        match self {
            Self::Home | Self::Settings => "",
            Self::Lessons => tr.card_lessons,
            Self::Hypervisors => tr.card_hypervisors,
            Self::LibvirtHost => tr.card_libvirt,
            Self::DiskImages => tr.card_disk_images,
            Self::MachineId => tr.card_machine_id,
            Self::CloudInit => tr.card_cloud_init,
            Self::Practice => tr.card_practice,
            Self::Exam => tr.card_exam,
            Self::Review => tr.card_review,
            Self::Progress => tr.card_progress,
        }
    }

    /// The screen's name in the navigation and as its heading.
    pub fn title(self, tr: &Tr) -> &'static str {
        match self {
            Self::Home => tr.nav_home,
            Self::Lessons => tr.nav_lessons,
            Self::Hypervisors => tr.nav_hypervisors,
            Self::LibvirtHost => tr.nav_libvirt,
            Self::DiskImages => tr.nav_disk_images,
            Self::MachineId => tr.nav_machine_id,
            Self::CloudInit => tr.nav_cloud_init,
            Self::Practice => tr.nav_practice,
            Self::Exam => tr.nav_exam,
            Self::Review => tr.nav_review,
            Self::Progress => tr.nav_progress,
            Self::Settings => tr.nav_settings,
        }
    }
}

/// An app-wide effect a screen asks for; applied by the app after the frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Navigate(ScreenId),
    /// Open a lesson, optionally at a heading anchor.
    OpenLesson {
        id: String,
        anchor: Option<String>,
    },
    /// Open a deep link's place (a `sim:` link of a lesson, a link typed or shared).
    Open(crate::route::Route),
    SetHighContrast(bool),
    SetReduceMotion(bool),
    SetLanguage(Lang),
    SetTheme(ThemeChoice),
    SetZoom(f32),
    /// Record graded answers in the learner's progress (see [`Recorded`]).
    Record(Vec<Recorded>),
    /// Record a finished exam.
    RecordExam(guestlab_content::lesson::progress::ExamRecord),
    /// Set or clear the exam date (a day number).
    SetExamDate(Option<i64>),
    /// Replace the progress with an imported one.
    ImportProgress(Box<guestlab_content::lesson::progress::Progress>),
    /// Add or remove a teacher's lesson folder (desktop).
    AddLessonDir(String),
    RemoveLessonDir(String),
    /// Load lesson files a teacher opened (web: file picker or drag and drop): (name, text).
    OpenLessonFiles(Vec<(String, String)>),
}

/// One graded answer to record.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub question_id: String,
    pub correct: bool,
    /// The FSRS rating to schedule the question with; `None` counts the answer only.
    pub rating: Option<guestlab_content::lesson::review::Rating>,
    /// Seconds the learner spent on it.
    pub seconds: u32,
}

/// What a screen may read while drawing, and where it puts its commands.
pub struct ScreenCx<'a> {
    pub tr: &'static Tr,
    pub lang: Lang,
    /// The simulated world with its terminal transcript, shared by the simulator screens.
    pub lab: &'a mut crate::lab::Lab,
    pub lessons: &'a LessonSet,
    pub state: &'a State,
    /// Presenter mode is on: answers and solutions stay hidden until revealed.
    pub presenter: bool,
    /// The learner asked for no animations (fades, scrolling): draw end states at once.
    pub reduce_motion: bool,
    /// Where the state is saved, for the Settings screen.
    pub storage_location: String,
    /// A heading anchor of the open lesson to scroll to (set by [`Command::OpenLesson`]).
    pub scroll_to: &'a mut Option<String>,
    /// The wall-clock time in seconds since 1970 (UTC), from the app's clock.
    pub now: f64,
    pub commands: Vec<Command>,
}

impl ScreenCx<'_> {
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }
}

/// One screen of the app.
pub trait Screen {
    fn id(&self) -> ScreenId;
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ScreenCx<'_>);

    /// Where the screen is, as a deep link: its scenario, an exam's seed. The default is the
    /// screen itself.
    fn route(&self) -> crate::route::Route {
        crate::route::Route::for_screen(self.id())
    }

    /// The place "Share" copies a link to: the route, unless the screen has more to tell (an
    /// exam's seed).
    fn share_route(&self) -> crate::route::Route {
        self.route()
    }

    /// Opens the screen at a deep link's place (its scenario, an exam's seed) from the start:
    /// a simulator starts its scenario over in a fresh lab. The default starts the lab over
    /// for a simulator and does nothing elsewhere.
    fn open(&mut self, _route: &crate::route::Route, lab: &mut crate::lab::Lab) {
        if crate::route::sim_name(self.id()).is_some() {
            lab.reset();
        }
    }
}

/// All screens, one per [`ScreenId`].
pub fn registry() -> Vec<Box<dyn Screen>> {
    vec![
        Box::new(home::Home),
        Box::new(lessons::Lessons::default()),
        Box::new(hypervisors::Hypervisors::default()),
        Box::new(libvirt_host::LibvirtHost::default()),
        Box::new(disk_images::DiskImages::default()),
        Box::new(machine_id::MachineId::default()),
        Box::new(cloud_init::CloudInit::default()),
        Box::new(practice::Practice::default()),
        Box::new(exam::Exam::default()),
        Box::new(review::Review::default()),
        Box::new(progress::Progress::default()),
        Box::new(settings::Settings),
    ]
}

/// The heading every screen starts with.
pub fn screen_heading(ui: &mut egui::Ui, text: &str) {
    ui.add_space(4.0);
    ui.heading(egui::RichText::new(text).strong());
    ui.add_space(8.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_has_one_screen_per_navigation_entry() {
        let ids: Vec<_> = registry().iter().map(|s| s.id()).collect();
        let nav: Vec<_> = ScreenId::all().collect();
        assert_eq!(ids, nav);
    }
}
