//! The classroom and browser side of [`GuestLabApp`]: deep links and the address bar, Share,
//! presenter mode, notices, the accessibility settings and the page mirror for assistive
//! technology. A child module of `app`, so that `app.rs` only calls in at a few places.

use egui::RichText;
use guestlab_content::Lang;

use super::GuestLabApp;
use crate::classroom_text as text;
use crate::look::{self, FocusVisible};
use crate::page::{self, Page};
use crate::presenter::{self, Presenter};
use crate::route::{HistoryUpdate, Route, RouteSync};
use crate::screens::{Screen, ScreenId};

/// A short message at the bottom of the window until dismissed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toast {
    pub text: String,
    /// A second line (a link, commands), in monospace.
    pub detail: Option<String>,
    /// Offer to reload the page (a new version is ready).
    pub reload: bool,
}

/// What the web page reports about a new version of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Update {
    /// This load runs a version newer than the last one seen.
    Installed,
    /// A newer version was downloaded while this one runs: it is used from the next load.
    Ready,
}

#[derive(Default)]
pub(super) struct Classroom {
    pub presenter: Presenter,
    /// The heading anchor of the open lesson, as the route shows it.
    pub anchor: Option<String>,
    pub sync: RouteSync,
    /// The page's address without the hash (web), put before a shared route.
    pub link_base: String,
    pub toast: Option<Toast>,
    focus: FocusVisible,
    /// (high contrast, reduce motion) as last applied to the context.
    look_applied: Option<(bool, bool)>,
    page: Page,
    /// (language, lesson id) the mirrored text is of, and the lab version of the terminal text.
    mirrored_lesson: Option<(Lang, String)>,
    terminal_version: Option<u64>,
    /// Answers recorded in this session (their results are announced, numbered).
    answers: u32,
}

impl GuestLabApp {
    /// The zoom presenter mode puts on top of the learner's.
    pub(super) fn extra_zoom(&self) -> f32 {
        if self.classroom.presenter.on { presenter::ZOOM } else { 1.0 }
    }

    /// Before the screens are drawn: the look, F5 and the presenter's keys.
    pub(super) fn classroom_begin(&mut self, ctx: &egui::Context) {
        let settings = &self.state.settings;
        let wanted = (settings.high_contrast, settings.reduce_motion);
        if self.classroom.look_applied != Some(wanted) {
            look::apply(ctx, wanted.0, wanted.1);
            self.classroom.look_applied = Some(wanted);
        }
        self.classroom.focus.update(ctx);
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::F5)) {
            self.set_presenter(ctx, !self.classroom.presenter.on);
        }
        if self.classroom.presenter.on
            && presenter::scenario_for(self.state.last_screen).is_some()
            && let Some(action) = Presenter::keys(ctx)
        {
            self.presenter_act(action);
        }
    }

    fn presenter_act(&mut self, action: presenter::Action) {
        let current = self.state.last_screen;
        if let Some(screen) = self.screens.iter_mut().find(|s| s.id() == current) {
            self.classroom.presenter.act(action, screen.as_mut(), &mut self.lab);
        }
    }

    /// Turns presenter mode on or off.
    pub fn set_presenter(&mut self, ctx: &egui::Context, on: bool) {
        self.classroom.presenter.on = on;
        let zoom = self.state.settings.zoom * self.extra_zoom();
        ctx.set_zoom_factor(zoom);
        self.applied_zoom = zoom;
    }

    pub fn presenter_on(&self) -> bool {
        self.classroom.presenter.on
    }

    /// The top bar's buttons on the right: Share and presenter mode.
    pub(super) fn top_bar_buttons_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.state.settings.language;
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let on = self.classroom.presenter.on;
            if ui
                .selectable_label(on, text::PRESENTER.get(lang))
                .on_hover_text(text::PRESENTER_HINT.get(lang))
                .clicked()
            {
                self.set_presenter(&ui.ctx().clone(), !on);
            }
            if ui.button(text::SHARE.get(lang)).on_hover_text(text::SHARE_HINT.get(lang)).clicked() {
                self.share(ui.ctx());
            }
        });
    }

    /// The presenter's panel beside a simulator that has a guided scenario.
    pub(super) fn presenter_panel_ui(&mut self, ui: &mut egui::Ui) {
        let current = self.state.last_screen;
        if !self.classroom.presenter.on || presenter::scenario_for(current).is_none() {
            return;
        }
        let lang = self.state.settings.language;
        let mut action = None;
        egui::Panel::right("presenter").resizable(true).default_size(340.0).min_size(240.0).show(ui, |ui| {
            action = self.classroom.presenter.panel_ui(ui, current, lang);
        });
        if let Some(action) = action {
            self.presenter_act(action);
        }
    }

    /// After the frame: the notice, the focus ring and the page mirror.
    pub(super) fn classroom_end(&mut self, ctx: &egui::Context) {
        self.toast_ui(ctx);
        self.classroom.focus.ring_ui(ctx, self.state.settings.high_contrast);
        self.update_page();
        if let Some(focus) = Self::focused_description(ctx) {
            self.classroom.page.focus = focus;
        }
    }

    fn toast_ui(&mut self, ctx: &egui::Context) {
        let Some(toast) = &self.classroom.toast else { return };
        let lang = self.state.settings.language;
        let mut dismissed = false;
        let mut reload = false;
        egui::Area::new(egui::Id::unique("guestlab-toast"))
            .anchor(egui::Align2::RIGHT_BOTTOM, [-14.0, -14.0])
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).inner_margin(10.0).show(ui, |ui| {
                    ui.set_max_width(460.0);
                    ui.label(RichText::new(&toast.text).strong());
                    if let Some(detail) = &toast.detail {
                        ui.add(egui::Label::new(RichText::new(detail).monospace().small()).wrap());
                    }
                    ui.horizontal(|ui| {
                        if toast.reload && ui.button(text::RELOAD_NOW.get(lang)).clicked() {
                            reload = true;
                        }
                        if ui.button(text::DISMISS.get(lang)).clicked() {
                            dismissed = true;
                        }
                    });
                });
            });
        if reload {
            let url = format!("{}{}", self.classroom.link_base, self.current_route().format());
            ctx.open_url(egui::OpenUrl::same_tab(url));
        }
        if dismissed || reload {
            self.classroom.toast = None;
        }
    }

    /// Shows a notice about a new version (the web page tells the app).
    pub fn notify_update(&mut self, update: Update) {
        let lang = self.state.settings.language;
        self.classroom.toast = Some(match update {
            Update::Installed => Toast { text: text::UPDATED.get(lang).to_owned(), detail: None, reload: false },
            Update::Ready => Toast { text: text::UPDATE_READY.get(lang).to_owned(), detail: None, reload: true },
        });
    }

    /// The notice shown, if any.
    pub fn toast(&self) -> Option<&Toast> {
        self.classroom.toast.as_ref()
    }

    /// Where links point to: the page's address without its hash (web). Empty on the desktop,
    /// where a link is the route itself (`guestlab --open '#/…'`).
    pub fn set_link_base(&mut self, base: &str) {
        base.clone_into(&mut self.classroom.link_base);
    }

    /// The place the app shows now.
    pub fn current_route(&self) -> Route {
        self.place(|s| s.route())
    }

    /// The place the app shows now, as the current screen tells it with `route_of` (its
    /// address-bar route, or the one "Share" links to).
    fn place(&self, route_of: fn(&dyn Screen) -> Route) -> Route {
        let current = self.state.last_screen;
        if current == ScreenId::Lessons {
            return match &self.state.last_lesson {
                Some(id) => Route::Lesson { id: id.clone(), anchor: self.classroom.anchor.clone() },
                None => Route::Screen(ScreenId::Lessons),
            };
        }
        self.screens.iter().find(|s| s.id() == current).map_or(Route::for_screen(current), |s| route_of(s.as_ref()))
    }

    /// The link "Share" copies: the current place as its screen shares it (an exam with its
    /// seed), with the lab's commands in a simulator.
    pub fn share_link(&self) -> String {
        let route = match self.place(|s| s.share_route()) {
            Route::Sim { screen, scenario, .. } => {
                Route::Sim { screen, scenario, commands: self.lab.inputs().to_vec() }
            }
            other => other,
        };
        format!("{}{}", self.classroom.link_base, route.format())
    }

    fn share(&mut self, ctx: &egui::Context) {
        let link = self.share_link();
        let lang = self.state.settings.language;
        let commands = match self.current_route() {
            Route::Sim { .. } if !self.lab.inputs().is_empty() => {
                format!("\n{} {}", text::LINK_COPIED_COMMANDS.get(lang), self.lab.inputs().len())
            }
            _ => String::new(),
        };
        ctx.copy_text(link.clone());
        self.classroom.toast =
            Some(Toast { text: text::LINK_COPIED.get(lang).to_owned(), detail: Some(link + &commands), reload: false });
    }

    /// Opens a route: its screen, lesson and anchor, or a simulator's scenario (started over
    /// when the link names another scenario than the one shown, or carries commands, which are
    /// then replayed).
    pub fn open_route(&mut self, route: Route) {
        self.classroom.anchor = None;
        match route {
            Route::Screen(id) => self.state.last_screen = id,
            Route::Lesson { id, anchor } => {
                self.state.last_screen = ScreenId::Lessons;
                self.state.last_lesson = Some(id);
                self.scroll_to.clone_from(&anchor);
                self.classroom.anchor = anchor;
            }
            route @ (Route::Sim { .. } | Route::Exam { .. }) => {
                let id = route.screen();
                self.state.last_screen = id;
                let Some(screen) = self.screens.iter_mut().find(|s| s.id() == id) else { return };
                let commands = match &route {
                    Route::Sim { commands, .. } => commands.clone(),
                    _ => Vec::new(),
                };
                let shown = screen.route();
                let other_place = match (&route, &shown) {
                    (Route::Sim { scenario: Some(want), .. }, Route::Sim { scenario: have, .. }) => {
                        have.as_ref() != Some(want)
                    }
                    (Route::Exam { seed: Some(want) }, Route::Exam { seed: have }) => *have != Some(*want),
                    _ => false,
                };
                if other_place || !commands.is_empty() {
                    screen.open(&route, &mut self.lab);
                }
                if !commands.is_empty() {
                    for command in &commands {
                        self.lab.run(command);
                    }
                    let lang = self.state.settings.language;
                    self.classroom.toast = Some(Toast {
                        text: text::REPLAYED.get(lang).to_owned(),
                        detail: Some(commands.iter().map(|c| format!("$ {c}")).collect::<Vec<_>>().join("\n")),
                        reload: false,
                    });
                }
            }
        }
    }

    /// Opens a link typed or passed on the command line (`#/lesson/…`); a bad one is reported
    /// in a notice.
    pub fn open_link(&mut self, link: &str) {
        match Route::parse(link) {
            Ok(route) => self.open_route(route),
            Err(err) => self.link_error(link, &err.to_string()),
        }
    }

    fn link_error(&mut self, link: &str, message: &str) {
        let lang = self.state.settings.language;
        self.classroom.toast = Some(Toast {
            text: text::LINK_NOT_OPENED.get(lang).to_owned(),
            detail: Some(format!("{link}: {message}")),
            reload: false,
        });
    }

    /// Web: the address bar's hash at the start of a frame; a change from outside (a link, the
    /// back and forward buttons) opens its route.
    pub fn incoming_hash(&mut self, hash: &str) {
        let hash = crate::route::percent_decode(hash);
        match self.classroom.sync.incoming(&hash) {
            Some(Ok(route)) => self.open_route(route),
            Some(Err(err)) => self.link_error(&hash, &err.to_string()),
            None => {}
        }
    }

    /// Web: how the address bar must change after a frame.
    pub fn outgoing_hash(&mut self) -> Option<HistoryUpdate> {
        let current = self.current_route();
        self.classroom.sync.outgoing(&current)
    }

    /// What the page around the canvas should say (title, language, route, mirrored text).
    pub fn page(&self) -> &Page {
        &self.classroom.page
    }

    fn update_page(&mut self) {
        let lang = self.state.settings.language;
        let tr = self.tr();
        let current = self.state.last_screen;
        let lesson = (current == ScreenId::Lessons)
            .then(|| self.state.last_lesson.as_deref().and_then(|id| self.library.get(lang).lesson(id)))
            .flatten();
        let route = self.current_route().without_commands().format();
        let page = &mut self.classroom.page;
        page.title = match lesson {
            Some(l) => format!("{} – {} – {}", l.meta.title, current.title(tr), tr.app_name),
            None => format!("{} – {}", current.title(tr), tr.app_name),
        };
        page.lang = lang.code();
        page.route = route;
        let key = lesson.map(|l| (lang, l.meta.id.clone()));
        if key != self.classroom.mirrored_lesson {
            self.classroom.page.main = lesson.map(|l| page::lesson_blocks(l, lang)).unwrap_or_default();
            self.classroom.mirrored_lesson = key;
        }
        if self.classroom.terminal_version != Some(self.lab.version) {
            self.classroom.page.terminal = page::terminal_text(&self.lab);
            self.classroom.terminal_version = Some(self.lab.version);
        }
        if let Some(toast) = &self.classroom.toast {
            self.classroom.page.status = match &toast.detail {
                Some(d) => format!("{} {d}", toast.text),
                None => toast.text.clone(),
            };
        }
    }

    /// Announces the results of answers the frame's commands record ("Answer 3: correct.").
    pub(super) fn announce(&mut self, commands: &[crate::screens::Command]) {
        let lang = self.state.settings.language;
        for command in commands {
            if let crate::screens::Command::Record(answers) = command {
                for answer in answers {
                    self.classroom.answers += 1;
                    let verdict = if answer.correct { text::CORRECT.get(lang) } else { text::WRONG.get(lang) };
                    self.classroom.page.status =
                        format!("{} {}: {verdict}", text::ANSWER.get(lang), self.classroom.answers);
                }
            }
        }
    }

    /// The control that gained keyboard focus this frame, as a screen reader would name it.
    fn focused_description(ctx: &egui::Context) -> Option<String> {
        ctx.output(|o| {
            o.events.iter().rev().find_map(|event| match event {
                egui::output::OutputEvent::FocusGained(info) => {
                    let mut info = info.clone();
                    if info.label.as_deref().is_none_or(str::is_empty) {
                        info.label.clone_from(&info.hint_text);
                    }
                    Some(info.description())
                }
                _ => None,
            })
        })
    }
}
