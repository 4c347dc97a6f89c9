//! The texts of the Machine ID & cloning screen in English and German: labels, the guided
//! scenario, and why each shared value is a problem.

use guestlab_content::Lang;
use guestlab_content::sim::guest::view::Field;

pub use super::disk_images_text::T2;

pub const UNDO: T2 = T2 { en: "Undo", de: "Rückgängig" };
pub const RESET: T2 = T2 { en: "Start over", de: "Von vorn" };
pub const SCENARIO: T2 = T2 { en: "Guided scenario", de: "Geführtes Szenario" };
pub const NEXT_STEP: T2 = T2 { en: "Next step", de: "Nächster Schritt" };
pub const SCENARIO_DONE: T2 = T2 {
    en: "Scenario complete. Go on freely in the terminal, or start over.",
    de: "Szenario beendet. Experimentieren Sie frei im Terminal weiter, oder fangen Sie von vorn an.",
};
pub const SHOW_COMMANDS: T2 = T2 { en: "Show the commands", de: "Befehle zeigen" };
pub const TYPE_OR_CLICK: T2 = T2 {
    en: "Type these lines in the terminal, or click Next step:",
    de: "Tippen Sie diese Zeilen ins Terminal, oder klicken Sie auf Nächster Schritt:",
};
pub const HOST: T2 = T2 { en: "Host (Debian 12, libvirt)", de: "Host (Debian 12, libvirt)" };
pub const CONSOLE_CLOSED: T2 = T2 {
    en: "(the guest rebooted; GuestLab closes its console, so the shell is back on the host)",
    de: "(der Gast hat neu gestartet; GuestLab schließt dann seine Konsole, die Shell ist wieder auf dem Host)",
};
pub const NETWORK_INACTIVE: T2 = T2 {
    en: "network 'default' inactive: no bridge, no dnsmasq (virsh net-start default)",
    de: "Netz 'default' inaktiv: keine Bridge, kein dnsmasq (virsh net-start default)",
};
pub const DNSMASQ: T2 = T2 { en: "dnsmasq: DHCP", de: "dnsmasq: DHCP" };
pub const NO_GUESTS: T2 = T2 { en: "No guest on the network 'default'.", de: "Kein Gast im Netz 'default'." };
pub const TERMINAL_HINT: T2 = T2 {
    en: "type a command, e.g. virsh net-dhcp-leases default",
    de: "Befehl eingeben, z. B. virsh net-dhcp-leases default",
};
pub const COLLISIONS: T2 = T2 { en: "Collisions between running guests", de: "Kollisionen zwischen laufenden Gästen" };
pub const NO_COLLISIONS: T2 = T2 {
    en: "√ No collisions: every running guest has its own identity.",
    de: "√ Keine Kollisionen: Jeder laufende Gast hat seine eigene Identität.",
};
pub const FEWER_THAN_TWO: T2 = T2 {
    en: "Fewer than two guests run: nothing can collide yet.",
    de: "Weniger als zwei Gäste laufen: Noch kann nichts kollidieren.",
};
pub const NOT_RUNNING: T2 = T2 { en: "not running", de: "läuft nicht" };
pub const EMPTY: T2 = T2 { en: "(empty)", de: "(leer)" };
pub const MISSING: T2 = T2 { en: "(no file)", de: "(keine Datei)" };
pub const UNTIL_REBOOT: T2 = T2 { en: "in use until reboot:", de: "bis zum Neustart in Gebrauch:" };
pub const SSHD_DOWN: T2 = T2 { en: "sshd not running", de: "sshd läuft nicht" };
pub const NO_KEYS: T2 = T2 { en: "(no host keys)", de: "(keine Host-Keys)" };

/// The labels of the card rows.
pub fn field_label(lang: Lang, field: Option<Field>) -> &'static str {
    let t = match field {
        None => T2 { en: "MAC", de: "MAC" },
        Some(Field::MachineId) => T2 { en: "machine ID", de: "Machine-ID" },
        Some(Field::ClientId) => T2 { en: "DHCP client ID", de: "DHCP-Client-ID" },
        Some(Field::Ip) => T2 { en: "IP address", de: "IP-Adresse" },
        Some(Field::Hostname) => T2 { en: "hostname", de: "Hostname" },
        Some(Field::HostKey) => T2 { en: "SSH host key", de: "SSH-Host-Key" },
    };
    t.get(lang)
}

/// The state words of `virsh list`, translated.
pub fn state_label(lang: Lang, state: &str) -> &'static str {
    let t = match state {
        "running" => T2 { en: "running", de: "läuft" },
        "paused" => T2 { en: "paused", de: "angehalten" },
        _ => T2 { en: "shut off", de: "ausgeschaltet" },
    };
    t.get(lang)
}

/// "web1 and web2", "web1, web2 and web3".
fn names(lang: Lang, domains: &[String]) -> String {
    let and = T2 { en: " and ", de: " und " }.get(lang);
    match domains.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}{and}{last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// Why a shared value is a problem, in words.
pub fn collision_reason(lang: Lang, field: Field, value: &str, domains: &[String]) -> String {
    let who = names(lang, domains);
    match (field, lang) {
        (Field::MachineId, Lang::En) => {
            format!("{who} have the same machine ID: virt-clone copied /etc/machine-id along with the disk.")
        }
        (Field::MachineId, Lang::De) => {
            format!("{who} haben dieselbe Machine-ID: virt-clone hat /etc/machine-id mit der Platte kopiert.")
        }
        (Field::ClientId, Lang::En) => format!(
            "{who} send the same DHCP client ID: systemd-networkd derives it from the machine ID (DUID-EN), not from the MAC."
        ),
        (Field::ClientId, Lang::De) => format!(
            "{who} senden dieselbe DHCP-Client-ID: systemd-networkd leitet sie aus der Machine-ID ab (DUID-EN), nicht aus der MAC."
        ),
        (Field::Ip, Lang::En) => format!(
            "Same machine ID → same DHCP client ID → dnsmasq gives {who} the one address {value} (their MACs differ, but dnsmasq goes by the client ID)."
        ),
        (Field::Ip, Lang::De) => format!(
            "Gleiche Machine-ID → gleiche DHCP-Client-ID → dnsmasq gibt {who} dieselbe Adresse {value} (die MACs unterscheiden sich, aber dnsmasq richtet sich nach der Client-ID)."
        ),
        (Field::HostKey, Lang::En) => format!(
            "{who} have the same SSH host key: ssh cannot tell them apart, and once one gets new keys, clients warn REMOTE HOST IDENTIFICATION HAS CHANGED."
        ),
        (Field::HostKey, Lang::De) => format!(
            "{who} haben denselben SSH-Host-Key: ssh kann sie nicht unterscheiden, und sobald einer neue Schlüssel bekommt, warnen Clients REMOTE HOST IDENTIFICATION HAS CHANGED."
        ),
        (Field::Hostname, Lang::En) => format!(
            "{who} are both called {value}: the network works, but prompts, logs and people mix them up (hostnamectl set-hostname)."
        ),
        (Field::Hostname, Lang::De) => format!(
            "{who} heißen beide {value}: Das Netz funktioniert, aber Prompts, Logs und Menschen verwechseln sie (hostnamectl set-hostname)."
        ),
    }
}

/// One step of the guided scenario.
pub struct Step {
    pub title: T2,
    pub explanation: T2,
}

pub const STEPS: [Step; 10] = [
    Step {
        title: T2 { en: "1. Prepare", de: "1. Vorbereiten" },
        explanation: T2 {
            en: "The template is bookworm, a Debian 12 guest that has booted before: its disk holds a machine ID, SSH host keys and the hostname bookworm. Debian ships libvirt's network 'default' inactive; virsh net-start brings up the bridge virbr0 (192.168.122.1) and dnsmasq, which hands out addresses from 192.168.122.2 to .254.",
            de: "Die Vorlage ist bookworm, ein Debian-12-Gast, der schon einmal gebootet hat: Auf seiner Platte liegen eine Machine-ID, SSH-Host-Keys und der Hostname bookworm. Debian liefert libvirts Netz 'default' inaktiv aus; virsh net-start startet die Bridge virbr0 (192.168.122.1) und dnsmasq, der Adressen von 192.168.122.2 bis .254 vergibt.",
        },
    },
    Step {
        title: T2 { en: "2. Clone twice", de: "2. Zweimal klonen" },
        explanation: T2 {
            en: "virt-clone copies the disk image and defines a new domain with a new UUID and a new MAC address. Inside the guest nothing changes: web1 and web2 carry bookworm's machine ID, host keys and hostname (see their cards, read from the disk images).",
            de: "virt-clone kopiert das Disk-Image und definiert eine neue Domain mit neuer UUID und neuer MAC-Adresse. Im Gast ändert sich nichts: web1 und web2 tragen bookworms Machine-ID, Host-Keys und Hostnamen (siehe ihre Karten, gelesen aus den Disk-Images).",
        },
    },
    Step {
        title: T2 { en: "3. Boot both", de: "3. Beide starten" },
        explanation: T2 {
            en: "At boot systemd finds a valid /etc/machine-id and keeps it. systemd-networkd asks for a lease with a DHCP client ID made from the machine ID (DUID-EN). dnsmasq identifies clients by that ID, so it gives the second clone the address it already gave the first — although the MACs differ. The cards turn red.",
            de: "Beim Booten findet systemd eine gültige /etc/machine-id und behält sie. systemd-networkd fragt nach einer Lease mit einer DHCP-Client-ID, die aus der Machine-ID gebildet wird (DUID-EN). dnsmasq erkennt Clients an dieser ID und gibt dem zweiten Klon die Adresse, die er schon dem ersten gegeben hat – obwohl die MACs verschieden sind. Die Karten werden rot.",
        },
    },
    Step {
        title: T2 { en: "4. Look at the leases", de: "4. Leases ansehen" },
        explanation: T2 {
            en: "virsh net-dhcp-leases default shows dnsmasq's table: one lease for two machines. The MAC column holds the last clone that asked; the client ID is the same for both.",
            de: "virsh net-dhcp-leases default zeigt die Tabelle von dnsmasq: eine Lease für zwei Maschinen. In der MAC-Spalte steht der Klon, der zuletzt gefragt hat; die Client-ID ist bei beiden gleich.",
        },
    },
    Step {
        title: T2 { en: "5. Fix web2 (D-Bus way)", de: "5. web2 reparieren (D-Bus-Weg)" },
        explanation: T2 {
            en: "On web2's console: rm -f removes the ID, dbus-uuidgen --ensure writes a new one (it never repairs an existing file, hence the rm). New SSH host keys: rm /etc/ssh/ssh_host_* and ssh-keygen -A; a hostname of its own with hostnamectl. The new ID is used from the next boot on: reboot, and systemd-networkd asks with a new client ID — web2 gets a new address.",
            de: "Auf der Konsole von web2: rm -f löscht die ID, dbus-uuidgen --ensure schreibt eine neue (eine vorhandene Datei repariert es nie, daher das rm). Neue SSH-Host-Keys: rm /etc/ssh/ssh_host_* und ssh-keygen -A; ein eigener Hostname mit hostnamectl. Die neue ID gilt ab dem nächsten Boot: reboot, und systemd-networkd fragt mit neuer Client-ID – web2 bekommt eine neue Adresse.",
        },
    },
    Step {
        title: T2 { en: "6. Fix web1 (systemd way)", de: "6. web1 reparieren (systemd-Weg)" },
        explanation: T2 {
            en: "No collision is left, but web1 still has the template's ID — as would every further clone. truncate -s 0 empties /etc/machine-id; systemd-machine-id-setup fills it (in a KVM guest from the VM's UUID). After the reboot web1 asks with its own client ID and gets a new address.",
            de: "Es gibt keine Kollision mehr, aber web1 hat noch die ID der Vorlage – wie jeder weitere Klon. truncate -s 0 leert /etc/machine-id; systemd-machine-id-setup füllt sie (in einem KVM-Gast aus der UUID der VM). Nach dem Neustart fragt web1 mit eigener Client-ID und bekommt eine neue Adresse.",
        },
    },
    Step {
        title: T2 { en: "7. All unique", de: "7. Alles eindeutig" },
        explanation: T2 {
            en: "Each clone now has its own machine ID, client ID, address, host key and hostname. The lease table still lists the old lease until it expires. Clients that knew the old host key must forget it: ssh-keygen -R ADDRESS.",
            de: "Jeder Klon hat jetzt eigene Machine-ID, Client-ID, Adresse, Host-Key und Hostnamen. Die Lease-Tabelle zeigt die alte Lease, bis sie abläuft. Clients, die den alten Host-Key kannten, müssen ihn vergessen: ssh-keygen -R ADRESSE.",
        },
    },
    Step {
        title: T2 { en: "8. Better: prepare the template", de: "8. Besser: Vorlage vorbereiten" },
        explanation: T2 {
            en: "Start over: remove both clones with their disks. Then prepare the template once, while it is shut off: virt-sysprep's machine-id operation leaves an empty /etc/machine-id, ssh-hostkeys removes the host keys. Every clone of it makes its own.",
            de: "Von vorn: beide Klone samt Platten entfernen. Dann die Vorlage einmal vorbereiten, solange sie ausgeschaltet ist: Die Operation machine-id von virt-sysprep hinterlässt eine leere /etc/machine-id, ssh-hostkeys entfernt die Host-Keys. Jeder Klon davon erzeugt seine eigenen.",
        },
    },
    Step {
        title: T2 { en: "9. Clone and boot again", de: "9. Wieder klonen und starten" },
        explanation: T2 {
            en: "An empty machine-id is no first boot, but systemd writes a new ID: each clone now asks with its own client ID and dnsmasq gives two addresses. Without host keys sshd does not start (Debian makes them only when openssh-server is installed).",
            de: "Eine leere machine-id ist kein erster Boot, aber systemd schreibt eine neue ID: Jeder Klon fragt jetzt mit eigener Client-ID, und dnsmasq vergibt zwei Adressen. Ohne Host-Keys startet sshd nicht (Debian erzeugt sie nur bei der Installation von openssh-server).",
        },
    },
    Step {
        title: T2 { en: "10. Host keys and names", de: "10. Host-Keys und Namen" },
        explanation: T2 {
            en: "On each clone: ssh-keygen -A makes the missing host keys, systemctl restart ssh starts sshd, hostnamectl sets a name of its own. Nothing collides, and no clone ever shared an identity.",
            de: "Auf jedem Klon: ssh-keygen -A erzeugt die fehlenden Host-Keys, systemctl restart ssh startet sshd, hostnamectl setzt einen eigenen Namen. Nichts kollidiert, und kein Klon hatte je eine fremde Identität.",
        },
    },
];
