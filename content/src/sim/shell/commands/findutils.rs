//! `find`: walks directory trees and evaluates an expression of tests (`-name`, `-type`,
//! `-size`, ...) and actions (`-print`, `-delete`, `-exec`), with GNU findutils' messages.

use super::common::{join, lquote};
use super::{CommandInfo, dispatch};
use crate::sim::shell::Ctx;
use crate::sim::shell::expand::matches_glob;
use crate::sim::vfs::{Ino, Node, NodeKind};

pub static COMMANDS: &[CommandInfo] = &[CommandInfo {
    name: "find",
    run: find,
    summary: "search for files in a directory hierarchy",
    usage: "Usage: find [-H] [-L] [-P] [path...] [expression]\nSearch the directory trees below each path (default: .) for files matching the expression.\n\nTests: -name PATTERN, -iname PATTERN, -path PATTERN, -type [fdlc], -size [+-]N[ckMG],\n       -mtime [+-]N, -newer FILE, -empty, -user NAME, -group NAME, -true, -false\nActions: -print (the default), -print0, -delete, -exec COMMAND {} ; and -exec COMMAND {} +\nOperators: ( EXPR ), ! EXPR, -not EXPR, EXPR -a EXPR, EXPR -o EXPR\nOptions: -maxdepth N, -mindepth N; -L follows symbolic links\n",
}];

/// A parsed find expression.
#[derive(Debug)]
enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Name(String, bool),
    Path(String),
    Type(Vec<char>),
    /// Compare (-1 less, 0 equal, 1 more) against N units of the given size.
    Size(i8, u64, u64),
    Mtime(i8, i64),
    Newer(i64),
    Empty,
    User(u32),
    Group(u32),
    Const(bool),
    Print(char),
    Delete,
    Exec(Vec<String>, bool),
}

impl Expr {
    fn has_action(&self) -> bool {
        match self {
            Self::And(a, b) | Self::Or(a, b) => a.has_action() || b.has_action(),
            Self::Not(a) => a.has_action(),
            Self::Print(_) | Self::Delete | Self::Exec(..) => true,
            _ => false,
        }
    }

    fn has_delete(&self) -> bool {
        match self {
            Self::And(a, b) | Self::Or(a, b) => a.has_delete() || b.has_delete(),
            Self::Not(a) => a.has_delete(),
            Self::Delete => true,
            _ => false,
        }
    }
}

struct Parser<'a> {
    args: &'a [String],
    pos: usize,
    maxdepth: Option<usize>,
    mindepth: usize,
}

type ParseResult = Result<Expr, String>;

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.pos).map(String::as_str)
    }

    fn value(&mut self, option: &str) -> Result<String, String> {
        let v = self.args.get(self.pos).cloned().ok_or_else(|| format!("find: missing argument to `{option}'\n"))?;
        self.pos += 1;
        Ok(v)
    }

    fn or(&mut self, ctx: &Ctx<'_>) -> ParseResult {
        let mut left = self.and(ctx)?;
        while matches!(self.peek(), Some("-o" | "-or")) {
            self.pos += 1;
            let right = self.and(ctx)?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self, ctx: &Ctx<'_>) -> ParseResult {
        let mut left = self.unary(ctx)?;
        loop {
            match self.peek() {
                None | Some("-o" | "-or" | ")") => return Ok(left),
                Some("-a" | "-and") => self.pos += 1,
                Some(_) => {}
            }
            let right = self.unary(ctx)?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
    }

    fn unary(&mut self, ctx: &Ctx<'_>) -> ParseResult {
        match self.peek() {
            Some("!" | "-not") => {
                self.pos += 1;
                Ok(Expr::Not(Box::new(self.unary(ctx)?)))
            }
            Some("(") => {
                self.pos += 1;
                let inner = self.or(ctx)?;
                if self.peek() != Some(")") {
                    return Err(
                        "find: invalid expression; I was expecting to find a ')' somewhere but did not see one.\n"
                            .to_owned(),
                    );
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(_) => self.primary(ctx),
            None => {
                Err("find: invalid expression; you have used a binary operator with nothing before it.\n".to_owned())
            }
        }
    }

    fn primary(&mut self, ctx: &Ctx<'_>) -> ParseResult {
        let Some(word) = self.peek().map(str::to_owned) else { return Ok(Expr::Const(true)) };
        self.pos += 1;
        let w = word.as_str();
        Ok(match w {
            "-name" | "-iname" => Expr::Name(self.value(w)?, w == "-iname"),
            "-path" | "-wholename" => Expr::Path(self.value(w)?),
            "-type" | "-xtype" => {
                let v = self.value(w)?;
                let types: Vec<char> = v.split(',').filter_map(|t| t.chars().next()).collect();
                if v.is_empty() || v.split(',').any(|t| t.len() != 1 || !"bcdpflsD".contains(t)) {
                    return Err(format!("find: Unknown argument to {w}: {v}\n"));
                }
                Expr::Type(types)
            }
            "-maxdepth" | "-mindepth" => {
                let v = self.value(w)?;
                let n = v.parse::<usize>().map_err(|_| {
                    format!("find: Expected a positive decimal integer argument to {w}, but got {}\n", lquote(&v))
                })?;
                if w == "-maxdepth" {
                    self.maxdepth = Some(n);
                } else {
                    self.mindepth = n;
                }
                Expr::Const(true)
            }
            "-size" => {
                let v = self.value(w)?;
                let (cmp, rest) = comparison(&v);
                let (digits, unit) = match rest.char_indices().last() {
                    Some((i, c)) if c.is_ascii_alphabetic() => (&rest[..i], c),
                    _ => (rest, 'b'),
                };
                let unit = match unit {
                    'c' => 1,
                    'w' => 2,
                    'b' => 512,
                    'k' => 1024,
                    'M' => 1 << 20,
                    'G' => 1 << 30,
                    _ => return Err(format!("find: invalid -size type `{unit}'\n")),
                };
                let n = digits.parse().map_err(|_| format!("find: invalid argument `{v}' to `-size'\n"))?;
                Expr::Size(cmp, n, unit)
            }
            "-mtime" => {
                let v = self.value(w)?;
                let (cmp, rest) = comparison(&v);
                let n = rest.parse().map_err(|_| format!("find: invalid argument `{v}' to `-mtime'\n"))?;
                Expr::Mtime(cmp, n)
            }
            "-newer" => {
                let v = self.value(w)?;
                let node = ctx.node(&v, true).map_err(|e| format!("find: ‘{v}’: {e}\n"))?;
                Expr::Newer(node.mtime)
            }
            "-user" => {
                let v = self.value(w)?;
                let uid = ctx.user(&v).map(|u| u.0).or_else(|| v.parse().ok());
                Expr::User(uid.ok_or_else(|| format!("find: ‘{v}’ is not the name of a known user\n"))?)
            }
            "-group" => {
                let v = self.value(w)?;
                let gid = super::perms::group_id(ctx, &v);
                Expr::Group(gid.ok_or_else(|| format!("find: ‘{v}’ is not the name of an existing group\n"))?)
            }
            "-empty" => Expr::Empty,
            "-true" => Expr::Const(true),
            "-false" => Expr::Const(false),
            "-print" => Expr::Print('\n'),
            "-print0" => Expr::Print('\0'),
            "-delete" => Expr::Delete,
            "-exec" | "-ok" => {
                let mut command = Vec::new();
                loop {
                    let Some(part) = self.peek().map(str::to_owned) else {
                        return Err(format!("find: missing argument to `{w}'\n"));
                    };
                    self.pos += 1;
                    if part == ";" {
                        break Expr::Exec(command, false);
                    }
                    if part == "+" && command.last().is_some_and(|l| l == "{}") {
                        break Expr::Exec(command, true);
                    }
                    command.push(part);
                }
            }
            other if other.starts_with('-') => return Err(format!("find: unknown predicate `{other}'\n")),
            other => return Err(format!("find: paths must precede expression: `{other}'\n")),
        })
    }
}

/// `+N` (more), `-N` (less) or `N` (exactly).
fn comparison(v: &str) -> (i8, &str) {
    match v.as_bytes().first() {
        Some(b'+') => (1, &v[1..]),
        Some(b'-') => (-1, &v[1..]),
        _ => (0, v),
    }
}

fn compare(cmp: i8, value: i64, n: i64) -> bool {
    match cmp {
        1 => value > n,
        -1 => value < n,
        _ => value == n,
    }
}

/// State of a walk: output so far, the files `-exec ... +` collects, the exit status.
struct Walk {
    status: i32,
    batch: Vec<(Vec<String>, Vec<String>)>,
    follow: bool,
    visited: usize,
}

fn eval(ctx: &mut Ctx<'_>, expr: &Expr, path: &str, name: &str, node: &Node, walk: &mut Walk) -> bool {
    match expr {
        Expr::And(a, b) => eval(ctx, a, path, name, node, walk) && eval(ctx, b, path, name, node, walk),
        Expr::Or(a, b) => eval(ctx, a, path, name, node, walk) || eval(ctx, b, path, name, node, walk),
        Expr::Not(a) => !eval(ctx, a, path, name, node, walk),
        Expr::Name(pattern, fold) => {
            if *fold {
                matches_glob(&pattern.to_lowercase(), &name.to_lowercase())
            } else {
                matches_glob(pattern, name)
            }
        }
        Expr::Path(pattern) => matches_glob(pattern, path),
        Expr::Type(types) => {
            let t = match node.kind {
                NodeKind::Dir(_) => 'd',
                NodeKind::File(_) => 'f',
                NodeKind::Symlink(_) => 'l',
                NodeKind::CharDev { .. } => 'c',
            };
            types.contains(&t)
        }
        Expr::Size(cmp, n, unit) => {
            let units = node.size().div_ceil(*unit);
            compare(*cmp, i64::try_from(units).unwrap_or(i64::MAX), i64::try_from(*n).unwrap_or(i64::MAX))
        }
        Expr::Mtime(cmp, n) => compare(*cmp, (ctx.now() - node.mtime).div_euclid(86_400), *n),
        Expr::Newer(t) => node.mtime > *t,
        Expr::Empty => match &node.kind {
            NodeKind::Dir(entries) => entries.is_empty(),
            NodeKind::File(f) => f.len == 0,
            _ => false,
        },
        Expr::User(uid) => node.uid == *uid,
        Expr::Group(gid) => node.gid == *gid,
        Expr::Const(v) => *v,
        Expr::Print(end) => {
            ctx.out(&format!("{path}{end}"));
            true
        }
        Expr::Delete => {
            let result = super::common::locate(ctx, path).and_then(|l| {
                let now = ctx.now();
                ctx.fs_mut().unlink(l.dir, &l.name, now)
            });
            if let Err(e) = result {
                ctx.err(&format!("find: cannot delete ‘{path}’: {e}\n"));
                walk.status = 1;
                return false;
            }
            true
        }
        Expr::Exec(command, batch) => {
            if *batch {
                match walk.batch.iter_mut().find(|(c, _)| c == command) {
                    Some((_, paths)) => paths.push(path.to_owned()),
                    None => walk.batch.push((command.clone(), vec![path.to_owned()])),
                }
                return true;
            }
            let argv: Vec<String> = command.iter().map(|a| a.replace("{}", path)).collect();
            dispatch(ctx, &argv) == 0
        }
    }
}

#[expect(clippy::too_many_arguments, reason = "the walk carries the traversal state")]
fn visit(
    ctx: &mut Ctx<'_>,
    expr: &Expr,
    path: &str,
    name: &str,
    ino: Ino,
    depth: usize,
    p: (Option<usize>, usize, bool),
    walk: &mut Walk,
) {
    let (maxdepth, mindepth, depth_first) = p;
    walk.visited += 1;
    if ctx.output_full() || walk.visited > crate::sim::vfs::MAX_NODES || depth > 4096 {
        return;
    }
    let Some(node) = ctx.fs().node(ino).cloned() else { return };
    let applies = depth >= mindepth;
    if applies && !depth_first {
        eval(ctx, expr, path, name, &node, walk);
    }
    if node.is_dir() && maxdepth.is_none_or(|m| depth < m) {
        let children: Vec<(String, Ino)> =
            ctx.fs().entries(ino).map(|e| e.iter().map(|(n, &i)| (n.clone(), i)).collect()).unwrap_or_default();
        for (child, child_ino) in children {
            let target = if walk.follow { ctx.fs().resolve(ino, &child, true).unwrap_or(child_ino) } else { child_ino };
            visit(ctx, expr, &join(path, &child), &child, target, depth + 1, p, walk);
        }
    }
    if applies && depth_first {
        eval(ctx, expr, path, name, &node, walk);
    }
}

fn find(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut i = 1;
    let mut follow = false;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "-L" => follow = true,
            "-H" | "-P" => follow = false,
            _ => break,
        }
        i += 1;
    }
    let mut paths = Vec::new();
    while let Some(a) = args.get(i) {
        if a.starts_with('-') && a.len() > 1 || a == "!" || a == "(" {
            break;
        }
        paths.push(a.clone());
        i += 1;
    }
    if paths.is_empty() {
        paths.push(".".to_owned());
    }
    let mut parser = Parser { args: &args[i..], pos: 0, maxdepth: None, mindepth: 0 };
    let expr = if parser.peek().is_none() {
        Ok(Expr::Const(true))
    } else {
        parser.or(ctx).and_then(|e| match parser.peek() {
            Some(extra) => Err(format!("find: paths must precede expression: `{extra}'\n")),
            None => Ok(e),
        })
    };
    let expr = match expr {
        Ok(e) => e,
        Err(message) => {
            ctx.err(&message);
            return 1;
        }
    };
    let expr = if expr.has_action() { expr } else { Expr::And(Box::new(expr), Box::new(Expr::Print('\n'))) };
    let depth_first = expr.has_delete();
    let mut walk = Walk { status: 0, batch: Vec::new(), follow, visited: 0 };
    for path in &paths {
        match ctx.resolve(path, follow) {
            Ok(ino) => {
                let name = super::common::base_name(path).to_owned();
                visit(ctx, &expr, path, &name, ino, 0, (parser.maxdepth, parser.mindepth, depth_first), &mut walk);
            }
            Err(e) => {
                ctx.err(&format!("find: ‘{path}’: {e}\n"));
                walk.status = 1;
            }
        }
    }
    for (command, found) in std::mem::take(&mut walk.batch) {
        let mut argv: Vec<String> = command[..command.len() - 1].to_vec();
        argv.extend(found);
        if dispatch(ctx, &argv) != 0 {
            walk.status = 1;
        }
    }
    walk.status
}
