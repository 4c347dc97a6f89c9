//! cloud-init's schema validator on user-data: any bytes give a report (problems with their
//! lines), never a panic; the YAML parser alone too.
#![no_main]

use guestlab_content::sim::cloud_init::schema::validate_bytes;
use guestlab_content::sim::cloud_init::yaml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = validate_bytes("user-data", data);
    // Past the header check: the YAML and the schema behind it.
    let mut with_header = b"#cloud-config\n".to_vec();
    with_header.extend_from_slice(data);
    let _ = validate_bytes("user-data", &with_header);
    let _ = yaml::parse(&String::from_utf8_lossy(data));
});
