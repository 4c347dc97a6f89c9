//! Presenter mode: a larger UI for a projector, and a simulator's guided scenario script
//! (`assets/scripts/*.sh`, parsed by `guestlab_content::sim::scenario`) played one step per key
//! press, with the narration big beside the simulator. The commands of a step run in the lab
//! like a button's, visibly in the simulator's terminal.

use egui::{RichText, Ui};
use guestlab_content::Lang;
use guestlab_content::sim::World;
use guestlab_content::sim::scenario::{Scenario, builtin_for};

use crate::classroom_text as text;
use crate::lab::Lab;
use crate::route::{Route, sim_name};
use crate::screens::{Screen, ScreenId};

/// How much presenter mode enlarges the UI (on top of the learner's zoom).
pub const ZOOM: f32 = 1.25;

/// What the presenter's keys or buttons asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Next,
    Back,
    Restart,
}

/// A scenario being played on one screen.
struct Playing {
    screen: ScreenId,
    scenario: Scenario,
    /// Steps run so far (0: none; the narration of step `done - 1` is shown).
    done: usize,
    /// Commands each step ran, to take it back.
    ran: Vec<usize>,
    /// The lab's version after the last step: if it differs, something else ran since and
    /// going back replays instead of undoing.
    version_after: u64,
}

#[derive(Default)]
pub struct Presenter {
    pub on: bool,
    playing: Option<Playing>,
}

/// The guided scenario a screen plays in presenter mode.
pub fn scenario_for(screen: ScreenId) -> Option<Scenario> {
    builtin_for(sim_name(screen)?)
}

impl Presenter {
    pub fn toggle(&mut self) {
        self.on = !self.on;
    }

    /// The step shown on `screen`: (steps done, steps in all), if a scenario is being played there.
    pub fn position(&self, screen: ScreenId) -> Option<(usize, usize)> {
        self.playing.as_ref().filter(|p| p.screen == screen).map(|p| (p.done, p.scenario.steps.len()))
    }

    /// Reads (and consumes) the presenter's keys: → Space PageDown, ← PageUp. Call before any
    /// widget is drawn, so that a focused button does not also take Space; keys typed into a
    /// text field are left alone.
    pub fn keys(ctx: &egui::Context) -> Option<Action> {
        if ctx.text_edit_focused() {
            return None;
        }
        ctx.input_mut(|i| {
            let none = egui::Modifiers::NONE;
            let next = [egui::Key::ArrowRight, egui::Key::Space, egui::Key::PageDown];
            let back = [egui::Key::ArrowLeft, egui::Key::PageUp];
            if next.iter().filter(|k| i.consume_key(none, **k)).count() > 0 {
                Some(Action::Next)
            } else if back.iter().filter(|k| i.consume_key(none, **k)).count() > 0 {
                Some(Action::Back)
            } else {
                None
            }
        })
    }

    /// Carries out an action on the scenario of `screen` (nothing if it has none).
    pub fn act(&mut self, action: Action, screen: &mut dyn Screen, lab: &mut Lab) {
        let id = screen.id();
        if self.playing.as_ref().is_none_or(|p| p.screen != id) {
            let Some(scenario) = scenario_for(id) else { return };
            self.playing = Some(Playing { screen: id, scenario, done: 0, ran: Vec::new(), version_after: 0 });
        }
        let Some(playing) = self.playing.as_mut() else { return };
        match action {
            Action::Next => playing.next(screen, lab),
            Action::Back => playing.back(screen, lab),
            Action::Restart => {
                playing.open(screen, lab);
                playing.done = 0;
                playing.ran.clear();
            }
        }
    }

    /// The panel beside the simulator: title, step, narration in large type, the commands the
    /// step ran and large step buttons. Returns the button pressed.
    pub fn panel_ui(&self, ui: &mut Ui, screen: ScreenId, lang: Lang) -> Option<Action> {
        let scenario;
        let (scenario, done) = match self.playing.as_ref().filter(|p| p.screen == screen) {
            Some(p) => (&p.scenario, p.done),
            None => {
                let Some(s) = scenario_for(screen) else {
                    ui.label(RichText::new(text::NO_SCENARIO.get(lang)).size(18.0));
                    return None;
                };
                scenario = s;
                (&scenario, 0)
            }
        };
        let total = scenario.steps.len();
        let mut action = None;
        ui.add_space(6.0);
        ui.label(RichText::new(scenario.title(lang)).strong().size(22.0));
        ui.label(RichText::new(format!("{} {done} / {total}", text::STEP.get(lang))).size(18.0).weak());
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let big =
                |label: &str| egui::Button::new(RichText::new(label).size(24.0)).min_size(egui::vec2(130.0, 52.0));
            if ui.add_enabled(done > 0, big(text::BACK.get(lang))).clicked() {
                action = Some(Action::Back);
            }
            if ui.add_enabled(done < total, big(text::NEXT.get(lang))).clicked() {
                action = Some(Action::Next);
            }
        });
        ui.label(RichText::new(text::KEYS.get(lang)).small().weak());
        ui.separator();
        egui::ScrollArea::vertical().id_salt("presenter-narration").auto_shrink(false).show(ui, |ui| {
            match done.checked_sub(1).and_then(|i| scenario.steps.get(i)) {
                None => {
                    ui.label(RichText::new(text::READY.get(lang)).size(26.0));
                }
                Some(step) => {
                    ui.add(egui::Label::new(RichText::new(step.narration(lang)).size(28.0)).wrap());
                    if !step.commands.is_empty() {
                        ui.add_space(10.0);
                        ui.label(RichText::new(text::RAN.get(lang)).weak());
                        for command in &step.commands {
                            let first = command.text.lines().next().unwrap_or_default();
                            let more = if command.text.contains('\n') { " …" } else { "" };
                            ui.label(RichText::new(format!("$ {first}{more}")).monospace().size(16.0));
                        }
                    }
                    if done == total {
                        ui.add_space(10.0);
                        ui.label(RichText::new(text::FINISHED.get(lang)).strong().size(20.0));
                    }
                }
            }
            ui.add_space(12.0);
            if done > 0 && ui.button(text::RESTART.get(lang)).clicked() {
                action = Some(Action::Restart);
            }
        });
        action
    }
}

impl Playing {
    /// Opens the scenario's simulator fresh, in the world the script starts from.
    fn open(&self, screen: &mut dyn Screen, lab: &mut Lab) {
        let route = self
            .scenario
            .sim
            .as_deref()
            .and_then(|sim| Route::from_sim_link(&format!("sim:{sim}")).ok())
            .unwrap_or_else(|| Route::for_screen(self.screen));
        screen.open(&route, lab);
        if self.scenario.world != "bookworm"
            && let Some(world) = World::scenario(&self.scenario.world, lab.seed())
        {
            lab.reset_to(world);
        }
    }

    fn run_step(&mut self, index: usize, lab: &mut Lab) {
        let Some(step) = self.scenario.steps.get(index) else { return };
        for command in &step.commands {
            lab.run(&command.text);
        }
        self.ran.push(step.commands.len());
    }

    fn next(&mut self, screen: &mut dyn Screen, lab: &mut Lab) {
        if self.done >= self.scenario.steps.len() {
            return;
        }
        if self.done == 0 {
            self.open(screen, lab);
            self.ran.clear();
        }
        self.run_step(self.done, lab);
        self.done += 1;
        self.version_after = lab.version;
    }

    fn back(&mut self, screen: &mut dyn Screen, lab: &mut Lab) {
        if self.done == 0 {
            return;
        }
        let target = self.done - 1;
        if lab.version == self.version_after
            && let Some(commands) = self.ran.pop()
        {
            // Nothing else ran since: take the step's commands back.
            for _ in 0..commands {
                lab.undo();
            }
        } else {
            // Something else changed the world: open the scenario again and replay the steps
            // before (the simulation is deterministic, so this is the same state).
            self.open(screen, lab);
            self.ran.clear();
            for index in 0..target {
                self.run_step(index, lab);
            }
        }
        self.done = target;
        self.version_after = lab.version;
    }
}
