//! The libvirt host: the host's file tree beside a viewer, the terminal, the list of virtual
//! machines with buttons that run their `virsh` commands, a "what changed" list that explains
//! every file the last command touched, and a guided tour from define to undefine.

use egui::{Color32, RichText, Ui};
use guestlab_content::Lang;
use guestlab_content::sim::libvirt::{DomainState, setup};
use guestlab_content::sim::vfs::ROOT;
use guestlab_content::sim::vfs::diff::{Change, ChangeKind, Snapshot, diff};

use super::libvirt_host_text::{self as text, VmButton};
use super::{Command, Screen, ScreenCx, ScreenId};
use crate::lab::Lab;
use crate::widgets::file_tree_ui::{FileTree, Mark, mark_color};
use crate::widgets::file_view_ui::{FileView, ViewAction};
use crate::widgets::terminal_ui::Terminal;

/// The directories the tree opens at first.
const OPEN_AT_START: [&str; 2] = ["/etc/libvirt", "/var/lib/libvirt"];

/// The file the tour defines its VM from.
const WEB1_XML_PATH: &str = "/root/web1.xml";
const WEB1_DISK: &str = "/var/lib/libvirt/images/web1.qcow2";

/// The minimal domain of the fact sheet, named web1.
const WEB1_XML: &str = "<domain type='kvm'>
  <name>web1</name>
  <memory unit='MiB'>1024</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/web1.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='network'><source network='default'/><model type='virtio'/></interface>
    <graphics type='vnc' port='-1' autoport='yes'/>
  </devices>
</domain>";

/// The most changes listed (a `cp -r` of a big tree would flood the panel).
const LISTED_CHANGES: usize = 40;

/// One step the Undo button takes back: how many commands it ran, and the tour before it.
#[derive(Clone, Copy, Debug)]
struct UndoEntry {
    lab_steps: usize,
    tour_step: usize,
    explained: Option<usize>,
}

pub struct LibvirtHost {
    terminal: Terminal,
    tree: FileTree,
    view: FileView,
    /// The host's files at `snapshot_version`, to tell what the next command changed.
    snapshot: Option<Snapshot>,
    snapshot_version: Option<u64>,
    /// What the last command(s) changed (without directories that only gained or lost an entry).
    changes: Option<Vec<Change>>,
    /// The commands the changes came from.
    changed_by: Vec<String>,
    /// The commands run since the last look at the files.
    ran: Vec<String>,
    /// Undo ran since the last look at the files / the changes listed are undo's.
    undoing: bool,
    undone: bool,
    /// The next step of the guided tour.
    tour_step: usize,
    /// The tour step whose explanation is shown.
    explained: Option<usize>,
    undo: Vec<UndoEntry>,
    started: bool,
}

impl Default for LibvirtHost {
    fn default() -> Self {
        Self {
            terminal: Terminal::default(),
            tree: FileTree::new(&OPEN_AT_START),
            view: FileView::default(),
            snapshot: None,
            snapshot_version: None,
            changes: None,
            changed_by: Vec::new(),
            ran: Vec::new(),
            undoing: false,
            undone: false,
            tour_step: 0,
            explained: None,
            undo: Vec::new(),
            started: false,
        }
    }
}

/// Whether a path exists on the host.
fn exists(lab: &Lab, path: &str) -> bool {
    lab.world().machines.first().is_some_and(|m| m.fs.resolve(ROOT, path, false).is_ok())
}

/// The commands of a tour step, given the world as it is now.
fn tour_commands(step: usize, lab: &Lab) -> Vec<String> {
    let running = |name: &str| lab.world().libvirt.domains.get(name).is_some_and(|d| d.state != DomainState::ShutOff);
    match step {
        0 => {
            let mut out = Vec::new();
            if !exists(lab, WEB1_XML_PATH) {
                out.push(format!("cat > {WEB1_XML_PATH} <<'EOF'\n{WEB1_XML}\nEOF"));
            }
            if !exists(lab, WEB1_DISK) {
                out.push(format!("qemu-img create -f qcow2 {WEB1_DISK} 10G"));
            }
            out.push(format!("virsh define {WEB1_XML_PATH}"));
            out
        }
        1 => vec!["virsh autostart web1".into()],
        2 => {
            // Debian ships the default network inactive, and a domain on it cannot start then.
            let mut out = Vec::new();
            if lab.world().libvirt.networks.get("default").is_some_and(|n| !n.active) {
                out.push("virsh net-start default".into());
            }
            out.push("virsh start web1".into());
            out
        }
        3 => vec!["virsh snapshot-create-as web1 snap1".into()],
        4 => vec!["virt-clone --original bookworm --name bookworm-clone --auto-clone".into()],
        5 => {
            let mut out = Vec::new();
            if running("web1") {
                out.push("virsh destroy web1".into());
            }
            out.push("virsh undefine web1 --remove-all-storage --snapshots-metadata".into());
            out
        }
        _ => Vec::new(),
    }
}

impl LibvirtHost {
    /// Runs commands visibly in the terminal, as one undo step.
    fn run(&mut self, lab: &mut Lab, commands: &[String]) {
        self.undo.push(UndoEntry { lab_steps: commands.len(), tour_step: self.tour_step, explained: self.explained });
        for command in commands {
            lab.run(command);
        }
        self.ran.extend(commands.iter().cloned());
        self.terminal.follow();
    }

    fn run_vm_button(&mut self, lab: &mut Lab, button: &VmButton, name: &str) {
        let command = button.command.replace("{}", name);
        self.run(lab, &[command]);
        self.explained = None;
        if button.command == text::DUMPXML.command {
            // The live XML in the terminal, the persistent file beside it.
            self.tree.select(&format!("/etc/libvirt/qemu/{name}.xml"));
        }
    }

    fn tour_next(&mut self, lab: &mut Lab) {
        let step = self.tour_step;
        let commands = tour_commands(step, lab);
        if commands.is_empty() {
            return;
        }
        self.run(lab, &commands);
        self.tour_step = step + 1;
        self.explained = Some(step);
        if step == 0 {
            self.tree.select("/etc/libvirt/qemu/web1.xml");
        }
    }

    fn undo(&mut self, lab: &mut Lab) {
        self.undoing = true;
        match self.undo.pop() {
            Some(entry) => {
                for _ in 0..entry.lab_steps {
                    lab.undo();
                }
                self.tour_step = entry.tour_step;
                self.explained = entry.explained;
            }
            None => {
                lab.undo();
            }
        }
    }

    /// The scenario the screen starts from: the host with the sample VM `bookworm`.
    fn set_up(lab: &mut Lab) {
        if lab.world().libvirt.domains.is_empty() {
            setup::add_sample_vm(&mut lab.session.world);
            lab.settle();
        }
    }

    fn reset(&mut self, lab: &mut Lab) {
        lab.reset();
        Self::set_up(lab);
        self.undo.clear();
        self.tour_step = 0;
        self.explained = None;
        // A fresh host is not a change to explain.
        self.snapshot = None;
        self.changes = None;
        self.changed_by.clear();
        self.ran.clear();
        self.undoing = false;
        self.undone = false;
        self.terminal.follow();
    }

    /// Notices a changed world: compares the host's files with the last snapshot, highlights
    /// and lists what changed.
    fn track(&mut self, lab: &Lab, now: f64) {
        if self.snapshot_version == Some(lab.version) {
            return;
        }
        let Some(host) = lab.world().machines.first() else { return };
        let snapshot = Snapshot::take(&host.fs, "/").ok();
        if let (Some(before), Some(after)) = (&self.snapshot, &snapshot) {
            let changes = diff(before, after);
            self.tree.mark_changes(&changes, now);
            self.changes = Some(changes.into_iter().filter(|c| !c.is_dir_listing_only()).collect());
            self.changed_by = std::mem::take(&mut self.ran);
            self.undone = self.undoing;
            if self.undone {
                self.changed_by.clear();
            } else if self.changed_by.is_empty() {
                self.changed_by.extend(lab.last_command());
            }
        }
        self.ran.clear();
        self.undoing = false;
        self.snapshot = snapshot;
        self.snapshot_version = Some(lab.version);
    }
}

impl Screen for LibvirtHost {
    fn id(&self) -> ScreenId {
        ScreenId::LibvirtHost
    }

    /// Every link starts the host over with the sample VM, the tour at its first step.
    fn open(&mut self, _route: &crate::route::Route, lab: &mut Lab) {
        self.started = true;
        self.reset(lab);
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut ScreenCx<'_>) {
        let lang = cx.lang;
        let now = ui.input(|i| i.time);
        if !self.started {
            self.started = true;
            Self::set_up(cx.lab);
            if exists(cx.lab, "/etc/libvirt/qemu/bookworm.xml") {
                self.tree.select("/etc/libvirt/qemu/bookworm.xml");
            }
        }
        self.track(cx.lab, now);
        // Steps 2 to 6 work on web1: if it is gone (undefined by hand, or the world started
        // over on another screen), the tour starts over too.
        if (1..text::TOUR_STEPS.len()).contains(&self.tour_step) && !cx.lab.world().libvirt.domains.contains_key("web1")
        {
            self.tour_step = 0;
            self.explained = None;
        }

        self.top_bar_ui(ui, cx);
        if let Some(step) = self.explained.and_then(|s| text::TOUR_STEPS.get(s)) {
            egui::Frame::group(ui.style()).inner_margin(8.0).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new(step.title.get(lang)).strong());
                ui.label(step.explanation.get(lang));
            });
        }
        ui.add_space(4.0);

        let version_before = cx.lab.version;
        egui::Panel::bottom("libvirt-terminal")
            .resizable(true)
            .default_size(220.0)
            .min_size(120.0)
            .frame(egui::Frame::new().inner_margin(egui::Margin { top: 6, ..Default::default() }))
            .show(ui, |ui| {
                let before = cx.lab.version;
                self.terminal.ui(ui, cx.lab, lang, text::TERMINAL_HINT.get(lang));
                if cx.lab.version != before {
                    self.ran.extend(cx.lab.last_command());
                    // A typed command: one step for Undo.
                    self.undo.push(UndoEntry { lab_steps: 1, tour_step: self.tour_step, explained: self.explained });
                    self.explained = None;
                }
            });
        egui::Panel::right("libvirt-side")
            .resizable(true)
            .default_size(350.0)
            .min_size(260.0)
            .frame(egui::Frame::new().inner_margin(egui::Margin { left: 8, ..Default::default() }))
            .show(ui, |ui| {
                // The machines on top, what changed below: each scrolls on its own, so that a
                // long VM list never pushes the changes out of sight.
                let lists_height = (ui.available_height() * 0.48).max(120.0);
                egui::ScrollArea::vertical()
                    .id_salt("libvirt-vms-scroll")
                    .max_height(lists_height)
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        self.vm_list_ui(ui, cx.lab, lang);
                        ui.add_space(6.0);
                        self.network_list_ui(ui, cx.lab, lang);
                    });
                ui.separator();
                egui::ScrollArea::vertical().id_salt("libvirt-changes-scroll").auto_shrink(false).show(ui, |ui| {
                    self.changes_ui(ui, lang, now);
                });
            });
        egui::Panel::left("libvirt-tree")
            .resizable(true)
            .default_size(310.0)
            .min_size(200.0)
            .frame(egui::Frame::new().inner_margin(egui::Margin { right: 8, ..Default::default() }))
            .show(ui, |ui| {
                ui.label(RichText::new(text::FILES.get(lang)).strong());
                if let Some(host) = cx.lab.session.world.machines.first() {
                    self.tree.ui(ui, &host.fs, cx.lab.version);
                }
            });
        egui::CentralPanel::default().frame(egui::Frame::new().inner_margin(4.0)).show(ui, |ui| {
            let selected = self.tree.selected().map(str::to_owned);
            let Some(path) = selected else {
                ui.label(RichText::new(text::VIEWER_EMPTY.get(lang)).weak());
                return;
            };
            let Some(host) = cx.lab.session.world.machines.first() else { return };
            if self.view.ui(ui, &host.fs, &path, cx.lab.version, lang) == Some(ViewAction::OpenDiskImages) {
                cx.send(Command::Navigate(ScreenId::DiskImages));
            }
        });

        // A command ran during this frame: show its effect on the next one, at once.
        if cx.lab.version != version_before || self.snapshot_version != Some(cx.lab.version) {
            ui.ctx().request_repaint();
        }
    }
}

impl LibvirtHost {
    fn top_bar_ui(&mut self, ui: &mut Ui, cx: &mut ScreenCx<'_>) {
        let lang = cx.lang;
        ui.horizontal_wrapped(|ui| {
            ui.heading(RichText::new(ScreenId::LibvirtHost.title(cx.tr)).strong());
            ui.add_space(12.0);
            ui.label(RichText::new(text::TOUR.get(lang)).strong());
            match text::TOUR_STEPS.get(self.tour_step) {
                Some(step) => {
                    let label = format!("{} ▶ {}", text::NEXT_STEP.get(lang), step.title.get(lang));
                    if ui.button(label).clicked() {
                        self.tour_next(cx.lab);
                    }
                }
                None => {
                    ui.label(text::TOUR_DONE.get(lang));
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

    fn vm_list_ui(&mut self, ui: &mut Ui, lab: &mut Lab, lang: Lang) {
        ui.label(RichText::new(text::VMS.get(lang)).strong());
        // (name, id, state, autostart, disk images)
        type VmRow = (String, Option<u32>, DomainState, bool, Vec<String>);
        let domains: Vec<VmRow> = lab
            .world()
            .libvirt
            .domains
            .values()
            .map(|d| {
                let disks = d.def.disks.iter().filter_map(|disk| disk.source.clone()).collect();
                (d.def.name.clone(), d.id, d.state, d.autostart, disks)
            })
            .collect();
        if domains.is_empty() {
            ui.label(RichText::new(text::NO_VMS.get(lang)).weak());
            return;
        }
        let dark = ui.visuals().dark_mode;
        let mut clicked: Option<(&'static VmButton, String)> = None;
        for (name, id, state, autostart, disks) in &domains {
            egui::Frame::group(ui.style()).inner_margin(6.0).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_wrapped(|ui| {
                    let xml = format!("/etc/libvirt/qemu/{name}.xml");
                    let selected = self.tree.selected() == Some(xml.as_str());
                    if ui.selectable_label(selected, RichText::new(name).monospace().strong()).clicked() {
                        self.tree.select(&xml);
                    }
                    let color = match state {
                        DomainState::Running => Color32::from_rgb(60, 170, 80),
                        DomainState::Paused => Color32::from_rgb(220, 160, 30),
                        DomainState::ShutOff => ui.visuals().weak_text_color(),
                    };
                    ui.label(RichText::new(text::state_label(lang, state.as_str())).color(color));
                    if let Some(id) = id {
                        ui.label(RichText::new(format!("Id {id}")).weak());
                    }
                    if *autostart {
                        ui.label(
                            RichText::new(format!("↻ {}", text::AUTOSTART.get(lang)))
                                .color(mark_color(Mark::Added, dark)),
                        );
                    }
                });
                // A VM is an XML file plus disk images: both a click away.
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(text::DISKS.get(lang)).small().weak());
                    for disk in disks {
                        let file = disk.rsplit('/').next().unwrap_or(disk);
                        if ui.link(RichText::new(file).monospace().small()).on_hover_text(disk).clicked() {
                            self.tree.select(disk);
                        }
                    }
                });
                ui.horizontal_wrapped(|ui| {
                    let buttons: &[&'static VmButton] = match state {
                        DomainState::ShutOff => &[&text::START],
                        DomainState::Running => &[&text::SHUTDOWN, &text::DESTROY, &text::SUSPEND],
                        DomainState::Paused => &[&text::RESUME, &text::DESTROY],
                    };
                    let autostart_button: &'static VmButton =
                        if *autostart { &text::AUTOSTART_OFF } else { &text::AUTOSTART_ON };
                    for &button in buttons.iter().chain([autostart_button, &text::DUMPXML].iter()) {
                        let response = ui.small_button(button.label.get(lang));
                        let command = button.command.replace("{}", name);
                        if response.on_hover_text(RichText::new(&command).monospace()).clicked() {
                            clicked = Some((button, name.clone()));
                        }
                    }
                });
            });
        }
        if let Some((button, name)) = clicked {
            self.run_vm_button(lab, button, &name);
        }
    }

    fn network_list_ui(&mut self, ui: &mut Ui, lab: &mut Lab, lang: Lang) {
        let networks: Vec<(String, bool, bool)> =
            lab.world().libvirt.networks.values().map(|n| (n.name.clone(), n.active, n.autostart)).collect();
        if networks.is_empty() {
            return;
        }
        ui.label(RichText::new(text::NETWORKS.get(lang)).strong());
        let dark = ui.visuals().dark_mode;
        let mut clicked: Option<(&'static VmButton, String)> = None;
        for (name, active, autostart) in &networks {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(name).monospace());
                if *active {
                    ui.label(RichText::new(text::ACTIVE.get(lang)).color(Color32::from_rgb(60, 170, 80)));
                } else {
                    ui.label(RichText::new(text::INACTIVE.get(lang)).weak());
                }
                if *autostart {
                    ui.label(RichText::new("↻").color(mark_color(Mark::Added, dark)))
                        .on_hover_text(text::AUTOSTART.get(lang));
                }
                let start_stop: &'static VmButton = if *active { &text::NET_DESTROY } else { &text::NET_START };
                let auto: &'static VmButton =
                    if *autostart { &text::NET_AUTOSTART_OFF } else { &text::NET_AUTOSTART_ON };
                for button in [start_stop, auto] {
                    let command = button.command.replace("{}", name);
                    let response = ui.small_button(button.label.get(lang));
                    if response.on_hover_text(RichText::new(&command).monospace()).clicked() {
                        clicked = Some((button, name.clone()));
                    }
                }
            });
        }
        if let Some((button, name)) = clicked {
            self.run_vm_button(lab, button, &name);
        }
    }

    fn changes_ui(&mut self, ui: &mut Ui, lang: Lang, now: f64) {
        ui.label(RichText::new(text::WHAT_CHANGED.get(lang)).strong());
        let Some(changes) = &self.changes else {
            ui.label(RichText::new(text::NO_COMMAND_YET.get(lang)).weak());
            return;
        };
        if self.undone {
            ui.label(RichText::new(text::UNDONE.get(lang)).weak());
        }
        for command in &self.changed_by {
            let first = command.lines().next().unwrap_or_default();
            ui.label(RichText::new(format!("$ {first}")).monospace().weak());
        }
        if changes.is_empty() {
            ui.label(RichText::new(text::NOTHING_CHANGED.get(lang)).weak());
            return;
        }
        let dark = ui.visuals().dark_mode;
        let removed_color = if dark { Color32::from_rgb(255, 120, 100) } else { Color32::from_rgb(190, 40, 20) };
        let mut select = None;
        for change in changes.iter().take(LISTED_CHANGES) {
            let (mark, color) = match change.kind {
                ChangeKind::Added => (Some(Mark::Added), mark_color(Mark::Added, dark)),
                ChangeKind::Removed => (None, removed_color),
                ChangeKind::Changed(_) => (Some(Mark::Changed), mark_color(Mark::Changed, dark)),
            };
            let glow = mark.and_then(|_| self.tree.mark(&change.path, now)).map_or(0.0, |(_, s)| s);
            let frame =
                egui::Frame::new().inner_margin(4.0).corner_radius(3.0).fill(color.gamma_multiply(0.08 + 0.25 * glow));
            frame.show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(text::change_kind_label(lang, change.kind)).color(color).strong());
                    if matches!(change.kind, ChangeKind::Removed) {
                        ui.label(RichText::new(&change.path).monospace().strikethrough());
                    } else if ui.link(RichText::new(&change.path).monospace()).clicked() {
                        select = Some(change.path.clone());
                    }
                });
                ui.label(text::explain(lang, change, &self.changed_by));
            });
            ui.add_space(2.0);
        }
        if changes.len() > LISTED_CHANGES {
            ui.label(
                RichText::new(format!("… {} {}", changes.len() - LISTED_CHANGES, text::MORE_CHANGES.get(lang))).weak(),
            );
        }
        if let Some(path) = select {
            self.tree.select(&path);
        }
    }
}
