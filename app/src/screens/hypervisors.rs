//! Hypervisors: five interactive views chosen by tabs — type 1 and type 2 with a sorting game,
//! one disk write through the layers under full, para- and hybrid virtualization, the CPU and
//! guest side in terminals of the host, the lab's KVM guest and sample guests of other
//! hypervisors, live migration by pre-copy next to `virsh migrate` between two hosts, and
//! containers next to VMs. Each ends with a check-yourself question from the lessons.
//!
//! The diagrams are drawn with egui's painter from display models in
//! `guestlab_content::sim::hypervisor`; colours come from the theme, sizes from the text
//! height (so they follow the zoom). Animations advance with egui's `stable_dt`, can be stepped
//! and paused, jump from step to step when motion is reduced, and ask for repaints only while
//! they play.

mod containers;
mod containers_text;
mod guests;
mod migration;
mod migration_text;
mod modes;
mod types;

use egui::{Color32, RichText, Ui};
use guestlab_content::Lang;

use super::hypervisors_text::{self as text, T2};
use super::{Command, Recorded, Screen, ScreenCx, ScreenId};
use crate::widgets::quiz_ui::{QuestionState, QuizUi};

/// The tabs, in order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Tab {
    #[default]
    Types,
    Modes,
    Guests,
    Migration,
    Containers,
}

impl Tab {
    const ALL: [Self; 5] = [Self::Types, Self::Modes, Self::Guests, Self::Migration, Self::Containers];

    fn title(self) -> T2 {
        match self {
            Self::Types => text::TAB_TYPES,
            Self::Modes => text::TAB_MODES,
            Self::Guests => text::TAB_GUESTS,
            Self::Migration => text::TAB_MIGRATION,
            Self::Containers => text::TAB_CONTAINERS,
        }
    }

    /// The lesson question that ends the tab.
    fn question(self) -> &'static str {
        match self {
            Self::Types => "kvm-type-argument",
            Self::Modes => "hybrid-virtualization",
            Self::Guests => "cpuinfo-hypervisor-flag",
            Self::Migration => "live-migration-requirements",
            Self::Containers => "container-kernel",
        }
    }
}

#[derive(Default)]
pub struct Hypervisors {
    tab: Tab,
    types: types::TypesView,
    modes: modes::ModesView,
    guests: guests::GuestsView,
    migration: migration::MigrationView,
    containers: containers::ContainersView,
    /// The check-yourself answers, one per tab (by question id).
    quiz: Vec<QuestionState>,
}

impl Screen for Hypervisors {
    fn id(&self) -> ScreenId {
        ScreenId::Hypervisors
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut ScreenCx<'_>) {
        let lang = cx.lang;
        ui.horizontal_wrapped(|ui| {
            ui.heading(RichText::new(ScreenId::Hypervisors.title(cx.tr)).strong());
            ui.add_space(12.0);
            for tab in Tab::ALL {
                let title = tab.title().get(lang);
                if ui.selectable_label(self.tab == tab, RichText::new(title).size(tab_text_size(ui))).clicked() {
                    self.tab = tab;
                }
            }
        });
        ui.separator();
        let motion = Motion::of(ui, cx.reduce_motion);
        match self.tab {
            Tab::Guests => self.guests.ui(ui, cx, |ui, cx| check_ui(ui, cx, &mut self.quiz, Tab::Guests)),
            Tab::Migration => {
                self.migration.ui(ui, cx, motion, |ui, cx| check_ui(ui, cx, &mut self.quiz, Tab::Migration));
            }
            tab => {
                egui::ScrollArea::vertical().id_salt(("hypervisors", tab as u8)).auto_shrink(false).show(ui, |ui| {
                    match tab {
                        Tab::Types => self.types.ui(ui, lang),
                        Tab::Modes => self.modes.ui(ui, lang, motion),
                        _ => self.containers.ui(ui, cx),
                    }
                    check_ui(ui, cx, &mut self.quiz, tab);
                });
            }
        }
    }
}

fn tab_text_size(ui: &Ui) -> f32 {
    egui::TextStyle::Body.resolve(ui.style()).size * 1.15
}

/// How animations move: smoothly, or (reduced motion) from step to step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Motion {
    pub reduced: bool,
    /// Seconds since the last frame (capped, so that a frame after a pause does not jump).
    pub dt: f32,
    /// egui's clock (seconds), for the jumps of reduced motion: frames then come only when
    /// asked for, so their `stable_dt` is not the time that passed.
    pub time: f64,
}

impl Motion {
    /// The learner's "reduce motion" setting (or an egui style without animations).
    fn of(ui: &Ui, reduce_motion: bool) -> Self {
        Self {
            reduced: reduce_motion || ui.style().animation_time <= 0.0,
            dt: ui.input(|i| i.stable_dt).min(0.1),
            time: ui.input(|i| i.time),
        }
    }
}

/// Play/pause, speed and the position of an animation that moves through whole steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Player {
    pub playing: bool,
    /// Steps per second.
    pub speed: f32,
    /// When the next jump is due (reduced motion), on egui's clock.
    next_jump: Option<f64>,
}

impl Default for Player {
    fn default() -> Self {
        Self { playing: false, speed: 1.0, next_jump: None }
    }
}

/// What the learner asked of an animation this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlayerAction {
    None,
    Step,
    Restart,
}

impl Player {
    /// The controls: play/pause, step, restart, speed.
    pub fn controls_ui(&mut self, ui: &mut Ui, lang: Lang, finished: bool, motion: Motion) -> PlayerAction {
        let mut action = PlayerAction::None;
        ui.horizontal_wrapped(|ui| {
            let label = if self.playing { text::PAUSE } else { text::PLAY };
            if ui.add_enabled(!finished || self.playing, egui::Button::new(label.get(lang))).clicked() {
                self.playing = !self.playing;
                self.next_jump = None;
            }
            if ui.add_enabled(!finished, egui::Button::new(text::STEP.get(lang))).clicked() {
                self.playing = false;
                action = PlayerAction::Step;
            }
            if ui.button(text::RESTART.get(lang)).clicked() {
                self.playing = false;
                action = PlayerAction::Restart;
            }
            ui.add(egui::Slider::new(&mut self.speed, 0.25..=3.0).step_by(0.25).text(text::SPEED.get(lang)));
            if motion.reduced {
                ui.label(RichText::new(text::REDUCED_MOTION.get(lang)).weak());
            }
        });
        if finished {
            self.playing = false;
        }
        action
    }

    /// How far to move this frame while playing, in steps: a fraction when moving smoothly,
    /// whole steps (or nothing) with reduced motion. Asks for the next repaint only while
    /// playing.
    pub fn advance(&mut self, ui: &Ui, motion: Motion) -> f32 {
        if !self.playing {
            return 0.0;
        }
        if motion.reduced {
            let period = 1.0 / f64::from(self.speed.max(0.05));
            let due = *self.next_jump.get_or_insert(motion.time + period);
            if motion.time >= due {
                self.next_jump = Some(motion.time + period);
                ui.ctx().request_repaint_after(std::time::Duration::from_secs_f64(period));
                return 1.0;
            }
            ui.ctx().request_repaint_after(std::time::Duration::from_secs_f64(due - motion.time));
            return 0.0;
        }
        ui.ctx().request_repaint();
        motion.dt * self.speed
    }
}

/// Colours that read on both themes.
pub fn accent(ui: &Ui) -> Color32 {
    ui.visuals().selection.bg_fill
}

pub fn good(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode { Color32::from_rgb(90, 200, 110) } else { Color32::from_rgb(25, 135, 55) }
}

pub fn bad(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode { Color32::from_rgb(255, 120, 100) } else { Color32::from_rgb(190, 40, 25) }
}

pub fn warn(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode { Color32::from_rgb(240, 190, 60) } else { Color32::from_rgb(170, 105, 0) }
}

/// A large font for painter text, scaled with the body text (and so with the zoom).
pub fn big_font(ui: &Ui, factor: f32) -> egui::FontId {
    let body = egui::TextStyle::Body.resolve(ui.style());
    egui::FontId::proportional(body.size * factor)
}

/// A section heading inside a tab.
pub fn section(ui: &mut Ui, title: &str) {
    ui.add_space(10.0);
    ui.label(RichText::new(title).heading().strong());
    ui.add_space(4.0);
}

/// The check-yourself question that ends a tab.
fn check_ui(ui: &mut Ui, cx: &mut ScreenCx<'_>, states: &mut Vec<QuestionState>, tab: Tab) {
    let lang = cx.lang;
    section(ui, text::CHECK_YOURSELF.get(lang));
    let id = tab.question();
    let Some(question) = cx.lessons.questions().find(|(_, q)| q.id == id).map(|(_, q)| q.clone()) else {
        ui.label(RichText::new(text::QUESTION_MISSING.get(lang)).weak());
        return;
    };
    if !states.iter().any(|s| s.question_id == id) {
        states.push(QuestionState::new(&question));
    }
    let Some(state) = states.iter_mut().find(|s| s.question_id == id) else { return };
    egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
        ui.set_max_width(900.0);
        let response = QuizUi::new(&question).show(ui, state, cx);
        if let Some(correct) = response.graded {
            cx.send(Command::Record(vec![Recorded { question_id: id.to_owned(), correct, rating: None, seconds: 0 }]));
        }
    });
    ui.add_space(12.0);
}
