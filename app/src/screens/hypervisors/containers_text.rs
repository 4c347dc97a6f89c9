//! The texts of the Hypervisors screen's containers tab in English and German.

use guestlab_content::Lang;

pub use super::super::disk_images_text::T2;

pub const INTRO: T2 = T2 {
    en: "A VM brings its own kernel on virtual hardware. A container is a group of processes on the host's kernel, separated by namespaces and limited by cgroups: there is no second kernel.",
    de: "Eine VM bringt ihren eigenen Kernel auf virtueller Hardware mit. Ein Container ist eine Gruppe von Prozessen auf dem Kernel des Hosts, getrennt durch Namespaces und begrenzt durch cgroups: Einen zweiten Kernel gibt es nicht.",
};
pub const VMS: T2 = T2 { en: "Virtual machines", de: "Virtuelle Maschinen" };
pub const CONTAINERS: T2 = T2 { en: "Containers", de: "Container" };
pub const SYSTEM: T2 = T2 { en: "System containers (LXC)", de: "Systemcontainer (LXC)" };
pub const APPLICATION: T2 =
    T2 { en: "Application containers (Docker, Podman)", de: "Anwendungscontainer (Docker, Podman)" };
pub const HARDWARE: T2 = T2 { en: "Hardware", de: "Hardware" };
pub const HYPERVISOR: T2 = T2 { en: "Hypervisor", de: "Hypervisor" };
pub const HOST_KERNEL: T2 =
    T2 { en: "Host kernel — shared by every container", de: "Host-Kernel – von allen Containern geteilt" };
pub const RUNTIME_LXC: T2 = T2 { en: "LXC (namespaces, cgroups)", de: "LXC (Namespaces, cgroups)" };
pub const RUNTIME_OCI: T2 =
    T2 { en: "Docker / Podman (namespaces, cgroups)", de: "Docker / Podman (Namespaces, cgroups)" };
pub const KERNEL: T2 = T2 { en: "own kernel", de: "eigener Kernel" };
pub const VIRTUAL_HW: T2 = T2 { en: "virtual hardware", de: "virtuelle Hardware" };
pub const LIBS: T2 = T2 { en: "libraries", de: "Bibliotheken" };
pub const APP: T2 = T2 { en: "app", de: "Anwendung" };
pub const INIT: T2 = T2 { en: "init (systemd)", de: "Init (systemd)" };
pub const SERVICES: T2 = T2 { en: "sshd, cron, …", de: "sshd, cron, …" };
pub const ONE_PROCESS: T2 = T2 { en: "one process", de: "ein Prozess" };
pub const SYSTEM_EXPLAINED: T2 = T2 {
    en: "A system container (LXC, also systemd-nspawn) holds a nearly complete Linux system with its own init and services, like a light VM — but on the host's kernel. In an LXC container systemd-detect-virt says lxc, in a systemd-nspawn container systemd-nspawn.",
    de: "Ein Systemcontainer (LXC, auch systemd-nspawn) enthält ein fast vollständiges Linux-System mit eigenem Init und eigenen Diensten, wie eine leichte VM – aber auf dem Kernel des Hosts. systemd-detect-virt meldet in einem LXC-Container lxc, in einem systemd-nspawn-Container systemd-nspawn.",
};
pub const APPLICATION_EXPLAINED: T2 = T2 {
    en: "An application container (Docker, Podman) holds one application and what it needs, started from an OCI image: read-only layers, one writable layer on top per container. Remove the container, and its writable layer is gone; the image stays.",
    de: "Ein Anwendungscontainer (Docker, Podman) enthält eine Anwendung und das, was sie braucht, gestartet aus einem OCI-Image: schreibgeschützte Schichten, darüber pro Container eine beschreibbare Schicht. Wird der Container gelöscht, ist seine beschreibbare Schicht weg; das Image bleibt.",
};
pub const LAYERS_HEADING: T2 = T2 { en: "An OCI image and two containers", de: "Ein OCI-Image und zwei Container" };
pub const LAYER_BASE: T2 = T2 { en: "FROM debian:bookworm (base layer)", de: "FROM debian:bookworm (Basisschicht)" };
pub const LAYER_APT: T2 = T2 { en: "RUN apt-get install -y nginx", de: "RUN apt-get install -y nginx" };
pub const LAYER_COPY: T2 = T2 { en: "COPY site/ /var/www/html", de: "COPY site/ /var/www/html" };
pub const READ_ONLY: T2 = T2 { en: "image: read-only, shared", de: "Image: schreibgeschützt, geteilt" };
pub const WRITABLE_A: T2 = T2 { en: "writable layer of container A", de: "beschreibbare Schicht von Container A" };
pub const WRITABLE_B: T2 = T2 { en: "writable layer of container B", de: "beschreibbare Schicht von Container B" };
pub const SHARED_HEADING: T2 = T2 { en: "What is shared, what is not", de: "Was geteilt wird und was nicht" };
pub const ROWS: [(T2, T2, T2); 6] = [
    (
        T2 { en: "Kernel", de: "Kernel" },
        T2 { en: "its own, in every VM", de: "ein eigener in jeder VM" },
        T2 { en: "the host's, shared", de: "der des Hosts, geteilt" },
    ),
    (
        T2 { en: "Hardware", de: "Hardware" },
        T2 { en: "virtual, emulated or paravirtual", de: "virtuell, emuliert oder paravirtuell" },
        T2 { en: "the host's, through its kernel", de: "die des Hosts, über dessen Kernel" },
    ),
    (
        T2 { en: "Other operating systems", de: "Andere Betriebssysteme" },
        T2 { en: "yes (Windows on Linux)", de: "ja (Windows auf Linux)" },
        T2 { en: "only Linux on Linux", de: "nur Linux auf Linux" },
    ),
    (
        T2 { en: "Isolation", de: "Isolation" },
        T2 { en: "strong: the hypervisor", de: "stark: der Hypervisor" },
        T2 { en: "namespaces, cgroups, one kernel", de: "Namespaces, cgroups, ein Kernel" },
    ),
    (
        T2 { en: "Start", de: "Start" },
        T2 { en: "boots: firmware, kernel, init", de: "bootet: Firmware, Kernel, Init" },
        T2 { en: "starts a process: about a second", de: "startet einen Prozess: etwa eine Sekunde" },
    ),
    (
        T2 { en: "lsmod shows", de: "lsmod zeigt" },
        T2 { en: "the guest's own drivers (virtio…)", de: "die eigenen Treiber des Gastes (virtio…)" },
        T2 { en: "the host's modules", de: "die Module des Hosts" },
    ),
];
pub const IAAS_HEADING: T2 = T2 { en: "IaaS: the building blocks of a cloud", de: "IaaS: die Bausteine einer Cloud" };
pub const IAAS_INTRO: T2 = T2 {
    en: "Infrastructure as a Service rents you these blocks through an API or a web console. Each one has a counterpart in GuestLab's simulators:",
    de: "Infrastructure as a Service vermietet Ihnen diese Bausteine über eine API oder eine Weboberfläche. Jeder hat ein Gegenstück in den Simulatoren von GuestLab:",
};
/// "Open Disk images" / "Disk-Images öffnen".
pub fn open(lang: Lang, screen: &str) -> String {
    match lang {
        Lang::En => format!("Open {screen}"),
        Lang::De => format!("{screen} öffnen"),
    }
}

/// (term, what it is) for the IaaS cards.
pub fn iaas_term(lang: Lang, i: usize) -> (&'static str, &'static str) {
    let (a, b) = match i {
        0 => (
            T2 { en: "Instance", de: "Instanz" },
            T2 {
                en: "A VM started from an image, with CPUs and memory of a chosen size. On a libvirt host: a domain. cloud-init gives each instance its own host name, keys and users at first boot.",
                de: "Eine VM, gestartet aus einem Image, mit CPUs und Speicher in gewählter Größe. Auf einem libvirt-Host: eine Domain. cloud-init gibt jeder Instanz beim ersten Start eigenen Hostnamen, eigene Schlüssel und Benutzer.",
            },
        ),
        1 => (
            T2 { en: "Image / template", de: "Image / Vorlage" },
            T2 {
                en: "A prepared system disk that many instances start from. Whatever must be unique — machine ID, SSH host keys, host name — has to be reset in it, or every instance shares it.",
                de: "Eine vorbereitete Systemplatte, aus der viele Instanzen starten. Alles, was eindeutig sein muss – Machine-ID, SSH-Host-Keys, Hostname –, muss darin zurückgesetzt sein, sonst teilen es alle Instanzen.",
            },
        ),
        2 => (
            T2 { en: "Block storage", de: "Blockspeicher" },
            T2 {
                en: "Virtual disks (volumes) attached to instances; they live on independently of an instance and can be attached to another one. On a libvirt host: volumes in a storage pool, qcow2 or raw files.",
                de: "Virtuelle Platten (Volumes), die an Instanzen gehängt werden; sie leben unabhängig von der Instanz weiter und lassen sich an eine andere hängen. Auf einem libvirt-Host: Volumes in einem Storage-Pool, qcow2- oder Raw-Dateien.",
            },
        ),
        _ => (
            T2 { en: "Networking", de: "Netzwerk" },
            T2 {
                en: "Virtual networks and subnets, DHCP, security groups (firewall rules per instance) and public (floating) IP addresses. On a libvirt host: the network default with its bridge virbr0 and dnsmasq.",
                de: "Virtuelle Netze und Subnetze, DHCP, Security Groups (Firewall-Regeln pro Instanz) und öffentliche (Floating-)IP-Adressen. Auf einem libvirt-Host: das Netz default mit der Bridge virbr0 und dnsmasq.",
            },
        ),
    };
    (a.get(lang), b.get(lang))
}
