//! The JSON codec: any text parses or errs without panicking, and what parses writes out
//! to text that parses back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sealant_notebook::json::{self, WriteOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(value) = json::parse(text) {
        for ensure_ascii in [false, true] {
            let mut out = String::new();
            json::write(&value, WriteOptions { ensure_ascii }, &mut out);
            let back = json::parse(&out).expect("our own output parses");
            let mut again = String::new();
            json::write(&back, WriteOptions { ensure_ascii }, &mut again);
            assert_eq!(out, again);
        }
    }
});
