//! The texts of the libvirt host screen in English and German: labels, the guided tour, and the
//! one-line explanation of each kind of file a libvirt command touches.

use guestlab_content::Lang;
use guestlab_content::sim::vfs::diff::{Change, ChangeKind, EntryKind};

pub use super::disk_images_text::T2;

pub const UNDO: T2 = T2 { en: "Undo", de: "Rückgängig" };
pub const RESET: T2 = T2 { en: "Start over", de: "Von vorn" };
pub const UNDONE: T2 = T2 { en: "Undo took this back:", de: "Rückgängig gemacht:" };
pub const TOUR: T2 = T2 { en: "Guided tour", de: "Geführte Tour" };
pub const TOUR_DONE: T2 = T2 {
    en: "Tour complete. Go on freely in the terminal, or start over.",
    de: "Tour beendet. Experimentieren Sie frei im Terminal weiter, oder fangen Sie von vorn an.",
};
pub const NEXT_STEP: T2 = T2 { en: "Next step", de: "Nächster Schritt" };
pub const FILES: T2 = T2 { en: "Host files", de: "Dateien des Hosts" };
pub const VIEWER_EMPTY: T2 = T2 {
    en: "Select a file in the tree to see it here.",
    de: "Wählen Sie links eine Datei aus, um sie hier zu sehen.",
};
pub const WHAT_CHANGED: T2 = T2 { en: "What changed", de: "Was sich geändert hat" };
pub const NOTHING_CHANGED: T2 =
    T2 { en: "The last command changed no file.", de: "Der letzte Befehl hat keine Datei verändert." };
pub const NO_COMMAND_YET: T2 = T2 {
    en: "Run a command (a button, the tour or the terminal): every file it adds, changes or removes is listed here.",
    de: "Führen Sie einen Befehl aus (Knopf, Tour oder Terminal): Jede Datei, die er anlegt, ändert oder löscht, erscheint hier.",
};
pub const MORE_CHANGES: T2 = T2 { en: "more", de: "weitere" };
pub const VMS: T2 = T2 { en: "Virtual machines", de: "Virtuelle Maschinen" };
pub const NO_VMS: T2 = T2 {
    en: "No domain defined. Try the guided tour, or virsh define FILE.",
    de: "Keine Domain definiert. Probieren Sie die geführte Tour oder virsh define DATEI.",
};
pub const NETWORKS: T2 = T2 { en: "Networks", de: "Netze" };
pub const ACTIVE: T2 = T2 { en: "active", de: "aktiv" };
pub const INACTIVE: T2 = T2 { en: "inactive", de: "inaktiv" };
pub const NET_START: VmButton =
    VmButton { label: T2 { en: "Start network", de: "Netz starten" }, command: "virsh net-start {}" };
pub const NET_DESTROY: VmButton =
    VmButton { label: T2 { en: "Stop network", de: "Netz stoppen" }, command: "virsh net-destroy {}" };
pub const NET_AUTOSTART_ON: VmButton =
    VmButton { label: T2 { en: "Autostart on", de: "Autostart an" }, command: "virsh net-autostart {}" };
pub const NET_AUTOSTART_OFF: VmButton =
    VmButton { label: T2 { en: "Autostart off", de: "Autostart aus" }, command: "virsh net-autostart --disable {}" };
pub const DISKS: T2 = T2 { en: "disk:", de: "Platte:" };
pub const AUTOSTART: T2 = T2 { en: "autostart", de: "Autostart" };
pub const TERMINAL_HINT: T2 =
    T2 { en: "type a command, e.g. virsh list --all", de: "Befehl eingeben, z. B. virsh list --all" };

/// The state words of `virsh list`, translated for the VM list (the terminal keeps libvirt's).
pub fn state_label(lang: Lang, state: &str) -> &'static str {
    let t = match state {
        "running" => T2 { en: "running", de: "läuft" },
        "paused" => T2 { en: "paused", de: "angehalten" },
        _ => T2 { en: "shut off", de: "ausgeschaltet" },
    };
    t.get(lang)
}

/// The VM buttons: label and the virsh command (`{}` is the domain's name).
pub struct VmButton {
    pub label: T2,
    pub command: &'static str,
}

pub const START: VmButton = VmButton { label: T2 { en: "Start", de: "Starten" }, command: "virsh start {}" };
pub const SHUTDOWN: VmButton =
    VmButton { label: T2 { en: "Shutdown", de: "Herunterfahren" }, command: "virsh shutdown {}" };
pub const DESTROY: VmButton = VmButton { label: T2 { en: "Destroy", de: "Ausschalten" }, command: "virsh destroy {}" };
pub const SUSPEND: VmButton = VmButton { label: T2 { en: "Suspend", de: "Anhalten" }, command: "virsh suspend {}" };
pub const RESUME: VmButton = VmButton { label: T2 { en: "Resume", de: "Fortsetzen" }, command: "virsh resume {}" };
pub const AUTOSTART_ON: VmButton =
    VmButton { label: T2 { en: "Autostart on", de: "Autostart an" }, command: "virsh autostart {}" };
pub const AUTOSTART_OFF: VmButton =
    VmButton { label: T2 { en: "Autostart off", de: "Autostart aus" }, command: "virsh autostart --disable {}" };
pub const DUMPXML: VmButton =
    VmButton { label: T2 { en: "Dump XML", de: "XML ausgeben" }, command: "virsh dumpxml {}" };

/// One step of the guided tour.
pub struct TourStep {
    pub title: T2,
    pub explanation: T2,
}

pub const TOUR_STEPS: [TourStep; 6] = [
    TourStep {
        title: T2 { en: "1. Define web1", de: "1. web1 definieren" },
        explanation: T2 {
            en: "A virtual machine is an XML file plus a disk image. virsh define reads the XML, fills in what is missing (UUID, a MAC address 52:54:00:…, memory in KiB) and writes the persistent definition to /etc/libvirt/qemu/web1.xml, mode 0600. The VM now exists but is shut off: nothing runs yet.",
            de: "Eine virtuelle Maschine ist eine XML-Datei plus ein Disk-Image. virsh define liest das XML, ergänzt, was fehlt (UUID, eine MAC-Adresse 52:54:00:…, Speicher in KiB), und schreibt die dauerhafte Definition nach /etc/libvirt/qemu/web1.xml, Modus 0600. Die VM existiert jetzt, ist aber ausgeschaltet: Es läuft noch nichts.",
        },
    },
    TourStep {
        title: T2 { en: "2. Autostart", de: "2. Autostart" },
        explanation: T2 {
            en: "virsh autostart creates nothing but a symbolic link: /etc/libvirt/qemu/autostart/web1.xml → /etc/libvirt/qemu/web1.xml. When libvirtd starts (at boot), it starts every domain linked there. virsh autostart --disable removes the link; the definition stays.",
            de: "virsh autostart legt nur einen symbolischen Link an: /etc/libvirt/qemu/autostart/web1.xml → /etc/libvirt/qemu/web1.xml. Beim Start von libvirtd (beim Booten) startet er jede dort verlinkte Domain. virsh autostart --disable entfernt den Link; die Definition bleibt.",
        },
    },
    TourStep {
        title: T2 { en: "3. Start", de: "3. Starten" },
        explanation: T2 {
            en: "Debian ships the network 'default' inactive, so this step starts it first (virsh net-start default: bridge virbr0, dnsmasq, /run/libvirt/network/default.*). virsh start then launches QEMU. Runtime state appears under /run/libvirt/qemu (the live XML with the domain's ID, the QEMU pid) and exists only while the VM runs; QEMU's command line is appended to /var/log/libvirt/qemu/web1.log. A shutdown or destroy removes the /run files again; /etc stays.",
            de: "Debian liefert das Netz 'default' inaktiv aus, deshalb startet dieser Schritt es zuerst (virsh net-start default: Bridge virbr0, dnsmasq, /run/libvirt/network/default.*). Dann startet virsh start QEMU. Unter /run/libvirt/qemu erscheint der Laufzeitzustand (das Live-XML mit der ID der Domain, die PID von QEMU); er existiert nur, solange die VM läuft. QEMUs Kommandozeile wird an /var/log/libvirt/qemu/web1.log angehängt. Shutdown oder destroy entfernen die /run-Dateien wieder; /etc bleibt.",
        },
    },
    TourStep {
        title: T2 { en: "4. Snapshot", de: "4. Snapshot" },
        explanation: T2 {
            en: "virsh snapshot-create-as stores the snapshot's data inside the qcow2 image (an internal snapshot: the image file changes) and its metadata as XML under /var/lib/libvirt/qemu/snapshot/web1/. RAW images cannot hold internal snapshots.",
            de: "virsh snapshot-create-as legt die Daten des Snapshots im qcow2-Image ab (ein interner Snapshot: die Image-Datei ändert sich) und die Metadaten als XML unter /var/lib/libvirt/qemu/snapshot/web1/. RAW-Images können keine internen Snapshots aufnehmen.",
        },
    },
    TourStep {
        title: T2 { en: "5. Clone bookworm", de: "5. bookworm klonen" },
        explanation: T2 {
            en: "virt-clone copies the whole disk image and defines a new domain with a new UUID and a new MAC address, so the two can run side by side. Nothing inside the guest changes: the clone keeps the original's machine ID, SSH host keys and hostname — that is what virt-sysprep or a template preparation is for.",
            de: "virt-clone kopiert das ganze Disk-Image und definiert eine neue Domain mit neuer UUID und neuer MAC-Adresse, damit beide nebeneinander laufen können. Im Gast ändert sich nichts: Der Klon behält Machine-ID, SSH-Host-Keys und Hostnamen des Originals – dafür gibt es virt-sysprep oder die Vorbereitung einer Vorlage.",
        },
    },
    TourStep {
        title: T2 { en: "6. Undefine web1", de: "6. web1 entfernen" },
        explanation: T2 {
            en: "A running domain is stopped first (destroy). virsh undefine then removes the definition and the autostart link; --snapshots-metadata removes the snapshot metadata and --remove-all-storage also deletes the disk image. Without that option the image would stay behind in /var/lib/libvirt/images.",
            de: "Eine laufende Domain wird zuerst gestoppt (destroy). virsh undefine entfernt dann die Definition und den Autostart-Link; --snapshots-metadata entfernt die Snapshot-Metadaten, und --remove-all-storage löscht auch das Disk-Image. Ohne diese Option bliebe das Image in /var/lib/libvirt/images liegen.",
        },
    },
];

/// `+`, `−` or `~` and the change in words.
pub fn change_kind_label(lang: Lang, kind: ChangeKind) -> String {
    match kind {
        ChangeKind::Added => T2 { en: "+ added", de: "+ neu" }.get(lang).to_owned(),
        ChangeKind::Removed => T2 { en: "− removed", de: "− gelöscht" }.get(lang).to_owned(),
        ChangeKind::Changed(c) => {
            let names: Vec<&str> = c
                .names()
                .into_iter()
                .map(|n| match (lang, n) {
                    (Lang::De, "contents") => "Inhalt",
                    (Lang::De, "size") => "Größe",
                    (Lang::De, "blocks") => "Blöcke",
                    (Lang::De, "target") => "Ziel",
                    (Lang::De, "mode") => "Rechte",
                    (Lang::De, "owner") => "Besitzer",
                    (Lang::De, "mtime") => "Zeit",
                    (Lang::De, "type") => "Typ",
                    (_, n) => n,
                })
                .collect();
            format!("~ {} ({})", T2 { en: "changed", de: "geändert" }.get(lang), names.join(", "))
        }
    }
}

/// The part of `path` after `prefix`, if it is a single name ending in `suffix`, without it.
fn stem<'a>(path: &'a str, prefix: &str, suffix: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(prefix)?.strip_suffix(suffix)?;
    (!rest.is_empty() && !rest.contains('/')).then_some(rest)
}

/// One line that says what a changed file is and why the command (`commands`: the command
/// lines that ran) touched it.
pub fn explain(lang: Lang, change: &Change, commands: &[String]) -> String {
    let ran = |tool: &str| commands.iter().any(|c| c.trim_start().starts_with(tool));
    let path = change.path.as_str();
    let de = lang == Lang::De;
    let added = matches!(change.kind, ChangeKind::Added);
    let removed = matches!(change.kind, ChangeKind::Removed);
    let dir = change.entry_kind() == Some(EntryKind::Dir);
    let t = |en: String, de_text: String| if de { de_text } else { en };

    if let Some(name) = stem(path, "/etc/libvirt/qemu/autostart/", ".xml") {
        return if removed {
            t(
                format!("autostart disabled: the link is gone, the definition of {name} stays"),
                format!("Autostart aus: Der Link ist weg, die Definition von {name} bleibt"),
            )
        } else {
            t(
                format!("autostart is just a symlink to the domain's XML: libvirtd starts {name} when it starts"),
                format!(
                    "Autostart ist nur ein Symlink auf das XML der Domain: libvirtd startet {name}, wenn er selbst startet"
                ),
            )
        };
    }
    if path.starts_with("/etc/libvirt/qemu/networks/autostart/") {
        return if removed {
            t(
                "network autostart disabled (the symlink is gone)".into(),
                "Netz-Autostart aus (der Symlink ist weg)".into(),
            )
        } else {
            t(
                "network autostart: again just a symlink to the network's XML".into(),
                "Netz-Autostart: wieder nur ein Symlink auf das XML des Netzes".into(),
            )
        };
    }
    if let Some(name) = stem(path, "/etc/libvirt/qemu/networks/", ".xml") {
        return match change.kind {
            ChangeKind::Added => t(
                format!("virsh net-define wrote the persistent definition of network {name}"),
                format!("virsh net-define hat die dauerhafte Definition des Netzes {name} geschrieben"),
            ),
            ChangeKind::Removed => t(
                format!("network {name} undefined: its definition is gone"),
                format!("Netz {name} entfernt: Seine Definition ist weg"),
            ),
            ChangeKind::Changed(_) => t(
                format!("the definition of network {name} was rewritten"),
                format!("Die Definition des Netzes {name} wurde neu geschrieben"),
            ),
        };
    }
    if let Some(name) = stem(path, "/etc/libvirt/qemu/", ".xml") {
        return match change.kind {
            ChangeKind::Added if ran("virt-clone") => t(
                format!(
                    "virt-clone defined the clone {name}: its persistent definition, with a new UUID and MAC (mode 0600)"
                ),
                format!(
                    "virt-clone hat den Klon {name} definiert: seine dauerhafte Definition, mit neuer UUID und MAC (Modus 0600)"
                ),
            ),
            ChangeKind::Added if ran("virt-install") => t(
                format!("virt-install defined {name}: its persistent definition (mode 0600)"),
                format!("virt-install hat {name} definiert: seine dauerhafte Definition (Modus 0600)"),
            ),
            ChangeKind::Added => t(
                format!("virsh define wrote the persistent definition of {name} (mode 0600)"),
                format!("virsh define hat die dauerhafte Definition von {name} geschrieben (Modus 0600)"),
            ),
            ChangeKind::Removed => t(
                format!("undefine removed the definition: libvirt no longer knows {name}"),
                format!("undefine hat die Definition entfernt: libvirt kennt {name} nicht mehr"),
            ),
            ChangeKind::Changed(_) => t(
                format!("the persistent definition of {name} was rewritten (define again, or virsh edit)"),
                format!("Die dauerhafte Definition von {name} wurde neu geschrieben (erneutes define oder virsh edit)"),
            ),
        };
    }
    if path.starts_with("/etc/libvirt/storage/autostart/") {
        return t(
            "storage pool autostart: a symlink to the pool's XML".into(),
            "Autostart des Speicherpools: ein Symlink auf das XML des Pools".into(),
        );
    }
    if path.starts_with("/etc/libvirt/storage/") {
        return t(
            "persistent definition of a storage pool (pool-define-as, pool-undefine)".into(),
            "dauerhafte Definition eines Speicherpools (pool-define-as, pool-undefine)".into(),
        );
    }
    if path.starts_with("/run/libvirt/qemu/") {
        return if removed {
            t(
                "the domain stopped: its runtime state is gone, the definition in /etc stays".into(),
                "Die Domain ist gestoppt: Ihr Laufzeitzustand ist weg, die Definition in /etc bleibt".into(),
            )
        } else {
            t(
                "runtime state exists only while the domain runs (live XML, QEMU's pid)".into(),
                "Laufzeitzustand gibt es nur, solange die Domain läuft (Live-XML, PID von QEMU)".into(),
            )
        };
    }
    if path.starts_with("/run/libvirt/network/") {
        return if removed {
            t(
                "the network stopped: its runtime state is gone".into(),
                "Das Netz ist gestoppt: Sein Laufzeitzustand ist weg".into(),
            )
        } else {
            t(
                "the network is active: live state and dnsmasq's pid, only while it runs".into(),
                "Das Netz ist aktiv: Live-Zustand und PID von dnsmasq, nur solange es läuft".into(),
            )
        };
    }
    if path.starts_with("/run/libvirt/storage/") {
        return t(
            "runtime state of an active storage pool".into(),
            "Laufzeitzustand eines aktiven Speicherpools".into(),
        );
    }
    if path.starts_with("/var/log/libvirt/qemu/") && path.ends_with(".log") {
        return t(
            "QEMU's command line and messages are appended here on every start".into(),
            "QEMUs Kommandozeile und Meldungen werden hier bei jedem Start angehängt".into(),
        );
    }
    if path.starts_with("/var/lib/libvirt/images/") && !dir {
        return match change.kind {
            ChangeKind::Added if ran("virt-clone") => t(
                "virt-clone copied the whole disk image: the clone gets its own full copy".into(),
                "virt-clone hat das ganze Disk-Image kopiert: Der Klon bekommt seine eigene, volle Kopie".into(),
            ),
            ChangeKind::Added if ran("qemu-img") => {
                t("qemu-img made a new disk image".into(), "qemu-img hat ein neues Disk-Image angelegt".into())
            }
            ChangeKind::Added => t(
                "a disk image was created or copied (virt-clone copies the whole disk)".into(),
                "Ein Disk-Image wurde angelegt oder kopiert (virt-clone kopiert die ganze Platte)".into(),
            ),
            ChangeKind::Removed => t(
                "a disk image was deleted (--remove-all-storage, vol-delete or rm)".into(),
                "Ein Disk-Image wurde gelöscht (--remove-all-storage, vol-delete oder rm)".into(),
            ),
            ChangeKind::Changed(_) => t(
                "the disk image was written to (guest data, or an internal snapshot)".into(),
                "In das Disk-Image wurde geschrieben (Gastdaten oder ein interner Snapshot)".into(),
            ),
        };
    }
    if path.starts_with("/var/lib/libvirt/dnsmasq/") {
        return t(
            "dnsmasq's files for a virtual network: NAME.conf and hostsfile after the network, virbr0.status (leases) after the bridge".into(),
            "Dateien von dnsmasq für ein virtuelles Netz: NAME.conf und hostsfile nach dem Netz benannt, virbr0.status (Leases) nach der Bridge".into(),
        );
    }
    if path.starts_with("/var/lib/libvirt/qemu/snapshot/") {
        return if removed {
            t("snapshot metadata deleted".into(), "Snapshot-Metadaten gelöscht".into())
        } else {
            t(
                "libvirt's snapshot metadata (the data itself is inside the qcow2 image)".into(),
                "Die Snapshot-Metadaten von libvirt (die Daten selbst liegen im qcow2-Image)".into(),
            )
        };
    }
    if path.starts_with("/var/lib/libvirt/qemu/domain-") {
        return t(
            "the running domain's private directory (monitor socket, master key): exists only while it runs".into(),
            "Das private Verzeichnis der laufenden Domain (Monitor-Socket, Master-Key): nur solange sie läuft".into(),
        );
    }
    if path.starts_with("/var/lib/libvirt/qemu/nvram/") {
        return t(
            "UEFI variables of a domain (NAME_VARS.fd)".into(),
            "UEFI-Variablen einer Domain (NAME_VARS.fd)".into(),
        );
    }
    if path.starts_with("/var/lib/libvirt/qemu/save/") {
        return t(
            "a saved memory image (virsh managedsave)".into(),
            "Ein gesichertes Speicherabbild (virsh managedsave)".into(),
        );
    }
    let base = match change.kind {
        ChangeKind::Added if dir => t("directory created".into(), "Verzeichnis angelegt".into()),
        ChangeKind::Added => t("file created".into(), "Datei angelegt".into()),
        ChangeKind::Removed => t("deleted".into(), "gelöscht".into()),
        ChangeKind::Changed(_) => t("changed".into(), "geändert".into()),
    };
    if added && path.starts_with("/root/") {
        base + if de { " (im Home-Verzeichnis von root)" } else { " (in root's home directory)" }
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use guestlab_content::sim::vfs::Vfs;
    use guestlab_content::sim::vfs::diff::{Snapshot, diff};

    use super::*;

    fn change_of(setup: impl FnOnce(&mut Vfs)) -> Vec<Change> {
        let mut fs = Vfs::new(0);
        for d in ["/etc/libvirt/qemu/autostart", "/run/libvirt/qemu", "/var/lib/libvirt/images", "/root"] {
            fs.mkdir_p(d, 0o755, 0).unwrap();
        }
        fs.put_file("/etc/libvirt/qemu/web1.xml", b"<domain/>", 0o600, 0).unwrap();
        let before = Snapshot::take(&fs, "/").unwrap();
        setup(&mut fs);
        diff(&before, &Snapshot::take(&fs, "/").unwrap()).into_iter().filter(|c| !c.is_dir_listing_only()).collect()
    }

    #[test]
    fn each_libvirt_path_gets_its_explanation() {
        let c = change_of(|fs| {
            fs.put_symlink("/etc/libvirt/qemu/autostart/web1.xml", "/etc/libvirt/qemu/web1.xml", 1).unwrap();
        });
        assert_eq!(
            explain(Lang::En, &c[0], &["virsh autostart web1".to_owned()]),
            "autostart is just a symlink to the domain's XML: libvirtd starts web1 when it starts"
        );
        let c = change_of(|fs| {
            fs.put_file("/run/libvirt/qemu/web1.pid", b"1", 0o644, 1).unwrap();
            let dir = fs.resolve(0, "/etc/libvirt/qemu", true).unwrap();
            fs.unlink(dir, "web1.xml", 1).unwrap();
            fs.put_file("/root/web1.xml", b"<domain/>", 0o644, 1).unwrap();
        });
        assert_eq!(
            c.iter().map(|c| explain(Lang::De, c, &[])).collect::<Vec<_>>(),
            [
                "undefine hat die Definition entfernt: libvirt kennt web1 nicht mehr",
                "Datei angelegt (im Home-Verzeichnis von root)",
                "Laufzeitzustand gibt es nur, solange die Domain läuft (Live-XML, PID von QEMU)",
            ]
        );
        assert_eq!(change_kind_label(Lang::En, c[0].kind), "− removed");
    }
}
