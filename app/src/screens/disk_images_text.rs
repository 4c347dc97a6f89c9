//! The texts of the Disk images screen in English and German: button labels and what each
//! guest activity did to the images, and why.

use guestlab_content::Lang;
use guestlab_content::sim::disk::view::{GuestKind, HostKind};

/// A text in both languages.
pub struct T2 {
    pub en: &'static str,
    pub de: &'static str,
}

impl T2 {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::De => self.de,
        }
    }
}

pub const SCENARIO: T2 = T2 { en: "Scenario", de: "Szenario" };
pub const COW_VS_RAW: T2 = T2 { en: "COW vs RAW, side by side", de: "COW und RAW im Vergleich" };
pub const SANDBOX: T2 = T2 { en: "Free sandbox", de: "Freies Experimentieren" };
pub const UNDO: T2 = T2 { en: "Undo", de: "Rückgängig" };
pub const RESET: T2 = T2 { en: "Start over", de: "Von vorn" };
pub const ACTIVITY: T2 = T2 { en: "Guest activity", de: "Was der Gast tut" };
pub const KIB_CLUSTERS: T2 = T2 { en: "KiB clusters", de: "KiB große Cluster" };
pub const WHAT_HAPPENED: T2 = T2 { en: "What just happened", de: "Was gerade passiert ist" };
pub const IMAGES: T2 = T2 { en: "Images", de: "Images" };
pub const NO_IMAGES: T2 = T2 {
    en: "No disk images here yet. Create one, for example: qemu-img create -f qcow2 test.qcow2 1G",
    de: "Hier gibt es noch keine Disk-Images. Legen Sie eines an, zum Beispiel: qemu-img create -f qcow2 test.qcow2 1G",
};
pub const GUEST_ROW: T2 = T2 { en: "disk as the guest sees it", de: "Platte aus Sicht des Gastes" };
pub const FILE_ROW: T2 = T2 { en: "image file on the host", de: "Image-Datei auf dem Host" };
pub const VIRTUAL: T2 = T2 { en: "virtual", de: "virtuell" };
pub const FILE_LEN: T2 = T2 { en: "file (ls -l)", de: "Datei (ls -l)" };
pub const ALLOCATED: T2 = T2 { en: "allocated (du)", de: "belegt (du)" };
pub const CHART: T2 = T2 {
    en: "Allocated space (du, solid) and file length (ls -l, dashed) after each step",
    de: "Belegter Platz (du, durchgezogen) und Dateilänge (ls -l, gestrichelt) nach jedem Schritt",
};
pub const TERMINAL_HINT: T2 =
    T2 { en: "type a command, e.g. qemu-img info disk.qcow2", de: "Befehl eingeben, z. B. qemu-img info disk.qcow2" };
pub const GUEST_OFFSET: T2 = T2 { en: "guest offset", de: "Gast-Offset" };
pub const HOST_OFFSET: T2 = T2 { en: "host offset", de: "Host-Offset" };
pub const NOT_STORED: T2 = T2 { en: "not stored in this file", de: "nicht in dieser Datei gespeichert" };

pub const LEGEND_GUEST: [(T2, GuestKind); 5] = [
    (T2 { en: "data", de: "Daten" }, GuestKind::Data),
    (T2 { en: "zero", de: "Null" }, GuestKind::Zero),
    (T2 { en: "from backing file", de: "aus dem Backing-File" }, GuestKind::Backing),
    (T2 { en: "unallocated", de: "nicht belegt" }, GuestKind::Unallocated),
    (T2 { en: "compressed", de: "komprimiert" }, GuestKind::Compressed),
];

pub const LEGEND_HOST: [(T2, HostKind); 7] = [
    (T2 { en: "header", de: "Header" }, HostKind::Header),
    (T2 { en: "refcount table/block", de: "Refcount-Tabelle/-Block" }, HostKind::RefcountTable),
    (T2 { en: "L1 table", de: "L1-Tabelle" }, HostKind::L1),
    (T2 { en: "L2 table", de: "L2-Tabelle" }, HostKind::L2),
    (T2 { en: "guest data", de: "Gastdaten" }, HostKind::Data),
    (T2 { en: "allocated, unwritten", de: "belegt, ungeschrieben" }, HostKind::Unwritten),
    (T2 { en: "hole", de: "Loch" }, HostKind::Hole),
];

/// The name of a host cluster's kind, for the map's tooltip.
pub fn host_kind_name(kind: HostKind, lang: Lang) -> &'static str {
    let name = match kind {
        HostKind::RefcountBlock => T2 { en: "refcount block", de: "Refcount-Block" },
        HostKind::RefcountTable => T2 { en: "refcount table", de: "Refcount-Tabelle" },
        HostKind::SnapshotTable => T2 { en: "snapshot table", de: "Snapshot-Tabelle" },
        _ => return LEGEND_HOST.iter().find(|(_, k)| *k == kind).map_or("", |(name, _)| name.get(lang)),
    };
    name.get(lang)
}

/// The guest activities of the side-by-side scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activity {
    Setup,
    InstallOs,
    WriteFile,
    DeleteFile,
    Fstrim,
    WriteZeros,
    Snapshot,
    Commit,
    Convert,
}

impl Activity {
    pub const BUTTONS: [Self; 8] = [
        Self::InstallOs,
        Self::WriteFile,
        Self::DeleteFile,
        Self::Fstrim,
        Self::WriteZeros,
        Self::Snapshot,
        Self::Commit,
        Self::Convert,
    ];

    pub fn label(self) -> T2 {
        match self {
            Self::Setup => T2 { en: "Set up", de: "Vorbereiten" },
            Self::InstallOs => T2 { en: "Install the OS", de: "Betriebssystem installieren" },
            Self::WriteFile => T2 { en: "Write a 1 GiB file", de: "1-GiB-Datei schreiben" },
            Self::DeleteFile => T2 { en: "Delete it", de: "Datei löschen" },
            Self::Fstrim => T2 { en: "fstrim", de: "fstrim" },
            Self::WriteZeros => T2 { en: "Write zeros", de: "Nullen schreiben" },
            Self::Snapshot => T2 { en: "Take an overlay snapshot", de: "Overlay-Snapshot anlegen" },
            Self::Commit => T2 { en: "Commit the overlay", de: "Overlay zurückschreiben" },
            Self::Convert => T2 { en: "Convert to compact", de: "Mit convert verkleinern" },
        }
    }

    pub fn explanation(self) -> T2 {
        match self {
            Self::Setup => T2 {
                en: "Four disks of 4 GiB each, for the same guest activity: a sparse RAW file (only its length is set), a RAW file with preallocation=full (all 4 GiB written at once), a qcow2 image, and vm2.qcow2, a qcow2 overlay on the template base.qcow2, which already holds an installed system. Compare `ls -l` (the file length) with `du` (the space the file really takes): for the sparse RAW file they differ by almost 4 GiB.",
                de: "Vier Platten zu je 4 GiB für dieselbe Aktivität des Gastes: eine dünn belegte RAW-Datei (nur ihre Länge ist gesetzt), eine RAW-Datei mit preallocation=full (alle 4 GiB sofort geschrieben), ein qcow2-Image und vm2.qcow2, ein qcow2-Overlay auf der Vorlage base.qcow2, in der bereits ein installiertes System liegt. Vergleichen Sie `ls -l` (die Dateilänge) mit `du` (den tatsächlich belegten Platz): Bei der dünnen RAW-Datei liegen fast 4 GiB dazwischen.",
            },
            Self::InstallOs => T2 {
                en: "Installing wrote about 1.3 GiB to a few regions of the disk. The sparse RAW file gained blocks only where the guest wrote; its length was 4 GiB all along. The preallocated RAW file had every block already, so nothing changed. The qcow2 image grew by whole 64 KiB clusters, plus one 64 KiB L2 table for every 512 MiB region it touched. vm2.qcow2 installed nothing: its guest reads the system from the template base.qcow2 (blue cells: read from the backing file).",
                de: "Die Installation hat rund 1,3 GiB in einige Bereiche der Platte geschrieben. Die dünne RAW-Datei hat nur dort Blöcke bekommen, wo der Gast geschrieben hat – ihre Länge war von Anfang an 4 GiB. Die vorbelegte RAW-Datei hatte alle Blöcke schon, an ihr hat sich nichts geändert. Das qcow2-Image ist um ganze 64-KiB-Cluster gewachsen, dazu kommt je angefangenem 512-MiB-Bereich eine 64 KiB große L2-Tabelle. vm2.qcow2 musste nichts installieren: Der Gast liest das System aus der Vorlage base.qcow2 (blaue Zellen: aus dem Backing-File).",
            },
            Self::WriteFile => T2 {
                en: "The guest wrote a 1 GiB file. Every newly touched cluster costs the qcow2 image one whole cluster; overwriting clusters it already has costs nothing. The overlay vm2.qcow2 now holds that 1 GiB itself, while the template base.qcow2 stays untouched. That is why one template can serve many VMs.",
                de: "Der Gast hat eine Datei mit 1 GiB geschrieben. Jeder neu berührte Cluster kostet das qcow2-Image einen ganzen Cluster; bereits vorhandene Cluster zu überschreiben kostet nichts. Das Overlay vm2.qcow2 enthält dieses 1 GiB jetzt selbst, die Vorlage base.qcow2 bleibt unverändert. Deshalb kann eine Vorlage viele VMs bedienen.",
            },
            Self::DeleteFile => T2 {
                en: "The guest deleted the file, and no image got smaller. Deleting only marks the blocks as free inside the guest's file system; the disk below cannot know that they no longer matter. Only a discard request (fstrim in the guest) tells it.",
                de: "Der Gast hat die Datei gelöscht, und kein Image ist kleiner geworden. Löschen markiert die Blöcke nur im Dateisystem des Gastes als frei; die Platte darunter erfährt nichts davon. Erst eine Discard-Anforderung (fstrim im Gast) teilt es ihr mit.",
            },
            Self::Fstrim => T2 {
                en: "fstrim sent discard requests for the freed 1 GiB. The RAW files got holes punched: `du` dropped, `ls -l` stayed. In the qcow2 images the discarded clusters now read as zeros and their host clusters were freed and punched out as well; the file length stays, because qcow2 never moves later clusters forward. In a real VM the requests only arrive with discard='unmap' in the libvirt disk definition.",
                de: "fstrim hat für das freigegebene 1 GiB Discard-Anforderungen geschickt. In die RAW-Dateien wurden Löcher gestanzt: `du` ist gesunken, `ls -l` gleich geblieben. In den qcow2-Images lesen sich die verworfenen Cluster jetzt als Nullen, ihre Host-Cluster wurden freigegeben und ebenfalls ausgestanzt; die Dateilänge bleibt, weil qcow2 spätere Cluster nie nach vorn rückt. In einer echten VM kommen die Anforderungen nur mit discard='unmap' in der libvirt-Plattendefinition an.",
            },
            Self::WriteZeros => T2 {
                en: "The guest wrote 256 MiB of zero bytes, as `dd if=/dev/zero` does. To the image, zeros are data like any other: the qcow2 images allocated clusters for them and the sparse RAW file allocated blocks. Only a write-zeroes request, or `qemu-img convert`, which looks for zero blocks, avoids storing them.",
                de: "Der Gast hat 256 MiB Null-Bytes geschrieben, wie es `dd if=/dev/zero` tut. Für das Image sind Nullen Daten wie alle anderen: Die qcow2-Images haben dafür Cluster belegt und die dünne RAW-Datei Blöcke. Nur eine Write-Zeroes-Anforderung oder `qemu-img convert`, das nach Null-Blöcken sucht, speichert sie nicht.",
            },
            Self::Snapshot => T2 {
                en: "An external snapshot: every disk got a new qcow2 overlay whose backing file is the old image (`qemu-img create -b … -F …`). The old image is now frozen for this VM; new writes go into the small overlay. Even a RAW image can be the backing file of a qcow2 overlay.",
                de: "Ein externer Snapshot: Jede Platte hat ein neues qcow2-Overlay bekommen, dessen Backing-File das alte Image ist (`qemu-img create -b … -F …`). Das alte Image ist für diese VM jetzt eingefroren; neue Schreibzugriffe landen im kleinen Overlay. Auch ein RAW-Image kann Backing-File eines qcow2-Overlays sein.",
            },
            Self::Commit => T2 {
                en: "`qemu-img commit` copied what each overlay held into its backing file and emptied the overlay; then the overlay was removed and the VM uses the image below again. The template under vm2.qcow2 was left alone: committing into it would change the disk of every VM built on it.",
                de: "`qemu-img commit` hat den Inhalt jedes Overlays in sein Backing-File kopiert und das Overlay geleert; danach wurde das Overlay entfernt und die VM nutzt wieder das Image darunter. Die Vorlage unter vm2.qcow2 blieb unangetastet: Ein Commit dorthin würde die Platte jeder VM verändern, die auf ihr aufbaut.",
            },
            Self::Convert => T2 {
                en: "`qemu-img convert` copied each disk to a new file, which then replaced the old one. Zero blocks and discarded space are skipped, so the copies are compact, and the RAW files are sparse now: the preallocation is gone. vm2.qcow2 was flattened: it no longer needs base.qcow2, so it now holds the template's data too.",
                de: "`qemu-img convert` hat jede Platte in eine neue Datei kopiert, die dann die alte ersetzt hat. Null-Blöcke und verworfener Platz werden übersprungen, die Kopien sind also kompakt, und die RAW-Dateien sind jetzt dünn belegt: Die Vorbelegung ist weg. vm2.qcow2 wurde „flachgeklopft“: Es braucht base.qcow2 nicht mehr und enthält deshalb jetzt auch die Daten der Vorlage.",
            },
        }
    }
}

/// A short explanation for a command the learner typed.
pub fn command_hint(lang: Lang, command: &str) -> Option<&'static str> {
    let words: Vec<&str> = command.split_whitespace().filter(|w| *w != "sudo").collect();
    let t = match (words.first().copied(), words.get(1).copied()) {
        (Some("qemu-img"), Some("create")) => T2 {
            en: "qemu-img create made a new image. A qcow2 image starts with a header, a refcount table and block and an L1 table — a few hundred KiB, whatever the virtual size. A RAW image is a file of the full length, sparse unless preallocated.",
            de: "qemu-img create hat ein neues Image angelegt. Ein qcow2-Image beginnt mit Header, Refcount-Tabelle und -Block und einer L1-Tabelle – ein paar hundert KiB, egal wie groß die virtuelle Platte ist. Ein RAW-Image ist eine Datei in voller Länge, dünn belegt, solange nichts vorbelegt wird.",
        },
        (Some("qemu-io"), _) if command.contains("discard") => T2 {
            en: "A discard frees whole clusters (qcow2) or punches holes (RAW): `du` drops, the file length does not.",
            de: "Ein Discard gibt ganze Cluster frei (qcow2) oder stanzt Löcher (RAW): `du` sinkt, die Dateilänge nicht.",
        },
        (Some("qemu-io"), _) if command.contains("-z") => T2 {
            en: "A write-zeroes request: qcow2 marks whole clusters as zero without storing data; a partial cluster is only flagged if the rest of it already reads as zeros.",
            de: "Eine Write-Zeroes-Anforderung: qcow2 markiert ganze Cluster als Null, ohne Daten zu speichern; ein angebrochener Cluster wird nur markiert, wenn sein Rest schon Nullen liest.",
        },
        (Some("qemu-io"), _) => T2 {
            en: "A guest write. In qcow2 every newly touched cluster is allocated whole (one byte costs a full cluster), and each new 512 MiB region (with 64 KiB clusters) also needs an L2 table.",
            de: "Ein Schreibzugriff des Gastes. In qcow2 wird jeder neu berührte Cluster ganz belegt (ein Byte kostet einen ganzen Cluster), und jeder neue 512-MiB-Bereich (bei 64-KiB-Clustern) braucht zusätzlich eine L2-Tabelle.",
        },
        (Some("qemu-img"), Some("convert")) => T2 {
            en: "qemu-img convert copies only what the guest can read as non-zero: the result is compact, and a backing chain is flattened into one standalone image.",
            de: "qemu-img convert kopiert nur, was der Gast als Nicht-Null lesen kann: Das Ergebnis ist kompakt, und eine Backing-Kette wird zu einem eigenständigen Image zusammengefasst.",
        },
        (Some("qemu-img"), Some("resize")) => T2 {
            en: "qemu-img resize changes the virtual size. Growing a qcow2 image costs almost nothing; the guest still has to grow its partition and file system itself.",
            de: "qemu-img resize ändert die virtuelle Größe. Ein qcow2-Image zu vergrößern kostet fast nichts; Partition und Dateisystem muss der Gast aber selbst vergrößern.",
        },
        (Some("qemu-img"), Some("map")) => T2 {
            en: "qemu-img map lists which guest ranges hold data, zeros or nothing, at which depth of the backing chain, and where in the file they are stored.",
            de: "qemu-img map zeigt, welche Gastbereiche Daten, Nullen oder nichts enthalten, in welcher Tiefe der Backing-Kette und wo in der Datei sie liegen.",
        },
        _ => return None,
    };
    Some(t.get(lang))
}
