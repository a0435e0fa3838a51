//! Any bytes through parse → strip → write: never a panic, and whatever parses strips to a
//! fixed point (stripping the output again changes nothing and gives the same bytes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sealant_notebook::{StripOptions, strip_bytes};

fuzz_target!(|data: &[u8]| {
    let options = StripOptions::default();
    if let Ok(once) = strip_bytes(data, &options, "fuzz.ipynb") {
        let twice = strip_bytes(&once.bytes, &options, "fuzz.ipynb").expect("our own output parses");
        assert!(!twice.outcome.changed);
        assert_eq!(once.bytes, twice.bytes);
    }
});
