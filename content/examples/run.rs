//! Runs a shell script from standard input in the `bookworm` world (a development aid; the app's
//! `guestlab run` is the real command line).
#![expect(clippy::print_stdout, reason = "prints the transcript")]

use std::io::Read as _;

fn main() {
    let mut text = String::new();
    let _ = std::io::stdin().read_to_string(&mut text);
    let scenario = std::env::args().nth(1).unwrap_or_else(|| "bookworm".to_owned());
    let Some(mut world) = guestlab_content::sim::World::scenario(&scenario, 1) else { return };
    let out = world.run(&text);
    print!("{}", out.stdout());
    for l in out.stderr().lines() {
        println!("[err] {l}");
    }
}
