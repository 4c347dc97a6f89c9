//! Word expansion: `~`, variables, `$(…)`, field splitting and pathname globbing.

use super::parse::{Part, Word};
use crate::sim::vfs::{ROOT, Vfs};
use crate::sim::world::{Output, Stream, World};

/// The deepest command substitution nesting at run time.
const MAX_DEPTH: usize = 8;

/// A character of an expanded word, remembering whether it may act as a glob character.
#[derive(Clone, Copy)]
struct Ch {
    c: char,
    quoted: bool,
}

fn home(world: &World) -> String {
    world.machine().env.get("HOME").cloned().unwrap_or_else(|| "/root".to_owned())
}

fn var(world: &World, name: &str) -> String {
    let machine = world.machine();
    match name {
        "?" => machine.status.to_string(),
        "$" => "4242".to_owned(),
        "#" => "0".to_owned(),
        "0" => "-bash".to_owned(),
        "PWD" => machine.cwd.clone(),
        "HOSTNAME" => machine.hostname(),
        "RANDOM" => "17734".to_owned(),
        _ => machine.env.get(name).cloned().unwrap_or_default(),
    }
}

fn substitute(world: &mut World, script: &super::parse::Script, output: &mut Output, depth: usize) -> String {
    if depth >= MAX_DEPTH {
        output.push(Stream::Err, "bash: command substitution nested too deeply\n");
        return String::new();
    }
    let mut inner = Output::default();
    let saved_cwd = world.machine().cwd.clone();
    super::run_script(world, script, &mut inner, depth + 1);
    world.machine_mut().cwd = saved_cwd;
    for (stream, text) in &inner.chunks {
        if *stream == Stream::Err {
            output.push(Stream::Err, text);
        }
    }
    let mut text = inner.stdout();
    while text.ends_with('\n') {
        text.pop();
    }
    text
}

/// Expands a word into fields (zero, one or many).
pub fn expand_word(world: &mut World, word: &Word, output: &mut Output, depth: usize) -> Vec<String> {
    // Fields being built; `None` until something (even an empty quoted string) starts one.
    let mut fields: Vec<Vec<Ch>> = Vec::new();
    let mut current: Option<Vec<Ch>> = None;
    for part in &word.parts {
        match part {
            Part::Literal(s) => current.get_or_insert_default().extend(s.chars().map(|c| Ch { c, quoted: false })),
            Part::Quoted(s) => current.get_or_insert_default().extend(s.chars().map(|c| Ch { c, quoted: true })),
            Part::Tilde => current.get_or_insert_default().extend(home(world).chars().map(|c| Ch { c, quoted: true })),
            Part::Var { name, quoted } => {
                let value = var(world, name);
                push_expansion(&mut fields, &mut current, &value, *quoted);
            }
            Part::Subst { script, quoted } => {
                let value = substitute(world, script, output, depth);
                push_expansion(&mut fields, &mut current, &value, *quoted);
            }
        }
    }
    if let Some(field) = current {
        fields.push(field);
    }
    let machine = world.machine();
    let cwd = machine.fs.resolve(ROOT, &machine.cwd, true).unwrap_or(ROOT);
    let mut out = Vec::new();
    for field in fields {
        let has_glob = field.iter().any(|ch| !ch.quoted && matches!(ch.c, '*' | '?' | '['));
        let text: String = field.iter().map(|ch| ch.c).collect();
        if has_glob {
            let matches = glob(&machine.fs, cwd, &field);
            if !matches.is_empty() {
                out.extend(matches);
                continue;
            }
        }
        out.push(text);
    }
    out
}

/// Unquoted expansions are split on whitespace; quoted ones stay one piece.
fn push_expansion(fields: &mut Vec<Vec<Ch>>, current: &mut Option<Vec<Ch>>, value: &str, quoted: bool) {
    if quoted {
        current.get_or_insert_default().extend(value.chars().map(|c| Ch { c, quoted: true }));
        return;
    }
    let starts_blank = value.starts_with(char::is_whitespace);
    let ends_blank = value.ends_with(char::is_whitespace);
    let pieces: Vec<&str> = value.split_whitespace().collect();
    if pieces.is_empty() {
        return;
    }
    if starts_blank && let Some(field) = current.take() {
        fields.push(field);
    }
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0
            && let Some(field) = current.take()
        {
            fields.push(field);
        }
        current.get_or_insert_default().extend(piece.chars().map(|c| Ch { c, quoted: false }));
    }
    if ends_blank && let Some(field) = current.take() {
        fields.push(field);
    }
}

/// Expands a word into one string, without splitting or globbing (redirection targets,
/// assignments).
pub fn expand_joined(world: &mut World, word: &Word, output: &mut Output, depth: usize) -> String {
    let mut text = String::new();
    for part in &word.parts {
        match part {
            Part::Literal(s) | Part::Quoted(s) => text.push_str(s),
            Part::Tilde => text.push_str(&home(world)),
            Part::Var { name, .. } => text.push_str(&var(world, name)),
            Part::Subst { script, .. } => text.push_str(&substitute(world, script, output, depth)),
        }
    }
    text
}

/// Expands `$VAR`, `${VAR}`, `$?` and `$(…)` in an unquoted here-document body; `\$` and
/// `\\` are escapes.
pub fn expand_heredoc(world: &mut World, body: &str, output: &mut Output, depth: usize) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some((_, '$' | '\\' | '`'))) => {
                if let Some((_, next)) = chars.next() {
                    out.push(next);
                }
            }
            '$' => {
                // Parse the variable with the shell parser on the rest of the text.
                let rest = &body[i..];
                let end = variable_end(rest);
                if end <= 1 {
                    out.push('$');
                    continue;
                }
                let text = &rest[..end];
                if let Ok(script) = super::parse::parse(&format!("x \"{}\"", text.replace('"', "\\\"")))
                    && let Some(word) =
                        script.items.first().and_then(|(_, p)| p.commands.first()).and_then(|c| c.words.get(1))
                {
                    out.push_str(&expand_joined(world, word, output, depth));
                } else {
                    out.push_str(text);
                }
                for _ in 1..text.chars().count() {
                    chars.next();
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The length of a `$…` expression at the start of `s`.
fn variable_end(s: &str) -> usize {
    let b = s.as_bytes();
    match b.get(1) {
        Some(b'{') => s.find('}').map_or(1, |i| i + 1),
        Some(b'(') => {
            let mut depth = 0;
            for (i, c) in s.char_indices().skip(1) {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
            }
            1
        }
        Some(b'?' | b'$' | b'#' | b'0'..=b'9') => 2,
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
            1 + s[1..].bytes().take_while(|c| c.is_ascii_alphanumeric() || *c == b'_').count()
        }
        _ => 1,
    }
}

/// Pathname expansion of one field: the sorted matching paths, or nothing.
fn glob(fs: &Vfs, cwd: usize, field: &[Ch]) -> Vec<String> {
    let absolute = field.first().is_some_and(|ch| ch.c == '/');
    let components: Vec<&[Ch]> = field.split(|ch| ch.c == '/').filter(|c| !c.is_empty()).collect();
    let start = if absolute { ROOT } else { cwd };
    let mut paths: Vec<(String, usize)> = vec![(if absolute { "/".to_owned() } else { String::new() }, start)];
    for (i, component) in components.iter().enumerate() {
        let last = i + 1 == components.len();
        let is_pattern = component.iter().any(|ch| !ch.quoted && matches!(ch.c, '*' | '?' | '['));
        let mut next = Vec::new();
        for (prefix, dir) in &paths {
            let join = |name: &str| {
                if prefix.is_empty() || prefix.ends_with('/') {
                    format!("{prefix}{name}")
                } else {
                    format!("{prefix}/{name}")
                }
            };
            if is_pattern {
                let Ok(entries) = fs.entries(*dir) else { continue };
                for (name, &ino) in entries {
                    if name.starts_with('.') && component.first().is_none_or(|ch| ch.c != '.') {
                        continue;
                    }
                    if fnmatch(component, name) {
                        let target = fs.resolve(*dir, name, true).unwrap_or(ino);
                        if last || fs.node(target).is_some_and(crate::sim::vfs::Node::is_dir) {
                            next.push((join(name), target));
                        }
                    }
                }
            } else {
                let name: String = component.iter().map(|ch| ch.c).collect();
                if let Ok(ino) = fs.resolve(*dir, &name, true) {
                    next.push((join(&name), ino));
                } else if last && fs.resolve(*dir, &name, false).is_ok() {
                    next.push((join(&name), *dir));
                }
            }
        }
        paths = next;
        if paths.is_empty() {
            return Vec::new();
        }
    }
    let mut out: Vec<String> = paths.into_iter().map(|(p, _)| p).collect();
    crate::order::sort(&mut out);
    out
}

/// Matches a name against a glob pattern (`*`, `?`, `[…]`, `[!…]`); quoted characters match
/// literally.
fn fnmatch(pattern: &[Ch], name: &str) -> bool {
    let n: Vec<char> = name.chars().collect();
    // The classic linear-time matcher: on a mismatch, go back to the last `*` and let it
    // swallow one more character.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < pattern.len() {
            let ch = pattern[pi];
            if !ch.quoted && ch.c == '*' {
                star = Some((pi, ni));
                pi += 1;
                continue;
            }
            if let Some(len) = match_one(&pattern[pi..], n[ni]) {
                pi += len;
                ni += 1;
                continue;
            }
        }
        match star {
            Some((sp, sn)) => {
                pi = sp + 1;
                ni = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    pattern[pi..].iter().all(|ch| !ch.quoted && ch.c == '*')
}

/// Matches one character against the pattern element at the start of `p` (a literal, `?` or a
/// bracket class); returns how many pattern characters the element used.
fn match_one(p: &[Ch], c: char) -> Option<usize> {
    let first = p[0];
    if first.quoted {
        return (first.c == c).then_some(1);
    }
    match first.c {
        '?' => Some(1),
        '[' => {
            let mut i = 1;
            let negate = matches!(p.get(1).map(|ch| ch.c), Some('!' | '^'));
            if negate {
                i += 1;
            }
            let mut matched = false;
            let mut first_in_class = true;
            while i < p.len() && (p[i].c != ']' || first_in_class) {
                first_in_class = false;
                if i + 2 < p.len() && p[i + 1].c == '-' && p[i + 2].c != ']' {
                    matched |= p[i].c <= c && c <= p[i + 2].c;
                    i += 3;
                } else {
                    matched |= p[i].c == c;
                    i += 1;
                }
            }
            if i >= p.len() {
                // No closing bracket: a literal '['.
                return (c == '[').then_some(1);
            }
            (matched != negate).then_some(i + 1)
        }
        other => (other == c).then_some(1),
    }
}

/// Glob matching of plain (unquoted) patterns, for `find -name`.
pub fn matches_glob(pattern: &str, name: &str) -> bool {
    let p: Vec<Ch> = pattern.chars().map(|c| Ch { c, quoted: false }).collect();
    fnmatch(&p, name)
}

#[cfg(test)]
mod tests {
    use super::matches_glob;

    #[test]
    fn glob_patterns() {
        assert!(matches_glob("ssh_host_*", "ssh_host_rsa_key.pub"));
        assert!(matches_glob("*.qcow2", "a.qcow2"));
        assert!(!matches_glob("*.qcow2", "a.raw"));
        assert!(matches_glob("vm?.xml", "vm1.xml"));
        assert!(matches_glob("[a-c]x", "bx"));
        assert!(!matches_glob("[!a-c]x", "bx"));
        assert!(matches_glob("*", ""));
        assert!(matches_glob("a*b*c", "aXXbYYc"));
        assert!(!matches_glob("a*b*c", "aXXbYY"));
        // Many stars on a long name finish at once.
        assert!(!matches_glob(&"*a".repeat(40), &"a".repeat(39)));
    }
}
