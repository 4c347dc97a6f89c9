//! Ready-made user-data for the editor, in English and German (only the comments differ): a
//! user with an SSH key, nginx with its index page, host name/time zone/locale, and a broken
//! config to repair.

use guestlab_content::Lang;

use crate::screens::disk_images_text::T2;

/// Where the example with a user puts the public key (replaced by the host's key if it has one).
pub const KEY_PLACEHOLDER: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKc3xq0mY1q1nTzXo8b6l2C9wqgY1cQm5dJ0f6Hk3s2R root@host";

/// The meta-data every example starts from.
pub const META_DATA: &str = "instance-id: iid-cloudy-01\nlocal-hostname: cloudy\n";

/// A netplan v2 network-config for the guest's one interface.
pub const NETWORK_CONFIG: &str = "version: 2\nethernets:\n  enp1s0:\n    dhcp4: true\n";

/// One example: its menu title and its user-data.
pub struct Example {
    pub id: &'static str,
    pub title: T2,
    pub user_data: T2,
}

pub const EXAMPLES: &[Example] = &[
    Example {
        id: "user-ssh-key",
        title: T2 { en: "Create a user with an SSH key", de: "Benutzer mit SSH-Schlüssel anlegen" },
        user_data: T2 {
            en: "#cloud-config
# A user who logs in with an SSH key only, never with a password.
users:
  - default
  - name: alice
    gecos: Alice Admin
    groups: [sudo, adm]
    sudo: \"ALL=(ALL) NOPASSWD:ALL\"
    shell: /bin/bash
    lock_passwd: true
    ssh_authorized_keys:
      - @KEY@
# No password logins over SSH at all.
ssh_pwauth: false
",
            de: "#cloud-config
# Eine Benutzerin, die sich nur mit SSH-Schlüssel anmeldet, nie mit Passwort.
users:
  - default
  - name: alice
    gecos: Alice Admin
    groups: [sudo, adm]
    sudo: \"ALL=(ALL) NOPASSWD:ALL\"
    shell: /bin/bash
    lock_passwd: true
    ssh_authorized_keys:
      - @KEY@
# SSH-Anmeldungen mit Passwort sind ganz abgeschaltet.
ssh_pwauth: false
",
        },
    },
    Example {
        id: "nginx",
        title: T2 { en: "Install nginx and write its index page", de: "nginx installieren und Startseite schreiben" },
        user_data: T2 {
            en: "#cloud-config
# Refresh the package lists, then install nginx.
package_update: true
packages:
  - nginx
# defer: true writes the file in the Final stage, after the
# package has created /var/www/html and the user www-data.
write_files:
  - path: /var/www/html/index.html
    content: |
      <!doctype html>
      <h1>Hello from cloud-init</h1>
    owner: www-data:www-data
    permissions: '0644'
    defer: true
# runcmd runs once per instance, at the end of the first boot,
# after the deferred file: it adds the host name to the page.
runcmd:
  - echo \"<p>served by $(hostname)</p>\" >> /var/www/html/index.html
",
            de: "#cloud-config
# Paketlisten aktualisieren, dann nginx installieren.
package_update: true
packages:
  - nginx
# Mit defer: true wird die Datei erst in der Final-Stufe geschrieben,
# wenn das Paket /var/www/html und den Benutzer www-data angelegt hat.
write_files:
  - path: /var/www/html/index.html
    content: |
      <!doctype html>
      <h1>Hallo von cloud-init</h1>
    owner: www-data:www-data
    permissions: '0644'
    defer: true
# runcmd läuft einmal pro Instanz am Ende des ersten Starts, nach der
# verzögerten Datei: Es ergänzt die Seite um den Hostnamen.
runcmd:
  - echo \"<p>ausgeliefert von $(hostname)</p>\" >> /var/www/html/index.html
",
        },
    },
    Example {
        id: "hostname-timezone-locale",
        title: T2 { en: "Set hostname, time zone and locale", de: "Hostname, Zeitzone und Locale setzen" },
        user_data: T2 {
            en: "#cloud-config
hostname: web1
fqdn: web1.example.org
# Let cloud-init write /etc/hosts from its template.
manage_etc_hosts: true
timezone: Europe/Berlin
locale: de_DE.UTF-8
# bootcmd runs on every boot, early in the Network stage.
bootcmd:
  - echo \"boot $(date +%s)\" >> /var/log/boots.log
final_message: \"cloud-init finished after $UPTIME seconds\"
",
            de: "#cloud-config
hostname: web1
fqdn: web1.example.org
# cloud-init schreibt /etc/hosts aus seiner Vorlage.
manage_etc_hosts: true
timezone: Europe/Berlin
locale: de_DE.UTF-8
# bootcmd läuft bei jedem Start, früh in der Network-Stufe.
bootcmd:
  - echo \"boot $(date +%s)\" >> /var/log/boots.log
final_message: \"cloud-init ist nach $UPTIME Sekunden fertig\"
",
        },
    },
    Example {
        id: "broken",
        title: T2 { en: "A broken config to repair", de: "Eine fehlerhafte Konfiguration reparieren" },
        user_data: T2 {
            en: "#cloud-config
# cloud-init schema finds three mistakes here. Repair them
# until the editor shows no more messages.
packages: nginx
ssh_pwauth: maybe
write_files:
  - path: /etc/motd
    content: Welcome!
    permissions: 0644
runcmd:
  - echo hello
",
            de: "#cloud-config
# cloud-init schema findet hier drei Fehler. Beheben Sie sie,
# bis der Editor keine Meldung mehr anzeigt.
packages: nginx
ssh_pwauth: maybe
write_files:
  - path: /etc/motd
    content: Willkommen!
    permissions: 0644
runcmd:
  - echo hello
",
        },
    },
];

impl Example {
    /// The user-data in `lang`, with `key` as the SSH public key.
    pub fn text(&self, lang: Lang, key: &str) -> String {
        self.user_data.get(lang).replace("@KEY@", key)
    }
}

#[cfg(test)]
mod tests {
    use guestlab_content::sim::cloud_init::schema::validate;

    use super::*;

    #[test]
    fn the_examples_are_valid_except_the_broken_one() {
        for example in EXAMPLES {
            for lang in [Lang::En, Lang::De] {
                let report = validate("user-data", &example.text(lang, KEY_PLACEHOLDER));
                let expected = if example.id == "broken" { 1 } else { 0 };
                assert_eq!(report.status, expected, "{} {lang:?}: {}{}", example.id, report.stdout, report.stderr);
            }
        }
    }

    #[test]
    fn the_examples_boot_without_errors() {
        use crate::screens::cloud_init::commands::{self, DOMAIN, Docs};
        use guestlab_content::sim::cloud_init::trace::last_boot;
        for example in EXAMPLES.iter().filter(|e| e.id != "broken") {
            for lang in [Lang::En, Lang::De] {
                let mut lab = crate::lab::Lab::new(1);
                guestlab_content::sim::guest::cloud_image::add_cloud_image(&mut lab.session.world);
                let docs = Docs { user_data: example.text(lang, KEY_PLACEHOLDER), ..Docs::default() };
                for command in commands::seed(&lab, &docs) {
                    assert_eq!(lab.run(&command).status, 0, "{command}");
                }
                for command in commands::boot(&lab) {
                    assert_eq!(lab.run(&command).status, 0, "{command}");
                }
                let boot = last_boot(lab.world(), DOMAIN).expect("cloud-init ran");
                assert_eq!(boot.errors(), Vec::<String>::new(), "{} {lang:?}", example.id);
                assert_eq!(boot.instance_id.as_deref(), Some("iid-cloudy-01"));
            }
        }
    }

    #[test]
    fn the_broken_one_has_its_three_mistakes() {
        let report = validate("user-data", &EXAMPLES[3].text(Lang::De, KEY_PLACEHOLDER));
        let found: Vec<(usize, String)> =
            report.problems.iter().map(|p| (p.line, format!("{}: {}", p.path, p.message))).collect();
        assert_eq!(
            found,
            [
                (4, "packages: 'nginx' is not of type 'array'".to_owned()),
                (9, "write_files.0.permissions: 420 is not of type 'string'".to_owned()),
                (
                    5,
                    "ssh_pwauth: DEPRECATED: Use of non-boolean values for this field is DEPRECATED and will result in an error in a future version of cloud-init.".to_owned()
                ),
            ]
        );
    }
}
