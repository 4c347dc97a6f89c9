//! The simulated shell: parses bash input and runs it against the world, with pipelines,
//! redirections, here-documents, variables, globbing and the commands of [`commands`].

pub mod commands;
mod ctx;
mod expand;
pub mod parse;

pub use ctx::{Ctx, Fd};

use crate::sim::vfs::{FsError, Node, NodeKind, RegularFile};
use crate::sim::world::{MAX_OUTPUT, Output, Stream, World};
use parse::{Command, Join, ParseError, Pipeline, Redirect};

/// Runs shell input on the world's current machine.
pub fn run(world: &mut World, input: &str) -> Output {
    let mut output = Output::default();
    let script = match parse::parse(input) {
        Ok(script) => script,
        Err(err) => {
            record_history(world, input);
            let incomplete = matches!(err, ParseError::Incomplete(_));
            let message = match &err {
                ParseError::Incomplete(what) if what.is_empty() => "syntax error: unexpected end of file".to_owned(),
                _ => err.message(),
            };
            output.push(Stream::Err, &format!("bash: {message}\n"));
            output.status = 2;
            output.incomplete = incomplete;
            world.machine_mut().status = 2;
            return output;
        }
    };
    for (_, line) in &script.lines {
        world.machine_mut().history.push(line.clone());
    }
    run_script(world, &script, &mut output, 0);
    output
}

fn record_history(world: &mut World, input: &str) {
    let line = input.lines().next().unwrap_or_default().trim();
    if !line.is_empty() {
        world.machine_mut().history.push(line.to_owned());
    }
}

/// Runs a parsed script, appending what it prints to `output`.
pub(crate) fn run_script(world: &mut World, script: &parse::Script, output: &mut Output, depth: usize) {
    let mut status = world.machine().status;
    for (join, pipeline) in &script.items {
        let skip = match join {
            Join::Seq => false,
            Join::And => status != 0,
            Join::Or => status == 0,
        };
        if skip {
            continue;
        }
        world.tick(1);
        status = run_pipeline(world, pipeline, output, depth);
        world.machine_mut().status = status;
        output.status = status;
        // `exit` ends this script (or this command substitution); in a pipeline it only ended
        // its own subshell.
        if std::mem::take(&mut world.exited) && pipeline.commands.len() == 1 {
            break;
        }
    }
}

fn run_pipeline(world: &mut World, pipeline: &Pipeline, output: &mut Output, depth: usize) -> i32 {
    let mut input: Option<Vec<u8>> = None;
    let mut status = 0;
    let count = pipeline.commands.len();
    for (i, command) in pipeline.commands.iter().enumerate() {
        let last = i + 1 == count;
        let (piped, command_status) = run_command(world, command, input.take(), !last, output, depth);
        input = piped;
        status = command_status;
    }
    if pipeline.negated { i32::from(status == 0) } else { status }
}

/// Where a file descriptor goes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    Terminal(Stream),
    Pipe,
    /// A file, by path (already created or truncated when the redirection was set up).
    File(String),
    Null,
}

/// Runs one command. Returns the bytes it wrote into the pipe (if its stdout is a pipe) and
/// its exit status.
fn run_command(
    world: &mut World,
    command: &Command,
    stdin: Option<Vec<u8>>,
    piped: bool,
    output: &mut Output,
    depth: usize,
) -> (Option<Vec<u8>>, i32) {
    // Assignments without a command set shell variables.
    let mut assignments = Vec::new();
    for (name, value) in &command.assignments {
        let value = expand::expand_joined(world, value, output, depth);
        assignments.push((name.clone(), value));
    }
    let mut argv = Vec::new();
    for word in &command.words {
        argv.extend(expand::expand_word(world, word, output, depth));
    }

    let mut fds = [Target::Pipe, Target::Terminal(Stream::Out), Target::Terminal(Stream::Err)];
    if !piped {
        fds[1] = Target::Terminal(Stream::Out);
    } else {
        fds[1] = Target::Pipe;
    }
    let mut input = stdin.unwrap_or_default();
    for redirect in &command.redirects {
        if let Err(message) = apply_redirect(world, redirect, &mut fds, &mut input, output, depth) {
            output.push(Stream::Err, &format!("bash: {message}\n"));
            return (piped.then(Vec::new), 1);
        }
    }

    if argv.is_empty() {
        for (name, value) in assignments {
            world.machine_mut().env.insert(name, value);
        }
        return (piped.then(Vec::new), 0);
    }

    let mut ctx = Ctx::new(world, input);
    ctx.stdout_is_pipe = matches!(fds[1], Target::Pipe);
    let saved_env: Vec<_> = assignments
        .iter()
        .map(|(name, value)| (name.clone(), ctx.world.machine_mut().env.insert(name.clone(), value.clone())))
        .collect();
    let status = commands::dispatch(&mut ctx, &argv);
    for (name, old) in saved_env {
        match old {
            Some(old) => ctx.world.machine_mut().env.insert(name, old),
            None => ctx.world.machine_mut().env.remove(&name),
        };
    }
    let (chunks, clear) = ctx.finish();
    if clear {
        output.chunks.clear();
        output.clear = true;
    }

    let mut pipe = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (fd, bytes) in chunks {
        let target = match fd {
            Fd::Out => &fds[1],
            Fd::Err => &fds[2],
        };
        match target {
            Target::Terminal(stream) => output.push(*stream, &String::from_utf8_lossy(&bytes)),
            Target::Pipe => pipe.extend_from_slice(&bytes),
            Target::File(path) => match files.iter_mut().find(|(p, _)| p == path) {
                Some((_, buf)) => buf.extend_from_slice(&bytes),
                None => files.push((path.clone(), bytes)),
            },
            Target::Null => {}
        }
    }
    let mut status = status;
    for (path, bytes) in files {
        if let Err(message) = append_to_file(world, &path, &bytes) {
            output.push(Stream::Err, &format!("bash: {message}\n"));
            status = 1;
        }
    }
    (piped.then_some(pipe), status)
}

/// Sets up one redirection. Output files are created (or truncated) now, before the command
/// runs, as bash does.
fn apply_redirect(
    world: &mut World,
    redirect: &Redirect,
    fds: &mut [Target; 3],
    input: &mut Vec<u8>,
    output: &mut Output,
    depth: usize,
) -> Result<(), String> {
    match redirect {
        Redirect::Out { fd, target, append } => {
            let path = expand::expand_joined(world, target, output, depth);
            let t = open_for_output(world, &path, *append)?;
            if let Some(slot) = fds.get_mut(usize::from(*fd)) {
                *slot = t;
            }
        }
        Redirect::Both { target, append } => {
            let path = expand::expand_joined(world, target, output, depth);
            let t = open_for_output(world, &path, *append)?;
            fds[1] = t.clone();
            fds[2] = t;
        }
        Redirect::Dup { fd, to } => {
            let to = fds.get(usize::from(*to)).cloned().ok_or_else(|| format!("{to}: Bad file descriptor"))?;
            if let Some(slot) = fds.get_mut(usize::from(*fd)) {
                *slot = to;
            }
        }
        Redirect::In { target } => {
            let path = expand::expand_joined(world, target, output, depth);
            *input = read_input_file(world, &path)?;
        }
        Redirect::HereDoc { body, expand } => {
            *input =
                if *expand { expand::expand_heredoc(world, body, output, depth) } else { body.clone() }.into_bytes();
        }
        Redirect::HereString { word } => {
            let mut text = expand::expand_joined(world, word, output, depth);
            text.push('\n');
            *input = text.into_bytes();
        }
    }
    Ok(())
}

fn open_for_output(world: &mut World, path: &str, append: bool) -> Result<Target, String> {
    if path == "/dev/null" {
        return Ok(Target::Null);
    }
    if path == "/dev/stdout" {
        return Ok(Target::Terminal(Stream::Out));
    }
    if path == "/dev/stderr" {
        return Ok(Target::Terminal(Stream::Err));
    }
    let now = world.clock;
    let machine = world.machine_mut();
    let cwd = machine.fs.resolve(crate::sim::vfs::ROOT, &machine.cwd, true).unwrap_or(crate::sim::vfs::ROOT);
    let fs = &mut machine.fs;
    match fs.resolve(cwd, path, true) {
        Ok(ino) => match fs.node(ino).map(|n| &n.kind) {
            Some(NodeKind::Dir(_)) => return Err(format!("{path}: Is a directory")),
            Some(NodeKind::File(_)) => {
                let file = fs.file_mut(ino, now).map_err(|e| format!("{path}: {e}"))?;
                if !append {
                    *file = RegularFile::default();
                }
                // Any image structure is lost when a shell writes into the file.
                file.qcow2 = None;
            }
            _ => {}
        },
        Err(FsError::NotFound) => {
            let (dir, name) = fs.resolve_parent(cwd, path).map_err(|e| format!("{path}: {e}"))?;
            let name = name.to_owned();
            fs.create(dir, &name, Node::file(RegularFile::default(), 0o644, now))
                .map_err(|e| format!("{path}: {e}"))?;
        }
        Err(e) => return Err(format!("{path}: {e}")),
    }
    let absolute = fs.canonicalize(cwd, path).unwrap_or_else(|_| path.to_owned());
    Ok(Target::File(absolute))
}

fn read_input_file(world: &World, path: &str) -> Result<Vec<u8>, String> {
    if path == "/dev/null" {
        return Ok(Vec::new());
    }
    let machine = world.machine();
    let cwd = machine.fs.resolve(crate::sim::vfs::ROOT, &machine.cwd, true).unwrap_or(crate::sim::vfs::ROOT);
    let ino = machine.fs.resolve(cwd, path, true).map_err(|e| format!("{path}: {e}"))?;
    match machine.fs.node(ino).map(|n| &n.kind) {
        Some(NodeKind::File(f)) => Ok(f.read_all(MAX_OUTPUT)),
        Some(NodeKind::Dir(_)) => Err(format!("{path}: Is a directory")),
        Some(NodeKind::CharDev { major: 1, minor: 5 }) => Ok(vec![0; 1 << 16]),
        _ => Ok(Vec::new()),
    }
}

fn append_to_file(world: &mut World, path: &str, bytes: &[u8]) -> Result<(), String> {
    if bytes.len() as u64 > world.file_data_room() {
        return Err(format!("{path}: {} ({})", FsError::NoSpace, crate::sim::vfs::usage::file_data_note()));
    }
    let now = world.clock;
    let fs = &mut world.machine_mut().fs;
    if let Ok(ino) = fs.resolve(crate::sim::vfs::ROOT, path, true)
        && let Ok(file) = fs.file_mut(ino, now)
    {
        let offset = file.len;
        file.write(offset, bytes);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
