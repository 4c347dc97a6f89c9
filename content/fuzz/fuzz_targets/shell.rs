//! The shell: any input, parsed and run in the host with the sample VM, must end without a
//! panic, in bounded time, with bounded output.
#![no_main]

use std::sync::OnceLock;

use guestlab_content::sim::World;
use guestlab_content::sim::world::MAX_SCRIPT_OUTPUT;
use libfuzzer_sys::fuzz_target;

fn start() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| World::with_sample_vm(1))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut world = start().clone();
    let output = world.run(&text);
    let printed: usize = output.chunks.iter().map(|(_, t)| t.len()).sum();
    // The output of one run is bounded (plus the note that says it was cut off).
    assert!(printed <= MAX_SCRIPT_OUTPUT + 256, "{printed} bytes printed");
    // The same input, line by line as typed into the terminal, must not panic either.
    let mut world = start().clone();
    for line in text.lines().take(64) {
        let _ = world.run(line);
    }
});
