//! A domain's persistent definition: parsed from the XML a learner gives `virsh define`, with the
//! defaults libvirt fills in, and written back in libvirt's normalised form.

use super::xml::{self, Writer};

/// Why libvirt refuses a domain definition, in its words (what follows `error: `).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DefineError {
    #[error("{0}")]
    Malformed(String),
    #[error("XML error: expected root element 'domain', but got '{0}'")]
    WrongRoot(String),
    #[error("internal error: missing domain type attribute")]
    MissingType,
    #[error("XML error: unknown virt type '{0}'")]
    UnknownType(String),
    #[error("missing name information")]
    MissingName,
    #[error("XML error: Memory size must be specified via <memory> or in the <numa> configuration")]
    MissingMemory,
    #[error("invalid argument: unknown suffix '{0}'")]
    UnknownSuffix(String),
    #[error("XML error: Invalid value '{0}' for element or attribute './memory[1]'")]
    BadNumber(String),
    #[error("XML error: an os <type> must be specified")]
    MissingOsType,
    #[error("XML error: malformed uuid element")]
    BadUuid,
    #[error("XML error: missing target information for device")]
    MissingDiskTarget,
    #[error("XML error: unable to parse mac address '{0}'")]
    BadMac(String),
}

/// A disk of a domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskDef {
    /// `file`, `block`, ...
    pub kind: String,
    /// `disk` or `cdrom`.
    pub device: String,
    /// The image format (`qcow2`, `raw`), when given.
    pub format: Option<String>,
    pub source: Option<String>,
    /// `vda`, `sda`, `hdc` ...
    pub target: String,
    /// `virtio`, `sata`, `scsi`, `ide`.
    pub bus: String,
    pub readonly: bool,
}

/// A network interface of a domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterfaceDef {
    pub mac: String,
    /// The libvirt network it is attached to.
    pub network: String,
    /// `virtio`, `e1000`, `rtl8139` (None: the hypervisor's default).
    pub model: Option<String>,
}

/// A domain's persistent definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainDef {
    /// `kvm` or `qemu`.
    pub virt_type: String,
    pub name: String,
    pub uuid: String,
    pub memory_kib: u64,
    pub current_memory_kib: u64,
    pub vcpus: u32,
    pub arch: String,
    pub machine: String,
    /// `hvm` for full virtualization.
    pub os_type: String,
    pub boot: Vec<String>,
    pub features: Vec<String>,
    pub disks: Vec<DiskDef>,
    pub interfaces: Vec<InterfaceDef>,
    /// `vnc`, `spice`, ... (None: no graphics).
    pub graphics: Option<String>,
    /// A serial console (`<serial type='pty'>` and `<console type='pty'>`).
    pub console: bool,
}

/// The machine type QEMU 7.2 (Debian 12) expands an alias to.
fn expand_machine(machine: &str) -> String {
    match machine {
        "" | "pc" => "pc-i440fx-7.2".to_owned(),
        "q35" => "pc-q35-7.2".to_owned(),
        other => other.to_owned(),
    }
}

/// A memory size in KiB from a value and libvirt's unit names (rounded up to whole KiB).
pub fn scale_to_kib(value: &str, unit: Option<&str>) -> Result<u64, DefineError> {
    let number: u64 = value.trim().parse().map_err(|_| DefineError::BadNumber(value.trim().to_owned()))?;
    let bytes_per: u64 = match unit.unwrap_or("KiB") {
        "b" | "byte" | "bytes" => 1,
        "KB" => 1000,
        "k" | "K" | "KiB" => 1024,
        "MB" => 1_000_000,
        "M" | "m" | "MiB" => 1 << 20,
        "GB" => 1_000_000_000,
        "G" | "g" | "GiB" => 1 << 30,
        "TB" => 1_000_000_000_000,
        "T" | "t" | "TiB" => 1 << 40,
        other => return Err(DefineError::UnknownSuffix(other.to_owned())),
    };
    Ok(number.saturating_mul(bytes_per).div_ceil(1024))
}

/// A new random UUID as libvirt makes one (random, with the version-4 bits set).
pub fn new_uuid(rng: &mut impl rand::Rng) -> String {
    let mut b = [0u8; 16];
    rng.fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// A new MAC address in QEMU's range 52:54:00.
pub fn new_mac(rng: &mut impl rand::Rng) -> String {
    let b: [u8; 3] = rng.random();
    format!("52:54:00:{:02x}:{:02x}:{:02x}", b[0], b[1], b[2])
}

fn valid_uuid(uuid: &str) -> bool {
    let hex: String = uuid.chars().filter(|c| *c != '-').collect();
    hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
}

fn valid_mac(mac: &str) -> bool {
    let parts: Vec<&str> = mac.split(':').collect();
    parts.len() == 6 && parts.iter().all(|p| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_hexdigit()))
}

impl DomainDef {
    /// Parses a domain definition as `virsh define` does; missing UUIDs and MACs are generated.
    pub fn parse(text: &str, rng: &mut impl rand::Rng) -> Result<Self, DefineError> {
        let doc = xml::parse(text, "domain_definition").map_err(|m| DefineError::Malformed(m.trim_end().to_owned()))?;
        let root = doc.root_element();
        if root.tag_name().name() != "domain" {
            return Err(DefineError::WrongRoot(root.tag_name().name().to_owned()));
        }
        let virt_type = root.attribute("type").ok_or(DefineError::MissingType)?.to_owned();
        if !["kvm", "qemu", "xen", "lxc", "test"].contains(&virt_type.as_str()) {
            return Err(DefineError::UnknownType(virt_type));
        }
        let name =
            xml::child_text(root, "name").map(str::trim).filter(|n| !n.is_empty()).ok_or(DefineError::MissingName)?;
        let uuid = match xml::child_text(root, "uuid") {
            Some(u) if valid_uuid(u.trim()) => u.trim().to_lowercase(),
            Some(_) => return Err(DefineError::BadUuid),
            None => new_uuid(rng),
        };
        let memory = xml::child(root, "memory").ok_or(DefineError::MissingMemory)?;
        let memory_kib = scale_to_kib(memory.text().unwrap_or_default(), memory.attribute("unit"))?;
        let current_memory_kib = match xml::child(root, "currentMemory") {
            Some(c) => scale_to_kib(c.text().unwrap_or_default(), c.attribute("unit"))?.min(memory_kib),
            None => memory_kib,
        };
        let vcpus = match xml::child_text(root, "vcpu") {
            Some(v) => v.trim().parse().map_err(|_| DefineError::BadNumber(v.trim().to_owned()))?,
            None => 1,
        };
        let os = xml::child(root, "os").ok_or(DefineError::MissingOsType)?;
        let os_node = xml::child(os, "type").ok_or(DefineError::MissingOsType)?;
        let os_type = os_node.text().unwrap_or_default().trim().to_owned();
        if os_type.is_empty() {
            return Err(DefineError::MissingOsType);
        }
        let arch = os_node.attribute("arch").unwrap_or("x86_64").to_owned();
        let machine = expand_machine(os_node.attribute("machine").unwrap_or(""));
        let boot: Vec<String> =
            xml::children(os, "boot").filter_map(|b| b.attribute("dev")).map(str::to_owned).collect();
        let features = xml::child(root, "features")
            .map(|f| f.children().filter(roxmltree::Node::is_element).map(|c| c.tag_name().name().to_owned()).collect())
            .unwrap_or_default();
        let mut disks = Vec::new();
        let mut interfaces = Vec::new();
        let mut graphics = None;
        let mut console = false;
        if let Some(devices) = xml::child(root, "devices") {
            for disk in xml::children(devices, "disk") {
                let target = xml::child(disk, "target").ok_or(DefineError::MissingDiskTarget)?;
                let dev = target.attribute("dev").ok_or(DefineError::MissingDiskTarget)?.to_owned();
                let bus = target.attribute("bus").map_or_else(|| default_bus(&dev), str::to_owned);
                disks.push(DiskDef {
                    kind: disk.attribute("type").unwrap_or("file").to_owned(),
                    device: disk.attribute("device").unwrap_or("disk").to_owned(),
                    format: xml::child(disk, "driver").and_then(|d| d.attribute("type")).map(str::to_owned),
                    source: xml::child(disk, "source")
                        .and_then(|s| s.attribute("file").or_else(|| s.attribute("dev")))
                        .map(str::to_owned),
                    target: dev,
                    bus,
                    readonly: xml::child(disk, "readonly").is_some(),
                });
            }
            for iface in xml::children(devices, "interface") {
                let mac = match xml::child(iface, "mac").and_then(|m| m.attribute("address")) {
                    Some(m) if valid_mac(m) => m.to_lowercase(),
                    Some(m) => return Err(DefineError::BadMac(m.to_owned())),
                    None => new_mac(rng),
                };
                interfaces.push(InterfaceDef {
                    mac,
                    network: xml::child(iface, "source")
                        .and_then(|s| s.attribute("network"))
                        .unwrap_or("default")
                        .to_owned(),
                    model: xml::child(iface, "model").and_then(|m| m.attribute("type")).map(str::to_owned),
                });
            }
            graphics = xml::child(devices, "graphics").and_then(|g| g.attribute("type")).map(str::to_owned);
            console = xml::child(devices, "console").is_some() || xml::child(devices, "serial").is_some();
        }
        Ok(Self {
            virt_type,
            name: name.to_owned(),
            uuid,
            memory_kib,
            current_memory_kib,
            vcpus,
            arch,
            machine,
            os_type,
            boot,
            features,
            disks,
            interfaces,
            graphics,
            console,
        })
    }

    /// The XML `virsh dumpxml` prints; `live` adds what exists only while the domain runs
    /// (the domain ID, tap devices `vnetN`, the VNC port, the console's pty).
    pub fn to_xml(&self, live: Option<&LiveInfo>) -> String {
        let mut w = Writer::default();
        let id = live.map(|l| l.id.to_string());
        let mut root_attrs = vec![("type", self.virt_type.as_str())];
        if let Some(id) = &id {
            root_attrs.push(("id", id));
        }
        w.open("domain", &root_attrs);
        w.text("name", &[], &self.name);
        w.text("uuid", &[], &self.uuid);
        w.text("memory", &[("unit", "KiB")], &self.memory_kib.to_string());
        w.text("currentMemory", &[("unit", "KiB")], &self.current_memory_kib.to_string());
        w.text("vcpu", &[("placement", "static")], &self.vcpus.to_string());
        w.open("os", &[]);
        w.text("type", &[("arch", &self.arch), ("machine", &self.machine)], &self.os_type);
        for dev in &self.boot {
            w.empty("boot", &[("dev", dev)]);
        }
        w.close("os");
        if !self.features.is_empty() {
            w.open("features", &[]);
            for f in &self.features {
                w.empty(f, &[]);
            }
            w.close("features");
        }
        w.empty("clock", &[("offset", "utc")]);
        w.text("on_poweroff", &[], "destroy");
        w.text("on_reboot", &[], "restart");
        w.text("on_crash", &[], "destroy");
        w.open("devices", &[]);
        w.text("emulator", &[], "/usr/bin/qemu-system-x86_64");
        for d in &self.disks {
            w.open("disk", &[("type", &d.kind), ("device", &d.device)]);
            match &d.format {
                Some(f) => w.empty("driver", &[("name", "qemu"), ("type", f)]),
                None => w.empty("driver", &[("name", "qemu")]),
            }
            if let Some(s) = &d.source {
                let attr = if d.kind == "block" { "dev" } else { "file" };
                w.empty("source", &[(attr, s)]);
            }
            w.empty("target", &[("dev", &d.target), ("bus", &d.bus)]);
            if d.readonly {
                w.empty("readonly", &[]);
            }
            w.close("disk");
        }
        for (i, iface) in self.interfaces.iter().enumerate() {
            w.open("interface", &[("type", "network")]);
            w.empty("mac", &[("address", &iface.mac)]);
            w.empty("source", &[("network", &iface.network)]);
            if let Some(tap) = live.and_then(|l| l.taps.get(i)) {
                w.empty("target", &[("dev", tap)]);
            }
            if let Some(m) = &iface.model {
                w.empty("model", &[("type", m)]);
            }
            w.close("interface");
        }
        if self.console {
            match live.and_then(|l| l.pty.as_deref()) {
                Some(pty) => {
                    w.open("serial", &[("type", "pty")]);
                    w.empty("source", &[("path", pty)]);
                    w.open("target", &[("port", "0")]);
                    w.empty("model", &[("name", "isa-serial")]);
                    w.close("target");
                    w.close("serial");
                    w.open("console", &[("type", "pty"), ("tty", pty)]);
                    w.empty("source", &[("path", pty)]);
                    w.empty("target", &[("type", "serial"), ("port", "0")]);
                    w.close("console");
                }
                None => {
                    w.open("serial", &[("type", "pty")]);
                    w.open("target", &[("port", "0")]);
                    w.empty("model", &[("name", "isa-serial")]);
                    w.close("target");
                    w.close("serial");
                    w.open("console", &[("type", "pty")]);
                    w.empty("target", &[("type", "serial"), ("port", "0")]);
                    w.close("console");
                }
            }
        }
        if let Some(g) = &self.graphics {
            let port = live.map_or_else(|| "-1".to_owned(), |l| (5900 + l.vnc_display).to_string());
            w.open("graphics", &[("type", g), ("port", &port), ("autoport", "yes")]);
            w.empty("listen", &[("type", "address")]);
            w.close("graphics");
            w.open("video", &[]);
            w.empty("model", &[("type", "cirrus"), ("vram", "16384"), ("heads", "1"), ("primary", "yes")]);
            w.close("video");
        }
        w.close("devices");
        w.close("domain");
        w.finish()
    }
}

/// What a running domain has that a defined one does not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveInfo {
    pub id: u32,
    /// The tap device of each interface (`vnet0`, ...).
    pub taps: Vec<String>,
    /// The console's pseudo terminal (`/dev/pts/N`).
    pub pty: Option<String>,
    /// The VNC display number (port 5900 + N).
    pub vnc_display: u32,
}

/// The bus libvirt picks from a target device name.
fn default_bus(dev: &str) -> String {
    if dev.starts_with("vd") {
        "virtio"
    } else if dev.starts_with("sd") {
        "scsi"
    } else if dev.starts_with("hd") {
        "ide"
    } else {
        "virtio"
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng as _;

    use super::*;

    const MINIMAL: &str = "<domain type='kvm'>\n  <name>vm1</name>\n  <memory unit='MiB'>1024</memory>\n  <vcpu>1</vcpu>\n  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>\n  <devices>\n    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n      <source file='/var/lib/libvirt/images/vm1.qcow2'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n    <interface type='network'><source network='default'/><model type='virtio'/></interface>\n    <graphics type='vnc' port='-1' autoport='yes'/>\n  </devices>\n</domain>\n";

    fn rng() -> rand_chacha::ChaCha8Rng {
        rand_chacha::ChaCha8Rng::seed_from_u64(1)
    }

    #[test]
    fn defaults_are_filled_in_as_libvirt_does() {
        let def = DomainDef::parse(MINIMAL, &mut rng()).unwrap();
        assert_eq!(def.memory_kib, 1_048_576);
        assert_eq!(def.machine, "pc-i440fx-7.2");
        assert!(def.interfaces[0].mac.starts_with("52:54:00:"));
        assert_eq!(&def.uuid[14..15], "4");
        let xml = def.to_xml(None);
        assert!(xml.contains("  <memory unit='KiB'>1048576</memory>\n  <currentMemory unit='KiB'>1048576</currentMemory>\n  <vcpu placement='static'>1</vcpu>\n"));
        // What is written parses back to the same definition.
        assert_eq!(DomainDef::parse(&xml, &mut rng()).unwrap(), def);
    }

    #[test]
    fn bad_definitions_are_refused_in_libvirts_words() {
        let cases = [
            (
                "<domain type='kvm'><memory unit='MiB'>1024</memory><os><type>hvm</type></os></domain>",
                "missing name information",
            ),
            (
                "<domain type='kvm'><name>a</name><memory unit='MiX'>1024</memory><os><type>hvm</type></os></domain>",
                "invalid argument: unknown suffix 'MiX'",
            ),
            (
                "<domain type='kvm'><name>b</name><os><type>hvm</type></os></domain>",
                "XML error: Memory size must be specified via <memory> or in the <numa> configuration",
            ),
            (
                "<domain><name>c</name><memory>1024</memory><os><type>hvm</type></os></domain>",
                "internal error: missing domain type attribute",
            ),
            (
                "<domain type='kvm'><name>d</name><memory>1024</memory></domain>",
                "XML error: an os <type> must be specified",
            ),
        ];
        for (text, message) in cases {
            assert_eq!(DomainDef::parse(text, &mut rng()).unwrap_err().to_string(), message, "{text}");
        }
    }
}
