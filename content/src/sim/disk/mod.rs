//! Disk images: raw files and qcow2 images that grow exactly like QEMU 10.0's, and the
//! `qemu-img` and `qemu-io` commands that print the same figures as the real ones.

pub mod chain;
pub mod hostfile;
pub mod l2map;
pub mod qcow2;
pub mod qcow2_check;
mod qcow2_snapshot;
pub mod qemu_img;
pub(crate) mod qemu_img_ops;
pub mod qemu_io;
pub mod qjson;
pub mod view;

/// Parses a size as `qemu_strtosz` does: a number with an optional fraction and an optional
/// suffix `B`, `k`/`K`, `M`, `G`, `T`, `P`, `E` (powers of 1024). `default_suffix` applies
/// when there is none (`b` for bytes).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    if number.is_empty() || number.starts_with('.') {
        return None;
    }
    let shift = match suffix {
        "" | "b" | "B" => 0,
        "k" | "K" => 10,
        "m" | "M" => 20,
        "g" | "G" => 30,
        "t" | "T" => 40,
        "p" | "P" => 50,
        "e" | "E" => 60,
        _ => return None,
    };
    if let Some((int, frac)) = number.split_once('.') {
        if shift == 0 || frac.contains('.') {
            return None;
        }
        let int: u64 = int.parse().ok()?;
        let frac_value: f64 = format!("0.{frac}").parse().ok()?;
        let value = (int as f64 + frac_value) * (1u64 << shift) as f64;
        if !(0.0..=(i64::MAX as f64)).contains(&value) {
            return None;
        }
        return Some(value as u64);
    }
    let int: u64 = number.parse().ok()?;
    int.checked_mul(1u64 << shift).filter(|v| *v <= i64::MAX as u64)
}

/// `size_to_str`: three significant digits and a binary unit (`1.13 MiB`, `196 KiB`, `1 GiB`).
pub fn size_to_str(value: u64) -> String {
    const SUFFIXES: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    // frexp(val / (1000/1024)) exponent, minus one, divided by ten.
    let scaled = value as f64 / (1000.0 / 1024.0);
    let exponent = if scaled == 0.0 { 0 } else { scaled.log2().floor() as i32 + 1 };
    let i = ((exponent - 1).max(0) / 10) as usize;
    let i = i.min(SUFFIXES.len() - 1);
    let div = (1u64 << (i * 10)) as f64;
    format!("{} {}B", format_g3(value as f64 / div), SUFFIXES[i])
}

/// C's `%0.3g`.
pub fn format_g3(value: f64) -> String {
    if value == 0.0 {
        return "0".into();
    }
    let exponent = value.abs().log10().floor() as i32;
    if !(-5..3).contains(&exponent) {
        let mantissa = value / 10f64.powi(exponent);
        let m = trim_zeros(&format!("{mantissa:.2}"));
        return format!("{m}e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.abs());
    }
    let decimals = (2 - exponent).max(0) as usize;
    let text = format!("{value:.decimals$}");
    // Rounding may have produced a fourth digit (999.5 → "1000"): print in exponent form.
    let digits = text.chars().filter(char::is_ascii_digit).count();
    if decimals == 0 && digits > 3 {
        return format_g3(text.parse().unwrap_or(value));
    }
    trim_zeros(&text)
}

fn trim_zeros(text: &str) -> String {
    if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_owned() } else { text.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_like_qemu() {
        assert_eq!(parse_size("1G"), Some(1 << 30));
        assert_eq!(parse_size("64k"), Some(65536));
        assert_eq!(parse_size("1.5M"), Some(1572864));
        assert_eq!(parse_size("512"), Some(512));
        assert_eq!(parse_size("16T"), Some(16 << 40));
        assert_eq!(parse_size("1X"), None);
        assert_eq!(parse_size(""), None);
        assert_eq!(parse_size("-1"), None);
    }

    #[test]
    fn human_sizes_have_three_digits() {
        assert_eq!(size_to_str(1073741824), "1 GiB");
        assert_eq!(size_to_str(200704), "196 KiB");
        assert_eq!(size_to_str(1183744), "1.13 MiB");
        assert_eq!(size_to_str(1376256), "1.31 MiB");
        assert_eq!(size_to_str(197120), "192 KiB");
        assert_eq!(size_to_str(4096), "4 KiB");
        assert_eq!(size_to_str(0), "0 B");
        assert_eq!(size_to_str(1000), "0.977 KiB");
        assert_eq!(size_to_str(999), "999 B");
        assert_eq!(size_to_str(16 << 40), "16 TiB");
    }
}
