//! A libvirt virtual network (the NAT network `default` on `virbr0`).

use super::xml::Writer;

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
        if live {
            w.open("forward", &[("mode", "nat")]);
            w.open("nat", &[]);
            w.empty("port", &[("start", "1024"), ("end", "65535")]);
            w.close("nat");
            w.close("forward");
        } else {
            w.empty("forward", &[("mode", "nat")]);
        }
        w.empty("bridge", &[("name", &self.bridge), ("stp", "on"), ("delay", "0")]);
        w.empty("mac", &[("address", &self.mac)]);
        w.open("ip", &[("address", &self.address), ("netmask", &self.netmask)]);
        w.open("dhcp", &[]);
        w.empty("range", &[("start", &self.range_start), ("end", &self.range_end)]);
        w.close("dhcp");
        w.close("ip");
        w.close("network");
        w.finish()
    }
}
