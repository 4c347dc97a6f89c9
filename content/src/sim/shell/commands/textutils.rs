//! Filters that count or slice their input: `head`, `tail`, `cut`, `wc` and `tee`; and `yes`,
//! which never stops by itself (here: at the output limit of a command).

use super::common::{SizeError, lines, lquote, parse_size, quote, write_file};
use super::sort::read_inputs;
use super::{CommandInfo, split_options, usage_error};
use crate::sim::shell::Ctx;
use crate::sim::vfs::{FsError, NodeKind};
use crate::sim::world::MAX_OUTPUT;

pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "cut",
        run: cut,
        summary: "remove sections from each line of files",
        usage: "Usage: cut OPTION... [FILE]...\nPrint selected parts of lines from each FILE to standard output.\n\n  -b, --bytes=LIST        select only these bytes\n  -c, --characters=LIST   select only these characters\n  -d, --delimiter=DELIM   use DELIM instead of TAB for field delimiter\n  -f, --fields=LIST       select only these fields\n      --complement        complement the set of selected bytes, characters or fields\n  -s, --only-delimited    do not print lines not containing delimiters\n      --output-delimiter=STRING  use STRING as the output delimiter\n\nLIST is made up of ranges separated by commas: N, N-, N-M, -M.\n",
    },
    CommandInfo {
        name: "head",
        run: head,
        summary: "output the first part of files",
        usage: "Usage: head [OPTION]... [FILE]...\nPrint the first 10 lines of each FILE to standard output.\nWith more than one FILE, precede each with a header giving the file name.\n\n  -c, --bytes=[-]NUM       print the first NUM bytes of each file;\n                             with the leading '-', print all but the last NUM bytes\n  -n, --lines=[-]NUM       print the first NUM lines instead of the first 10;\n                             with the leading '-', print all but the last NUM lines\n  -q, --quiet              never print headers giving file names\n  -v, --verbose            always print headers giving file names\n  -NUM                     same as -n NUM\n",
    },
    CommandInfo {
        name: "tail",
        run: tail,
        summary: "output the last part of files",
        usage: "Usage: tail [OPTION]... [FILE]...\nPrint the last 10 lines of each FILE to standard output.\nWith more than one FILE, precede each with a header giving the file name.\n\n  -c, --bytes=[+]NUM       output the last NUM bytes; or use -c +NUM to output\n                             starting with byte NUM of each file\n  -f, --follow             output appended data as the file grows (GuestLab prints the\n                             file once: nothing else writes to it while you watch)\n  -n, --lines=[+]NUM       output the last NUM lines, instead of the last 10;\n                             or use -n +NUM to skip NUM-1 lines at the start\n  -q, --quiet              never output headers giving file names\n  -v, --verbose            always output headers giving file names\n  -NUM                     same as -n NUM\n",
    },
    CommandInfo {
        name: "tee",
        run: tee,
        summary: "copy standard input to files and standard output",
        usage: "Usage: tee [OPTION]... [FILE]...\nCopy standard input to each FILE, and also to standard output.\n\n  -a, --append   append to the given FILEs, do not overwrite\n",
    },
    CommandInfo {
        name: "wc",
        run: wc,
        summary: "print newline, word, and byte counts for each file",
        usage: "Usage: wc [OPTION]... [FILE]...\nPrint newline, word, and byte counts for each FILE, and a total line if more than one FILE\nis specified. A word is a non-zero-length sequence of printable characters delimited by\nwhite space.\n\n  -c, --bytes            print the byte counts\n  -m, --chars            print the character counts\n  -l, --lines            print the newline counts\n  -L, --max-line-length  print the maximum display width\n  -w, --words            print the word counts\n",
    },
    CommandInfo {
        name: "yes",
        run: yes,
        summary: "output a string repeatedly until killed",
        usage: "Usage: yes [STRING]...\n  or:  yes OPTION\nRepeatedly output a line with all specified STRING(s), or 'y'.\n\n      --help        display this help and exit\n      --version     output version information and exit\n\nGNU coreutils online help: <https://www.gnu.org/software/coreutils/>\nReport any translation bugs to <https://translationproject.org/team/>\nFull documentation <https://www.gnu.org/software/coreutils/yes>\nor available locally via: info '(coreutils) yes invocation'\n",
    },
];

/// `yes [STRING]...`: the line again and again. The real one runs until it is killed: by the
/// pipe closing behind `head` (silently), or by Ctrl-C. Here it stops at a command's output
/// limit: into a pipe quietly, as if the reader had gone (`yes | head -3`), elsewhere with the
/// note that says so (`yes > /dev/null` ends).
fn yes(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let operands = match args.get(1).map(String::as_str) {
        Some("--") => &args[2..],
        Some("--version") if args.len() == 2 => {
            ctx.out("yes (GNU coreutils) 9.1\n");
            return 0;
        }
        Some(long) if long.starts_with("--") => {
            return usage_error(ctx, "yes", &format!("unrecognized option '{long}'"));
        }
        Some(short) if short.len() > 1 && short.starts_with('-') => {
            let letter = short.chars().nth(1).unwrap_or('-');
            return usage_error(ctx, "yes", &format!("invalid option -- '{letter}'"));
        }
        _ => &args[1..],
    };
    let line = if operands.is_empty() { "y\n".to_owned() } else { format!("{}\n", operands.join(" ")) };
    // Whole lines up to the limit; elsewhere one more, so that the context adds its note.
    let repeat = MAX_OUTPUT / line.len() + usize::from(!ctx.stdout_is_pipe);
    ctx.out(&line.repeat(repeat));
    0
}

/// `-5` as the first argument means `-n 5` (the obsolete form head and tail still accept).
fn obsolete_count(args: &[String], plus: bool) -> (Vec<String>, Option<String>) {
    let mut out: Vec<String> = args.to_vec();
    let mut obsolete = None;
    if let Some(first) = out.first().cloned() {
        let sign = first.chars().next();
        let digits = &first[1.min(first.len())..];
        if (sign == Some('-') || (plus && sign == Some('+')))
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            let value = if sign == Some('+') { format!("+{digits}") } else { digits.to_owned() };
            out.splice(0..1, ["-n".to_owned(), value]);
            obsolete = Some(digits.to_owned());
        }
    }
    (out, obsolete)
}

/// Reads a whole input for head/tail; for files, at most `limit` bytes from the start, or
/// with `from_end` the last `limit` bytes.
fn read_input(ctx: &mut Ctx<'_>, name: &str, limit: usize, from_end: bool) -> Result<Vec<u8>, FsError> {
    if name == "-" {
        return Ok(std::mem::take(&mut ctx.stdin));
    }
    let node = ctx.node(name, true)?;
    match &node.kind {
        NodeKind::File(f) if from_end => {
            let take = f.len.min(limit as u64);
            Ok(f.contents.read(f.len - take, take as usize))
        }
        _ => super::builtins::read_file(ctx, name, limit),
    }
}

/// A count of lines or bytes: `N`, `-N` (all but) or `+N` (from).
#[derive(Clone, Copy)]
struct Count {
    n: u64,
    sign: char,
    bytes: bool,
}

fn parse_count(ctx: &mut Ctx<'_>, tool: &str, value: &str, bytes: bool) -> Result<Count, i32> {
    let (sign, digits) = match value.chars().next() {
        Some(c @ ('-' | '+')) => (c, &value[1..]),
        _ => (' ', value),
    };
    match parse_size(digits, true) {
        Ok(n) => Ok(Count { n, sign, bytes }),
        Err(e) => {
            let what = if bytes { "bytes" } else { "lines" };
            let extra = if e == SizeError::Overflow { ": Value too large for defined data type" } else { "" };
            ctx.err(&format!("{tool}: invalid number of {what}: {}{extra}\n", lquote(value)));
            Err(1)
        }
    }
}

/// Runs head or tail over every operand.
fn head_tail(ctx: &mut Ctx<'_>, tool: &str, args: &[String]) -> i32 {
    let is_tail = tool == "tail";
    let (args, obsolete) = obsolete_count(&args[1..], is_tail);
    let (options, mut operands) = split_options(&args, &["-n", "--lines", "-c", "--bytes"]);
    if let Some(digits) = obsolete
        && is_tail
        && operands.len() > 1
    {
        ctx.err(&format!("{tool}: option used in invalid context -- {digits}\n"));
        return 1;
    }
    let mut count = Count { n: 10, sign: ' ', bytes: false };
    let mut headers = None;
    for option in &options {
        let value = option.split_once('=').map_or("", |(_, v)| v);
        match option.split_once('=').map_or(option.as_str(), |(k, _)| k) {
            "-n" | "--lines" => match parse_count(ctx, tool, value, false) {
                Ok(c) => count = c,
                Err(status) => return status,
            },
            "-c" | "--bytes" => match parse_count(ctx, tool, value, true) {
                Ok(c) => count = c,
                Err(status) => return status,
            },
            "-q" | "--quiet" | "--silent" => headers = Some(false),
            "-v" | "--verbose" => headers = Some(true),
            "-f" | "-F" | "--follow" | "--retry" if is_tail => {}
            other if other.len() > 1 && other[1..].bytes().all(|b| b.is_ascii_digit()) => {
                let message = if is_tail { "option used in invalid context" } else { "invalid trailing option" };
                return usage_error(ctx, tool, &format!("{message} -- {}", &other[1..]));
            }
            other => return usage_error(ctx, tool, &super::builtins::unknown_option(other)),
        }
    }
    if operands.is_empty() {
        operands.push("-".to_owned());
    }
    let show_headers = headers.unwrap_or(operands.len() > 1);
    let mut status = 0;
    let mut out: Vec<u8> = Vec::new();
    for (i, name) in operands.iter().enumerate() {
        let from_end = is_tail && count.sign != '+';
        let data = match read_input(ctx, name, MAX_OUTPUT, from_end) {
            Ok(d) => d,
            Err(FsError::IsDir) => {
                ctx.out_bytes(&std::mem::take(&mut out));
                if show_headers {
                    ctx.out(&format!("{}==> {name} <==\n", if i > 0 { "\n" } else { "" }));
                }
                ctx.err(&format!("{tool}: error reading {}: Is a directory\n", quote(name)));
                status = 1;
                continue;
            }
            Err(e) => {
                ctx.out_bytes(&std::mem::take(&mut out));
                ctx.err(&format!("{tool}: cannot open {} for reading: {e}\n", quote(name)));
                status = 1;
                continue;
            }
        };
        if show_headers {
            let shown = if name == "-" { "standard input" } else { name };
            out.extend_from_slice(format!("{}==> {shown} <==\n", if i > 0 { "\n" } else { "" }).as_bytes());
        }
        out.extend_from_slice(&slice(&data, count, is_tail));
        if out.len() > MAX_OUTPUT {
            break;
        }
    }
    ctx.out_bytes(&out);
    status
}

/// The part of `data` that head or tail prints.
fn slice(data: &[u8], count: Count, tail: bool) -> Vec<u8> {
    let n = usize::try_from(count.n).unwrap_or(usize::MAX);
    if count.bytes {
        let len = data.len();
        return match (tail, count.sign) {
            (false, '-') => data[..len.saturating_sub(n)].to_vec(),
            (false, _) => data[..n.min(len)].to_vec(),
            (true, '+') => data[n.saturating_sub(1).min(len)..].to_vec(),
            (true, _) => data[len.saturating_sub(n)..].to_vec(),
        };
    }
    // Line starts: byte offsets just after each newline.
    let ends: Vec<usize> = data.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1).collect();
    let total = ends.len() + usize::from(!data.is_empty() && !data.ends_with(b"\n"));
    let offset_of_line = |k: usize| if k == 0 { 0 } else { ends.get(k - 1).copied().unwrap_or(data.len()) };
    match (tail, count.sign) {
        (false, '-') => data[..offset_of_line(total.saturating_sub(n))].to_vec(),
        (false, _) => data[..offset_of_line(n.min(total))].to_vec(),
        (true, '+') => data[offset_of_line(n.saturating_sub(1).min(total))..].to_vec(),
        (true, _) => data[offset_of_line(total.saturating_sub(n))..].to_vec(),
    }
}

fn head(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    head_tail(ctx, "head", args)
}

fn tail(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    head_tail(ctx, "tail", args)
}

fn tee(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &[]);
    let mut append = false;
    for option in &options {
        match option.as_str() {
            "-a" | "--append" => append = true,
            "-i" | "--ignore-interrupts" | "-p" => {}
            other => return usage_error(ctx, "tee", &super::builtins::unknown_option(other)),
        }
    }
    let data = std::mem::take(&mut ctx.stdin);
    let mut status = 0;
    for path in &operands {
        if path == "/dev/null" {
            continue;
        }
        if let Err(e) = write_file(ctx, path, &data, append) {
            ctx.err(&format!("tee: {path}: {e}\n"));
            status = 1;
        }
    }
    ctx.out_bytes(&data);
    status
}

/// The counts of one input.
#[derive(Clone, Copy, Default)]
struct Counts {
    lines: u64,
    words: u64,
    chars: u64,
    bytes: u64,
    max_line: u64,
}

fn count_text(data: &[u8]) -> Counts {
    let text = String::from_utf8_lossy(data);
    let mut c = Counts { bytes: data.len() as u64, ..Counts::default() };
    let mut in_word = false;
    let mut width = 0u64;
    for ch in text.chars() {
        c.chars += 1;
        match ch {
            '\n' => {
                c.lines += 1;
                c.max_line = c.max_line.max(width);
                width = 0;
            }
            '\t' => width = (width / 8 + 1) * 8,
            _ if !ch.is_control() => width += 1,
            _ => {}
        }
        if ch.is_whitespace() {
            in_word = false;
        } else if !ch.is_control() && !in_word {
            in_word = true;
            c.words += 1;
        }
    }
    c.max_line = c.max_line.max(width);
    c
}

/// Counts of a file too big to read whole: newlines and words in what was written, zeros
/// elsewhere (NUL bytes are neither).
fn count_sparse(file: &crate::sim::vfs::RegularFile) -> Counts {
    let mut c = Counts { bytes: file.len, chars: file.len, ..Counts::default() };
    for (_, len, fill) in file.contents.extents() {
        match fill {
            crate::sim::vfs::Fill::Byte(b'\n') => c.lines += len,
            crate::sim::vfs::Fill::Byte(b) if b.is_ascii_graphic() => c.words += 1,
            crate::sim::vfs::Fill::Byte(_) => {}
            crate::sim::vfs::Fill::Bytes(bytes) => {
                let part = count_text(bytes);
                c.lines += part.lines;
                c.words += part.words;
                c.max_line = c.max_line.max(part.max_line);
            }
        }
    }
    c
}

fn wc(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &[]);
    let (mut l, mut w, mut m, mut c, mut big_l) = (false, false, false, false, false);
    for option in &options {
        match option.as_str() {
            "-l" | "--lines" => l = true,
            "-w" | "--words" => w = true,
            "-m" | "--chars" => m = true,
            "-c" | "--bytes" => c = true,
            "-L" | "--max-line-length" => big_l = true,
            other => return usage_error(ctx, "wc", &super::builtins::unknown_option(other)),
        }
    }
    if !(l || w || m || c || big_l) {
        (l, w, c) = (true, true, true);
    }
    let names: Vec<String> = if operands.is_empty() { vec!["-".to_owned()] } else { operands.clone() };
    // (name, counts, regular file size for the column width, failed)
    let mut rows: Vec<(String, Counts, Option<u64>)> = Vec::new();
    let mut status = 0;
    let mut errors = Vec::new();
    for name in &names {
        if name == "-" {
            let data = std::mem::take(&mut ctx.stdin);
            rows.push((name.clone(), count_text(&data), None));
            continue;
        }
        let node = match ctx.node(name, true) {
            Ok(node) => node.clone(),
            Err(e) => {
                errors.push((rows.len(), format!("wc: {name}: {e}\n")));
                status = 1;
                continue;
            }
        };
        match &node.kind {
            NodeKind::File(f) => {
                let counts = if f.len as usize <= 4 * MAX_OUTPUT {
                    count_text(&f.read_all(4 * MAX_OUTPUT))
                } else {
                    count_sparse(f)
                };
                rows.push((name.clone(), counts, Some(f.len)));
            }
            NodeKind::Dir(_) => {
                errors.push((rows.len(), format!("wc: {name}: Is a directory\n")));
                status = 1;
                rows.push((name.clone(), Counts::default(), None));
            }
            _ => rows.push((name.clone(), Counts::default(), None)),
        }
    }
    // GNU's width: digits of the total size of the regular files, at least 7 if any input is
    // not a regular file; one column of one file needs no padding.
    let columns = [l, w, m, c, big_l].iter().filter(|x| **x).count();
    let width = if names.len() == 1 && columns == 1 {
        1
    } else {
        let regular: u64 = rows.iter().filter_map(|r| r.2).sum();
        let minimum = if rows.iter().any(|r| r.2.is_none()) { 7 } else { 1 };
        regular.to_string().len().max(minimum)
    };
    let line = |counts: &Counts, name: &str| {
        let mut fields = Vec::new();
        for (on, value) in
            [(l, counts.lines), (w, counts.words), (m, counts.chars), (c, counts.bytes), (big_l, counts.max_line)]
        {
            if on {
                fields.push(format!("{value:>width$}"));
            }
        }
        let mut text = fields.join(" ");
        if name != "-" || names.len() > 1 {
            text.push(' ');
            text.push_str(name);
        }
        text.push('\n');
        text
    };
    let mut total = Counts::default();
    let mut errors = errors.into_iter().peekable();
    for (i, (name, counts, _)) in rows.iter().enumerate() {
        while let Some((_, message)) = errors.next_if(|(at, _)| *at <= i) {
            ctx.err(&message);
        }
        ctx.out(&line(counts, name));
        total.lines += counts.lines;
        total.words += counts.words;
        total.chars += counts.chars;
        total.bytes += counts.bytes;
        total.max_line = total.max_line.max(counts.max_line);
    }
    for (_, message) in errors {
        ctx.err(&message);
    }
    if names.len() > 1 {
        ctx.out(&line(&total, "total"));
    }
    status
}

/// A cut LIST: sorted, merged 1-based inclusive ranges.
fn parse_list(list: &str, what: &str) -> Result<Vec<(usize, usize)>, String> {
    let mut ranges = Vec::new();
    for part in list.split([',', ' ']).filter(|p| !p.is_empty()) {
        let invalid = || format!("invalid {what} value {}", lquote(part));
        let number = |s: &str| -> Result<usize, String> {
            let n: usize = s.parse().map_err(|_| invalid())?;
            if n == 0 { Err(format!("{what}s are numbered from 1")) } else { Ok(n) }
        };
        let (a, b) = match part.split_once('-') {
            Some(("", "")) => return Err("invalid range with no endpoint: -".to_owned()),
            Some(("", b)) => (1, number(b)?),
            Some((a, "")) => (number(a)?, usize::MAX),
            Some((a, b)) => (number(a)?, number(b)?),
            None => {
                let n = number(part)?;
                (n, n)
            }
        };
        if b < a {
            return Err("invalid decreasing range".to_owned());
        }
        ranges.push((a, b));
    }
    if ranges.is_empty() {
        return Err(format!("invalid {what} value {}", lquote(list)));
    }
    crate::order::sort(&mut ranges);
    Ok(ranges)
}

fn cut(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) =
        split_options(&args[1..], &["-b", "--bytes", "-c", "--characters", "-d", "--delimiter", "-f", "--fields"]);
    let (mut list, mut mode, mut delimiter) = (None::<String>, ' ', '\t');
    let (mut only_delimited, mut complement, mut output_delimiter) = (false, false, None::<String>);
    for option in &options {
        let value = option.split_once('=').map_or("", |(_, v)| v);
        match option.split_once('=').map_or(option.as_str(), |(k, _)| k) {
            k @ ("-b" | "--bytes" | "-c" | "--characters" | "-f" | "--fields") => {
                if list.is_some() {
                    return usage_error(ctx, "cut", "only one list may be specified");
                }
                list = Some(value.to_owned());
                mode = if k.starts_with("-f") || k == "--fields" { 'f' } else { 'c' };
            }
            "-d" | "--delimiter" => {
                let mut chars = value.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => delimiter = c,
                    _ => return usage_error(ctx, "cut", "the delimiter must be a single character"),
                }
            }
            "-s" | "--only-delimited" => only_delimited = true,
            "--complement" => complement = true,
            "--output-delimiter" => output_delimiter = Some(value.to_owned()),
            "-n" => {}
            other => return usage_error(ctx, "cut", &super::builtins::unknown_option(other)),
        }
    }
    let Some(list) = list else {
        return usage_error(ctx, "cut", "you must specify a list of bytes, characters, or fields");
    };
    let ranges = match parse_list(&list, if mode == 'f' { "field" } else { "byte/character" }) {
        Ok(r) => r,
        Err(message) => return usage_error(ctx, "cut", &message),
    };
    let selected = |i: usize| ranges.iter().any(|&(a, b)| a <= i && i <= b) != complement;
    let Ok(inputs) = read_inputs(ctx, "cut", &operands) else { return 1 };
    let status = i32::from(inputs.len() < operands.len().max(1));
    let mut out = String::new();
    for (_, data) in &inputs {
        let text = String::from_utf8_lossy(data);
        for line in lines(&text) {
            if mode == 'f' {
                if !line.contains(delimiter) {
                    if !only_delimited {
                        out.push_str(line);
                        out.push('\n');
                    }
                    continue;
                }
                let joiner = output_delimiter.clone().unwrap_or_else(|| delimiter.to_string());
                let picked: Vec<&str> =
                    line.split(delimiter).enumerate().filter(|(i, _)| selected(i + 1)).map(|(_, f)| f).collect();
                out.push_str(&picked.join(&joiner));
            } else {
                let picked: String =
                    line.chars().enumerate().filter(|(i, _)| selected(i + 1)).map(|(_, c)| c).collect();
                out.push_str(&picked);
            }
            out.push('\n');
        }
    }
    ctx.out(&out);
    status
}
