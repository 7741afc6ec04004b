//! The exports of dockdrill's WebAssembly module, under fixed names for `web/app.js`. Each one only forwards to
//! [`dockdrill::web`], where the buffers live and all the work is done in safe Rust.
//!
//! The page writes a JSON request into the buffer `dd_input(len)` returns, calls `dd_call()` (the reply's
//! length) and reads the reply at `dd_output()`. Why `#[allow(unsafe_code)]`: exporting a function under a
//! fixed symbol name takes `#[unsafe(no_mangle)]`, an attribute Rust calls unsafe because two items exported
//! under one name would clash at link time. These three names are unique in the module (prefixed `dd_`), and
//! no pointer is ever dereferenced on this side: the functions hand out addresses for the page to copy bytes to
//! and from.

#![deny(unsafe_code)]

use dockdrill::web;

/// Makes the request buffer `len` bytes long; returns where the page writes the request.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn dd_input(len: usize) -> *mut u8 {
    web::input_buffer(len)
}

/// Answers the request in the buffer; returns the reply's length in bytes.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn dd_call() -> usize {
    web::call()
}

/// Where the last reply is.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn dd_output() -> *const u8 {
    web::output()
}
