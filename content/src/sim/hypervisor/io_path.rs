//! One guest disk write on its way through the layers, under full virtualization (an emulated
//! disk controller on KVM/QEMU), paravirtualization (a Xen PV guest's block frontend) and the
//! hybrid of both (an unmodified kernel with virtio on KVM). Each step says between which layers
//! it happens and how many switches between guest and hypervisor (VM exits, hypercalls,
//! injected interrupts) it costs — a simplified, countable model of why emulated devices are
//! slow.

/// A layer of the stack the write passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layer {
    /// The guest's program that calls `write()`.
    GuestApp,
    /// The guest's kernel and its disk driver.
    GuestKernel,
    /// KVM, the hypervisor in the host kernel.
    Kvm,
    /// QEMU, the device model in the host's user space.
    Qemu,
    /// The host kernel's file system and block layer.
    HostKernel,
    /// The Xen hypervisor.
    Xen,
    /// Xen's dom0 with the block backend and the real driver.
    Dom0,
    /// The physical disk.
    Disk,
}

/// The three techniques.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    Full,
    Para,
    Hybrid,
}

impl Mode {
    pub const ALL: [Self; 3] = [Self::Full, Self::Para, Self::Hybrid];

    /// A stable id for texts and tests.
    pub fn id(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Para => "para",
            Self::Hybrid => "hybrid",
        }
    }

    /// Whether the guest's kernel knows it runs on a hypervisor (for its disk).
    pub fn guest_knows(self) -> bool {
        self != Self::Full
    }

    /// Whether the guest kernel itself is modified (not just given drivers).
    pub fn modified_kernel(self) -> bool {
        self == Self::Para
    }

    /// The layers from top to bottom, as the diagram draws them.
    pub fn layers(self) -> &'static [Layer] {
        match self {
            Self::Full | Self::Hybrid => {
                &[Layer::GuestApp, Layer::GuestKernel, Layer::Kvm, Layer::Qemu, Layer::HostKernel, Layer::Disk]
            }
            Self::Para => &[Layer::GuestApp, Layer::GuestKernel, Layer::Xen, Layer::Dom0, Layer::Disk],
        }
    }

    /// The steps of one write, in order.
    pub fn steps(self) -> &'static [Step] {
        match self {
            Self::Full => FULL,
            Self::Para => PARA,
            Self::Hybrid => HYBRID,
        }
    }

    /// Guest/hypervisor switches for one request.
    pub fn transitions(self) -> u32 {
        self.steps().iter().map(|s| s.transitions).sum()
    }
}

/// One step of the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// A stable id; the screen's texts explain each step by it.
    pub id: &'static str,
    pub from: Layer,
    pub to: Layer,
    /// Switches between guest and hypervisor this step costs.
    pub transitions: u32,
}

const fn step(id: &'static str, from: Layer, to: Layer, transitions: u32) -> Step {
    Step { id, from, to, transitions }
}

/// An emulated AHCI/IDE-style controller: every register access traps.
const FULL: &[Step] = &[
    step("full-syscall", Layer::GuestApp, Layer::GuestKernel, 0),
    step("full-registers", Layer::GuestKernel, Layer::Kvm, 6),
    step("full-to-qemu", Layer::Kvm, Layer::Qemu, 0),
    step("full-dma-setup", Layer::GuestKernel, Layer::Kvm, 2),
    step("full-emulate", Layer::Qemu, Layer::HostKernel, 0),
    step("full-disk", Layer::HostKernel, Layer::Disk, 0),
    step("full-irq", Layer::Qemu, Layer::GuestKernel, 1),
    step("full-ack", Layer::GuestKernel, Layer::Kvm, 3),
    step("full-done", Layer::GuestKernel, Layer::GuestApp, 0),
];

/// A Xen PV guest: shared ring plus event channel.
const PARA: &[Step] = &[
    step("para-syscall", Layer::GuestApp, Layer::GuestKernel, 0),
    step("para-ring", Layer::GuestKernel, Layer::GuestKernel, 0),
    step("para-hypercall", Layer::GuestKernel, Layer::Xen, 1),
    step("para-backend", Layer::Xen, Layer::Dom0, 0),
    step("para-disk", Layer::Dom0, Layer::Disk, 0),
    step("para-event", Layer::Dom0, Layer::GuestKernel, 1),
    step("para-done", Layer::GuestKernel, Layer::GuestApp, 0),
];

/// virtio-blk on KVM: a virtqueue in shared memory, one notification, one interrupt.
const HYBRID: &[Step] = &[
    step("hybrid-syscall", Layer::GuestApp, Layer::GuestKernel, 0),
    step("hybrid-queue", Layer::GuestKernel, Layer::GuestKernel, 0),
    step("hybrid-kick", Layer::GuestKernel, Layer::Kvm, 1),
    step("hybrid-to-qemu", Layer::Kvm, Layer::Qemu, 0),
    step("hybrid-backend", Layer::Qemu, Layer::HostKernel, 0),
    step("hybrid-disk", Layer::HostKernel, Layer::Disk, 0),
    step("hybrid-irq", Layer::Qemu, Layer::GuestKernel, 1),
    step("hybrid-done", Layer::GuestKernel, Layer::GuestApp, 0),
];

/// How far an animation is: the step and the fraction of it done.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    /// Steps completed.
    pub step: usize,
    /// 0.0..1.0 of the current step.
    pub fraction: f32,
}

impl Progress {
    /// Transitions counted so far: those of the completed steps.
    pub fn transitions(self, mode: Mode) -> u32 {
        mode.steps().iter().take(self.step).map(|s| s.transitions).sum()
    }

    /// Whether the whole request is done.
    pub fn finished(self, mode: Mode) -> bool {
        self.step >= mode.steps().len()
    }

    /// One step further (the fraction starts over).
    pub fn next(self, mode: Mode) -> Self {
        Self { step: (self.step + 1).min(mode.steps().len()), fraction: 0.0 }
    }

    /// Advances by `dt` seconds at `steps_per_second`; returns the new progress.
    pub fn advance(self, mode: Mode, dt: f32, steps_per_second: f32) -> Self {
        if self.finished(mode) {
            return self;
        }
        let mut fraction = self.fraction + dt * steps_per_second;
        let mut step = self.step;
        while fraction >= 1.0 && step < mode.steps().len() {
            fraction -= 1.0;
            step += 1;
        }
        if step >= mode.steps().len() {
            fraction = 0.0;
        }
        Self { step, fraction }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emulation_costs_many_switches_paravirtual_drivers_two() {
        assert_eq!(Mode::Full.transitions(), 12);
        assert_eq!(Mode::Para.transitions(), 2);
        assert_eq!(Mode::Hybrid.transitions(), 2);
        assert!(!Mode::Full.guest_knows() && Mode::Hybrid.guest_knows() && Mode::Para.guest_knows());
        assert!(Mode::Para.modified_kernel() && !Mode::Hybrid.modified_kernel());
    }

    #[test]
    fn every_step_runs_between_layers_of_its_stack() {
        for mode in Mode::ALL {
            for s in mode.steps() {
                assert!(mode.layers().contains(&s.from) && mode.layers().contains(&s.to), "{}", s.id);
                assert!(s.id.starts_with(mode.id()), "{}", s.id);
            }
            let last = mode.steps().last().unwrap();
            assert_eq!((last.from, last.to), (Layer::GuestKernel, Layer::GuestApp));
        }
    }

    #[test]
    fn progress_counts_the_completed_steps() {
        let p = Progress::default();
        assert_eq!(p.transitions(Mode::Full), 0);
        let p = p.next(Mode::Full).next(Mode::Full);
        assert_eq!(p.transitions(Mode::Full), 6);
        let p = p.advance(Mode::Full, 0.75, 2.0);
        assert_eq!(p, Progress { step: 3, fraction: 0.5 });
        assert_eq!(p.transitions(Mode::Full), 6);
        let p = p.advance(Mode::Full, 100.0, 2.0);
        assert!(p.finished(Mode::Full));
        assert_eq!(p.transitions(Mode::Full), 12);
        assert_eq!(p.next(Mode::Full), Progress { step: 9, fraction: 0.0 });
    }
}
