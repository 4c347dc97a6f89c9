//! The shell commands behind the cloud-init screen's buttons, made from the editor's texts and
//! the world as it is now. Each button runs exactly these lines in the terminal.

use guestlab_content::sim::libvirt::DomainState;
use guestlab_content::sim::libvirt::files;

use super::examples::{META_DATA, NETWORK_CONFIG};
use crate::lab::Lab;

/// The guest the screen builds.
pub const DOMAIN: &str = "cloudy";
/// Debian's cloud image for KVM guests, as Debian names it.
pub const CLOUD_IMAGE: &str = guestlab_content::sim::guest::cloud_image::IMAGE_PATH;
/// The guest's disk: an overlay on the cloud image.
pub const DISK: &str = "/var/lib/libvirt/images/cloudy.qcow2";
/// The NoCloud seed.
pub const SEED: &str = "/var/lib/libvirt/images/cloudy-seed.iso";
/// Where the files are written on the host (root's home).
const HOME: &str = "/root";

/// The editor's texts: what goes into the seed.
#[derive(Clone, Debug, PartialEq)]
pub struct Docs {
    pub user_data: String,
    pub meta_data: String,
    pub network_config: String,
    /// Whether network-config goes into the seed.
    pub with_network_config: bool,
}

impl Default for Docs {
    fn default() -> Self {
        Self {
            user_data: String::new(),
            meta_data: META_DATA.to_owned(),
            network_config: NETWORK_CONFIG.to_owned(),
            with_network_config: false,
        }
    }
}

/// `cat > NAME <<'EOF' … EOF`, with a delimiter that does not occur in the text.
pub fn here_document(name: &str, text: &str) -> String {
    let mut delimiter = "EOF".to_owned();
    let mut n = 1;
    while text.lines().any(|l| l == delimiter) {
        n += 1;
        delimiter = format!("EOF{n}");
    }
    let body = if text.is_empty() || text.ends_with('\n') { text.to_owned() } else { format!("{text}\n") };
    format!("cat > {name} <<'{delimiter}'\n{body}{delimiter}")
}

/// Back to the host, in root's home.
fn on_host(lab: &Lab) -> Vec<String> {
    let mut out = lab.attach_commands(None);
    let cwd = if out.is_empty() { lab.world().machine().cwd.as_str() } else { lab.world().machines[0].cwd.as_str() };
    if cwd != HOME {
        out.push("cd".to_owned());
    }
    out
}

/// Writes the seed's files on the host and builds the seed with `cloud-localds`.
pub fn seed(lab: &Lab, docs: &Docs) -> Vec<String> {
    let mut out = on_host(lab);
    out.push(here_document("user-data", &docs.user_data));
    out.push(here_document("meta-data", &docs.meta_data));
    if docs.with_network_config {
        out.push(here_document("network-config", &docs.network_config));
        out.push(format!("cloud-localds -N network-config {SEED} user-data meta-data"));
    } else {
        out.push(format!("cloud-localds {SEED} user-data meta-data"));
    }
    out
}

/// Writes user-data on the host and checks it as the editor does.
pub fn validate(lab: &Lab, docs: &Docs) -> Vec<String> {
    let mut out = on_host(lab);
    out.push(here_document("user-data", &docs.user_data));
    out.push("cloud-init schema --config-file user-data".to_owned());
    out
}

/// Makes the host's SSH key pair (no passphrase) and shows the public half.
pub fn keygen(lab: &Lab) -> Vec<String> {
    let mut out = on_host(lab);
    out.push("ssh-keygen -t ed25519 -N '' -f ~/.ssh/id_ed25519".to_owned());
    out.push("cat ~/.ssh/id_ed25519.pub".to_owned());
    out
}

pub fn seed_exists(lab: &Lab) -> bool {
    files::exists(&lab.world().machines[0].fs, SEED)
}

pub fn cloud_image_exists(lab: &Lab) -> bool {
    files::exists(&lab.world().machines[0].fs, CLOUD_IMAGE)
}

pub fn running(lab: &Lab) -> bool {
    lab.world().libvirt.domains.get(DOMAIN).is_some_and(|d| d.state == DomainState::Running)
}

/// Creates the guest from the cloud image with the seed attached and boots it, or starts it
/// if it exists and is off. Empty when it already runs.
pub fn boot(lab: &Lab) -> Vec<String> {
    let world = lab.world();
    if running(lab) {
        return Vec::new();
    }
    let mut out = lab.attach_commands(None);
    if world.libvirt.networks.get("default").is_none_or(|n| !n.active) {
        out.push("virsh net-start default".to_owned());
    }
    if world.libvirt.domains.contains_key(DOMAIN) {
        out.push(format!("virsh start {DOMAIN}"));
        return out;
    }
    if !files::exists(&world.machines[0].fs, DISK) {
        out.push(format!("qemu-img create -f qcow2 -b {CLOUD_IMAGE} -F qcow2 {DISK} 10G"));
    }
    out.push(format!(
        "virt-install --name {DOMAIN} --memory 1024 --vcpus 1 --import --os-variant debian12 --disk path={DISK},format=qcow2 --disk path={SEED},device=cdrom --network network=default --noautoconsole"
    ));
    out
}

/// Reboots the guest from the host.
pub fn reboot(lab: &Lab) -> Vec<String> {
    let mut out = lab.attach_commands(None);
    out.push(format!("virsh reboot {DOMAIN}"));
    out
}

/// `cloud-init clean --logs` on the guest's console, then a reboot from inside.
pub fn clean(lab: &Lab) -> Vec<String> {
    let mut out = lab.attach_commands(Some(DOMAIN));
    out.push("cloud-init clean --logs".to_owned());
    out.push("reboot".to_owned());
    out
}

/// meta-data with the next instance-id (`iid-cloudy-01` → `iid-cloudy-02`; a name without a
/// number gets `-2`); an `instance-id:` line is added if there is none.
pub fn next_instance_id(meta_data: &str) -> String {
    let mut found = false;
    let mut out: Vec<String> = meta_data
        .lines()
        .map(|line| {
            let Some(value) = line.strip_prefix("instance-id:") else { return line.to_owned() };
            found = true;
            let value = value.trim().trim_matches(['"', '\'']);
            let digits = value.len() - value.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            let (stem, number) = value.split_at(value.len() - digits);
            let next = match number.parse::<u64>() {
                Ok(n) => format!("{stem}{:0width$}", n + 1, width = digits),
                Err(_) => format!("{value}-2"),
            };
            format!("instance-id: {next}")
        })
        .collect();
    if !found {
        out.insert(0, "instance-id: iid-cloudy-01".to_owned());
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn here_documents_pick_a_delimiter_the_text_does_not_contain() {
        assert_eq!(here_document("f", "a\n"), "cat > f <<'EOF'\na\nEOF");
        assert_eq!(here_document("f", "a"), "cat > f <<'EOF'\na\nEOF");
        assert_eq!(here_document("f", "EOF\nEOF2\n"), "cat > f <<'EOF3'\nEOF\nEOF2\nEOF3");
    }

    #[test]
    fn the_instance_id_counts_up() {
        assert_eq!(
            next_instance_id("instance-id: iid-cloudy-01\nlocal-hostname: c\n"),
            "instance-id: iid-cloudy-02\nlocal-hostname: c\n"
        );
        assert_eq!(next_instance_id("instance-id: i-09\n"), "instance-id: i-10\n");
        assert_eq!(next_instance_id("instance-id: abc\n"), "instance-id: abc-2\n");
        assert_eq!(next_instance_id("local-hostname: c\n"), "instance-id: iid-cloudy-01\nlocal-hostname: c\n");
    }

    #[test]
    fn the_seed_is_written_from_home_and_built_with_cloud_localds() {
        let lab = Lab::new(1);
        let docs = Docs { user_data: "#cloud-config\n".into(), ..Docs::default() };
        assert_eq!(
            seed(&lab, &docs),
            [
                "cat > user-data <<'EOF'\n#cloud-config\nEOF",
                "cat > meta-data <<'EOF'\ninstance-id: iid-cloudy-01\nlocal-hostname: cloudy\nEOF",
                "cloud-localds /var/lib/libvirt/images/cloudy-seed.iso user-data meta-data",
            ]
        );
    }
}
