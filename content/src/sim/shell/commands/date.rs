//! Time: `date` and `sleep`, and the calendar arithmetic, `strftime` formatting and date
//! parsing that `ls`, `stat` and `touch` share. The simulated host runs in UTC.

use super::common::lquote;
use super::{CommandInfo, split_options, usage_error};
use crate::sim::shell::Ctx;

pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "date",
        run: date,
        summary: "print the date and time",
        usage: "Usage: date [OPTION]... [+FORMAT]\nDisplay the date and time (the host runs in UTC).\n\n  -d, --date=STRING    display time described by STRING: @SECONDS, 2025-06-02 [10:30[:00]],\n                       now, yesterday, tomorrow, 3 days ago, +2 hours\n  -u, --utc            print Coordinated Universal Time (the default here)\n  -I[FMT]              ISO 8601 output: date, hours, minutes, seconds\n  -R, --rfc-email      output in RFC 5322 format\n      --rfc-3339=FMT   date, seconds or ns\n\nFORMAT fields: %Y %m %d %H %M %S %a %A %b %B %e %j %u %w %s %Z %z %F %T %D %R %c %x %X %N %%\n(flags: - no padding, _ pad with spaces, 0 pad with zeros, ^ upper case)\n",
    },
    CommandInfo {
        name: "sleep",
        run: sleep,
        summary: "wait for a while (the simulated clock moves on at once)",
        usage: "Usage: sleep NUMBER[SUFFIX]...\nPause for NUMBER seconds (SUFFIX: s seconds, m minutes, h hours, d days).\nIn GuestLab the simulated clock advances and the command returns at once.\n",
    },
];

pub const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const DAY_NAMES: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// A broken-down UTC time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tm {
    pub year: i64,
    /// 1–12.
    pub month: u32,
    /// 1–31.
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 0 = Sunday.
    pub weekday: u32,
    /// 0-based day of the year.
    pub yday: u32,
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Breaks seconds since the epoch into a UTC calendar time.
pub fn tm(t: i64) -> Tm {
    let (year, month, day, hour, minute, second) = crate::sim::time::civil(t);
    let yday = (t.div_euclid(86_400) - days_from_civil(year, 1, 1)) as u32;
    Tm { year, month, day, hour, minute, second, weekday: crate::sim::time::weekday(t), yday }
}

/// The ISO 8601 week-based year and week number.
fn iso_week(tm: &Tm) -> (i64, u32) {
    let wday = (tm.weekday + 6) % 7; // Monday = 0
    let yday = i64::from(tm.yday);
    let week = (yday - i64::from(wday) + 10) / 7;
    let weeks_in = |y: i64| {
        let jan1 = (days_from_civil(y, 1, 1) + 4).rem_euclid(7); // 0 = Sunday
        if jan1 == 4 || (jan1 == 3 && is_leap(y)) { 53 } else { 52 }
    };
    if week < 1 {
        (tm.year - 1, weeks_in(tm.year - 1))
    } else if week > i64::from(weeks_in(tm.year)) {
        (tm.year + 1, 1)
    } else {
        (tm.year, week as u32)
    }
}

/// Formats a time like `strftime(3)` in the C locale, UTC.
pub fn strftime(format: &str, t: i64) -> String {
    let tm = tm(t);
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut pad: Option<char> = None;
        let mut upper = false;
        while let Some(&f) = chars.peek() {
            match f {
                '-' => pad = Some('\0'),
                '_' => pad = Some(' '),
                '0' => pad = Some('0'),
                '^' => upper = true,
                '#' => {}
                _ => break,
            }
            chars.next();
        }
        let mut width = 0usize;
        while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
            width = (width * 10 + d as usize).min(1024);
            chars.next();
        }
        let colon = chars.peek() == Some(&':');
        if colon {
            chars.next();
        }
        let Some(conv) = chars.next() else {
            out.push('%');
            break;
        };
        // (text, default padding, default width) of the field.
        let num = |v: i64, w: usize| (v.to_string(), '0', w);
        let space = |v: i64, w: usize| (v.to_string(), ' ', w);
        let text = |s: &str| (s.to_owned(), ' ', 0);
        let hour12 = if tm.hour.is_multiple_of(12) { 12 } else { tm.hour % 12 };
        let (value, default_pad, default_width) = match conv {
            'Y' => num(tm.year, 1),
            'C' => num(tm.year.div_euclid(100), 2),
            'y' => num(tm.year.rem_euclid(100), 2),
            'm' => num(i64::from(tm.month), 2),
            'd' => num(i64::from(tm.day), 2),
            'e' => space(i64::from(tm.day), 2),
            'H' => num(i64::from(tm.hour), 2),
            'k' => space(i64::from(tm.hour), 2),
            'I' => num(i64::from(hour12), 2),
            'l' => space(i64::from(hour12), 2),
            'M' => num(i64::from(tm.minute), 2),
            'S' => num(i64::from(tm.second), 2),
            'j' => num(i64::from(tm.yday) + 1, 3),
            'u' => num(i64::from(if tm.weekday == 0 { 7 } else { tm.weekday }), 1),
            'w' => num(i64::from(tm.weekday), 1),
            'U' => num((i64::from(tm.yday) + 7 - i64::from(tm.weekday)) / 7, 2),
            'W' => num((i64::from(tm.yday) + 7 - i64::from((tm.weekday + 6) % 7)) / 7, 2),
            'V' => num(i64::from(iso_week(&tm).1), 2),
            'G' => num(iso_week(&tm).0, 1),
            'g' => num(iso_week(&tm).0.rem_euclid(100), 2),
            's' => num(t, 1),
            'N' => num(0, 9),
            'a' => text(DAYS[tm.weekday as usize % 7]),
            'A' => text(DAY_NAMES[tm.weekday as usize % 7]),
            'b' | 'h' => text(MONTHS[(tm.month as usize + 11) % 12]),
            'B' => text(MONTH_NAMES[(tm.month as usize + 11) % 12]),
            'p' => text(if tm.hour < 12 { "AM" } else { "PM" }),
            'P' => text(if tm.hour < 12 { "am" } else { "pm" }),
            'Z' => text("UTC"),
            'z' => text(if colon { "+00:00" } else { "+0000" }),
            'n' => text("\n"),
            't' => text("\t"),
            '%' => text("%"),
            'F' => text(&strftime("%Y-%m-%d", t)),
            'T' => text(&strftime("%H:%M:%S", t)),
            'D' | 'x' => text(&strftime("%m/%d/%y", t)),
            'R' => text(&strftime("%H:%M", t)),
            'r' => text(&strftime("%I:%M:%S %p", t)),
            'X' => text(&strftime("%H:%M:%S", t)),
            'c' => text(&strftime("%a %b %e %H:%M:%S %Y", t)),
            other => {
                out.push('%');
                out.push(other);
                continue;
            }
        };
        let fill = match pad {
            Some('\0') => None,
            Some(p) => Some(p),
            None => Some(default_pad),
        };
        let width = if width > 0 { width } else { default_width };
        let value = if upper { value.to_uppercase() } else { value };
        if let Some(fill) = fill
            && value.chars().count() < width
        {
            let missing = width - value.chars().count();
            let (sign, digits) = match value.strip_prefix('-') {
                Some(rest) if fill == '0' => ("-", rest),
                _ => ("", value.as_str()),
            };
            out.push_str(sign);
            out.extend(std::iter::repeat_n(fill, missing));
            out.push_str(digits);
        } else {
            out.push_str(&value);
        }
    }
    out
}

/// Parses the date strings learners give `date -d` and `touch -d`: `@SECONDS`, `now`,
/// `today`, `yesterday`, `tomorrow`, `2025-06-02`, `2025-06-02 10:30[:00]` (also with `T`),
/// `N UNIT ago`, `+N UNIT`, `-N UNIT`. Returns seconds since the epoch (UTC).
pub fn parse_date(text: &str, now: i64) -> Option<i64> {
    let s = text.trim();
    let s = s.strip_suffix(" UTC").or_else(|| s.strip_suffix('Z')).unwrap_or(s).trim();
    if let Some(secs) = s.strip_prefix('@') {
        return secs.parse().ok();
    }
    match s.to_ascii_lowercase().as_str() {
        "" | "now" | "today" => return Some(now),
        "yesterday" => return Some(now - 86_400),
        "tomorrow" => return Some(now + 86_400),
        _ => {}
    }
    if let Some(t) = parse_relative(s, now) {
        return Some(t);
    }
    let (date, time) = match s.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut secs = 0i64;
    if let Some(time) = time {
        let mut fields = time.split(':');
        let hour: i64 = fields.next()?.parse().ok()?;
        let minute: i64 = fields.next().map_or(Some(0), |m| m.parse().ok())?;
        let second: i64 = fields.next().map_or(Some(0), |s| s.split('.').next()?.parse().ok())?;
        if fields.next().is_some() || hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        secs = hour * 3600 + minute * 60 + second;
    }
    Some(days_from_civil(year, month, day) * 86_400 + secs)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `3 days ago`, `+2 hours`, `-1 week`, `1 year`.
fn parse_relative(s: &str, now: i64) -> Option<i64> {
    let words: Vec<&str> = s.split_whitespace().collect();
    let (count, unit, ago) = match words.as_slice() {
        [n, unit] => (*n, *unit, false),
        [n, unit, "ago"] => (*n, *unit, true),
        _ => return None,
    };
    let n: i64 = count.strip_prefix('+').unwrap_or(count).parse().ok()?;
    let unit = unit.to_ascii_lowercase();
    let seconds = match unit.trim_end_matches('s') {
        "sec" | "second" => 1,
        "min" | "minute" => 60,
        "hour" => 3600,
        "day" => 86_400,
        "week" => 7 * 86_400,
        "fortnight" => 14 * 86_400,
        "month" => 30 * 86_400,
        "year" => 365 * 86_400,
        _ => return None,
    };
    let delta = n.checked_mul(seconds)?;
    if ago { now.checked_sub(delta) } else { now.checked_add(delta) }
}

/// `touch -t [[CC]YY]MMDDhhmm[.ss]`.
pub fn parse_touch_stamp(s: &str) -> Option<i64> {
    let (main, secs) = match s.split_once('.') {
        Some((m, ss)) if ss.len() == 2 => (m, ss.parse::<i64>().ok()?),
        Some(_) => return None,
        None => (s, 0),
    };
    if !main.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| main.get(r).and_then(|x| x.parse::<i64>().ok());
    let (year, rest) = match main.len() {
        12 => (n(0..4)?, 4),
        10 => {
            let yy = n(0..2)?;
            (if yy < 69 { 2000 + yy } else { 1900 + yy }, 2)
        }
        8 => (tm(crate::sim::world::EPOCH).year, 0),
        _ => return None,
    };
    let month = u32::try_from(n(rest..rest + 2)?).ok()?;
    let day = u32::try_from(n(rest + 2..rest + 4)?).ok()?;
    let hour = n(rest + 4..rest + 6)?;
    let minute = n(rest + 6..rest + 8)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) || hour > 23 || minute > 59 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + secs)
}

fn date(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    // `-Iseconds` is one option with an attached argument.
    let args: Vec<String> = args[1..]
        .iter()
        .map(|a| match a.strip_prefix("-I") {
            Some("") => "--iso-8601".to_owned(),
            Some(spec) => format!("--iso-8601={spec}"),
            None => a.clone(),
        })
        .collect();
    let (options, operands) = split_options(&args, &["-d", "--date"]);
    let mut when = ctx.now();
    let mut format = "%a %b %e %H:%M:%S %Z %Y".to_owned();
    for option in &options {
        match option.as_str() {
            "-u" | "--utc" | "--universal" => {}
            "-R" | "--rfc-email" => format = "%a, %d %b %Y %H:%M:%S %z".to_owned(),
            "-I" | "--iso-8601" | "--iso-8601=date" => format = "%Y-%m-%d".to_owned(),
            "--iso-8601=hours" | "--iso-8601=h" => format = "%Y-%m-%dT%H%:z".to_owned(),
            "--iso-8601=minutes" | "--iso-8601=m" => format = "%Y-%m-%dT%H:%M%:z".to_owned(),
            "--iso-8601=seconds" | "--iso-8601=s" => format = "%Y-%m-%dT%H:%M:%S%:z".to_owned(),
            "--iso-8601=ns" | "--iso-8601=n" => format = "%Y-%m-%dT%H:%M:%S,%N%:z".to_owned(),
            "--rfc-3339=date" => format = "%Y-%m-%d".to_owned(),
            "--rfc-3339=seconds" => format = "%Y-%m-%d %H:%M:%S%:z".to_owned(),
            "--rfc-3339=ns" => format = "%Y-%m-%d %H:%M:%S.%N%:z".to_owned(),
            o if o.starts_with("-d=") || o.starts_with("--date=") => {
                let value = o.split_once('=').map_or("", |(_, v)| v);
                match parse_date(value, ctx.now()) {
                    Some(t) => when = t,
                    None => {
                        ctx.err(&format!("date: invalid date {}\n", lquote(value)));
                        return 1;
                    }
                }
            }
            o if o.starts_with("--iso-8601=") => {
                let spec = &o["--iso-8601=".len()..];
                ctx.err(&format!(
                    "date: invalid argument {} for {}\nValid arguments are:\n  - {}\n  - {}\n  - {}\n  - {}\n  - {}\nTry 'date --help' for more information.\n",
                    lquote(spec),
                    lquote("--iso-8601"),
                    lquote("hours"),
                    lquote("minutes"),
                    lquote("date"),
                    lquote("seconds"),
                    lquote("ns")
                ));
                return 1;
            }
            other => return usage_error(ctx, "date", &super::builtins::unknown_option(other)),
        }
    }
    match operands.as_slice() {
        [] => {}
        [f] if f.starts_with('+') => format = f[1..].to_owned(),
        [f] => {
            ctx.err(&format!("date: invalid date {}\n", lquote(f)));
            return 1;
        }
        [_, extra, ..] => return usage_error(ctx, "date", &format!("extra operand {}", lquote(extra))),
    }
    let mut text = strftime(&format, when);
    text.push('\n');
    ctx.out(&text);
    0
}

fn sleep(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let operands: Vec<&String> = args[1..].iter().filter(|a| *a != "--").collect();
    if operands.is_empty() {
        return usage_error(ctx, "sleep", "missing operand");
    }
    let mut total = 0f64;
    for operand in operands {
        let (number, unit) = match operand.char_indices().last() {
            Some((i, c)) if c.is_ascii_alphabetic() => (&operand[..i], c),
            _ => (operand.as_str(), 's'),
        };
        let factor = match unit {
            's' => 1.0,
            'm' => 60.0,
            'h' => 3600.0,
            'd' => 86_400.0,
            _ => f64::NAN,
        };
        match number.parse::<f64>() {
            Ok(n) if n >= 0.0 && n.is_finite() && factor.is_finite() => total += n * factor,
            _ => {
                ctx.err(&format!(
                    "sleep: invalid time interval {}\nTry 'sleep --help' for more information.\n",
                    lquote(operand)
                ));
                return 1;
            }
        }
    }
    // Whole seconds, at most ten years: the simulated clock moves on.
    let seconds = total.ceil().min(315_360_000.0) as i64;
    ctx.world.tick(seconds);
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::world::EPOCH;

    #[test]
    fn calendar_round_trips() {
        let t = tm(EPOCH);
        assert_eq!((t.year, t.month, t.day, t.hour, t.weekday, t.yday), (2025, 6, 2, 9, 1, 152));
        assert_eq!(days_from_civil(2025, 6, 2) * 86_400 + 9 * 3600, EPOCH);
        assert_eq!(tm(0).weekday, 4);
        assert_eq!(tm(-1).year, 1969);
        assert_eq!(strftime("%a %b %e %H:%M:%S %Z %Y", EPOCH), "Mon Jun  2 09:00:00 UTC 2025");
        assert_eq!(
            strftime("%F %T %j %u %V %G %U %W %s %-d %_m %05d %^a", EPOCH),
            "2025-06-02 09:00:00 153 1 23 2025 22 22 1748854800 2  6 00002 MON"
        );
        assert_eq!(
            strftime("%c|%x|%X|%:z|%N|%I %p", EPOCH),
            "Mon Jun  2 09:00:00 2025|06/02/25|09:00:00|+00:00|000000000|09 AM"
        );
        assert_eq!(iso_week(&tm(days_from_civil(2021, 1, 1) * 86_400)), (2020, 53));
    }

    #[test]
    fn dates_parse() {
        assert_eq!(parse_date("@5", 0), Some(5));
        assert_eq!(parse_date("2025-06-02 09:00", 0), Some(EPOCH));
        assert_eq!(parse_date("2025-06-02T09:00:00Z", 0), Some(EPOCH));
        assert_eq!(parse_date("2 days ago", EPOCH), Some(EPOCH - 172_800));
        assert_eq!(parse_date("+1 hour", EPOCH), Some(EPOCH + 3600));
        assert_eq!(parse_date("2025-02-30", 0), None);
        assert_eq!(parse_date("foo", 0), None);
        assert_eq!(parse_touch_stamp("202506020900"), Some(EPOCH));
        assert_eq!(parse_touch_stamp("2506020900.00"), Some(EPOCH));
        assert_eq!(parse_touch_stamp("06020900"), Some(EPOCH));
    }
}
