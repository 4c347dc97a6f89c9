//! The identifiers derived from a machine ID and a key, computed as the real tools do:
//! systemd's application-specific IDs (HMAC-SHA256), the DHCP DUID-EN of systemd-networkd, and
//! OpenSSH's SHA256 key fingerprints.

use sha2::{Digest as _, Sha256};

/// HMAC-SHA256 (RFC 2104).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// 32 hex digits as 16 bytes.
pub fn id128_bytes(id: &str) -> Option<[u8; 16]> {
    let id = id.trim();
    if id.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(id.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// `sd_id128_get_machine_app_specific`: HMAC-SHA256 keyed with the machine ID over the
/// application ID, cut to 128 bits and marked as a version-4 UUID.
pub fn app_specific(machine_id: &[u8; 16], app: &[u8; 16]) -> [u8; 16] {
    let h = hmac_sha256(machine_id, app);
    let mut out = [0u8; 16];
    out.copy_from_slice(&h[..16]);
    out[6] = (out[6] & 0x0f) | 0x40;
    out[8] = (out[8] & 0x3f) | 0x80;
    out
}

/// The application ID systemd-networkd hashes the machine ID with for its DUID.
const DUID_APP_ID: [u8; 16] =
    [0xa5, 0x0a, 0xd1, 0x12, 0xbf, 0x60, 0x45, 0x77, 0xa2, 0xfb, 0x74, 0x1a, 0xb1, 0x95, 0x5b, 0x03];

/// The DHCPv4 client identifier systemd-networkd sends by default (`ClientIdentifier=duid`):
/// type 255, a 4-byte IAID for the interface, then DUID-EN (type 2, enterprise number 43793,
/// 8 bytes of the machine-ID hash). Two clones with the same machine ID send the same one.
pub fn dhcp_client_id(machine_id: &str, iface: &str) -> Option<String> {
    let id = id128_bytes(machine_id)?;
    let hash = app_specific(&id, &DUID_APP_ID);
    // The IAID: a hash of the interface name (systemd hashes udev's name properties).
    let iaid = Sha256::digest(iface.as_bytes());
    let mut bytes = vec![0xff];
    bytes.extend_from_slice(&iaid[..4]);
    bytes.extend_from_slice(&[0x00, 0x02, 0x00, 0x00, 0xab, 0x11]);
    bytes.extend_from_slice(&hash[..8]);
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":"))
}

/// Base64 (RFC 4648) with padding.
pub fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes base64 (whitespace ignored); None on bad input.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut bits = 0u32;
    let mut nbits = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
        }
    }
    Some(out)
}

/// OpenSSH's fingerprint of a public key blob: `SHA256:` and unpadded base64.
pub fn fingerprint(blob: &[u8]) -> String {
    format!("SHA256:{}", base64(&Sha256::digest(blob)).trim_end_matches('='))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn base64_round_trips() {
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64_decode("Zm8=").unwrap(), b"fo");
    }

    #[test]
    fn clones_with_one_machine_id_send_one_client_id() {
        let a = dhcp_client_id("0123456789abcdef0123456789abcdef", "enp1s0").unwrap();
        let b = dhcp_client_id("0123456789abcdef0123456789abcdef", "enp1s0").unwrap();
        let c = dhcp_client_id("fedcba9876543210fedcba9876543210", "enp1s0").unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.starts_with("ff:"));
        assert_eq!(&a[15..33], "00:02:00:00:ab:11:");
    }
}
