//! Reusable pieces of UI.

pub mod cluster_map_ui;
pub mod file_tree_ui;
pub mod file_view_ui;
pub mod markdown_ui;
pub mod quiz_text;
pub mod quiz_ui;
pub mod terminal_ui;
