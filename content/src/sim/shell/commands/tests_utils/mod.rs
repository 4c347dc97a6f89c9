//! Tests of the coreutils-like commands with exact expected output. (The differential test in
//! `content/tests/coreutils_diff.rs` compares many of them with the real tools.)

mod files;
mod robustness;
mod sizes;
mod text;

use crate::sim::world::World;

/// A fresh world with the shell in an empty `/tmp/t`.
fn world() -> World {
    let mut w = World::new(1);
    w.run("mkdir /tmp/t; cd /tmp/t");
    w
}

/// Runs input and returns (stdout, stderr, status).
fn run(w: &mut World, input: &str) -> (String, String, i32) {
    let out = w.run(input);
    (out.stdout(), out.stderr(), out.status)
}

/// Runs input and returns its standard output, checking that nothing went wrong.
fn out(w: &mut World, input: &str) -> String {
    let (stdout, stderr, status) = run(w, input);
    assert_eq!((stderr.as_str(), status), ("", 0), "running {input:?}");
    stdout
}
