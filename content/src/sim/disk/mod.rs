//! Disk images: raw files and qcow2 images that grow exactly like qemu-img's, and the
//! `qemu-img` and `qemu-io` commands.

pub mod qcow2;
