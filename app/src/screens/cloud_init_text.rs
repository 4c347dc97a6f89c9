//! The texts of the cloud-init screen in English and German: buttons, the editor, the boot
//! timeline and what each stage is for.

pub use super::disk_images_text::T2;

pub const EXAMPLES: T2 = T2 { en: "Examples", de: "Beispiele" };
pub const UNDO: T2 = T2 { en: "Undo", de: "Rückgängig" };
pub const RESET: T2 = T2 { en: "Start over", de: "Von vorn" };
pub const CREATE_SEED: T2 = T2 { en: "1. Create seed", de: "1. Seed erstellen" };
pub const CREATE_SEED_HINT: T2 = T2 {
    en: "Writes user-data and meta-data on the host and builds the NoCloud seed with cloud-localds.",
    de: "Schreibt user-data und meta-data auf den Host und baut mit cloud-localds das NoCloud-Seed.",
};
pub const BOOT_VM: T2 = T2 { en: "2. Create VM and boot", de: "2. VM anlegen und starten" };
pub const BOOT_VM_HINT: T2 = T2 {
    en: "An overlay on the Debian cloud image, then virt-install with the seed as a CD-ROM: the guest boots and cloud-init runs.",
    de: "Ein Overlay auf dem Debian-Cloud-Image, dann virt-install mit dem Seed als CD-ROM: Der Gast startet, cloud-init läuft.",
};
pub const START_VM: T2 = T2 { en: "2. Boot", de: "2. Starten" };
pub const REBOOT: T2 = T2 { en: "Reboot", de: "Neustart" };
pub const REBOOT_HINT: T2 = T2 {
    en: "Same instance-id: per-instance modules are skipped, bootcmd runs again.",
    de: "Gleiche instance-id: Module mit Frequenz „pro Instanz“ werden übersprungen, bootcmd läuft erneut.",
};
pub const NEW_INSTANCE: T2 = T2 { en: "New instance-id", de: "Neue instance-id" };
pub const NEW_INSTANCE_HINT: T2 = T2 {
    en: "Changes instance-id in meta-data, rebuilds the seed and reboots: cloud-init sees a new instance and runs the per-instance modules again (new SSH host keys).",
    de: "Ändert die instance-id in meta-data, baut das Seed neu und startet neu: cloud-init sieht eine neue Instanz und führt die Module „pro Instanz“ erneut aus (neue SSH-Host-Keys).",
};
pub const CLEAN: T2 = T2 { en: "Clean", de: "Bereinigen" };
pub const CLEAN_HINT: T2 = T2 {
    en: "cloud-init clean --logs in the guest, then a reboot: cloud-init forgets it ever ran and runs like on the first boot.",
    de: "cloud-init clean --logs im Gast, dann ein Neustart: cloud-init vergisst, dass es je lief, und verhält sich wie beim ersten Start.",
};
pub const VALIDATE: T2 = T2 { en: "Check in the terminal", de: "Im Terminal prüfen" };
pub const VALIDATE_HINT: T2 = T2 {
    en: "Writes user-data on the host and runs cloud-init schema --config-file user-data.",
    de: "Schreibt user-data auf den Host und führt cloud-init schema --config-file user-data aus.",
};
pub const NETWORK_CONFIG_IN_SEED: T2 =
    T2 { en: "put network-config into the seed", de: "network-config ins Seed aufnehmen" };
pub const LINE: T2 = T2 { en: "Line", de: "Zeile" };
pub const EDITOR_OF: T2 = T2 { en: "Editor:", de: "Editor:" };
pub const SCHEMA_SAYS: T2 = T2 {
    en: "cloud-init schema --config-file user-data says:",
    de: "cloud-init schema --config-file user-data meldet:",
};
pub const YAML_OK: T2 = T2 { en: "√ valid YAML", de: "√ gültiges YAML" };
pub const NO_INSTANCE_ID: T2 = T2 {
    en: "meta-data has no instance-id: NoCloud then calls the instance 'nocloud'.",
    de: "meta-data hat keine instance-id: NoCloud nennt die Instanz dann „nocloud“.",
};
pub const TERMINAL_HINT: T2 = T2 {
    en: "type a command, e.g. cloud-init schema --config-file user-data",
    de: "Befehl eingeben, z. B. cloud-init schema --config-file user-data",
};
pub const CONSOLE_CLOSED: T2 = T2 {
    en: "(the guest rebooted; GuestLab closes its console, so the shell is back on the host)",
    de: "(der Gast hat neu gestartet; GuestLab schließt dann seine Konsole, die Shell ist wieder auf dem Host)",
};
pub const HOST_KEY_MISSING: T2 = T2 {
    en: "The host has no SSH key yet: the example uses a sample key. Make one on the host and put it in:",
    de: "Der Host hat noch keinen SSH-Schlüssel: Das Beispiel enthält einen Musterschlüssel. Erzeugen Sie einen auf dem Host und setzen Sie ihn ein:",
};
pub const USE_HOST_KEY: T2 = T2 { en: "ssh-keygen and insert the key", de: "ssh-keygen und Schlüssel einsetzen" };
pub const NO_CLOUD_IMAGE: T2 = T2 {
    en: "The host has no Debian cloud image (debian-12-genericcloud-amd64.qcow2) in /var/lib/libvirt/images.",
    de: "Der Host hat kein Debian-Cloud-Image (debian-12-genericcloud-amd64.qcow2) in /var/lib/libvirt/images.",
};

pub const TIMELINE: T2 = T2 { en: "Boot timeline", de: "Startablauf" };
pub const NO_BOOT: T2 = T2 {
    en: "No boot yet. Create the seed, then create the VM and boot it: the stages and modules appear here and play back step by step.",
    de: "Noch kein Start. Erstellen Sie das Seed, legen Sie dann die VM an und starten Sie sie: Stufen und Module erscheinen hier und laufen Schritt für Schritt ab.",
};
pub const BOOT_OVER: T2 = T2 {
    en: "The boot is over. Click a module to see what it did, or replay.",
    de: "Der Start ist abgeschlossen. Klicken Sie auf ein Modul, um zu sehen, was es getan hat, oder spielen Sie den Ablauf erneut ab.",
};
pub const REPLAY: T2 = T2 { en: "Replay", de: "Von vorn abspielen" };
pub const PLAY: T2 = T2 { en: "Play", de: "Abspielen" };
pub const PAUSE: T2 = T2 { en: "Pause", de: "Pause" };
pub const STEP: T2 = T2 { en: "Step", de: "Schritt" };
pub const SHOW_ALL: T2 = T2 { en: "Show all", de: "Alles zeigen" };
pub const SPEED: T2 = T2 { en: "Speed", de: "Tempo" };
pub const DONE: T2 = T2 { en: "done", de: "fertig" };
pub const RUNNING: T2 = T2 { en: "running", de: "läuft" };
pub const PENDING: T2 = T2 { en: "not yet", de: "noch nicht" };
pub const RAN: T2 = T2 { en: "ran", de: "ausgeführt" };
pub const SKIPPED_ALREADY: T2 =
    T2 { en: "skipped: already ran (semaphore)", de: "übersprungen: lief bereits (Semaphor)" };
pub const SKIPPED_NO_CONFIG: T2 = T2 { en: "skipped: nothing configured", de: "übersprungen: nichts konfiguriert" };
pub const FAILED: T2 = T2 { en: "failed", de: "fehlgeschlagen" };
pub const NO_CHANGES: T2 =
    T2 { en: "No change to the guest's files or users.", de: "Keine Änderung an Dateien oder Benutzern des Gastes." };
pub const BOOT_OF: T2 = T2 { en: "Boot", de: "Start Nr." };
pub const NOT_RUN: T2 = T2 { en: "not run", de: "nicht gelaufen" };
pub const SKIPPED_NOT_VERIFIED: T2 =
    T2 { en: "skipped: not verified on Debian", de: "übersprungen: unter Debian nicht geprüft" };
pub const PASSWORD_LOCKED: T2 = T2 { en: "password locked", de: "Passwort gesperrt" };
pub const PASSWORD_SET: T2 = T2 { en: "password set", de: "Passwort gesetzt" };
pub const MORE_FILES: T2 = T2 { en: "more files", de: "weitere Dateien" };
pub const SEED_FIRST: T2 = T2 {
    en: "Create the seed first (button 1), or boot the guest that is already there.",
    de: "Erstellen Sie zuerst das Seed (Schaltfläche 1) oder starten Sie den vorhandenen Gast.",
};
pub const MORE_LINES: T2 = T2 { en: "more lines", de: "weitere Zeilen" };
