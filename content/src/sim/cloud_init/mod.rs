//! cloud-init 22.4 (Debian 12): `#cloud-config` user-data read as cloud-init reads it
//! (`yaml`, PyYAML's SafeLoader), Python's `repr()` of its values (`pyrepr`), and
//! `cloud-init schema` (`schema`).

pub mod pyrepr;
pub mod yaml;
