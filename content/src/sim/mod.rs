//! The simulated world: a Debian 12 KVM host (and later its guests), its file systems, its
//! shell, and one module per topic.

pub mod cloud_init;
pub mod disk;
pub mod guest;
pub mod host;
pub mod hypervisor;
pub mod libvirt;
pub mod machine_id;
pub mod scenario;
pub mod shell;
pub mod tasks;
pub mod time;
pub mod vfs;
pub mod world;

pub use world::{EPOCH, Machine, MachineId, Output, Session, Stream, World};
