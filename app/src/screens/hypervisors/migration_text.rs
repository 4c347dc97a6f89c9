//! The texts of the Hypervisors screen's migration tab in English and German.

use guestlab_content::Lang;

pub use super::super::disk_images_text::T2;

pub const INTRO: T2 = T2 {
    en: "Live migration moves a running VM to another host. QEMU copies the memory while the guest keeps running, then again the pages the guest changed meanwhile, round after round; at the end it pauses the guest for a moment and copies the rest (stop-and-copy). Move the slider: the faster the guest writes, the more rounds, the more data and the longer the pause.",
    de: "Eine Live-Migration zieht eine laufende VM auf einen anderen Host um. QEMU kopiert den Arbeitsspeicher, während der Gast weiterläuft, dann die Seiten, die der Gast inzwischen verändert hat, Runde für Runde; zum Schluss hält es den Gast kurz an und kopiert den Rest (Stop-and-Copy). Bewegen Sie den Schieberegler: Je schneller der Gast schreibt, desto mehr Runden, desto mehr Daten und desto länger die Pause.",
};
pub const DIRTY_RATE: T2 = T2 { en: "Dirty-page rate (MiB/s)", de: "Schreibrate im Speicher (MiB/s)" };
pub const LINK: T2 = T2 { en: "Link:", de: "Verbindung:" };
pub const MEMORY: T2 = T2 { en: "Guest memory:", de: "Arbeitsspeicher des Gastes:" };
pub const SHARED: T2 =
    T2 { en: "Disks on shared storage (NFS, iSCSI, Ceph)", de: "Platten auf gemeinsamem Speicher (NFS, iSCSI, Ceph)" };
pub const SOURCE: T2 = T2 { en: "host — source", de: "host – Quelle" };
pub const TARGET: T2 = T2 { en: "host2 — target", de: "host2 – Ziel" };
pub const PAUSED: T2 = T2 { en: "guest paused", de: "Gast angehalten" };
pub const RUNNING_HERE: T2 = T2 { en: "guest runs here", de: "Gast läuft hier" };
pub const DISK_COPY: T2 =
    T2 { en: "copying the disk (--copy-storage-all)", de: "Platte wird kopiert (--copy-storage-all)" };
pub const LEGEND_CLEAN: T2 = T2 { en: "sent, unchanged", de: "gesendet, unverändert" };
pub const LEGEND_DIRTY: T2 = T2 { en: "written again by the guest (dirty)", de: "vom Gast erneut beschrieben (dirty)" };
pub const LEGEND_PENDING: T2 = T2 { en: "still to send", de: "noch zu senden" };
pub const DOWNTIME: T2 = T2 { en: "Downtime", de: "Ausfallzeit" };
/// The downtime's label when pre-copy does not converge: the pause it would take to force the
/// switch after the rounds shown (e.g. libvirt's --timeout suspending the guest).
pub const DOWNTIME_FORCED: T2 = T2 { en: "Downtime if paused now", de: "Ausfallzeit bei Anhalten jetzt" };
pub const ROUNDS: T2 = T2 { en: "Pre-copy rounds", de: "Pre-Copy-Runden" };
pub const TRANSFERRED: T2 = T2 { en: "Transferred", de: "Übertragen" };
pub const TOTAL_TIME: T2 = T2 { en: "Total time", de: "Gesamtdauer" };
pub const NOT_CONVERGING: T2 = T2 {
    en: "Does not converge: the guest dirties memory about as fast as the link carries it. QEMU would go on forever; libvirt offers --auto-converge (slow the guest's CPUs down), --postcopy (switch to post-copy) or --timeout (pause the guest after a while).",
    de: "Konvergiert nicht: Der Gast beschreibt seinen Speicher etwa so schnell, wie die Leitung überträgt. QEMU würde endlos weiterkopieren; libvirt bietet --auto-converge (die CPUs des Gastes bremsen), --postcopy (auf Post-Copy umschalten) oder --timeout (den Gast nach einer Weile anhalten).",
};
pub const OFFLINE_HEADING: T2 = T2 { en: "Offline migration, for comparison", de: "Offline-Migration zum Vergleich" };
pub const SHARED_HEADING: T2 = T2 { en: "Why shared storage matters", de: "Warum gemeinsamer Speicher wichtig ist" };
pub const SHARED_EXPLAINED: T2 = T2 {
    en: "Only memory and CPU state travel in a live migration. The target must open the very same disk image: on shared storage both hosts see it, and nothing else has to move. On local disks, libvirt refuses (\"Unsafe migration: Migration without shared storage is unsafe\"); --copy-storage-all copies the whole disk first, over the same link, while the guest keeps writing to it — much more data and time. The lab's hosts have local disks, so try both commands below.",
    de: "Bei einer Live-Migration reisen nur Arbeitsspeicher und CPU-Zustand. Das Ziel muss genau dasselbe Platten-Image öffnen: Auf gemeinsamem Speicher sehen es beide Hosts, und sonst muss nichts umziehen. Bei lokalen Platten verweigert libvirt („Unsafe migration: Migration without shared storage is unsafe“); --copy-storage-all kopiert vorher die ganze Platte über dieselbe Leitung, während der Gast weiter darauf schreibt – viel mehr Daten und Zeit. Die Hosts im Labor haben lokale Platten; probieren Sie deshalb beide Befehle unten aus.",
};
pub const WORLD_HEADING: T2 =
    T2 { en: "Two hosts in the lab: virsh migrate", de: "Zwei Hosts im Labor: virsh migrate" };
pub const WORLD_HELP: T2 = T2 {
    en: "Each button runs its command in the terminal below. Watch which host has the domain, and which of its files.",
    de: "Jede Schaltfläche führt ihren Befehl im Terminal unten aus. Achten Sie darauf, welcher Host die Domain hat und welche ihrer Dateien.",
};
pub const PREPARE: T2 = T2 { en: "Start bookworm on host", de: "bookworm auf host starten" };
pub const NO_DOMAINS: T2 = T2 { en: "no domains", de: "keine Domains" };
pub const NOT_SET_UP: T2 = T2 { en: "(set up by the first migrate)", de: "(wird beim ersten migrate eingerichtet)" };
pub const PERSISTENT: T2 = T2 { en: "persistent", de: "persistent" };
pub const TRANSIENT: T2 = T2 { en: "transient", de: "transient" };
pub const TERMINAL_HINT: T2 = T2 {
    en: "type a command, e.g. virsh -c qemu+ssh://host2/system list --all",
    de: "Befehl eingeben, z. B. virsh -c qemu+ssh://host2/system list --all",
};

pub fn link_name(mib_s: f64) -> &'static str {
    if mib_s > 500.0 { "10 Gbit/s" } else { "1 Gbit/s" }
}

/// "Round 2 of 3".
pub fn phase(lang: Lang, phase: &Phase) -> String {
    match (lang, phase) {
        (Lang::En, Phase::Storage) => "Copying the disk while the guest runs".to_owned(),
        (Lang::De, Phase::Storage) => "Platte wird kopiert, der Gast läuft".to_owned(),
        (Lang::En, Phase::Round(i, n)) => format!("Round {} of {n}: the guest runs on", i + 1),
        (Lang::De, Phase::Round(i, n)) => format!("Runde {} von {n}: Der Gast läuft weiter", i + 1),
        (Lang::En, Phase::StopAndCopy) => "Stop-and-copy: the guest is paused".to_owned(),
        (Lang::De, Phase::StopAndCopy) => "Stop-and-Copy: Der Gast ist angehalten".to_owned(),
        (Lang::En, Phase::Resumed) => "Resumed on host2 — the source domain is shut off (migrated)".to_owned(),
        (Lang::De, Phase::Resumed) => "Auf host2 fortgesetzt – die Domain auf der Quelle ist aus (migrated)".to_owned(),
    }
}

/// A phase of the animation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Storage,
    /// Round index and number of rounds.
    Round(usize, usize),
    StopAndCopy,
    Resumed,
}

pub fn offline_summary(lang: Lang, shutdown: f64, copy: f64, boot: f64) -> String {
    let total = shutdown + copy + boot;
    match lang {
        Lang::En if copy > 0.0 => format!(
            "Shut down ({shutdown:.0} s), copy the disk ({copy:.0} s), boot on host2 ({boot:.0} s): down for about {total:.0} s, and every connection is lost."
        ),
        Lang::En => format!(
            "Shut down ({shutdown:.0} s), start on host2 from the shared disk ({boot:.0} s): down for about {total:.0} s, and every connection is lost."
        ),
        Lang::De if copy > 0.0 => format!(
            "Herunterfahren ({shutdown:.0} s), Platte kopieren ({copy:.0} s), auf host2 booten ({boot:.0} s): etwa {total:.0} s nicht erreichbar, und alle Verbindungen brechen ab."
        ),
        Lang::De => format!(
            "Herunterfahren ({shutdown:.0} s), auf host2 von der gemeinsamen Platte starten ({boot:.0} s): etwa {total:.0} s nicht erreichbar, und alle Verbindungen brechen ab."
        ),
    }
}

/// What a migration command teaches, shown next to its button.
pub fn command_note(lang: Lang, command: &str) -> &'static str {
    let t = if command.starts_with("virsh -c") {
        T2 { en: "look at host2's domains", de: "die Domains auf host2 ansehen" }
    } else if command.contains("--offline") {
        T2 {
            en: "only the definition moves; the disk stays (copy it yourself)",
            de: "nur die Definition zieht um; die Platte bleibt (selbst kopieren)",
        }
    } else if command.contains("--copy-storage-all") {
        T2 {
            en: "copies the disk along; defines it on host2, forgets it here",
            de: "kopiert die Platte mit; definiert sie auf host2, vergisst sie hier",
        }
    } else if command.contains("--live") {
        T2 { en: "the classic command — what does libvirt say?", de: "der klassische Befehl – was sagt libvirt?" }
    } else {
        T2 { en: "", de: "" }
    };
    t.get(lang)
}
