//! Hypervisor products and their type — the display model of the type 1 / type 2 diagrams and
//! of the sorting game, which grades where a learner put each product.

use std::collections::BTreeMap;

/// The two kinds of hypervisor in the classic taxonomy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HvType {
    /// Bare metal: the hypervisor runs directly on the hardware.
    Type1,
    /// Hosted: the hypervisor is a program on a host operating system.
    Type2,
}

/// The products the screen places on its diagrams.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProductId {
    Xen,
    Kvm,
    VirtualBox,
    Esxi,
    HyperV,
    VmwareWorkstation,
    QemuTcg,
}

/// Which diagram a product sits on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stack {
    /// Hardware → hypervisor → guests.
    BareMetal,
    /// Hardware → Linux with KVM (the kernel is the hypervisor) → QEMU processes as guests.
    KernelHypervisor,
    /// Hardware → host OS → hypervisor program → guests.
    Hosted,
}

/// A product: its name, its type, and where it is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Product {
    pub id: ProductId,
    pub name: &'static str,
    /// The type the usual exam answer gives it.
    pub kind: HvType,
    /// A second type that can be argued (KVM: "type 1/2").
    pub also: Option<HvType>,
    pub stack: Stack,
    /// What its guests' extensions are called (shown on the diagram).
    pub guest_side: &'static str,
}

/// Every product, in the order the game deals them.
pub const PRODUCTS: [Product; 7] = [
    Product {
        id: ProductId::Xen,
        name: "Xen",
        kind: HvType::Type1,
        also: None,
        stack: Stack::BareMetal,
        guest_side: "dom0 + domU (PV drivers: xen-blkfront, xen-netfront)",
    },
    Product {
        id: ProductId::Kvm,
        name: "KVM",
        kind: HvType::Type1,
        also: Some(HvType::Type2),
        stack: Stack::KernelHypervisor,
        guest_side: "virtio, qemu-guest-agent",
    },
    Product {
        id: ProductId::VirtualBox,
        name: "VirtualBox",
        kind: HvType::Type2,
        also: None,
        stack: Stack::Hosted,
        guest_side: "Guest Additions (vboxguest, vboxsf)",
    },
    Product {
        id: ProductId::Esxi,
        name: "VMware ESXi",
        kind: HvType::Type1,
        also: None,
        stack: Stack::BareMetal,
        guest_side: "open-vm-tools (vmw_*, vmxnet3)",
    },
    Product {
        id: ProductId::HyperV,
        name: "Microsoft Hyper-V",
        kind: HvType::Type1,
        also: None,
        stack: Stack::BareMetal,
        guest_side: "hv_* drivers, hyperv-daemons",
    },
    Product {
        id: ProductId::VmwareWorkstation,
        name: "VMware Workstation",
        kind: HvType::Type2,
        also: None,
        stack: Stack::Hosted,
        guest_side: "open-vm-tools",
    },
    Product {
        id: ProductId::QemuTcg,
        name: "QEMU (TCG, no KVM)",
        kind: HvType::Type2,
        also: None,
        stack: Stack::Hosted,
        guest_side: "virtio (emulated CPU)",
    },
];

/// A product by id.
pub fn product(id: ProductId) -> &'static Product {
    PRODUCTS.iter().find(|p| p.id == id).unwrap_or(&PRODUCTS[0])
}

/// How a placement is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The usual answer.
    Right,
    /// Arguable, but not the usual answer (KVM as type 2).
    Arguable,
    Wrong,
}

/// Judges putting `id` under `placed`.
pub fn judge(id: ProductId, placed: HvType) -> Verdict {
    let p = product(id);
    if p.kind == placed {
        Verdict::Right
    } else if p.also == Some(placed) {
        Verdict::Arguable
    } else {
        Verdict::Wrong
    }
}

/// The sorting game: where the learner has put each product so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SortGame {
    pub placed: BTreeMap<ProductId, HvType>,
}

impl SortGame {
    /// Puts a product into a bin (again: moves it).
    pub fn place(&mut self, id: ProductId, bin: HvType) {
        self.placed.insert(id, bin);
    }

    /// Takes a product back out.
    pub fn take_back(&mut self, id: ProductId) {
        self.placed.remove(&id);
    }

    /// The products not sorted yet, in dealing order.
    pub fn unsorted(&self) -> impl Iterator<Item = &'static Product> + '_ {
        PRODUCTS.iter().filter(|p| !self.placed.contains_key(&p.id))
    }

    /// The products in one bin, in dealing order.
    pub fn in_bin(&self, bin: HvType) -> impl Iterator<Item = &'static Product> + '_ {
        PRODUCTS.iter().filter(move |p| self.placed.get(&p.id) == Some(&bin))
    }

    /// How many placements are the usual answer.
    pub fn right(&self) -> usize {
        self.placed.iter().filter(|(id, bin)| judge(**id, **bin) == Verdict::Right).count()
    }

    /// Every product is sorted, each where the usual answer puts it.
    pub fn all_right(&self) -> bool {
        self.right() == PRODUCTS.len()
    }

    pub fn done(&self) -> bool {
        self.placed.len() == PRODUCTS.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classification_of_the_fact_sheet() {
        let type1: Vec<&str> = PRODUCTS.iter().filter(|p| p.kind == HvType::Type1).map(|p| p.name).collect();
        assert_eq!(type1, ["Xen", "KVM", "VMware ESXi", "Microsoft Hyper-V"]);
        let type2: Vec<&str> = PRODUCTS.iter().filter(|p| p.kind == HvType::Type2).map(|p| p.name).collect();
        assert_eq!(type2, ["VirtualBox", "VMware Workstation", "QEMU (TCG, no KVM)"]);
        assert_eq!(judge(ProductId::Kvm, HvType::Type1), Verdict::Right);
        assert_eq!(judge(ProductId::Kvm, HvType::Type2), Verdict::Arguable);
        assert_eq!(judge(ProductId::VirtualBox, HvType::Type1), Verdict::Wrong);
        assert_eq!(judge(ProductId::Esxi, HvType::Type2), Verdict::Wrong);
        assert_eq!(product(ProductId::Kvm).stack, Stack::KernelHypervisor);
    }

    #[test]
    fn the_game_counts_right_placements() {
        let mut g = SortGame::default();
        assert_eq!(g.unsorted().count(), 7);
        g.place(ProductId::Kvm, HvType::Type2);
        g.place(ProductId::VirtualBox, HvType::Type1);
        assert_eq!(g.right(), 0);
        assert_eq!(g.unsorted().count(), 5);
        g.place(ProductId::VirtualBox, HvType::Type2);
        assert_eq!(g.in_bin(HvType::Type2).map(|p| p.id).collect::<Vec<_>>(), [ProductId::Kvm, ProductId::VirtualBox]);
        assert_eq!(g.right(), 1);
        for p in PRODUCTS {
            g.place(p.id, p.kind);
        }
        assert!(g.done() && g.all_right());
        g.take_back(ProductId::Xen);
        assert!(!g.done() && !g.all_right());
        assert_eq!(g.right(), 6);
    }
}
