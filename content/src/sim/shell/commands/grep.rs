//! `grep`: prints lines that match patterns, with GNU grep 3.8's options, output prefixes,
//! context groups, messages and exit statuses (0 selected, 1 none, 2 trouble).

use super::builtins::read_file;
use super::common::join;
use super::regex::{Regex, Span, Syntax};
use super::{CommandInfo, split_options};
use crate::sim::shell::Ctx;
use crate::sim::vfs::NodeKind;
use crate::sim::world::MAX_OUTPUT;

pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "egrep",
        run: egrep,
        summary: "print lines that match extended regular expressions (grep -E)",
        usage: "Usage: egrep [OPTION]... PATTERNS [FILE]...\nLike grep -E (obsolescent: GNU grep 3.8 warns about it).\n",
    },
    CommandInfo {
        name: "grep",
        run: grep,
        summary: "print lines that match patterns",
        usage: "Usage: grep [OPTION]... PATTERNS [FILE]...\nSearch for PATTERNS in each FILE (or standard input).\nExample: grep -i 'hello world' menu.h main.c\n\n  -E, --extended-regexp     PATTERNS are extended regular expressions\n  -F, --fixed-strings       PATTERNS are strings\n  -G, --basic-regexp        PATTERNS are basic regular expressions (the default)\n  -e, --regexp=PATTERNS     use PATTERNS for matching\n  -i, --ignore-case         ignore case distinctions in patterns and data\n  -w, --word-regexp         match only whole words\n  -x, --line-regexp         match only whole lines\n  -v, --invert-match        select non-matching lines\n  -c, --count               print only a count of selected lines per FILE\n  -l, --files-with-matches  print only names of FILEs with selected lines\n  -L, --files-without-match print only names of FILEs with no selected lines\n  -m, --max-count=NUM       stop after NUM selected lines\n  -n, --line-number         print line number with output lines\n  -o, --only-matching       show only nonempty parts of lines that match\n  -q, --quiet, --silent     suppress all normal output\n  -s, --no-messages         suppress error messages\n  -H, --with-filename       print file name with output lines\n  -h, --no-filename         suppress the file name prefix on output\n  -r, --recursive           search directories recursively\n  -R, --dereference-recursive  likewise, but follow all symlinks\n  -A, -B, -C NUM            print NUM lines of trailing, leading, or both context\n\nExit status is 0 if any line is selected, 1 otherwise; if any error occurs and -q is not\ngiven, the exit status is 2.\n",
    },
];

struct Options {
    syntax: Syntax,
    fold: bool,
    span: Span,
    invert: bool,
    count: bool,
    files_with: bool,
    files_without: bool,
    max: Option<u64>,
    number: bool,
    only: bool,
    quiet: bool,
    silent: bool,
    names: Option<bool>,
    recursive: bool,
    follow: bool,
    after: usize,
    before: usize,
}

fn grep_usage(ctx: &mut Ctx<'_>, message: &str) -> i32 {
    ctx.err(&format!(
        "grep: {message}\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"
    ));
    2
}

fn egrep(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    ctx.err("egrep: warning: egrep is obsolescent; using grep -E\n");
    let mut argv = vec!["grep".to_owned(), "-E".to_owned()];
    argv.extend(args[1..].iter().cloned());
    grep(ctx, &argv)
}

fn grep(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let with_value = [
        "-e",
        "--regexp",
        "-f",
        "--file",
        "-m",
        "--max-count",
        "-A",
        "-B",
        "-C",
        "--after-context",
        "--before-context",
        "--context",
    ];
    // A value-taking option at the very end has no value.
    if let Some(last) = args.last()
        && args.len() > 1
        && with_value.contains(&last.as_str())
    {
        let letter = last.trim_start_matches('-');
        return grep_usage(ctx, &format!("option requires an argument -- '{letter}'"));
    }
    let (options, mut operands) = split_options(&args[1..], &with_value);
    let mut o = Options {
        syntax: Syntax::Basic,
        fold: false,
        span: Span::Any,
        invert: false,
        count: false,
        files_with: false,
        files_without: false,
        max: None,
        number: false,
        only: false,
        quiet: false,
        silent: false,
        names: None,
        recursive: false,
        follow: false,
        after: 0,
        before: 0,
    };
    let mut patterns: Option<Vec<String>> = None;
    for option in &options {
        let value = option.split_once('=').map_or("", |(_, v)| v);
        let number = |v: &str| v.parse::<u64>().ok();
        match option.split_once('=').map_or(option.as_str(), |(k, _)| k) {
            "-E" | "--extended-regexp" => o.syntax = Syntax::Extended,
            "-F" | "--fixed-strings" => o.syntax = Syntax::Fixed,
            "-G" | "--basic-regexp" => o.syntax = Syntax::Basic,
            "-i" | "-y" | "--ignore-case" => o.fold = true,
            "--no-ignore-case" => o.fold = false,
            "-w" | "--word-regexp" => o.span = Span::Word,
            "-x" | "--line-regexp" => o.span = Span::Line,
            "-v" | "--invert-match" => o.invert = true,
            "-c" | "--count" => o.count = true,
            "-l" | "--files-with-matches" => o.files_with = true,
            "-L" | "--files-without-match" => o.files_without = true,
            "-n" | "--line-number" => o.number = true,
            "-o" | "--only-matching" => o.only = true,
            "-q" | "--quiet" | "--silent" => o.quiet = true,
            "-s" | "--no-messages" => o.silent = true,
            "-H" | "--with-filename" => o.names = Some(true),
            "-h" | "--no-filename" => o.names = Some(false),
            "-r" | "--recursive" => o.recursive = true,
            "-R" | "--dereference-recursive" => {
                o.recursive = true;
                o.follow = true;
            }
            "--color" | "--colour" | "-a" | "--text" | "-I" | "-U" | "--binary" => {}
            "-e" | "--regexp" => patterns.get_or_insert_default().extend(value.split('\n').map(str::to_owned)),
            "-f" | "--file" => match read_file(ctx, value, MAX_OUTPUT) {
                Ok(bytes) => {
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    patterns.get_or_insert_default().extend(text.lines().map(str::to_owned));
                }
                Err(e) => {
                    ctx.err(&format!("grep: {value}: {e}\n"));
                    return 2;
                }
            },
            k @ ("-m" | "--max-count" | "-A" | "-B" | "-C" | "--after-context" | "--before-context" | "--context") => {
                let Some(n) = number(value) else {
                    let what = if matches!(k, "-m" | "--max-count") { "max count" } else { "context length argument" };
                    ctx.err(&format!("grep: {value}: invalid {what}\n"));
                    return 2;
                };
                let n_usize = usize::try_from(n).unwrap_or(usize::MAX);
                match k {
                    "-m" | "--max-count" => o.max = Some(n),
                    "-A" | "--after-context" => o.after = n_usize,
                    "-B" | "--before-context" => o.before = n_usize,
                    _ => {
                        o.after = n_usize;
                        o.before = n_usize;
                    }
                }
            }
            other => return grep_usage(ctx, &super::builtins::unknown_option(other)),
        }
    }
    let patterns = match patterns {
        Some(p) => p,
        None if operands.is_empty() => {
            ctx.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
            return 2;
        }
        None => operands.remove(0).split('\n').map(str::to_owned).collect(),
    };
    let mut regexes = Vec::new();
    for pattern in &patterns {
        match Regex::new(pattern, o.syntax, o.fold, o.span) {
            Ok(re) => regexes.push(re),
            Err(message) => {
                ctx.err(&format!("grep: {message}\n"));
                return 2;
            }
        }
    }
    let implicit_dot = operands.is_empty() && o.recursive;
    if operands.is_empty() {
        operands.push(if o.recursive { ".".to_owned() } else { "-".to_owned() });
    }
    let show_names = o.names.unwrap_or(operands.len() > 1 || o.recursive);
    let mut state = State { selected: false, error: false, out: String::new() };
    for operand in &operands {
        if o.quiet && state.selected {
            break;
        }
        if operand == "-" {
            let data = std::mem::take(&mut ctx.stdin);
            search(ctx, &o, &regexes, "(standard input)", &data, show_names, &mut state);
            continue;
        }
        let display = if implicit_dot { String::new() } else { operand.clone() };
        visit(ctx, &o, &regexes, operand, &display, show_names, &mut state, 0);
        if state.out.len() > MAX_OUTPUT {
            break;
        }
    }
    if !o.quiet {
        ctx.out(&state.out);
    }
    if state.error && !(o.quiet && state.selected) { 2 } else { i32::from(!state.selected) }
}

struct State {
    selected: bool,
    error: bool,
    out: String,
}

/// Searches a named operand: a file, or (with -r) a directory tree.
#[expect(clippy::too_many_arguments, reason = "the walk carries the search state")]
fn visit(
    ctx: &mut Ctx<'_>,
    o: &Options,
    regexes: &[Regex],
    path: &str,
    display: &str,
    show_names: bool,
    state: &mut State,
    depth: usize,
) {
    if depth > 256 || state.out.len() > MAX_OUTPUT {
        return;
    }
    let follow = depth == 0 || o.follow;
    let node = match ctx.node(path, follow) {
        Ok(node) => node.clone(),
        Err(e) => {
            if !o.silent {
                state.flush(ctx, o);
                ctx.err(&format!("grep: {path}: {e}\n"));
            }
            state.error = true;
            return;
        }
    };
    match &node.kind {
        NodeKind::Dir(entries) if o.recursive => {
            for name in entries.keys() {
                let child = join(path, name);
                let child_display = if display.is_empty() { name.clone() } else { join(display, name) };
                visit(ctx, o, regexes, &child, &child_display, show_names, state, depth + 1);
            }
        }
        NodeKind::Dir(_) => {
            if !o.silent {
                state.flush(ctx, o);
                ctx.err(&format!("grep: {path}: Is a directory\n"));
            }
            state.error = true;
        }
        // Symlinks met while recursing (without -R) and devices are skipped.
        NodeKind::Symlink(_) | NodeKind::CharDev { .. } if depth > 0 => {}
        _ => match read_file(ctx, path, MAX_OUTPUT) {
            Ok(data) => search(ctx, o, regexes, display, &data, show_names, state),
            Err(e) => {
                if !o.silent {
                    state.flush(ctx, o);
                    ctx.err(&format!("grep: {path}: {e}\n"));
                }
                state.error = true;
            }
        },
    }
}

impl State {
    /// Writes what is buffered, so that messages on standard error keep their place.
    fn flush(&mut self, ctx: &mut Ctx<'_>, o: &Options) {
        if !o.quiet {
            ctx.out(&std::mem::take(&mut self.out));
        }
    }
}

/// The leftmost-longest match of any pattern at or after `from`.
fn find(regexes: &[Regex], line: &[char], from: usize) -> Option<(usize, usize)> {
    regexes.iter().filter_map(|re| re.find_at(line, from)).min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
}

/// Searches the bytes of one input.
fn search(
    ctx: &mut Ctx<'_>,
    o: &Options,
    regexes: &[Regex],
    name: &str,
    data: &[u8],
    show_names: bool,
    state: &mut State,
) {
    let binary = data.contains(&0);
    let text = String::from_utf8_lossy(data);
    let mut lines: Vec<&str> = text.split('\n').collect();
    if text.ends_with('\n') || text.is_empty() {
        lines.pop();
    }
    let prefix = |sep: char, number: usize| {
        let mut p = String::new();
        if show_names {
            p.push_str(name);
            p.push(sep);
        }
        if o.number {
            p.push_str(&number.to_string());
            p.push(sep);
        }
        p
    };
    let mut count = 0u64;
    let mut last_printed: Option<usize> = None;
    let mut after_left = 0usize;
    let listing = o.count || o.files_with || o.files_without || o.quiet;
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if o.max.is_some_and(|m| count >= m) {
            // Trailing context still follows the last selected line.
            if after_left > 0 && !listing && !binary {
                out.push_str(&format!("{}{line}\n", prefix('-', i + 1)));
                last_printed = Some(i);
                after_left -= 1;
                continue;
            }
            break;
        }
        let chars: Vec<char> = line.chars().collect();
        let first = find(regexes, &chars, 0);
        let selected = first.is_some() != o.invert;
        if !selected {
            if after_left > 0 && !listing && !binary {
                out.push_str(&format!("{}{line}\n", prefix('-', i + 1)));
                last_printed = Some(i);
                after_left -= 1;
            }
            continue;
        }
        count += 1;
        if listing || binary {
            continue;
        }
        // Leading context, and the `--` between groups that are not adjacent.
        let context = o.before > 0 || o.after > 0;
        let from = i.saturating_sub(o.before);
        let start = last_printed.map_or(from, |l| from.max(l + 1));
        if context && last_printed.is_some_and(|l| start > l + 1) {
            out.push_str("--\n");
        }
        for (j, before) in lines.iter().enumerate().take(i).skip(start) {
            out.push_str(&format!("{}{before}\n", prefix('-', j + 1)));
        }
        if o.only {
            if !o.invert {
                let mut next = first;
                while let Some((s, e)) = next {
                    if e > s {
                        let matched: String = chars[s..e].iter().collect();
                        out.push_str(&format!("{}{matched}\n", prefix(':', i + 1)));
                    }
                    let pos = if e > s { e } else { e + 1 };
                    if pos > chars.len() {
                        break;
                    }
                    next = find(regexes, &chars, pos);
                }
            }
        } else {
            out.push_str(&format!("{}{line}\n", prefix(':', i + 1)));
        }
        last_printed = Some(i);
        after_left = o.after;
        if out.len() > MAX_OUTPUT {
            break;
        }
    }
    if count > 0 {
        state.selected = true;
    }
    if o.quiet {
        return;
    }
    if o.count {
        if show_names {
            out.push_str(&format!("{name}:{count}\n"));
        } else {
            out.push_str(&format!("{count}\n"));
        }
    }
    if (o.files_with && count > 0) || (o.files_without && count == 0) {
        out.push_str(&format!("{name}\n"));
    }
    state.out.push_str(&out);
    if binary && count > 0 && !(o.count || o.files_with || o.files_without) {
        state.flush(ctx, o);
        ctx.err(&format!("grep: {name}: binary file matches\n"));
    }
}
