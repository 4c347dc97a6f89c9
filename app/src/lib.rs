//! GuestLab's app: the eframe window onto the simulated world of `guestlab-content`, for the
//! desktop and the browser, and (on the desktop) the command line.

pub mod app;
#[cfg(not(target_arch = "wasm32"))]
pub mod bench;
pub mod classroom_text;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod fonts;
pub mod i18n;
pub mod lab;
pub mod look;
pub mod page;
pub mod persist;
pub mod presenter;
pub mod route;
pub mod screens;
pub mod teacher;
#[cfg(target_arch = "wasm32")]
pub mod web;
pub mod widgets;

pub use app::GuestLabApp;
