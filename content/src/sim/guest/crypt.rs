//! Password hashes for `/etc/shadow`: SHA-512 crypt (`$6$`, Ulrich Drepper's SHA-crypt as
//! glibc and libxcrypt implement it, 5000 rounds).
//!
//! Debian 12's `/etc/login.defs` sets `ENCRYPT_METHOD SHA512`, so this is what its `chpasswd`
//! writes; checked against Drepper's test vectors (and Python's `crypt` module gives the same).

use rand::Rng;
use sha2::{Digest as _, Sha512};

const ALPHABET: &[u8; 64] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `crypt(password, "$6$salt")` with the default 5000 rounds (salt: at most 16 characters).
pub fn sha512_crypt(password: &str, salt: &str) -> String {
    let p = password.as_bytes();
    let s = &salt.as_bytes()[..salt.len().min(16)];
    let b = Sha512::new().chain_update(p).chain_update(s).chain_update(p).finalize();
    let mut a = Sha512::new().chain_update(p).chain_update(s);
    let mut n = p.len();
    while n > 64 {
        a.update(b);
        n -= 64;
    }
    a.update(&b[..n]);
    let mut bits = p.len();
    while bits > 0 {
        if bits & 1 != 0 {
            a.update(b);
        } else {
            a.update(p);
        }
        bits >>= 1;
    }
    let a = a.finalize();
    let mut dp = Sha512::new();
    for _ in 0..p.len() {
        dp.update(p);
    }
    let dp = dp.finalize();
    let p_seq: Vec<u8> = dp.iter().cycle().take(p.len()).copied().collect();
    let mut ds = Sha512::new();
    for _ in 0..16 + usize::from(a[0]) {
        ds.update(s);
    }
    let ds = ds.finalize();
    let s_seq: Vec<u8> = ds.iter().cycle().take(s.len()).copied().collect();
    let mut c = a;
    for i in 0..5000 {
        let mut h = Sha512::new();
        if i % 2 == 1 {
            h.update(&p_seq);
        } else {
            h.update(c);
        }
        if i % 3 != 0 {
            h.update(&s_seq);
        }
        if i % 7 != 0 {
            h.update(&p_seq);
        }
        if i % 2 == 1 {
            h.update(c);
        } else {
            h.update(&p_seq);
        }
        c = h.finalize();
    }
    const ORDER: [(usize, usize, usize); 21] = [
        (0, 21, 42),
        (22, 43, 1),
        (44, 2, 23),
        (3, 24, 45),
        (25, 46, 4),
        (47, 5, 26),
        (6, 27, 48),
        (28, 49, 7),
        (50, 8, 29),
        (9, 30, 51),
        (31, 52, 10),
        (53, 11, 32),
        (12, 33, 54),
        (34, 55, 13),
        (56, 14, 35),
        (15, 36, 57),
        (37, 58, 16),
        (59, 17, 38),
        (18, 39, 60),
        (40, 61, 19),
        (62, 20, 41),
    ];
    let mut out = format!("$6${}$", String::from_utf8_lossy(s));
    let mut put = |w: u32, n: usize| {
        let mut w = w;
        for _ in 0..n {
            out.push(char::from(ALPHABET[(w & 0x3f) as usize]));
            w >>= 6;
        }
    };
    for (x, y, z) in ORDER {
        put((u32::from(c[x]) << 16) | (u32::from(c[y]) << 8) | u32::from(c[z]), 4);
    }
    put(u32::from(c[63]), 2);
    out
}

/// A new random 16-character salt.
pub fn new_salt(rng: &mut impl Rng) -> String {
    (0..16).map(|_| char::from(ALPHABET[rng.random_range(0..64)])).collect()
}

/// Whether a shadow password field allows a password login: not locked (`!`), not disabled
/// (`*`), not empty.
pub fn usable(field: &str) -> bool {
    !field.is_empty() && !field.starts_with('!') && !field.starts_with('*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_sha_crypt_reference_vectors() {
        // From Drepper's specification (rounds=5000 is the default, so it is not written).
        assert_eq!(
            sha512_crypt("Hello world!", "saltstring"),
            "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"
        );
    }

    #[test]
    fn usable_passwords() {
        assert!(usable("$6$a$b"));
        assert!(!usable("!"));
        assert!(!usable("*"));
        assert!(!usable(""));
        assert!(!usable("!$6$a$b"));
    }
}
