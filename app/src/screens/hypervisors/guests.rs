//! CPU support and the guest side: a terminal on the lab's host, on its KVM guest, or on a
//! sample guest of VirtualBox, VMware, Hyper-V or Xen, with buttons that run the commands that
//! tell them apart — visibly, in the terminal — and a table of what each one reports.

use egui::{RichText, Ui};
use guestlab_content::Lang;
use guestlab_content::sim::Session;
use guestlab_content::sim::hypervisor::Platform;
use guestlab_content::sim::hypervisor::guests::{sample_name, sample_world};
use guestlab_content::sim::libvirt::DomainState;

use super::super::ScreenCx;
use super::super::hypervisors_text as text;
use super::{big_font, section, warn};
use crate::lab::Lab;
use crate::widgets::terminal_ui::Terminal;

/// The sample VM of the lab that the KVM tab opens.
const KVM_GUEST: &str = "bookworm";

/// Which machine the terminal is on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Target {
    #[default]
    Host,
    Kvm,
    Sample(Platform),
}

impl Target {
    fn platform(self) -> Platform {
        match self {
            Self::Host => Platform::BareMetal,
            Self::Kvm => Platform::Kvm,
            Self::Sample(p) => p,
        }
    }
}

/// A sample guest's own little world and its terminal.
struct Sample {
    platform: Platform,
    lab: Lab,
    terminal: Terminal,
}

impl Sample {
    fn new(platform: Platform) -> Self {
        let mut lab = Lab::new(1);
        lab.session = Session::new(sample_world(platform, 1));
        lab.version += 1;
        Self { platform, lab, terminal: Terminal::default() }
    }
}

#[derive(Default)]
pub struct GuestsView {
    target: Target,
    terminal: Terminal,
    samples: Vec<Sample>,
}

/// The commands the buttons run on a machine of `platform`.
pub fn commands(platform: Platform) -> Vec<String> {
    let mut out: Vec<String> = [
        "grep -E 'vmx|svm' /proc/cpuinfo",
        "grep -o -w hypervisor /proc/cpuinfo",
        "ls -l /dev/kvm",
        "lsmod | grep kvm",
        "systemd-detect-virt",
        "lscpu",
        "dmidecode -s system-product-name",
        "lsmod | grep virtio",
    ]
    .map(str::to_owned)
    .to_vec();
    if let Some((unit, _)) = platform.agent_units().first() {
        out.push(format!("systemctl is-active {unit}"));
    }
    out
}

/// The lines that put the shared lab's shell on `target` (host or the KVM guest).
fn attach(lab: &Lab, target: Target) -> Vec<String> {
    let world = lab.world();
    let here = world.machine().guest.as_ref().map(|g| g.domain.clone());
    let want = (target == Target::Kvm).then_some(KVM_GUEST);
    if here.as_deref() == want {
        return Vec::new();
    }
    let mut out = vec!["exit".to_owned(); world.return_to.len()];
    if target == Target::Kvm {
        if world.libvirt.networks.get("default").is_none_or(|n| !n.active) {
            out.push("virsh net-start default".to_owned());
        }
        if world.libvirt.domains.get(KVM_GUEST).is_some_and(|d| d.state == DomainState::ShutOff) {
            out.push(format!("virsh start {KVM_GUEST}"));
        }
        out.push(format!("virsh console {KVM_GUEST}"));
    }
    out
}

impl GuestsView {
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut ScreenCx<'_>, check: impl FnOnce(&mut Ui, &mut ScreenCx<'_>)) {
        let lang = cx.lang;
        egui::Panel::bottom("hv-guests-terminal")
            .resizable(true)
            .default_size(260.0)
            .min_size(140.0)
            .frame(egui::Frame::new().inner_margin(egui::Margin { top: 6, ..Default::default() }))
            .show(ui, |ui| self.terminal_ui(ui, cx.lab, lang));
        egui::CentralPanel::default().frame(egui::Frame::new().inner_margin(4.0)).show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("hv-guests").auto_shrink(false).show(ui, |ui| {
                ui.label(RichText::new(text::GUESTS_INTRO.get(lang)).size(big_font(ui, 1.0).size));
                ui.add_space(6.0);
                self.machines_ui(ui, cx.lab, lang);
                self.buttons_ui(ui, cx.lab, lang);
                section(ui, text::COMPARISON.get(lang));
                comparison_ui(ui, lang);
                check(ui, cx);
            });
        });
    }

    fn machines_ui(&mut self, ui: &mut Ui, lab: &mut Lab, lang: Lang) {
        let mut chosen = None;
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(text::MACHINE.get(lang)).strong());
            let mut tab = |ui: &mut Ui, target: Target, label: &str| {
                if ui
                    .selectable_label(self.target == target, RichText::new(label).size(big_font(ui, 1.05).size))
                    .clicked()
                {
                    chosen = Some(target);
                }
            };
            tab(ui, Target::Host, text::HOST_MACHINE.get(lang));
            tab(ui, Target::Kvm, text::KVM_GUEST.get(lang));
            for p in Platform::SAMPLES {
                tab(ui, Target::Sample(p), text::sample_tab(lang, p));
            }
        });
        if let Some(target) = chosen {
            self.target = target;
            match target {
                Target::Host | Target::Kvm if kvm_available(lab) || target == Target::Host => {
                    for line in attach(lab, target) {
                        lab.run(&line);
                    }
                    self.terminal.follow();
                }
                Target::Sample(p) => {
                    self.sample(p);
                }
                _ => {}
            }
        }
        let note = match self.target {
            Target::Host => text::HOST_NOTE.get(lang),
            Target::Kvm if kvm_available(lab) => text::KVM_GUEST_NOTE.get(lang),
            Target::Kvm => text::NO_KVM_GUEST.get(lang),
            Target::Sample(_) => text::SAMPLE_NOTE.get(lang),
        };
        ui.label(RichText::new(note).weak());
        if self.target == Target::Sample(Platform::VirtualBox) {
            ui.label(RichText::new(text::VBOX_KVM_NOTE.get(lang)).color(warn(ui)));
        }
    }

    fn sample(&mut self, platform: Platform) -> &mut Sample {
        if let Some(i) = self.samples.iter().position(|s| s.platform == platform) {
            return &mut self.samples[i];
        }
        self.samples.push(Sample::new(platform));
        let last = self.samples.len() - 1;
        &mut self.samples[last]
    }

    fn buttons_ui(&mut self, ui: &mut Ui, lab: &mut Lab, lang: Lang) {
        let target = self.target;
        let mut run = None;
        ui.add_space(6.0);
        ui.label(RichText::new(text::RUN_IN_TERMINAL.get(lang)).strong());
        let enabled = target != Target::Kvm || kvm_available(lab);
        egui::Grid::new("hv-guest-commands").num_columns(2).spacing([10.0, 4.0]).show(ui, |ui| {
            for command in commands(target.platform()) {
                let button = egui::Button::new(RichText::new(&command).monospace());
                if ui.add_enabled(enabled, button).clicked() {
                    run = Some(command.clone());
                }
                ui.label(RichText::new(text::command_purpose(lang, &command)).weak());
                ui.end_row();
            }
        });
        let Some(command) = run else { return };
        match target {
            Target::Host | Target::Kvm => {
                for line in attach(lab, target) {
                    lab.run(&line);
                }
                lab.run(&command);
                self.terminal.follow();
            }
            Target::Sample(p) => {
                let sample = self.sample(p);
                sample.lab.run(&command);
                sample.terminal.follow();
            }
        }
    }

    fn terminal_ui(&mut self, ui: &mut Ui, lab: &mut Lab, lang: Lang) {
        let hint = text::TERMINAL_HINT.get(lang);
        match self.target {
            Target::Sample(p) => {
                let sample = self.sample(p);
                ui.horizontal(|ui| {
                    ui.label(RichText::new(format!("{} — {}", sample_name(p), p.product())).strong());
                    if ui.small_button(text::RESET.get(lang)).clicked() {
                        *sample = Sample::new(p);
                    }
                });
                sample.terminal.ui(ui, &mut sample.lab, lang, hint);
            }
            Target::Host | Target::Kvm => {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(lab.world().machine().prompt()).monospace().strong());
                    if ui.add_enabled(lab.can_undo(), egui::Button::new(text::UNDO.get(lang)).small()).clicked() {
                        lab.undo();
                    }
                });
                self.terminal.ui(ui, lab, lang, hint);
            }
        }
    }
}

fn kvm_available(lab: &Lab) -> bool {
    lab.world().libvirt.domains.contains_key(KVM_GUEST)
}

/// One row per platform: what its guests report.
fn comparison_ui(ui: &mut Ui, lang: Lang) {
    egui::ScrollArea::horizontal().id_salt("hv-guest-table-scroll").show(ui, |ui| table_ui(ui, lang));
}

fn table_ui(ui: &mut Ui, lang: Lang) {
    egui::Grid::new("hv-guest-table").striped(true).num_columns(6).spacing([14.0, 4.0]).show(ui, |ui| {
        for head in [
            text::COL_PLATFORM.get(lang),
            "systemd-detect-virt",
            "dmidecode -s system-product-name",
            "lscpu: Hypervisor vendor",
            text::COL_DRIVERS.get(lang),
            text::COL_AGENT.get(lang),
        ] {
            ui.label(RichText::new(head).strong());
        }
        ui.end_row();
        let platforms = [Platform::BareMetal, Platform::Kvm].into_iter().chain(Platform::SAMPLES);
        for p in platforms {
            let name = if p == Platform::BareMetal { text::HOST_MACHINE.get(lang) } else { p.product() };
            ui.label(name);
            ui.label(RichText::new(p.detect_virt()).monospace());
            ui.label(RichText::new(p.product_name(true)).monospace());
            ui.label(RichText::new(p.cpuid_vendor().unwrap_or("—")).monospace());
            // The drivers themselves, not the helpers they depend on.
            let helper = |n: &str| {
                ["_dev", "failover", "libahci", "drm_", "scsi_transport", "vsock"].iter().any(|h| n.contains(h))
            };
            let drivers: Vec<&str> = p.modules().iter().map(|m| m.0).filter(|n| !helper(n)).take(3).collect();
            ui.label(RichText::new(drivers.join(", ")).monospace());
            ui.label(p.agent_package().unwrap_or("—"));
            ui.end_row();
        }
    });
}
