//! The texts of the Hypervisors screen in English and German: the tabs, the controls of the
//! animations, the diagrams' layers, and why each product, step and command is what it is.

use guestlab_content::Lang;
use guestlab_content::sim::hypervisor::Platform;
use guestlab_content::sim::hypervisor::io_path::{Layer, Mode};
use guestlab_content::sim::hypervisor::products::{Product, ProductId, Verdict};

pub use super::disk_images_text::T2;

// ----- tabs and common controls -------------------------------------------------------------

pub const TAB_TYPES: T2 = T2 { en: "Type 1 vs type 2", de: "Typ 1 und Typ 2" };
pub const TAB_MODES: T2 = T2 { en: "Full, para, hybrid", de: "Voll, para, hybrid" };
pub const TAB_GUESTS: T2 = T2 { en: "CPU and guest side", de: "CPU und Gastsystem" };
pub const TAB_MIGRATION: T2 = T2 { en: "Migration", de: "Migration" };
pub const TAB_CONTAINERS: T2 = T2 { en: "Containers vs VMs", de: "Container und VMs" };
pub const PLAY: T2 = T2 { en: "Play", de: "Abspielen" };
pub const PAUSE: T2 = T2 { en: "Pause", de: "Anhalten" };
pub const STEP: T2 = T2 { en: "Step", de: "Schritt" };
pub const RESTART: T2 = T2 { en: "Restart", de: "Zum Anfang" };
pub const SPEED: T2 = T2 { en: "Speed", de: "Tempo" };
pub const REDUCED_MOTION: T2 = T2 {
    en: "Reduced motion: the animation jumps from step to step.",
    de: "Reduzierte Bewegung: Die Animation springt von Schritt zu Schritt.",
};
pub const CHECK_YOURSELF: T2 = T2 { en: "Check yourself", de: "Zur Selbstkontrolle" };
pub const QUESTION_MISSING: T2 = T2 {
    en: "(The question of this topic is missing from the lessons.)",
    de: "(Die Frage zu diesem Thema fehlt in den Lektionen.)",
};
pub const UNDO: T2 = T2 { en: "Undo", de: "Rückgängig" };
pub const RESET: T2 = T2 { en: "Start over", de: "Von vorn" };

// ----- type 1 / type 2 ----------------------------------------------------------------------

pub const TYPES_INTRO: T2 = T2 {
    en: "Where does the hypervisor sit? Directly on the hardware (type 1), or as a program on an operating system (type 2). Click a product to read why it sits where it sits.",
    de: "Wo sitzt der Hypervisor? Direkt auf der Hardware (Typ 1) oder als Programm auf einem Betriebssystem (Typ 2)? Klicken Sie auf ein Produkt, um zu lesen, warum es dort steht.",
};
pub const STACK_TYPE1: T2 = T2 { en: "Type 1: bare metal", de: "Typ 1: direkt auf der Hardware" };
pub const STACK_KVM: T2 = T2 { en: "KVM: the kernel is the hypervisor", de: "KVM: Der Kernel ist der Hypervisor" };
pub const STACK_TYPE2: T2 = T2 { en: "Type 2: hosted", de: "Typ 2: gehostet" };
pub const LAYER_HARDWARE: T2 = T2 { en: "Hardware (CPU with VT-x / AMD-V)", de: "Hardware (CPU mit VT-x / AMD-V)" };
pub const LAYER_HYPERVISOR: T2 = T2 { en: "Hypervisor", de: "Hypervisor" };
pub const LAYER_HOST_OS: T2 =
    T2 { en: "Host OS (Windows, macOS, Linux)", de: "Host-Betriebssystem (Windows, macOS, Linux)" };
pub const LAYER_KVM_KERNEL: T2 = T2 { en: "Linux kernel + kvm, kvm_intel", de: "Linux-Kernel + kvm, kvm_intel" };
pub const LAYER_HV_PROGRAM: T2 = T2 { en: "Hypervisor program", de: "Hypervisor-Programm" };
pub const BOX_MANAGEMENT: T2 = T2 { en: "dom0 / management", de: "dom0 / Verwaltung" };
pub const BOX_GUEST: T2 = T2 { en: "guest", de: "Gast" };
pub const BOX_QEMU_GUEST: T2 = T2 { en: "QEMU process = guest", de: "QEMU-Prozess = Gast" };
pub const BOX_PROGRAMS: T2 = T2 { en: "ordinary programs", de: "normale Programme" };
pub const GUEST_SIDE: T2 = T2 { en: "In the guest:", de: "Im Gast:" };
pub const KVM_HEADING: T2 =
    T2 { en: "KVM: type 1 — and also \"type 1/2\"", de: "KVM: Typ 1 – und auch „Typ 1/2“" };
pub const KVM_EXPLAINED: T2 = T2 {
    en: "Type 1, because the modules kvm and kvm_intel/kvm_amd turn the running Linux kernel itself into the hypervisor: it runs directly on the hardware, and there is no other operating system underneath. Type 2 by appearance, because that kernel is also a complete general-purpose Linux distribution, and every guest is an ordinary user-space process (QEMU) on it, which emulates the devices. The taxonomy was made for hypervisors that either are the whole system or run on top of one; KVM is both at once. In an exam, the usual answer is type 1 — know the reason for the doubt.",
    de: "Typ 1, weil die Module kvm und kvm_intel bzw. kvm_amd den laufenden Linux-Kernel selbst zum Hypervisor machen: Er läuft direkt auf der Hardware, darunter liegt kein weiteres Betriebssystem. Vom Erscheinungsbild her Typ 2, weil derselbe Kernel zugleich eine vollständige Linux-Distribution für alle Zwecke ist und jeder Gast dort ein gewöhnlicher Prozess im Userspace ist (QEMU), der die Geräte emuliert. Die Einteilung wurde für Hypervisoren erdacht, die entweder selbst das ganze System sind oder auf einem laufen – KVM ist beides zugleich. In der Prüfung lautet die übliche Antwort Typ 1; den Grund für den Zweifel sollten Sie trotzdem kennen.",
};
pub const SORT_HEADING: T2 = T2 { en: "Sort the products", de: "Sortieren Sie die Produkte" };
pub const SORT_HELP: T2 = T2 {
    en: "Drag each product onto type 1 or type 2 — or use its buttons (Tab to reach them, Enter or Space to press).",
    de: "Ziehen Sie jedes Produkt auf Typ 1 oder Typ 2 – oder nutzen Sie die Schaltflächen daneben (mit Tab erreichen, mit Eingabe oder Leertaste auslösen).",
};
pub const UNSORTED: T2 = T2 { en: "Not sorted yet", de: "Noch nicht einsortiert" };
pub const BIN_TYPE1: T2 = T2 { en: "Type 1 (bare metal)", de: "Typ 1 (Bare Metal)" };
pub const BIN_TYPE2: T2 = T2 { en: "Type 2 (hosted)", de: "Typ 2 (gehostet)" };
pub const BUTTON_TYPE1: T2 = T2 { en: "Type 1", de: "Typ 1" };
pub const BUTTON_TYPE2: T2 = T2 { en: "Type 2", de: "Typ 2" };
pub const TAKE_BACK: T2 = T2 { en: "Take back", de: "Zurücknehmen" };
pub const SORT_AGAIN: T2 = T2 { en: "Sort again", de: "Neu sortieren" };
pub const ALL_RIGHT: T2 = T2 {
    en: "All correct: every product is where the usual answer puts it.",
    de: "Alles richtig: Jedes Produkt steht dort, wo es die übliche Antwort einordnet.",
};

/// A product's name in the UI language (product names are the same in both, but for the
/// description in QEMU's).
pub fn product_name(lang: Lang, p: &Product) -> &'static str {
    match (lang, p.id) {
        (Lang::De, ProductId::QemuTcg) => "QEMU (TCG, ohne KVM)",
        _ => p.name,
    }
}

/// What a product's guests run on their side, in the UI language.
pub fn guest_side(lang: Lang, p: &Product) -> &'static str {
    match (lang, p.id) {
        (Lang::De, ProductId::QemuTcg) => "virtio (emulierte CPU)",
        _ => p.guest_side,
    }
}

/// "Put KVM into type 1" — the accessible name of a sorting button.
pub fn put_into(lang: Lang, product: &str, type1: bool) -> String {
    let n = if type1 { 1 } else { 2 };
    match lang {
        Lang::En => format!("Put {product} into type {n}"),
        Lang::De => format!("{product} zu Typ {n} legen"),
    }
}

/// "Take KVM back".
pub fn take_back(lang: Lang, product: &str) -> String {
    match lang {
        Lang::En => format!("Take {product} back"),
        Lang::De => format!("{product} zurücknehmen"),
    }
}

/// "5 of 7 right".
pub fn score(lang: Lang, right: usize, total: usize) -> String {
    match lang {
        Lang::En => format!("{right} of {total} right"),
        Lang::De => format!("{right} von {total} richtig"),
    }
}

pub fn verdict(lang: Lang, v: Verdict) -> &'static str {
    match v {
        Verdict::Right => T2 { en: "√ right", de: "√ richtig" }.get(lang),
        Verdict::Arguable => T2 { en: "≈ arguable", de: "≈ vertretbar" }.get(lang),
        Verdict::Wrong => T2 { en: "× not quite", de: "× nicht ganz" }.get(lang),
    }
}

/// Why a product is of its type.
pub fn product_reason(lang: Lang, id: ProductId) -> &'static str {
    let t = match id {
        ProductId::Xen => T2 {
            en: "Xen boots first, directly on the hardware; then it starts the privileged dom0 (usually Linux) with the drivers and the tools (xl). All other guests are domU. Type 1.",
            de: "Xen startet als Erstes, direkt auf der Hardware; dann startet es die privilegierte dom0 (meist Linux) mit den Treibern und Werkzeugen (xl). Alle anderen Gäste sind domU. Typ 1.",
        },
        ProductId::Kvm => T2 {
            en: "KVM makes the Linux kernel itself the hypervisor (type 1); the guests are QEMU processes on a full Linux system, which looks hosted (type 2). The usual answer: type 1.",
            de: "KVM macht den Linux-Kernel selbst zum Hypervisor (Typ 1); die Gäste sind QEMU-Prozesse auf einem vollständigen Linux-System, was nach „gehostet“ aussieht (Typ 2). Die übliche Antwort: Typ 1.",
        },
        ProductId::VirtualBox => T2 {
            en: "VirtualBox is an application you install on Windows, macOS or Linux; it loads its own modules (vboxdrv) into that host. Type 2. In the guest: the Guest Additions.",
            de: "VirtualBox ist eine Anwendung, die man unter Windows, macOS oder Linux installiert; sie lädt eigene Module (vboxdrv) in dieses Host-System. Typ 2. Im Gast: die Guest Additions.",
        },
        ProductId::Esxi => T2 {
            en: "ESXi is installed on the server instead of an operating system and runs directly on the hardware; it is managed over the network (vSphere). Type 1.",
            de: "ESXi wird anstelle eines Betriebssystems auf dem Server installiert und läuft direkt auf der Hardware; verwaltet wird es über das Netz (vSphere). Typ 1.",
        },
        ProductId::HyperV => T2 {
            en: "When Hyper-V is enabled, the hypervisor starts below Windows, and Windows itself becomes the privileged parent partition. Type 1, although it looks as if it were installed on Windows.",
            de: "Wird Hyper-V aktiviert, startet der Hypervisor unterhalb von Windows, und Windows selbst wird zur privilegierten Parent-Partition. Typ 1, auch wenn es so aussieht, als sei es unter Windows installiert.",
        },
        ProductId::VmwareWorkstation => T2 {
            en: "VMware Workstation (and Fusion on the Mac) is a program on a desktop operating system. Type 2.",
            de: "VMware Workstation (und Fusion auf dem Mac) ist ein Programm auf einem Desktop-Betriebssystem. Typ 2.",
        },
        ProductId::QemuTcg => T2 {
            en: "Without KVM, QEMU emulates the CPU in software (TCG): an ordinary program on a host, hosted like type 2 — strictly an emulator, and much slower. systemd-detect-virt then says qemu, not kvm.",
            de: "Ohne KVM emuliert QEMU die CPU in Software (TCG): ein gewöhnliches Programm auf einem Host, gehostet wie Typ 2 – genau genommen ein Emulator und viel langsamer. systemd-detect-virt meldet dann qemu statt kvm.",
        },
    };
    t.get(lang)
}

// ----- full, para, hybrid -------------------------------------------------------------------

pub const MODES_INTRO: T2 = T2 {
    en: "Follow one disk write of a guest program down to the disk and back. Every switch between the guest and the hypervisor (a VM exit, a hypercall, an injected interrupt) costs time — count them.",
    de: "Verfolgen Sie einen einzigen Schreibzugriff eines Programms im Gast bis zur Platte und zurück. Jeder Wechsel zwischen Gast und Hypervisor (VM-Exit, Hypercall, eingespeister Interrupt) kostet Zeit – zählen Sie mit.",
};
pub const TRANSITIONS_SO_FAR: T2 =
    T2 { en: "Guest ↔ hypervisor switches so far", de: "Wechsel Gast ↔ Hypervisor bisher" };
pub const PER_REQUEST: T2 = T2 { en: "Switches per write request", de: "Wechsel pro Schreibauftrag" };
pub const GUEST_MODIFIED: T2 = T2 { en: "Guest kernel modified", de: "Gast-Kernel verändert" };
pub const GUEST_KNOWS: T2 = T2 { en: "Guest knows it is a VM", de: "Gast weiß, dass er eine VM ist" };
pub const SPECIAL_DRIVERS: T2 = T2 { en: "Special guest drivers", de: "Besondere Gasttreiber" };
pub const YES: T2 = T2 { en: "yes", de: "ja" };
pub const NO: T2 = T2 { en: "no", de: "nein" };
pub const DONE: T2 = T2 { en: "The write is done.", de: "Der Schreibauftrag ist erledigt." };
pub const NOT_STARTED: T2 = T2 { en: "Press Step or Play.", de: "Drücken Sie Schritt oder Abspielen." };

pub fn mode_name(lang: Lang, mode: Mode) -> &'static str {
    match mode {
        Mode::Full => T2 { en: "Full virtualization", de: "Vollvirtualisierung" },
        Mode::Para => T2 { en: "Paravirtualization", de: "Paravirtualisierung" },
        Mode::Hybrid => T2 { en: "Hybrid (virtio)", de: "Hybrid (virtio)" },
    }
    .get(lang)
}

pub fn mode_summary(lang: Lang, mode: Mode) -> &'static str {
    match mode {
        Mode::Full => T2 {
            en: "An unmodified guest on KVM with an emulated disk controller. The guest does not know it is a VM and needs no special drivers — but every access to the controller's registers traps into the hypervisor, and QEMU must emulate the real hardware.",
            de: "Ein unveränderter Gast auf KVM mit einem emulierten Festplatten-Controller. Der Gast weiß nicht, dass er eine VM ist, und braucht keine besonderen Treiber – aber jeder Zugriff auf die Register des Controllers führt in den Hypervisor, und QEMU muss echte Hardware nachbilden.",
        },
        Mode::Para => T2 {
            en: "A Xen PV guest: its modified kernel knows the hypervisor. It puts the request into a ring in memory shared with dom0 and calls Xen once (a hypercall); dom0's backend does the real I/O.",
            de: "Ein Xen-PV-Gast: Sein veränderter Kernel kennt den Hypervisor. Er legt den Auftrag in einen Ring im Speicher, den er mit der dom0 teilt, und ruft Xen einmal auf (Hypercall); das Backend in der dom0 erledigt die eigentliche Ein-/Ausgabe.",
        },
        Mode::Hybrid => T2 {
            en: "What you nearly always see today: an unmodified kernel on hardware-assisted virtualization, plus paravirtual drivers (virtio) for disk and network. One notification out, one interrupt back.",
            de: "Was man heute fast immer antrifft: ein unveränderter Kernel auf hardwaregestützter Virtualisierung, dazu paravirtuelle Treiber (virtio) für Platte und Netz. Eine Benachrichtigung hin, ein Interrupt zurück.",
        },
    }
    .get(lang)
}

pub fn layer_name(lang: Lang, layer: Layer) -> &'static str {
    match layer {
        Layer::GuestApp => T2 { en: "Guest program", de: "Programm im Gast" },
        Layer::GuestKernel => T2 { en: "Guest kernel + driver", de: "Gast-Kernel + Treiber" },
        Layer::Kvm => T2 { en: "KVM (host kernel)", de: "KVM (Host-Kernel)" },
        Layer::Qemu => T2 { en: "QEMU (device model)", de: "QEMU (Gerätemodell)" },
        Layer::HostKernel => {
            T2 { en: "Host kernel: file system, block layer", de: "Host-Kernel: Dateisystem, Blockschicht" }
        }
        Layer::Xen => T2 { en: "Xen hypervisor", de: "Xen-Hypervisor" },
        Layer::Dom0 => T2 { en: "dom0: blkback + real driver", de: "dom0: blkback + echter Treiber" },
        Layer::Disk => T2 { en: "Disk", de: "Platte" },
    }
    .get(lang)
}

/// What happens in a step of the I/O path.
pub fn step_text(lang: Lang, id: &str) -> &'static str {
    let t = match id {
        "full-syscall" | "para-syscall" | "hybrid-syscall" => T2 {
            en: "The program calls write(); the guest kernel's file system and block layer make a disk request.",
            de: "Das Programm ruft write() auf; Dateisystem und Blockschicht des Gast-Kernels erzeugen einen Plattenauftrag.",
        },
        "full-registers" => T2 {
            en: "The guest's ordinary disk driver programs the controller: sector count, address, command — six register writes, and each one traps into KVM (a VM exit).",
            de: "Der gewöhnliche Plattentreiber des Gastes programmiert den Controller: Sektoranzahl, Adresse, Befehl – sechs Registerzugriffe, und jeder führt in KVM (ein VM-Exit).",
        },
        "full-to-qemu" => T2 {
            en: "KVM cannot emulate the controller itself: it hands each access to QEMU in the host's user space.",
            de: "KVM kann den Controller nicht selbst nachbilden: Es reicht jeden Zugriff an QEMU im Userspace des Hosts weiter.",
        },
        "full-dma-setup" => T2 {
            en: "Two more register writes set up the DMA transfer — two more exits.",
            de: "Zwei weitere Registerzugriffe richten die DMA-Übertragung ein – zwei weitere Exits.",
        },
        "full-emulate" => T2 {
            en: "QEMU, emulating the controller, reads the data from guest memory and writes it to the image file on the host.",
            de: "QEMU spielt den Controller, liest die Daten aus dem Gastspeicher und schreibt sie in die Image-Datei auf dem Host.",
        },
        "full-disk" | "hybrid-disk" => T2 {
            en: "The host kernel writes the image file's blocks to the real disk.",
            de: "Der Host-Kernel schreibt die Blöcke der Image-Datei auf die echte Platte.",
        },
        "full-irq" => T2 {
            en: "QEMU raises the controller's interrupt; KVM injects it into the guest (one entry with an interrupt).",
            de: "QEMU löst den Interrupt des Controllers aus; KVM speist ihn in den Gast ein (ein Eintritt mit Interrupt).",
        },
        "full-ack" => T2 {
            en: "The guest's interrupt handler reads the status register, acknowledges the DMA status and ends the interrupt — three more exits.",
            de: "Die Interrupt-Routine des Gastes liest das Statusregister, quittiert den DMA-Status und beendet den Interrupt – drei weitere Exits.",
        },
        "full-done" | "para-done" | "hybrid-done" => T2 {
            en: "The guest kernel reports the write as done; write() returns to the program.",
            de: "Der Gast-Kernel meldet den Auftrag als erledigt; write() kehrt ins Programm zurück.",
        },
        "para-ring" => T2 {
            en: "The PV block driver (blkfront) puts the request into the ring it shares with dom0 — plain memory, no trap.",
            de: "Der PV-Blocktreiber (blkfront) legt den Auftrag in den Ring, den er mit der dom0 teilt – gewöhnlicher Speicher, kein Abfangen.",
        },
        "para-hypercall" => T2 {
            en: "One hypercall notifies dom0 through an event channel: the guest calls the hypervisor on purpose, as a program calls its kernel.",
            de: "Ein Hypercall benachrichtigt die dom0 über einen Event-Channel: Der Gast ruft den Hypervisor bewusst auf, so wie ein Programm seinen Kernel aufruft.",
        },
        "para-backend" => T2 {
            en: "Xen passes the event on to dom0, where the backend (blkback) takes the request from the ring.",
            de: "Xen gibt das Ereignis an die dom0 weiter; dort holt das Backend (blkback) den Auftrag aus dem Ring.",
        },
        "para-disk" => T2 {
            en: "dom0's real disk driver writes the data to the disk.",
            de: "Der echte Plattentreiber der dom0 schreibt die Daten auf die Platte.",
        },
        "para-event" => T2 {
            en: "blkback puts the answer into the ring and signals an event: Xen delivers it to the guest as a virtual interrupt.",
            de: "blkback legt die Antwort in den Ring und meldet ein Ereignis: Xen stellt es dem Gast als virtuellen Interrupt zu.",
        },
        "hybrid-queue" => T2 {
            en: "The virtio_blk driver puts the request into a virtqueue — memory shared with QEMU, no trap.",
            de: "Der Treiber virtio_blk legt den Auftrag in eine Virtqueue – Speicher, den er mit QEMU teilt, kein Abfangen.",
        },
        "hybrid-kick" => T2 {
            en: "One write to the notification register (the \"kick\") exits to KVM — one exit for the whole request, or for several queued ones.",
            de: "Ein Schreibzugriff auf das Benachrichtigungsregister (der „Kick“) führt zu KVM – ein Exit für den ganzen Auftrag oder sogar für mehrere.",
        },
        "hybrid-to-qemu" => T2 {
            en: "KVM wakes QEMU's virtio backend (through an eventfd).",
            de: "KVM weckt das virtio-Backend in QEMU (über einen eventfd).",
        },
        "hybrid-backend" => T2 {
            en: "QEMU takes the request from the virtqueue and writes the data to the image file — no register emulation.",
            de: "QEMU holt den Auftrag aus der Virtqueue und schreibt die Daten in die Image-Datei – ohne Registeremulation.",
        },
        "hybrid-irq" => T2 {
            en: "QEMU marks the request as used and KVM injects one interrupt into the guest.",
            de: "QEMU markiert den Auftrag als erledigt, und KVM speist einen Interrupt in den Gast ein.",
        },
        _ => T2 { en: "", de: "" },
    };
    t.get(lang)
}

// ----- CPU support and the guest side -------------------------------------------------------

pub const GUESTS_INTRO: T2 = T2 {
    en: "The host needs the CPU's virtualization extensions (vmx or svm) and KVM's modules; a guest sees the hypervisor flag and its hypervisor's firmware, CPU vendor and drivers. Pick a machine, then run the commands.",
    de: "Der Host braucht die Virtualisierungserweiterungen der CPU (vmx oder svm) und die KVM-Module; ein Gast sieht das hypervisor-Flag sowie Firmware, CPU-Kennung und Treiber seines Hypervisors. Wählen Sie eine Maschine und führen Sie die Befehle aus.",
};
pub const MACHINE: T2 = T2 { en: "Machine:", de: "Maschine:" };
pub const HOST_MACHINE: T2 = T2 { en: "host (bare metal, KVM)", de: "Host (Hardware, KVM)" };
pub const KVM_GUEST: T2 = T2 { en: "bookworm (KVM guest)", de: "bookworm (KVM-Gast)" };
pub const RUN_IN_TERMINAL: T2 = T2 { en: "Run in the terminal:", de: "Im Terminal ausführen:" };
pub const SAMPLE_NOTE: T2 = T2 {
    en: "A sample: a Debian 12 guest as it answers on this hypervisor (firmware strings, CPU vendor, drivers, agent). It is not part of the lab's host; it lives in a small world of its own.",
    de: "Ein Beispiel: ein Debian-12-Gast, wie er auf diesem Hypervisor antwortet (Firmware-Angaben, CPU-Kennung, Treiber, Agent). Er gehört nicht zum Host des Labors, sondern lebt in einer eigenen kleinen Welt.",
};
pub const KVM_GUEST_NOTE: T2 = T2 {
    en: "The lab's own guest: the buttons start the network and the VM if needed and open its console.",
    de: "Der Gast des Labors: Die Schaltflächen starten bei Bedarf Netz und VM und öffnen seine Konsole.",
};
pub const HOST_NOTE: T2 = T2 {
    en: "The lab's Debian 12 host with libvirt: vmx in /proc/cpuinfo, /dev/kvm, kvm_intel loaded.",
    de: "Der Debian-12-Host des Labors mit libvirt: vmx in /proc/cpuinfo, /dev/kvm, kvm_intel geladen.",
};
pub const NO_KVM_GUEST: T2 = T2 {
    en: "The sample VM bookworm is not defined on the lab's host any more (undefined or migrated). Start over to get it back.",
    de: "Die Beispiel-VM bookworm ist auf dem Host des Labors nicht mehr definiert (gelöscht oder migriert). Fangen Sie von vorn an, um sie zurückzubekommen.",
};
pub const COMPARISON: T2 = T2 { en: "What each guest reports", de: "Was jeder Gast meldet" };
pub const COL_PLATFORM: T2 = T2 { en: "platform", de: "Plattform" };
pub const COL_AGENT: T2 = T2 { en: "guest agent", de: "Gast-Agent" };
pub const COL_DRIVERS: T2 = T2 { en: "typical drivers", de: "typische Treiber" };
pub const TERMINAL_HINT: T2 =
    T2 { en: "type a command, e.g. systemd-detect-virt", de: "Befehl eingeben, z. B. systemd-detect-virt" };
pub const VBOX_KVM_NOTE: T2 = T2 {
    en: "Note VirtualBox: lscpu says KVM, because VirtualBox offers Linux guests KVM's paravirtual interface; systemd-detect-virt checks the firmware vendor first and says oracle.",
    de: "Achtung bei VirtualBox: lscpu meldet KVM, weil VirtualBox Linux-Gästen die paravirtuelle Schnittstelle von KVM anbietet; systemd-detect-virt prüft zuerst den Firmware-Hersteller und meldet oracle.",
};

pub fn sample_tab(lang: Lang, p: Platform) -> &'static str {
    match p {
        Platform::VirtualBox => T2 { en: "VirtualBox guest (sample)", de: "VirtualBox-Gast (Beispiel)" },
        Platform::Vmware => T2 { en: "VMware guest (sample)", de: "VMware-Gast (Beispiel)" },
        Platform::HyperV => T2 { en: "Hyper-V guest (sample)", de: "Hyper-V-Gast (Beispiel)" },
        Platform::Xen => T2 { en: "Xen domU (sample)", de: "Xen-domU (Beispiel)" },
        Platform::Kvm => KVM_GUEST,
        Platform::BareMetal => HOST_MACHINE,
    }
    .get(lang)
}

/// What a command button shows: why you run it.
pub fn command_purpose(lang: Lang, command: &str) -> &'static str {
    let t = if command.contains("vmx") {
        T2 { en: "Does the CPU offer hardware virtualization?", de: "Bietet die CPU Hardware-Virtualisierung?" }
    } else if command.contains("hypervisor") {
        T2 { en: "The hypervisor flag: set in guests only", de: "Das hypervisor-Flag: nur in Gästen gesetzt" }
    } else if command.contains("/dev/kvm") {
        T2 { en: "The device QEMU drives KVM through", de: "Das Gerät, über das QEMU KVM steuert" }
    } else if command.contains("grep kvm") {
        T2 { en: "Are KVM's modules loaded?", de: "Sind die KVM-Module geladen?" }
    } else if command.contains("detect-virt") {
        T2 { en: "Which hypervisor (or none)?", de: "Welcher Hypervisor (oder keiner)?" }
    } else if command.starts_with("lscpu") {
        T2 { en: "CPU, VT-x or the hypervisor vendor", de: "CPU, VT-x oder Hypervisor-Hersteller" }
    } else if command.contains("dmidecode") {
        T2 { en: "The firmware's product name", de: "Der Produktname der Firmware" }
    } else if command.contains("virtio") {
        T2 { en: "virtio drivers (KVM/QEMU)", de: "virtio-Treiber (KVM/QEMU)" }
    } else if command.contains("is-active") {
        T2 { en: "Does the guest agent run?", de: "Läuft der Gast-Agent?" }
    } else {
        T2 { en: "", de: "" }
    };
    t.get(lang)
}
