//! Disk images: a terminal onto the lab beside cluster maps of every image, the side-by-side
//! COW-versus-RAW scenario with guest activity buttons that run their commands visibly, a chart
//! of the sizes over time, and what each step did and why.

use egui::{Color32, RichText, Ui};
use guestlab_content::Lang;
use guestlab_content::sim::disk::size_to_str;
use guestlab_content::sim::disk::view::{self, GuestKind, HostKind, ImageView};

use super::disk_images_text::{self as text, Activity};
use super::{Screen, ScreenCx, ScreenId, screen_heading};
use crate::lab::Lab;
use crate::route::Route;
use crate::widgets::cluster_map_ui::{guest_color, host_color, legend_item, strip_ui};
use crate::widgets::terminal_ui::Terminal;

/// Where the scenario's images live.
const IMAGES_DIR: &str = "/var/lib/libvirt/images";

/// One of the four disks of the side-by-side scenario.
#[derive(Clone, Debug, PartialEq)]
struct Disk {
    /// The image the disk started as (`raw-sparse.img`).
    original: &'static str,
    /// Its format.
    format: &'static str,
    /// The image the VM writes to now (an overlay after a snapshot).
    top: String,
    /// The images below `top` that snapshots put there, newest last.
    below: Vec<String>,
    /// Built on the shared template (never committed into).
    on_template: bool,
}

impl Disk {
    fn top_format(&self) -> &'static str {
        if self.below.is_empty() { self.format } else { "qcow2" }
    }
}

fn initial_disks() -> Vec<Disk> {
    let disk = |original, format, on_template| Disk {
        original,
        format,
        top: original.to_owned(),
        below: Vec::new(),
        on_template,
    };
    vec![
        disk("raw-sparse.img", "raw", false),
        disk("raw-full.img", "raw", false),
        disk("disk.qcow2", "qcow2", false),
        disk("vm2.qcow2", "qcow2", true),
    ]
}

/// The writes of an operating system installation: boot area, /boot, file system metadata
/// spread over the disk, and the bulk of the files.
const INSTALL: &str = "-c 'write -P 0xeb 0 1M' -c 'write -P 0x1f 1M 96M' -c 'write -P 0x6e 256M 2M' -c 'write -P 0x6e 768M 2M' -c 'write -P 0x6e 1280M 2M' -c 'write -P 0xd0 1536M 1200M'";

fn setup_commands() -> Vec<String> {
    vec![
        format!("cd {IMAGES_DIR}"),
        "qemu-img create -f raw raw-sparse.img 4G".into(),
        "qemu-img create -f raw -o preallocation=full raw-full.img 4G".into(),
        "qemu-img create -f qcow2 disk.qcow2 4G".into(),
        "qemu-img create -f qcow2 base.qcow2 4G".into(),
        format!("qemu-io -f qcow2 {INSTALL} base.qcow2 > /dev/null"),
        "qemu-img create -f qcow2 -b base.qcow2 -F qcow2 vm2.qcow2".into(),
        "ls -ls".into(),
    ]
}

/// The sizes of the disks after one step, for the chart.
#[derive(Clone, Debug)]
struct Sample {
    /// (virtual size, file length, allocated bytes) of the top image of each disk.
    sizes: Vec<(u64, u64, u64)>,
}

/// Everything of the scenario that undo must take back together with the world.
#[derive(Clone, Debug)]
struct Saved {
    disks: Vec<Disk>,
    samples: Vec<Sample>,
    explanation: Option<Activity>,
    typed: Option<String>,
}

/// One step this screen can take back: how many commands it ran in the lab, and the scenario
/// state before it.
#[derive(Clone, Debug)]
struct UndoEntry {
    lab_steps: usize,
    saved: Saved,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scenario {
    CowVsRaw,
    Sandbox,
}

impl Scenario {
    /// The scenario's name in links (`#/sim/disk?scenario=sandbox`, `sim:disk?scenario=…`).
    fn name(self) -> &'static str {
        match self {
            Self::CowVsRaw => "cow-vs-raw",
            Self::Sandbox => "sandbox",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        [Self::CowVsRaw, Self::Sandbox].into_iter().find(|s| s.name() == name)
    }
}

pub struct DiskImages {
    terminal: Terminal,
    scenario: Scenario,
    disks: Vec<Disk>,
    samples: Vec<Sample>,
    explanation: Option<Activity>,
    /// The last command typed, for a hint about it.
    typed: Option<String>,
    undo: Vec<UndoEntry>,
    /// The image views, rebuilt when the lab's world changes.
    views: Vec<ImageView>,
    views_version: Option<u64>,
    started: bool,
}

impl Default for DiskImages {
    fn default() -> Self {
        Self {
            terminal: Terminal::default(),
            scenario: Scenario::CowVsRaw,
            disks: initial_disks(),
            samples: Vec::new(),
            explanation: None,
            typed: None,
            undo: Vec::new(),
            views: Vec::new(),
            views_version: None,
            started: false,
        }
    }
}

impl DiskImages {
    fn saved(&self) -> Saved {
        Saved {
            disks: self.disks.clone(),
            samples: self.samples.clone(),
            explanation: self.explanation,
            typed: self.typed.clone(),
        }
    }

    fn restore(&mut self, saved: Saved) {
        self.disks = saved.disks;
        self.samples = saved.samples;
        self.explanation = saved.explanation;
        self.typed = saved.typed;
    }

    fn sample(&self, lab: &Lab) -> Sample {
        let sizes = self
            .disks
            .iter()
            .map(|d| {
                view::image_view(lab.world(), &format!("{IMAGES_DIR}/{}", d.top))
                    .map_or((0, 0, 0), |v| (v.virtual_size, v.file_len, v.allocated))
            })
            .collect();
        Sample { sizes }
    }

    /// Starts a scenario from a fresh host (`fresh`), or — on the first visit — in the world as
    /// the other screens left it, so that one world stays one world.
    fn start(&mut self, lab: &mut Lab, scenario: Scenario, fresh: bool) {
        if fresh {
            lab.reset();
        }
        self.scenario = scenario;
        self.disks = initial_disks();
        self.samples.clear();
        self.undo.clear();
        self.typed = None;
        self.started = true;
        match scenario {
            Scenario::CowVsRaw => {
                for command in setup_commands() {
                    lab.run(&command);
                }
                self.explanation = Some(Activity::Setup);
                self.samples.push(self.sample(lab));
            }
            Scenario::Sandbox => {
                lab.run(&format!("cd {IMAGES_DIR}"));
                self.explanation = None;
            }
        }
        lab.settle();
        self.terminal.follow();
    }

    /// The commands a guest activity stands for, given the disks as they are now (and the
    /// disks as they will be afterwards).
    fn commands(&mut self, activity: Activity, cwd: &str) -> Vec<String> {
        let mut out = Vec::new();
        if cwd != IMAGES_DIR {
            out.push(format!("cd {IMAGES_DIR}"));
        }
        match activity {
            Activity::Setup => {}
            Activity::InstallOs => {
                for d in &self.disks {
                    if d.on_template {
                        out.push(format!("# {}: the installed system is already in its template base.qcow2", d.top));
                    } else {
                        out.push(format!("qemu-io -f {} {INSTALL} {} > /dev/null", d.top_format(), d.top));
                    }
                }
            }
            Activity::WriteFile => {
                for d in &self.disks {
                    out.push(format!(
                        "qemu-io -f {} -c 'write -P 0x55 2816M 1G' {} > /dev/null",
                        d.top_format(),
                        d.top
                    ));
                }
            }
            Activity::DeleteFile => {
                out.push("# in the guest: rm /srv/big.iso (the guest's file system marks the blocks free)".into());
                out.push(format!("ls -ls {}", self.disks.iter().map(|d| d.top.as_str()).collect::<Vec<_>>().join(" ")));
            }
            Activity::Fstrim => {
                for d in &self.disks {
                    out.push(format!("qemu-io -f {} -c 'discard 2816M 1G' {} > /dev/null", d.top_format(), d.top));
                }
            }
            Activity::WriteZeros => {
                for d in &self.disks {
                    out.push(format!("qemu-io -f {} -c 'write -P 0 2816M 256M' {} > /dev/null", d.top_format(), d.top));
                }
            }
            Activity::Snapshot => {
                for d in &mut self.disks {
                    let stem = d.original.split('.').next().unwrap_or(d.original);
                    let overlay = format!("{stem}-snap{}.qcow2", d.below.len() + 1);
                    out.push(format!("qemu-img create -f qcow2 -b {} -F {} {overlay}", d.top, d.top_format()));
                    d.below.push(std::mem::replace(&mut d.top, overlay));
                }
            }
            Activity::Commit => {
                for d in &mut self.disks {
                    match d.below.pop() {
                        Some(base) => {
                            out.push(format!("qemu-img commit {}", d.top));
                            out.push(format!("rm {}", d.top));
                            d.top = base;
                        }
                        None if d.on_template => {
                            out.push(format!("# {}: not committed into the shared template", d.top));
                        }
                        None => out.push(format!("# {}: no overlay to commit", d.top)),
                    }
                }
            }
            Activity::Convert => {
                for d in &mut self.disks {
                    let tmp = format!("{}.new", d.original);
                    out.push(format!("qemu-img convert -f {} -O {} {} {tmp}", d.top_format(), d.format, d.top));
                    let mut chain: Vec<String> = d.below.drain(..).collect();
                    chain.push(std::mem::replace(&mut d.top, d.original.to_owned()));
                    let remove: Vec<&str> = chain.iter().map(String::as_str).filter(|f| *f != d.original).collect();
                    if !remove.is_empty() {
                        out.push(format!("rm {}", remove.join(" ")));
                    }
                    out.push(format!("mv {tmp} {}", d.original));
                }
                out.push("ls -ls".into());
            }
        }
        out
    }

    /// Runs a guest activity: its commands, visibly in the terminal, as one undo step.
    fn run_activity(&mut self, lab: &mut Lab, activity: Activity) {
        let saved = self.saved();
        let cwd = lab.world().machine().cwd.clone();
        let commands = self.commands(activity, &cwd);
        for command in &commands {
            lab.run(command);
        }
        self.undo.push(UndoEntry { lab_steps: commands.len(), saved });
        self.explanation = Some(activity);
        self.typed = None;
        self.samples.push(self.sample(lab));
        self.terminal.follow();
    }

    /// A command typed in the terminal completed.
    fn typed(&mut self, lab: &Lab, command: String, saved: Saved) {
        self.undo.push(UndoEntry { lab_steps: 1, saved });
        self.typed = Some(command);
        self.explanation = None;
        if self.scenario == Scenario::CowVsRaw {
            self.samples.push(self.sample(lab));
        }
    }

    fn undo(&mut self, lab: &mut Lab) {
        if let Some(entry) = self.undo.pop() {
            for _ in 0..entry.lab_steps {
                lab.undo();
            }
            self.restore(entry.saved);
        } else {
            lab.undo();
        }
    }

    fn refresh_views(&mut self, lab: &Lab) {
        if self.views_version == Some(lab.version) {
            return;
        }
        let world = lab.world();
        let mut paths = view::images_in(world, IMAGES_DIR);
        let cwd = world.machine().cwd.clone();
        if cwd != IMAGES_DIR {
            for p in view::images_in(world, &cwd) {
                if !paths.contains(&p) {
                    paths.push(p);
                }
            }
        }
        self.views = paths.iter().filter_map(|p| view::image_view(world, p)).collect();
        self.views_version = Some(lab.version);
    }
}

impl Screen for DiskImages {
    fn id(&self) -> ScreenId {
        ScreenId::DiskImages
    }

    fn route(&self) -> Route {
        Route::Sim {
            screen: ScreenId::DiskImages,
            scenario: Some(self.scenario.name().to_owned()),
            commands: Vec::new(),
        }
    }

    fn open(&mut self, route: &Route, lab: &mut Lab) {
        let scenario = match route {
            Route::Sim { scenario: Some(name), .. } => Scenario::from_name(name).unwrap_or(self.scenario),
            _ => self.scenario,
        };
        self.start(lab, scenario, true);
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut ScreenCx<'_>) {
        let lang = cx.lang;
        if !self.started {
            self.start(cx.lab, Scenario::CowVsRaw, false);
        }
        self.refresh_views(cx.lab);

        // Scenario bar and activity buttons.
        ui.horizontal_wrapped(|ui| {
            ui.heading(RichText::new(ScreenId::DiskImages.title(cx.tr)).strong());
            ui.add_space(12.0);
            ui.label(text::SCENARIO.get(lang));
            for (scenario, name) in [(Scenario::CowVsRaw, text::COW_VS_RAW), (Scenario::Sandbox, text::SANDBOX)] {
                if ui.selectable_label(self.scenario == scenario, name.get(lang)).clicked() {
                    self.start(cx.lab, scenario, true);
                }
            }
            ui.separator();
            if ui.add_enabled(cx.lab.can_undo(), egui::Button::new(text::UNDO.get(lang))).clicked() {
                self.undo(cx.lab);
            }
            if ui.button(text::RESET.get(lang)).clicked() {
                self.start(cx.lab, self.scenario, true);
            }
        });
        if self.scenario == Scenario::CowVsRaw {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(text::ACTIVITY.get(lang)).strong());
                for activity in Activity::BUTTONS {
                    if ui.button(activity.label().get(lang)).clicked() {
                        self.run_activity(cx.lab, activity);
                    }
                }
            });
        }
        ui.add_space(4.0);

        let available = ui.available_size();
        ui.horizontal_top(|ui| {
            let terminal_width = (available.x * 0.42).max(320.0);
            let column = egui::Layout::top_down(egui::Align::LEFT);
            ui.allocate_ui_with_layout(egui::vec2(terminal_width, available.y), column, |ui| {
                let saved = self.saved();
                let before = cx.lab.session.undo_steps();
                self.terminal.ui(ui, cx.lab, lang, text::TERMINAL_HINT.get(lang));
                if cx.lab.session.undo_steps() > before
                    && let Some(command) = cx.lab.last_command()
                {
                    self.typed(cx.lab, command, saved);
                }
            });
            ui.separator();
            ui.allocate_ui_with_layout(ui.available_size(), column, |ui| {
                egui::ScrollArea::vertical().id_salt("disk-views").auto_shrink(false).show(ui, |ui| {
                    self.explanation_ui(ui, lang);
                    ui.add_space(6.0);
                    self.images_ui(ui, cx.lab, lang);
                    if self.scenario == Scenario::CowVsRaw && self.samples.len() > 1 {
                        ui.add_space(8.0);
                        self.chart_ui(ui, lang);
                    }
                });
            });
        });
        let _ = screen_heading;
    }
}

/// A size as qemu-img writes it ("1.27 GiB"), with a decimal comma in German.
fn human(bytes: u64, lang: Lang) -> String {
    let text = size_to_str(bytes);
    match lang {
        Lang::En => text,
        Lang::De => text.replace('.', ","),
    }
}

/// A text whose `quoted` parts are commands, file names or values, drawn in the monospace font.
fn with_code(ui: &Ui, text: &str) -> egui::text::LayoutJob {
    let color = ui.visuals().text_color();
    let body = egui::TextStyle::Body.resolve(ui.style());
    let mono = egui::TextStyle::Monospace.resolve(ui.style());
    let mut job = egui::text::LayoutJob::default();
    for (i, part) in text.split('`').enumerate() {
        let font_id = if i % 2 == 1 { mono.clone() } else { body.clone() };
        job.append(part, 0.0, egui::TextFormat { font_id, color, ..Default::default() });
    }
    job.wrap.max_width = ui.available_width();
    job
}

/// A distinct colour for each of the four disks (chart lines).
fn disk_color(i: usize) -> Color32 {
    [
        Color32::from_rgb(230, 120, 40),
        Color32::from_rgb(200, 60, 90),
        Color32::from_rgb(40, 140, 220),
        Color32::from_rgb(60, 170, 90),
    ][i % 4]
}

impl DiskImages {
    fn explanation_ui(&self, ui: &mut Ui, lang: Lang) {
        let body = match (self.explanation, &self.typed) {
            (Some(activity), _) => Some(activity.explanation().get(lang)),
            (None, Some(command)) => text::command_hint(lang, command),
            (None, None) => None,
        };
        let Some(body) = body else { return };
        egui::Frame::group(ui.style()).inner_margin(8.0).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(text::WHAT_HAPPENED.get(lang)).strong());
            ui.label(with_code(ui, body));
        });
    }

    fn images_ui(&self, ui: &mut Ui, lab: &Lab, lang: Lang) {
        let dark = ui.visuals().dark_mode;
        ui.label(RichText::new(text::IMAGES.get(lang)).strong().size(16.0));
        if self.views.is_empty() {
            ui.label(text::NO_IMAGES.get(lang));
            return;
        }
        // File strips share one scale, so that their widths compare the files' lengths.
        let longest = self.views.iter().map(|v| v.file_len.max(v.virtual_size)).max().unwrap_or(1).max(1);
        for v in &self.views {
            let name = v.path.rsplit('/').next().unwrap_or(&v.path);
            ui.add_space(4.0);
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(name).monospace().strong());
                let mut facts = format!(
                    "{} · {} {} · {} {} · {} {}",
                    match v.format {
                        guestlab_content::sim::disk::chain::Format::Raw => "raw".to_owned(),
                        guestlab_content::sim::disk::chain::Format::Qcow2 =>
                            format!("qcow2, {} {}", v.cluster_size / 1024, text::KIB_CLUSTERS.get(lang)),
                    },
                    text::VIRTUAL.get(lang),
                    human(v.virtual_size, lang),
                    text::FILE_LEN.get(lang),
                    human(v.file_len, lang),
                    text::ALLOCATED.get(lang),
                    human(v.allocated, lang)
                );
                if let Some(b) = &v.backing {
                    facts.push_str(&format!(" · backing: {b}"));
                }
                ui.label(RichText::new(facts).small());
            });
            let (response, hovered) = strip_ui(
                ui,
                &v.guest_cells,
                v.guest_clusters(),
                GuestKind::Unallocated,
                |k| guest_color(k, dark),
                14.0,
            );
            if let Some(cluster) = hovered {
                response.on_hover_ui_at_pointer(|ui| {
                    let guest = cluster * v.cluster_size;
                    let host =
                        v.host_of(cluster).map_or_else(|| text::NOT_STORED.get(lang).to_owned(), |h| format!("{h:#x}"));
                    ui.label(format!(
                        "{}: {guest:#x} ({})
{}: {host}",
                        text::GUEST_OFFSET.get(lang),
                        human(guest, lang),
                        text::HOST_OFFSET.get(lang)
                    ));
                    let _ = view::chain_status(lab.world(), &v.path, guest);
                });
            } else {
                response.on_hover_text(text::GUEST_ROW.get(lang));
            }
            let share = (v.file_len as f32 / longest as f32).clamp(0.01, 1.0);
            let strip_width = ui.available_width() * share;
            let (response, hovered) = ui
                .allocate_ui_with_layout(
                    egui::vec2(strip_width, 10.0),
                    egui::Layout::left_to_right(egui::Align::Min),
                    |ui| {
                        strip_ui(
                            ui,
                            &v.host_cells,
                            v.host_clusters().max(1),
                            HostKind::Hole,
                            |k| host_color(k, dark),
                            10.0,
                        )
                    },
                )
                .inner;
            if let Some(cluster) = hovered {
                response.on_hover_ui_at_pointer(|ui| {
                    let host = cluster * v.cluster_size;
                    let kind = text::host_kind_name(v.host_kind(cluster), lang);
                    let guest = v.guest_of(cluster).map_or_else(String::new, |g| {
                        format!(
                            "
{}: {g:#x}",
                            text::GUEST_OFFSET.get(lang)
                        )
                    });
                    ui.label(format!("{}: {host:#x} ({kind}){guest}", text::HOST_OFFSET.get(lang)));
                });
            } else {
                response.on_hover_text(text::FILE_ROW.get(lang));
            }
        }
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("{}:", text::GUEST_ROW.get(lang))).small().weak());
            for (name, kind) in &text::LEGEND_GUEST {
                legend_item(ui, guest_color(*kind, dark), name.get(lang));
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("{}:", text::FILE_ROW.get(lang))).small().weak());
            for (name, kind) in &text::LEGEND_HOST {
                legend_item(ui, host_color(*kind, dark), name.get(lang));
            }
        });
    }

    fn chart_ui(&self, ui: &mut Ui, lang: Lang) {
        ui.label(RichText::new(text::CHART.get(lang)).small());
        let width = ui.available_width().max(200.0);
        let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 160.0), egui::Sense::hover());
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 4.0, ui.visuals().extreme_bg_color);
        let max = self
            .samples
            .iter()
            .flat_map(|s| s.sizes.iter().map(|&(v, l, a)| v.max(l).max(a)))
            .max()
            .unwrap_or(1)
            .max(1) as f32;
        let steps = self.samples.len().max(2) - 1;
        let x = |i: usize| rect.left() + 8.0 + (rect.width() - 16.0) * i as f32 / steps as f32;
        let y = |v: u64| rect.bottom() - 8.0 - (rect.height() - 24.0) * v as f32 / max;
        for disk in 0..self.disks.len() {
            let color = disk_color(disk);
            let points = |pick: fn(&(u64, u64, u64)) -> u64| -> Vec<egui::Pos2> {
                self.samples
                    .iter()
                    .enumerate()
                    .filter_map(|(i, s)| s.sizes.get(disk).map(|v| egui::pos2(x(i), y(pick(v)))))
                    .collect()
            };
            painter.add(egui::Shape::line(points(|v| v.2), egui::Stroke::new(2.5, color)));
            let dashed = egui::Shape::dashed_line(&points(|v| v.1), egui::Stroke::new(1.2, color), 6.0, 4.0);
            painter.extend(dashed);
        }
        let font = egui::FontId::proportional(11.0);
        painter.text(
            egui::pos2(rect.left() + 6.0, rect.top() + 4.0),
            egui::Align2::LEFT_TOP,
            human(max as u64, lang),
            font.clone(),
            ui.visuals().weak_text_color(),
        );
        ui.horizontal_wrapped(|ui| {
            for (i, d) in self.disks.iter().enumerate() {
                legend_item(ui, disk_color(i), d.original);
            }
        });
    }
}
