//! Reusable pieces of UI.

pub mod markdown_ui;
