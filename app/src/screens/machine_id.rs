//! Machine ID & cloning: a picture of the host's bridge `virbr0` with one card per guest
//! (machine ID, DHCP client ID, address, hostname, SSH host key), the values running guests
//! share marked in red with the reason, a guided scenario from cloning to a prepared template,
//! and a terminal that can be attached to the host or to any running guest.

use egui::{Color32, Pos2, RichText, Shape, Stroke, Ui};
use guestlab_content::Lang;
use guestlab_content::sim::guest::view::{Field, GuestCard, NetworkView, network_view};
use guestlab_content::sim::libvirt::{DomainState, setup};

use super::machine_id_text::{self as text, STEPS};
use super::{Screen, ScreenCx, ScreenId};
use crate::lab::Lab;
use crate::widgets::terminal_ui::Terminal;

/// The libvirt network the picture shows.
const NETWORK: &str = "default";
const CLONES: [&str; 2] = ["web1", "web2"];

/// The fields that break something when shared (a shared hostname only confuses).
const SERIOUS: [Field; 4] = [Field::MachineId, Field::ClientId, Field::Ip, Field::HostKey];

/// One step the Undo button takes back: how many commands it ran, and the scenario before it.
#[derive(Clone, Copy, Debug)]
struct UndoEntry {
    lab_steps: usize,
    step: usize,
    explained: Option<usize>,
}

#[derive(Default)]
pub struct MachineId {
    terminal: Terminal,
    /// The next step of the guided scenario.
    step: usize,
    /// The step whose explanation is shown.
    explained: Option<usize>,
    undo: Vec<UndoEntry>,
    /// The display model and the lab version it was built at.
    view: Option<(u64, NetworkView)>,
    started: bool,
}

fn red(dark: bool) -> Color32 {
    if dark { Color32::from_rgb(255, 110, 95) } else { Color32::from_rgb(200, 35, 25) }
}

fn amber(dark: bool) -> Color32 {
    if dark { Color32::from_rgb(240, 190, 40) } else { Color32::from_rgb(190, 120, 0) }
}

fn green(dark: bool) -> Color32 {
    if dark { Color32::from_rgb(70, 200, 100) } else { Color32::from_rgb(30, 150, 60) }
}

fn domain_exists(lab: &Lab, name: &str) -> bool {
    lab.world().libvirt.domains.contains_key(name)
}

fn domain_running(lab: &Lab, name: &str) -> bool {
    lab.world().libvirt.domains.get(name).is_some_and(|d| d.state != DomainState::ShutOff)
}

/// The lines a guest fix runs on `name`'s console.
fn on_console(lab: &Lab, name: &str, lines: &[&str]) -> Vec<String> {
    let mut out = lab.attach_commands(Some(name));
    out.extend(lines.iter().map(|l| (*l).to_owned()));
    out.push("exit".to_owned());
    out
}

/// The commands of a scenario step, given the world as it is now.
fn step_commands(step: usize, lab: &Lab) -> Vec<String> {
    let clone = |name: &str| format!("virt-clone --original bookworm --name {name} --auto-clone");
    match step {
        0 => {
            let mut out = lab.attach_commands(None);
            // Clones of an earlier run go first (with their disks); the template must be off.
            for name in CLONES.iter().chain(["bookworm"].iter()) {
                if domain_running(lab, name) {
                    out.push(format!("virsh destroy {name}"));
                }
            }
            for name in CLONES {
                if domain_exists(lab, name) {
                    out.push(format!("virsh undefine {name} --remove-all-storage"));
                }
            }
            if lab.world().libvirt.networks.get(NETWORK).is_none_or(|n| !n.active) {
                out.push(format!("virsh net-start {NETWORK}"));
            }
            out
        }
        1 => CLONES.iter().map(|n| clone(n)).collect(),
        2 => CLONES.iter().map(|n| format!("virsh start {n}")).collect(),
        3 | 6 => vec![format!("virsh net-dhcp-leases {NETWORK}")],
        4 => on_console(
            lab,
            "web2",
            &[
                "rm -f /etc/machine-id",
                "dbus-uuidgen --ensure=/etc/machine-id",
                "rm /etc/ssh/ssh_host_*",
                "ssh-keygen -A",
                "hostnamectl set-hostname web2",
                "reboot",
            ],
        ),
        5 => on_console(
            lab,
            "web1",
            &["truncate -s 0 /etc/machine-id", "systemd-machine-id-setup", "hostnamectl set-hostname web1", "reboot"],
        ),
        7 => {
            let mut out = lab.attach_commands(None);
            for name in CLONES.iter().chain(["bookworm"].iter()) {
                if domain_running(lab, name) {
                    out.push(format!("virsh destroy {name}"));
                }
            }
            for name in CLONES {
                if domain_exists(lab, name) {
                    out.push(format!("virsh undefine {name} --remove-all-storage"));
                }
            }
            out.push("virt-sysprep -d bookworm --operations machine-id,ssh-hostkeys".to_owned());
            out
        }
        8 => {
            let mut out: Vec<String> = CLONES.iter().map(|n| clone(n)).collect();
            out.extend(CLONES.iter().map(|n| format!("virsh start {n}")));
            out.push(format!("virsh net-dhcp-leases {NETWORK}"));
            out
        }
        9 => {
            let mut out = lab.attach_commands(None);
            for name in CLONES {
                out.push(format!("virsh console {name}"));
                out.extend(
                    ["ssh-keygen -A", "systemctl restart ssh", &format!("hostnamectl set-hostname {name}"), "exit"]
                        .map(str::to_owned),
                );
            }
            out
        }
        _ => Vec::new(),
    }
}

/// Whether the world (and the last command) shows that a step is done, however it was done.
fn step_done(step: usize, lab: &Lab, view: &NetworkView) -> bool {
    let both = |f: &dyn Fn(&GuestCard) -> bool| CLONES.iter().all(|n| view.guest(n).is_some_and(f));
    let serious = |d: &str| SERIOUS.iter().any(|&f| view.collision(d, f).is_some());
    let looked = lab.last_command().is_some_and(|c| c.contains("net-dhcp-leases"));
    let template_id = view.guest("bookworm").and_then(|g| g.machine_id.clone());
    match step {
        0 => view.active && !CLONES.iter().any(|n| domain_exists(lab, n)),
        1 => CLONES.iter().all(|n| domain_exists(lab, n)),
        2 => both(&|g| g.running),
        3 => looked,
        4 => both(&|g| g.running) && !serious("web2"),
        5 => {
            both(&|g| g.running)
                && !serious("web1")
                && view.guest("web1").is_some_and(|g| g.booted_id.is_some() && g.booted_id != template_id)
        }
        6 => looked && view.collisions.iter().all(|c| !SERIOUS.contains(&c.field)),
        7 => template_id.as_deref().is_none_or(str::is_empty) && !CLONES.iter().any(|n| domain_exists(lab, n)),
        8 => both(&|g| g.running) && !serious("web1") && !serious("web2"),
        9 => both(&|g| g.running && g.sshd) && view.collisions.is_empty(),
        _ => false,
    }
}

impl MachineId {
    /// The scenario the screen starts from: the host with the sample VM `bookworm`.
    fn set_up(lab: &mut Lab) {
        if lab.world().libvirt.domains.is_empty() {
            setup::add_sample_vm(&mut lab.session.world);
            lab.settle();
        }
    }

    fn refresh(&mut self, lab: &Lab) {
        if self.view.as_ref().is_none_or(|(v, _)| *v != lab.version) {
            self.view = Some((lab.version, network_view(lab.world(), NETWORK)));
        }
    }

    /// Runs commands visibly in the terminal, as one undo step. An `exit` with no guest
    /// session to leave (a reboot closed the console) is left out.
    fn run(&mut self, lab: &mut Lab, commands: &[String], lang: Lang) {
        let mut ran = 0;
        let entry = UndoEntry { lab_steps: 0, step: self.step, explained: self.explained };
        for command in commands {
            if command == "exit" && lab.world().return_to.is_empty() {
                continue;
            }
            lab.run(command);
            ran += 1;
            if command == "reboot" && lab.world().return_to.is_empty() {
                lab.note(text::CONSOLE_CLOSED.get(lang));
            }
        }
        if ran > 0 {
            self.undo.push(UndoEntry { lab_steps: ran, ..entry });
        }
        self.terminal.follow();
    }

    fn next_step(&mut self, lab: &mut Lab, lang: Lang) {
        let step = self.step;
        if step >= STEPS.len() {
            return;
        }
        let commands = step_commands(step, lab);
        self.run(lab, &commands, lang);
        self.step = step + 1;
        self.explained = Some(step);
    }

    fn undo(&mut self, lab: &mut Lab) {
        match self.undo.pop() {
            Some(entry) => {
                for _ in 0..entry.lab_steps {
                    lab.undo();
                }
                self.step = entry.step;
                self.explained = entry.explained;
            }
            None => {
                lab.undo();
            }
        }
    }

    fn reset(&mut self, lab: &mut Lab) {
        lab.reset();
        Self::set_up(lab);
        self.undo.clear();
        self.step = 0;
        self.explained = None;
        self.terminal.follow();
    }

    /// A typed command may finish the current step: then the scenario moves on.
    fn typed(&mut self, lab: &Lab) {
        let view = network_view(lab.world(), NETWORK);
        if self.step < STEPS.len() && step_done(self.step, lab, &view) {
            self.explained = Some(self.step);
            self.step += 1;
        } else {
            self.explained = None;
        }
    }
}

impl Screen for MachineId {
    fn id(&self) -> ScreenId {
        ScreenId::MachineId
    }

    /// Every link starts the host over with the template bookworm, the scenario at its start.
    fn open(&mut self, _route: &crate::route::Route, lab: &mut Lab) {
        self.started = true;
        self.reset(lab);
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut ScreenCx<'_>) {
        let lang = cx.lang;
        if !self.started {
            self.started = true;
            Self::set_up(cx.lab);
        }
        // The clones are gone (removed by hand, or the world started over elsewhere): the
        // scenario starts over too.
        if (2..7).contains(&self.step) && !CLONES.iter().all(|n| domain_exists(cx.lab, n)) {
            self.step = 0;
            self.explained = None;
        }
        let version_before = cx.lab.version;

        self.top_bar_ui(ui, cx);
        if let Some(step) = self.explained.and_then(|s| STEPS.get(s)) {
            egui::Frame::group(ui.style()).inner_margin(8.0).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new(step.title.get(lang)).strong());
                ui.label(step.explanation.get(lang));
            });
        }
        ui.add_space(4.0);

        egui::Panel::bottom("machine-id-terminal")
            .resizable(true)
            .default_size(190.0)
            .min_size(120.0)
            .frame(egui::Frame::new().inner_margin(egui::Margin { top: 6, ..Default::default() }))
            .show(ui, |ui| {
                self.tabs_ui(ui, cx.lab, lang);
                let before = cx.lab.version;
                self.terminal.ui(ui, cx.lab, lang, text::TERMINAL_HINT.get(lang));
                if cx.lab.version != before {
                    // A typed command: one step for Undo.
                    self.undo.push(UndoEntry { lab_steps: 1, step: self.step, explained: self.explained });
                    self.typed(cx.lab);
                }
            });
        egui::Panel::right("machine-id-steps")
            .resizable(true)
            .default_size(300.0)
            .min_size(220.0)
            .frame(egui::Frame::new().inner_margin(egui::Margin { left: 8, ..Default::default() }))
            .show(ui, |ui| {
                egui::ScrollArea::vertical().id_salt("machine-id-steps-scroll").auto_shrink(false).show(ui, |ui| {
                    self.steps_ui(ui, cx.lab, lang, cx.presenter);
                });
            });
        self.refresh(cx.lab);
        egui::CentralPanel::default().frame(egui::Frame::new().inner_margin(4.0)).show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("machine-id-picture").auto_shrink(false).show(ui, |ui| {
                if let Some((_, view)) = &self.view {
                    picture_ui(ui, view, lang);
                    ui.add_space(10.0);
                    collisions_ui(ui, view, lang);
                }
            });
        });

        if cx.lab.version != version_before {
            ui.ctx().request_repaint();
        }
    }
}

impl MachineId {
    fn top_bar_ui(&mut self, ui: &mut Ui, cx: &mut ScreenCx<'_>) {
        let lang = cx.lang;
        ui.horizontal_wrapped(|ui| {
            ui.heading(RichText::new(ScreenId::MachineId.title(cx.tr)).strong());
            ui.add_space(12.0);
            ui.label(RichText::new(text::SCENARIO.get(lang)).strong());
            match STEPS.get(self.step) {
                Some(step) => {
                    let label = format!("{} ▶ {}", text::NEXT_STEP.get(lang), step.title.get(lang));
                    if ui.button(label).clicked() {
                        self.next_step(cx.lab, lang);
                    }
                }
                None => {
                    ui.label(text::SCENARIO_DONE.get(lang));
                }
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

    /// The scenario's steps: done ones ticked, the next one with the lines it will run.
    /// In presenter mode the next step's commands (the solution of the step) stay folded until
    /// the presenter reveals them.
    fn steps_ui(&self, ui: &mut Ui, lab: &Lab, lang: Lang, presenter: bool) {
        ui.label(RichText::new(text::SCENARIO.get(lang)).strong());
        let dark = ui.visuals().dark_mode;
        for (i, step) in STEPS.iter().enumerate() {
            let title = step.title.get(lang);
            if i < self.step {
                ui.label(RichText::new(format!("√ {title}")).color(green(dark)));
            } else if i == self.step {
                ui.label(RichText::new(format!("▶ {title}")).strong());
                let commands_ui = |ui: &mut Ui| {
                    ui.label(RichText::new(text::TYPE_OR_CLICK.get(lang)).small().weak());
                    for line in step_commands(i, lab) {
                        ui.label(RichText::new(line).monospace());
                    }
                };
                egui::Frame::new().inner_margin(egui::Margin { left: 14, ..Default::default() }).show(ui, |ui| {
                    if presenter {
                        egui::CollapsingHeader::new(text::SHOW_COMMANDS.get(lang))
                            .id_salt(("machine-id-solution", i))
                            .default_open(false)
                            .show(ui, commands_ui);
                    } else {
                        commands_ui(ui);
                    }
                });
            } else {
                ui.label(RichText::new(format!("  {title}")).weak());
            }
        }
    }

    /// Tabs that attach the terminal to the host or to a running guest.
    fn tabs_ui(&mut self, ui: &mut Ui, lab: &mut Lab, lang: Lang) {
        if let Some(commands) = crate::widgets::terminal_ui::machine_tabs_ui(ui, lab, lang) {
            self.run(lab, &commands, lang);
        }
    }
}

/// Shortens a long value for a card (the whole value is in the hover text).
fn short(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= head + tail + 1 {
        return value.to_owned();
    }
    let a: String = chars[..head].iter().collect();
    let b: String = chars[chars.len() - tail..].iter().collect();
    format!("{a}…{b}")
}

/// The host, the bridge and one card per guest, with a line from each card to the bridge.
fn picture_ui(ui: &mut Ui, view: &NetworkView, lang: Lang) {
    let dark = ui.visuals().dark_mode;
    let weak = ui.visuals().weak_text_color();
    let card_fill = ui.visuals().extreme_bg_color;
    // Drawn first, filled in last: the lines go behind the boxes.
    let lines_idx = ui.painter().add(Shape::Noop);

    let host = egui::Frame::new()
        .fill(card_fill)
        .stroke(Stroke::new(1.5, ui.visuals().widgets.noninteractive.fg_stroke.color))
        .corner_radius(6.0)
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.label(RichText::new(text::HOST.get(lang)).strong());
            if view.active {
                ui.label(RichText::new(format!("{}  {}/24", view.bridge, view.address)).monospace());
                ui.label(
                    RichText::new(format!("{} {} – {}", text::DNSMASQ.get(lang), view.range.0, view.range.1))
                        .monospace()
                        .small(),
                );
            } else {
                ui.label(RichText::new(text::NETWORK_INACTIVE.get(lang)).color(weak));
            }
        })
        .response
        .rect;
    let (bus_rect, _) = ui.allocate_exact_size(egui::vec2(ui.available_width(), 30.0), egui::Sense::hover());

    if view.guests.is_empty() {
        ui.label(RichText::new(text::NO_GUESTS.get(lang)).weak());
        return;
    }
    let n = view.guests.len() as f32;
    let spacing = ui.spacing().item_spacing.x;
    let card_width = ((ui.available_width() - (n - 1.0) * spacing) / n - 24.0).clamp(210.0, 330.0);
    let mut cards = Vec::new();
    ui.horizontal_wrapped(|ui| {
        for guest in &view.guests {
            let rect = card_ui(ui, view, guest, card_width, lang);
            cards.push((rect, guest));
        }
    });

    let bus_y = bus_rect.center().y;
    let bus_color = if view.active { green(dark) } else { weak };
    let mut shapes = Vec::new();
    let xs = cards.iter().map(|(r, _)| r.center().x).chain([host.center().x]);
    let (left, right) = xs.fold((f32::MAX, f32::MIN), |(a, b), x| (a.min(x), b.max(x)));
    shapes.push(Shape::line_segment(
        [Pos2::new(host.center().x, host.bottom()), Pos2::new(host.center().x, bus_y)],
        Stroke::new(3.0, bus_color),
    ));
    shapes.push(Shape::line_segment(
        [Pos2::new(left - 20.0, bus_y), Pos2::new(right + 20.0, bus_y)],
        Stroke::new(4.0, bus_color),
    ));
    for (rect, guest) in &cards {
        let top = Pos2::new(rect.center().x, rect.top());
        let from = Pos2::new(rect.center().x, bus_y);
        if guest.running {
            let color = if view.collision(&guest.domain, Field::Ip).is_some() { red(dark) } else { green(dark) };
            shapes.push(Shape::line_segment([from, top], Stroke::new(2.5, color)));
        } else {
            shapes.extend(Shape::dashed_line(&[from, top], Stroke::new(1.5, weak), 5.0, 4.0));
        }
    }
    ui.painter().set(lines_idx, Shape::Vec(shapes));
    ui.painter().text(
        Pos2::new(bus_rect.left() + 4.0, bus_y - 4.0),
        egui::Align2::LEFT_BOTTOM,
        &view.bridge,
        egui::FontId::monospace(12.0),
        bus_color,
    );
}

/// One guest's card; returns where it was drawn.
fn card_ui(ui: &mut Ui, view: &NetworkView, guest: &GuestCard, width: f32, lang: Lang) -> egui::Rect {
    let dark = ui.visuals().dark_mode;
    let weak = ui.visuals().weak_text_color();
    let serious = SERIOUS.iter().any(|&f| view.collision(&guest.domain, f).is_some());
    let border = if serious {
        Stroke::new(2.5, red(dark))
    } else if view.collision(&guest.domain, Field::Hostname).is_some() {
        Stroke::new(2.0, amber(dark))
    } else if guest.running {
        Stroke::new(1.5, green(dark))
    } else {
        Stroke::new(1.0, weak)
    };
    let frame =
        egui::Frame::new().fill(ui.visuals().extreme_bg_color).stroke(border).corner_radius(6.0).inner_margin(8.0);
    frame
        .show(ui, |ui| {
            ui.set_width(width);
            ui.vertical(|ui| card_body_ui(ui, view, guest, lang));
        })
        .response
        .rect
}

/// The name, the state and the identity rows of a card.
fn card_body_ui(ui: &mut Ui, view: &NetworkView, guest: &GuestCard, lang: Lang) {
    let dark = ui.visuals().dark_mode;
    let weak = ui.visuals().weak_text_color();
    ui.horizontal(|ui| {
        ui.label(RichText::new(&guest.domain).monospace().strong());
        let color = match guest.state {
            DomainState::Running => green(dark),
            DomainState::Paused => amber(dark),
            DomainState::ShutOff => weak,
        };
        ui.label(RichText::new(text::state_label(lang, guest.state.as_str())).color(color));
    });
    egui::Grid::new(("machine-id-card", &guest.domain)).num_columns(2).spacing([8.0, 2.0]).show(ui, |ui| {
        let row =
            |ui: &mut Ui, field: Option<Field>, value: Option<String>, full: Option<&str>, note: Option<String>| {
                ui.label(RichText::new(text::field_label(lang, field)).small().color(weak));
                let collision = field.and_then(|f| view.collision(&guest.domain, f));
                let color = match (collision, field) {
                    (Some(_), Some(Field::Hostname)) => Some(amber(dark)),
                    (Some(_), _) => Some(red(dark)),
                    _ => None,
                };
                ui.vertical(|ui| {
                    let shown = value.unwrap_or_else(|| "—".to_owned());
                    let mut rich = RichText::new(match color {
                        Some(_) => format!("▲ {shown}"),
                        None => shown,
                    })
                    .monospace();
                    if let Some(c) = color {
                        rich = rich.color(c).strong();
                    }
                    let response = ui.add(egui::Label::new(rich).truncate());
                    if let Some(full) = full {
                        response.on_hover_text(RichText::new(full).monospace());
                    }
                    if let Some(note) = note {
                        ui.label(RichText::new(note).small().color(weak));
                    }
                });
                ui.end_row();
            };
        row(ui, None, Some(guest.mac.clone()), None, None);
        let id = match guest.machine_id.as_deref() {
            None => Some(text::MISSING.get(lang).to_owned()),
            Some("") => Some(text::EMPTY.get(lang).to_owned()),
            Some(id) => Some(short(id, 10, 4)),
        };
        let until_reboot = guest
            .booted_id
            .as_ref()
            .filter(|b| guest.running && Some(*b) != guest.machine_id.as_ref())
            .map(|b| format!("{} {}", text::UNTIL_REBOOT.get(lang), short(b, 10, 4)));
        row(ui, Some(Field::MachineId), id, guest.machine_id.as_deref(), until_reboot);
        let client = guest.client_id.as_deref().map(|c| short(c, 3, 11));
        row(ui, Some(Field::ClientId), client, guest.client_id.as_deref(), None);
        let ip = if guest.running { guest.ip.clone() } else { Some(text::NOT_RUNNING.get(lang).to_owned()) };
        row(ui, Some(Field::Ip), ip, None, None);
        row(ui, Some(Field::Hostname), guest.hostname.clone(), None, None);
        let key = match guest.host_key.as_deref() {
            Some(k) => Some(short(k, 11, 3)),
            None => Some(text::NO_KEYS.get(lang).to_owned()),
        };
        let sshd = (guest.running && !guest.sshd).then(|| text::SSHD_DOWN.get(lang).to_owned());
        row(ui, Some(Field::HostKey), key, guest.host_key.as_deref(), sshd);
    });
}

/// The shared values in words.
fn collisions_ui(ui: &mut Ui, view: &NetworkView, lang: Lang) {
    let dark = ui.visuals().dark_mode;
    ui.label(RichText::new(text::COLLISIONS.get(lang)).strong());
    if view.guests.iter().filter(|g| g.running).count() < 2 {
        ui.label(RichText::new(text::FEWER_THAN_TWO.get(lang)).weak());
        return;
    }
    if view.collisions.is_empty() {
        ui.label(RichText::new(text::NO_COLLISIONS.get(lang)).color(green(dark)));
        return;
    }
    for c in &view.collisions {
        let color = if c.field == Field::Hostname { amber(dark) } else { red(dark) };
        let mut job = egui::text::LayoutJob::default();
        let font = egui::TextStyle::Body.resolve(ui.style());
        let body = ui.visuals().text_color();
        let head = format!("▲ {}: ", text::field_label(lang, Some(c.field)));
        job.append(&head, 0.0, egui::TextFormat::simple(font.clone(), color));
        job.append(
            &text::collision_reason(lang, c.field, &c.value, &c.domains),
            0.0,
            egui::TextFormat::simple(font, body),
        );
        ui.add(egui::Label::new(job).wrap());
    }
}
