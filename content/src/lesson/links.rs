//! The link targets a lesson may use besides headings and web pages: the simulator scenarios
//! (`sim:…`). This is the one list of them; `guestlab lessons check` and the quiz parser read it.

/// Every `sim:` link a lesson or a simulator task may use.
pub const SIM_LINKS: &[&str] = &[
    "sim:disk?scenario=cow-vs-raw",
    "sim:libvirt",
    "sim:libvirt?scenario=tour",
    "sim:cloning",
    "sim:cloud-init",
    "sim:hypervisors",
];

/// Whether `link` is one of [`SIM_LINKS`].
pub fn is_known_sim_link(link: &str) -> bool {
    SIM_LINKS.contains(&link)
}

/// A link found in a lesson body, with the byte offset of its Markdown in the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawLink {
    pub target: String,
    pub offset: usize,
}
