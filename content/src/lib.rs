//! `guestlab-content` is GuestLab's UI-free core: the simulated virtualization host and its
//! tools, the lessons and the quizzes. Everything a learner can do is a plain call on a type of
//! this crate, testable without a window and usable from the `guestlab` command line.
//!
//! This crate never depends on egui or eframe, does no I/O of its own (callers hand it strings)
//! and builds for `wasm32-unknown-unknown`.

pub mod lang;
pub mod lesson;
pub mod order;
pub mod sim;

pub use lang::Lang;
