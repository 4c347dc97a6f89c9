//! Calendar arithmetic for the simulated clock (UTC only; the simulated machines run in UTC).

/// Splits seconds since the Unix epoch into (year, month 1–12, day, hour, minute, second).
pub fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-from-civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = if m <= 2 { y + 1 } else { y };
    (y, m, d, (rem / 3600) as u32, (rem % 3600 / 60) as u32, (rem % 60) as u32)
}

/// The day of the week, 0 = Sunday.
pub fn weekday(secs: i64) -> u32 {
    (secs.div_euclid(86_400) + 4).rem_euclid(7) as u32
}

/// `2025-06-02 09:00:00`.
pub fn format_datetime(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_of_the_world_is_monday_2_june_2025() {
        assert_eq!(civil(crate::sim::world::EPOCH), (2025, 6, 2, 9, 0, 0));
        assert_eq!(weekday(crate::sim::world::EPOCH), 1);
        assert_eq!(format_datetime(0), "1970-01-01 00:00:00");
        assert_eq!(civil(951_782_400), (2000, 2, 29, 0, 0, 0));
    }
}
