//! The rows `guestlab bench` prints — what, target, measured, and whether the target is met —
//! as a table (default), as JSON lines (`--json`), or as rows of the README's table
//! (`--markdown`). With `--tolerance F`, a time that misses its budget but stays within F times
//! it passes (CI runs on a shared machine, and in the dev build; see `.ci/run`).

use std::time::Duration;

/// How `guestlab bench` runs and prints.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    /// One JSON object per line.
    pub json: bool,
    /// `| what | target | measured |` rows, as in the README.
    pub markdown: bool,
    /// Also the measurements that start other programs: startup under Xvfb and in Chromium,
    /// real qemu-io, the web build's sizes (from `dist/`).
    pub all: bool,
    /// Time budgets are multiplied by this before a row fails (1.0: exact).
    pub tolerance: f64,
    /// Only sections whose name contains this.
    pub only: Option<String>,
}

/// What one row says.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub what: String,
    pub target: String,
    pub measured: String,
    /// The target is met (for rows with a target).
    pub pass: bool,
    /// Met only within the tolerance.
    pub tolerated: bool,
}

/// The rows so far, printed as they come.
pub struct Report {
    options: Options,
    pub rows: Vec<Row>,
}

impl Report {
    pub fn new(options: Options) -> Self {
        let report = Self { options, rows: Vec::new() };
        if report.options.markdown {
            println!("| what | target | measured |\n|---|---|---|");
        }
        report
    }

    /// Whether a section runs (`--only`).
    pub fn wants(&self, section: &str) -> bool {
        self.options.only.as_deref().is_none_or(|only| section.contains(only))
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Adds a row. `target` is `-` for a figure without a target; a target of the form
    /// `< 12 ms` / `≤ 1 s` with a measured time (`15.2 ms`) is checked again with the tolerance
    /// when `pass` is false.
    pub fn row(&mut self, what: &str, measured: String, target: &str, pass: bool) {
        let mut row = Row { what: what.to_owned(), target: target.to_owned(), measured, pass, tolerated: false };
        if !row.pass
            && self.options.tolerance > 1.0
            && let (Some(value), Some(budget)) = (parse_seconds(&row.measured), parse_budget(&row.target))
            && value <= budget * self.options.tolerance
        {
            row.pass = true;
            row.tolerated = true;
        }
        self.print(&row);
        self.rows.push(row);
    }

    /// A time against a budget (`< budget`).
    pub fn time(&mut self, what: &str, measured: Duration, budget: Duration) {
        self.row(what, format_duration(measured), &format!("< {}", format_budget(budget)), measured < budget);
    }

    /// A line of context under the last row (not in `--markdown`).
    pub fn note(&mut self, text: &str) {
        if self.options.json {
            println!("{{\"note\":{}}}", json_string(text));
        } else if !self.options.markdown {
            println!("  ({text})");
        }
    }

    fn print(&self, row: &Row) {
        let status = match (row.target.as_str(), row.pass, row.tolerated) {
            ("-", _, _) => "",
            (_, true, false) => "ok",
            (_, true, true) => "ok (within tolerance)",
            (_, false, _) => "OVER BUDGET",
        };
        if self.options.json {
            println!(
                "{{\"what\":{},\"target\":{},\"measured\":{},\"pass\":{},\"tolerated\":{}}}",
                json_string(&row.what),
                json_string(&row.target),
                json_string(&row.measured),
                row.pass,
                row.tolerated
            );
        } else if self.options.markdown {
            println!("| {} | {} | {} |", row.what, row.target, row.measured);
        } else {
            // A long name gets a line of its own, so that the columns stay aligned.
            let what = if row.what.chars().count() > 62 {
                println!("{}", row.what);
                ""
            } else {
                row.what.as_str()
            };
            println!("{what:<62} {:>18}   target {:<12} {status}", row.measured, row.target);
        }
    }

    /// Every target met (within the tolerance).
    pub fn ok(&self) -> bool {
        self.rows.iter().all(|r| r.pass || r.target == "-")
    }

    /// The rows over budget, for the summary line.
    pub fn failures(&self) -> Vec<&Row> {
        self.rows.iter().filter(|r| !r.pass && r.target != "-").collect()
    }
}

/// A budget as it is written in the issues: `2 ms`, `500 ms`, `1 s`, `0.5 ms`.
fn format_budget(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 1000.0 && ms % 1000.0 == 0.0 {
        format!("{} s", ms / 1e3)
    } else if ms.fract() == 0.0 {
        format!("{ms} ms")
    } else {
        format_duration(d)
    }
}

/// `0.42 ms`, `15.3 ms`, `1.23 s`.
pub fn format_duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1e3)
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

/// Seconds from `15.2 ms`, `0.9 s`, `250 µs` (the first number and unit of the text).
pub fn parse_seconds(text: &str) -> Option<f64> {
    let text = text.trim();
    let end = text.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))?;
    let number: f64 = text[..end].replace(',', "").parse().ok()?;
    let unit = text[end..].trim_start();
    let scale = if unit.starts_with("ms") {
        1e-3
    } else if unit.starts_with("µs") || unit.starts_with("us") {
        1e-6
    } else if unit.starts_with("ns") {
        1e-9
    } else if unit.starts_with('s') {
        1.0
    } else {
        return None;
    };
    Some(number * scale)
}

/// The seconds of a `< 12 ms` or `≤ 1 s` target.
pub fn parse_budget(target: &str) -> Option<f64> {
    let rest = target.trim().strip_prefix('<').or_else(|| target.trim().strip_prefix('≤'))?;
    parse_seconds(rest)
}

/// A JSON string literal.
pub fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The median of some times.
pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// The `p` quantile (0.99: the 99th percentile) of some times, nearest rank.
pub fn percentile(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i.min(v.len().saturating_sub(1))).copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_budgets_parse() {
        assert_eq!(parse_seconds("15.5 ms"), Some(0.0155));
        assert_eq!(parse_seconds("1.25 s"), Some(1.25));
        assert_eq!(parse_seconds("250 µs"), Some(0.000_25));
        assert_eq!(parse_seconds("1,024 bytes"), None);
        assert_eq!(parse_budget("< 100 ms"), Some(0.1));
        assert_eq!(parse_budget("≤ 1 s"), Some(1.0));
        assert_eq!(parse_budget("instant"), None);
        assert_eq!(format_duration(Duration::from_micros(420)), "0.42 ms");
        assert_eq!(format_duration(Duration::from_micros(15_340)), "15.3 ms");
        assert_eq!(format_duration(Duration::from_millis(1234)), "1.23 s");
        assert_eq!(json_string("a \"b\"\n\u{1}"), "\"a \\\"b\\\"\\n\\u0001\"");
    }

    #[test]
    fn the_tolerance_applies_to_time_budgets_only() {
        let mut report = Report::new(Options { tolerance: 2.0, json: true, ..Options::default() });
        report.row("fast enough within twice", "150.0 ms".into(), "< 100 ms", false);
        report.row("too slow even so", "250.0 ms".into(), "< 100 ms", false);
        report.row("not a time", "5 MB".into(), "< 4 MB", false);
        report.row("no target", "3".into(), "-", false);
        let verdicts: Vec<(bool, bool)> = report.rows.iter().map(|r| (r.pass, r.tolerated)).collect();
        assert_eq!(verdicts, [(true, true), (false, false), (false, false), (false, false)]);
        assert_eq!(report.failures().len(), 2);
        assert!(!report.ok());
    }

    #[test]
    fn median_and_percentile_use_nearest_ranks() {
        let times: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(median(times.clone()), Duration::from_millis(51));
        assert_eq!(percentile(times, 0.99), Duration::from_millis(99));
    }
}
