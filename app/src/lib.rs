//! GuestLab's app: the eframe window onto the simulated world of `guestlab-content`, for the
//! desktop and the browser, and (on the desktop) the command line.

pub mod app;
#[cfg(not(target_arch = "wasm32"))]
pub mod bench;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod fonts;
pub mod i18n;
pub mod lab;
pub mod persist;
pub mod screens;
pub mod widgets;

pub use app::GuestLabApp;
