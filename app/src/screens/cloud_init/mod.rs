//! cloud-init: an editor for user-data, meta-data and network-config (YAML in colour, the
//! problems `cloud-init schema` finds shown at their lines as the learner types), buttons that
//! build the NoCloud seed and boot a Debian cloud image with it — each running its commands
//! visibly in the terminal — and the boot played back as a timeline of stages and modules
//! with what each module changed in the guest.
//!
//! The screen owns only the editor's texts; the seed, the guest and its boot trace live in
//! the shared world (`crate::lab::Lab`) and are read from there.

mod commands;
mod editor;
mod examples;
mod highlight;
mod timeline;

use egui::{RichText, Ui};
use guestlab_content::Lang;
use guestlab_content::sim::guest::cloud_image;

use self::commands::{DOMAIN, Docs};
use self::editor::{Editor, EditorTexts, FileKind};
use self::examples::{EXAMPLES, KEY_PLACEHOLDER};
use super::cloud_init_text as text;
use super::{Screen, ScreenCx, ScreenId};
use crate::lab::Lab;
use crate::widgets::terminal_ui::Terminal;

#[derive(Default)]
pub struct CloudInit {
    docs: Docs,
    editors: [Editor; 3],
    tab: usize,
    terminal: Terminal,
    /// How many lab steps each button press took, for Undo.
    undo: Vec<usize>,
    started: bool,
    player: timeline::Player,
    /// The boot ID of the guest's boot the player was started for.
    played: Option<String>,
}

/// The user-data editor on its own, for `guestlab bench` (desktop only).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) struct EditorBench {
    editor: Editor,
    text: String,
    original: String,
}

#[cfg(not(target_arch = "wasm32"))]
impl EditorBench {
    pub(crate) fn new(text: &str) -> Self {
        Self { editor: Editor::default(), text: text.to_owned(), original: text.to_owned() }
    }

    /// Draws the editor in a scroll area, as the screen does.
    pub(crate) fn ui(&mut self, ui: &mut Ui) {
        let texts = EditorTexts { name: "user-data", line: "Line" };
        egui::ScrollArea::both().auto_shrink(false).show(ui, |ui| {
            self.editor.ui(ui, FileKind::UserData, &mut self.text, &texts, 600.0);
        });
    }

    /// Whether the typing went to the end of the second line (`hostname: web1`), and the
    /// check still finds the one mistake of the original text.
    pub(crate) fn typed_into_hostname(&mut self) -> bool {
        let second = self.text.lines().nth(1).unwrap_or_default().to_owned();
        let problems = self.editor.checked(FileKind::UserData, &self.text).inline.len();
        let original = check_count(&self.original);
        second.starts_with("hostname: web1x") && self.text != self.original && problems == original
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn check_count(text: &str) -> usize {
    editor::check(FileKind::UserData, text).inline.len()
}

/// The state of the screen's guest, while it has a machine (running or not).
fn guest_state(lab: &Lab) -> Option<&guestlab_content::sim::guest::GuestState> {
    lab.world().machines.iter().filter_map(|m| m.guest.as_ref()).find(|g| g.domain == DOMAIN)
}

/// The host's SSH public key, if it has one.
fn host_key(lab: &Lab) -> Option<String> {
    let fs = &lab.world().machines[0].fs;
    ["/root/.ssh/id_ed25519.pub", "/root/.ssh/id_rsa.pub", "/root/.ssh/id_ecdsa.pub"]
        .iter()
        .find_map(|p| fs.read_text(guestlab_content::sim::vfs::ROOT, p, 16 << 10))
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty())
}

impl CloudInit {
    /// The world the screen needs: the Debian cloud image on the host (added to whatever the
    /// lab holds, as the starting point).
    fn set_up(lab: &mut Lab) {
        if !commands::cloud_image_exists(lab) {
            cloud_image::add_cloud_image(&mut lab.session.world);
            lab.settle();
        }
    }

    /// Loads an example into the user-data editor (with the host's key, if it has one).
    fn load_example(&mut self, index: usize, lab: &Lab, lang: Lang) {
        let Some(example) = EXAMPLES.get(index) else { return };
        let key = host_key(lab).unwrap_or_else(|| KEY_PLACEHOLDER.to_owned());
        self.docs.user_data = example.text(lang, &key);
        self.tab = 0;
    }

    /// Runs commands visibly in the terminal, as one undo step.
    fn run(&mut self, lab: &mut Lab, commands: &[String], lang: Lang) {
        let mut ran = 0;
        for command in commands {
            if command == "exit" && lab.world().return_to.is_empty() {
                continue;
            }
            lab.run(command);
            ran += 1;
            if command == "reboot" && lab.world().return_to.is_empty() && lab.world().current == 0 {
                lab.note(text::CONSOLE_CLOSED.get(lang));
            }
        }
        if ran > 0 {
            self.undo.push(ran);
        }
        self.terminal.follow();
    }

    fn undo(&mut self, lab: &mut Lab) {
        let steps = self.undo.pop().unwrap_or(1);
        for _ in 0..steps {
            lab.undo();
        }
    }

    fn reset(&mut self, lab: &mut Lab) {
        lab.reset();
        Self::set_up(lab);
        self.undo.clear();
        self.played = None;
        self.player = timeline::Player::default();
        self.terminal.follow();
    }

    fn doc_mut(&mut self, kind: FileKind) -> &mut String {
        match kind {
            FileKind::UserData => &mut self.docs.user_data,
            FileKind::MetaData => &mut self.docs.meta_data,
            FileKind::NetworkConfig => &mut self.docs.network_config,
        }
    }
}

impl Screen for CloudInit {
    fn id(&self) -> ScreenId {
        ScreenId::CloudInit
    }

    /// A link starts the lab over with the cloud image; the editor keeps its texts.
    fn open(&mut self, _route: &crate::route::Route, lab: &mut Lab) {
        self.reset(lab);
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut ScreenCx<'_>) {
        let lang = cx.lang;
        if !self.started {
            self.started = true;
            Self::set_up(cx.lab);
            self.load_example(0, cx.lab, lang);
        }
        let version_before = cx.lab.version;
        self.top_bar_ui(ui, cx);
        ui.add_space(4.0);

        egui::Panel::bottom("cloud-init-terminal")
            .resizable(true)
            .default_size(200.0)
            .min_size(120.0)
            .frame(egui::Frame::new().inner_margin(egui::Margin { top: 6, ..Default::default() }))
            .show(ui, |ui| {
                self.tabs_ui(ui, cx.lab, lang);
                let before = cx.lab.version;
                self.terminal.ui(ui, cx.lab, lang, text::TERMINAL_HINT.get(lang));
                if cx.lab.version != before {
                    self.undo.push(1);
                }
            });
        self.follow_boot(cx.lab);
        egui::Panel::right("cloud-init-timeline")
            .resizable(true)
            .default_size(430.0)
            .min_size(300.0)
            .max_size(640.0)
            .frame(egui::Frame::new().inner_margin(egui::Margin { left: 8, ..Default::default() }))
            .show(ui, |ui| self.timeline_ui(ui, cx.lab, lang, cx.reduce_motion));
        egui::CentralPanel::default().frame(egui::Frame::new().inner_margin(4.0)).show(ui, |ui| {
            self.editor_ui(ui, cx.lab, lang);
        });
        if cx.lab.version != version_before {
            ui.ctx().request_repaint();
        }
    }
}

impl CloudInit {
    /// A new boot of the guest (a new boot ID) starts playing from the beginning.
    fn follow_boot(&mut self, lab: &Lab) {
        let boot_id = guest_state(lab).filter(|g| g.cloud_init.is_some()).map(|g| g.boot_id.clone());
        if boot_id.is_some() && boot_id != self.played {
            self.player.replay();
        }
        if boot_id.is_some() {
            self.played = boot_id;
        }
    }

    fn timeline_ui(&mut self, ui: &mut Ui, lab: &Lab, lang: Lang, reduce_motion: bool) {
        let guest = guest_state(lab);
        match guest.and_then(|g| g.cloud_init.as_deref().map(|b| (g, b))) {
            Some((guest, boot)) => {
                let instance = boot.instance_id.as_deref().unwrap_or("—");
                ui.label(
                    RichText::new(format!(
                        "{} — {} {}, instance-id {instance}",
                        text::TIMELINE.get(lang),
                        text::BOOT_OF.get(lang),
                        guest.boots.len(),
                    ))
                    .strong(),
                );
                timeline::ui(ui, boot, &mut self.player, lang, reduce_motion);
            }
            None => {
                ui.label(RichText::new(text::TIMELINE.get(lang)).strong());
                ui.label(RichText::new(text::NO_BOOT.get(lang)).weak());
            }
        }
    }

    fn top_bar_ui(&mut self, ui: &mut Ui, cx: &mut ScreenCx<'_>) {
        let lang = cx.lang;
        ui.horizontal_wrapped(|ui| {
            ui.heading(RichText::new(ScreenId::CloudInit.title(cx.tr)).strong());
            ui.add_space(12.0);
            ui.menu_button(format!("{} ▾", text::EXAMPLES.get(lang)), |ui| {
                for (i, example) in EXAMPLES.iter().enumerate() {
                    let clicked = ui.push_id(example.id, |ui| ui.button(example.title.get(lang)).clicked()).inner;
                    if clicked {
                        self.load_example(i, cx.lab, lang);
                        ui.close();
                    }
                }
            });
            ui.separator();
            let seed = commands::seed(cx.lab, &self.docs);
            if ui.button(text::CREATE_SEED.get(lang)).on_hover_text(text::CREATE_SEED_HINT.get(lang)).clicked() {
                self.run(cx.lab, &seed, lang);
            }
            let boot = commands::boot(cx.lab);
            let label = if cx.lab.world().libvirt.domains.contains_key(DOMAIN) {
                text::START_VM.get(lang)
            } else {
                text::BOOT_VM.get(lang)
            };
            let image = commands::cloud_image_exists(cx.lab) || cx.lab.world().libvirt.domains.contains_key(DOMAIN);
            let enabled = !boot.is_empty() && commands::seed_exists(cx.lab) && image;
            let response = ui
                .add_enabled(enabled, egui::Button::new(label))
                .on_hover_text(text::BOOT_VM_HINT.get(lang))
                .on_disabled_hover_text(if image {
                    text::SEED_FIRST.get(lang)
                } else {
                    text::NO_CLOUD_IMAGE.get(lang)
                });
            if response.clicked() {
                self.run(cx.lab, &boot, lang);
            }
            let running = commands::running(cx.lab);
            if ui
                .add_enabled(running, egui::Button::new(text::REBOOT.get(lang)))
                .on_hover_text(text::REBOOT_HINT.get(lang))
                .clicked()
            {
                let commands = commands::reboot(cx.lab);
                self.run(cx.lab, &commands, lang);
            }
            if ui
                .add_enabled(running, egui::Button::new(text::NEW_INSTANCE.get(lang)))
                .on_hover_text(text::NEW_INSTANCE_HINT.get(lang))
                .clicked()
            {
                self.docs.meta_data = commands::next_instance_id(&self.docs.meta_data);
                let mut commands = commands::seed(cx.lab, &self.docs);
                commands.extend(commands::reboot(cx.lab));
                self.run(cx.lab, &commands, lang);
            }
            if ui
                .add_enabled(running, egui::Button::new(text::CLEAN.get(lang)))
                .on_hover_text(text::CLEAN_HINT.get(lang))
                .clicked()
            {
                let commands = commands::clean(cx.lab);
                self.run(cx.lab, &commands, lang);
            }
            ui.separator();
            if ui.add_enabled(cx.lab.can_undo(), egui::Button::new(text::UNDO.get(lang))).clicked() {
                self.undo(cx.lab);
            }
            if ui.button(text::RESET.get(lang)).clicked() {
                self.reset(cx.lab);
            }
        });
    }

    /// The file tabs, the editor of the selected file and what the checks say.
    fn editor_ui(&mut self, ui: &mut Ui, lab: &mut Lab, lang: Lang) {
        // Wrapped: a row wider than the panel would widen everything below it.
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(text::EDITOR_OF.get(lang)).weak());
            for (i, kind) in FileKind::ALL.iter().enumerate() {
                if ui.selectable_label(self.tab == i, kind.file_name()).clicked() {
                    self.tab = i;
                }
            }
            ui.separator();
            ui.checkbox(&mut self.docs.with_network_config, text::NETWORK_CONFIG_IN_SEED.get(lang));
        });
        let kind = FileKind::ALL[self.tab];
        if kind == FileKind::UserData && host_key(lab).is_none() && self.docs.user_data.contains(KEY_PLACEHOLDER) {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(text::HOST_KEY_MISSING.get(lang)).small());
                if ui.small_button(text::USE_HOST_KEY.get(lang)).clicked() {
                    let commands = commands::keygen(lab);
                    self.run(lab, &commands, lang);
                    if let Some(key) = host_key(lab) {
                        self.docs.user_data = self.docs.user_data.replace(KEY_PLACEHOLDER, &key);
                    }
                }
            });
        }
        let summary_height = 110.0;
        let editor_height = (ui.available_height() - summary_height).max(140.0);
        let texts = EditorTexts { name: kind.file_name(), line: text::LINE.get(lang) };
        egui::ScrollArea::both()
            .id_salt(("cloud-init-editor-scroll", self.tab))
            .max_height(editor_height)
            .auto_shrink(false)
            .show(ui, |ui| {
                let mut doc = std::mem::take(self.doc_mut(kind));
                self.editors[self.tab].ui(ui, kind, &mut doc, &texts, editor_height - 4.0);
                *self.doc_mut(kind) = doc;
            });
        ui.add_space(4.0);
        self.summary_ui(ui, lab, kind, lang);
    }

    /// Under the editor: what `cloud-init schema` prints for user-data (its exact words), or
    /// whether meta-data/network-config are valid YAML.
    fn summary_ui(&mut self, ui: &mut Ui, lab: &mut Lab, kind: FileKind, lang: Lang) {
        let doc = match kind {
            FileKind::UserData => self.docs.user_data.clone(),
            FileKind::MetaData => self.docs.meta_data.clone(),
            FileKind::NetworkConfig => self.docs.network_config.clone(),
        };
        let checked = self.editors[self.tab].checked(kind, &doc).clone();
        let palette = highlight::Palette::new(ui.visuals());
        egui::ScrollArea::vertical().id_salt("cloud-init-summary").auto_shrink([false, true]).show(ui, |ui| {
            match &checked.report {
                Some(report) => {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(text::SCHEMA_SAYS.get(lang)).weak());
                        if ui
                            .small_button(text::VALIDATE.get(lang))
                            .on_hover_text(text::VALIDATE_HINT.get(lang))
                            .clicked()
                        {
                            let commands = commands::validate(lab, &self.docs);
                            self.run(lab, &commands, lang);
                        }
                    });
                    for line in report.stdout.lines().chain(report.stderr.lines()) {
                        let color = if line.starts_with("Valid cloud-config") {
                            palette.string
                        } else if line.starts_with("Cloud config schema deprecations") {
                            palette.warning
                        } else {
                            palette.error
                        };
                        ui.label(RichText::new(line).monospace().color(color));
                    }
                }
                None if checked.inline.is_empty() => {
                    ui.label(RichText::new(text::YAML_OK.get(lang)).color(palette.string));
                    if kind == FileKind::MetaData && !doc.lines().any(|l| l.trim_start().starts_with("instance-id:")) {
                        ui.label(RichText::new(text::NO_INSTANCE_ID.get(lang)).color(palette.warning));
                    }
                }
                None => {
                    for p in &checked.inline {
                        ui.label(RichText::new(&p.full).monospace().color(palette.error));
                    }
                }
            }
        });
    }

    /// Tabs that attach the terminal to the host or to the running guest.
    fn tabs_ui(&mut self, ui: &mut Ui, lab: &mut Lab, lang: Lang) {
        if let Some(commands) = crate::widgets::terminal_ui::machine_tabs_ui(ui, lab, lang) {
            self.run(lab, &commands, lang);
        }
    }
}
