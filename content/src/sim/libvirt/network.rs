//! A libvirt virtual network (the NAT network `default` on `virbr0`).

use super::domain::{DefineError, new_mac, new_uuid};
use super::xml::{self, Writer};

/// A DHCP lease dnsmasq handed out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    /// Seconds since the Unix epoch.
    pub expiry: i64,
    pub mac: String,
    pub ip: String,
    pub hostname: Option<String>,
    pub client_id: Option<String>,
}

/// A virtual network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Network {
    pub name: String,
    pub uuid: String,
    /// `nat`, `route`, `open`, ...; None for an isolated network.
    pub forward: Option<String>,
    pub bridge: String,
    pub mac: String,
    pub address: String,
    pub netmask: String,
    pub range_start: String,
    pub range_end: String,
    pub active: bool,
    pub autostart: bool,
    pub leases: Vec<Lease>,
}

impl Network {
    /// The XML `virsh net-dumpxml` prints; `live` (a running network) adds the NAT port range
    /// the network driver fills in. The saved file has the inactive form.
    pub fn to_xml(&self, live: bool) -> String {
        let mut w = Writer::default();
        w.open("network", &[]);
        w.text("name", &[], &self.name);
        w.text("uuid", &[], &self.uuid);
        match self.forward.as_deref() {
            None => {}
            Some("nat") if live => {
                w.open("forward", &[("mode", "nat")]);
                w.open("nat", &[]);
                w.empty("port", &[("start", "1024"), ("end", "65535")]);
                w.close("nat");
                w.close("forward");
            }
            Some(mode) => w.empty("forward", &[("mode", mode)]),
        }
        w.empty("bridge", &[("name", &self.bridge), ("stp", "on"), ("delay", "0")]);
        w.empty("mac", &[("address", &self.mac)]);
        if !self.address.is_empty() {
            w.open("ip", &[("address", &self.address), ("netmask", &self.netmask)]);
            if !self.range_start.is_empty() {
                w.open("dhcp", &[]);
                w.empty("range", &[("start", &self.range_start), ("end", &self.range_end)]);
                w.close("dhcp");
            }
            w.close("ip");
        }
        w.close("network");
        w.finish()
    }
}

impl Network {
    /// Parses a network definition as `virsh net-define` does. `taken` are the bridge names in
    /// use: a network without one gets the first free `virbrN`, and a MAC for its bridge.
    pub fn parse(text: &str, taken: &[String], rng: &mut impl rand::Rng) -> Result<Self, DefineError> {
        let doc =
            xml::parse(text, "network_definition").map_err(|m| DefineError::Malformed(m.trim_end().to_owned()))?;
        let root = doc.root_element();
        if root.tag_name().name() != "network" {
            return Err(DefineError::WrongRoot(root.tag_name().name().to_owned()));
        }
        let name =
            xml::child_text(root, "name").map(str::trim).filter(|n| !n.is_empty()).ok_or(DefineError::MissingName)?;
        let uuid = match xml::child_text(root, "uuid") {
            Some(u) => u.trim().to_lowercase(),
            None => new_uuid(rng),
        };
        let bridge = xml::child(root, "bridge").and_then(|b| b.attribute("name")).map_or_else(
            || (0..).map(|n| format!("virbr{n}")).find(|b| !taken.contains(b)).unwrap_or_default(),
            str::to_owned,
        );
        let mac = xml::child(root, "mac")
            .and_then(|m| m.attribute("address"))
            .map_or_else(|| new_mac(rng), str::to_lowercase);
        let forward = xml::child(root, "forward").map(|f| f.attribute("mode").unwrap_or("nat").to_owned());
        let ip = xml::child(root, "ip");
        let range = ip.and_then(|i| xml::child(i, "dhcp")).and_then(|d| xml::child(d, "range"));
        let attr =
            |n: Option<roxmltree::Node<'_, '_>>, a: &str| n.and_then(|n| n.attribute(a)).unwrap_or_default().to_owned();
        Ok(Self {
            name: name.to_owned(),
            uuid,
            forward,
            bridge,
            mac,
            address: attr(ip, "address"),
            netmask: attr(ip, "netmask"),
            range_start: attr(range, "start"),
            range_end: attr(range, "end"),
            active: false,
            autostart: false,
            leases: Vec::new(),
        })
    }
}
