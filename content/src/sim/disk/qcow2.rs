//! The qcow2 format: header, L1/L2 tables, refcounts, and where each cluster lives.

/// The structure of a qcow2 image file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Qcow2 {}
