//! Properties over generated notebooks: stripping is idempotent, a clean notebook
//! round-trips byte for byte, floats survive their Python repr, and no input — however
//! broken — makes the reader panic.

use proptest::prelude::*;
use sealant_notebook::json::{self, Float, Map, Value, WriteOptions};
use sealant_notebook::{Notebook, StripOptions, strip, strip_bytes};

fn text() -> impl Strategy<Value = String> {
    // Line breaks of every kind Python knows, quotes, escapes, controls, non-ASCII.
    let pieces = prop::sample::select(vec![
        "a", "print(x)", " ", "\n", "\r\n", "\r", "\t", "\"", "\\", "\u{b}", "\u{c}", "\u{1c}", "\u{85}", "\u{2028}",
        "\u{1}", "\u{7f}", "ü", "日本", "🚀", "/", "{", "}",
    ]);
    prop::collection::vec(pieces, 0..12).prop_map(|p| p.concat())
}

fn lines_or_string() -> impl Strategy<Value = Value> {
    prop_oneof![
        text().prop_map(Value::String),
        prop::collection::vec(text().prop_map(Value::String), 0..4).prop_map(Value::Array),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(|i| Value::Int(i.to_string())),
        "[1-9][0-9]{19,40}".prop_map(Value::Int),
        any::<f64>().prop_map(|f| Value::Float(Float(f))),
    ]
}

fn object(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Map>())
}

fn output() -> impl Strategy<Value = Value> {
    prop_oneof![
        (lines_or_string(), prop::sample::select(vec!["stdout", "stderr"])).prop_map(|(t, name)| object(vec![
            ("output_type", Value::String("stream".into())),
            ("name", Value::String(name.into())),
            ("text", t),
        ])),
        (lines_or_string(), lines_or_string(), number()).prop_map(|(plain, html, n)| object(vec![
            ("output_type", Value::String("execute_result".into())),
            ("execution_count", Value::Int("3".into())),
            ("metadata", object(vec![("n", n)])),
            ("data", object(vec![("text/plain", plain), ("text/html", html)])),
        ])),
        text().prop_map(|t| object(vec![
            ("output_type", Value::String("error".into())),
            ("ename", Value::String("E".into())),
            ("evalue", Value::String(t.clone())),
            ("traceback", Value::Array(vec![Value::String(t)])),
        ])),
    ]
}

fn cell() -> impl Strategy<Value = Value> {
    let tags = prop::collection::vec(prop::sample::select(vec!["keep_output", "drop", "x"]), 0..2);
    (
        any::<bool>(),
        lines_or_string(),
        prop::collection::vec(output(), 0..3),
        tags,
        prop::option::of(any::<bool>()),
        prop::option::of("[a-z0-9]{1,8}"),
    )
        .prop_map(|(code, source, outputs, tags, scrolled, id)| {
            let mut metadata = vec![(
                "tags",
                Value::Array(tags.into_iter().map(|t| Value::String(t.into())).collect()),
            )];
            if let Some(s) = scrolled {
                metadata.push(("scrolled", Value::Bool(s)));
            }
            let mut pairs = vec![("metadata", object(metadata)), ("source", source)];
            if let Some(id) = id {
                pairs.push(("id", Value::String(id)));
            }
            if code {
                pairs.push(("cell_type", Value::String("code".into())));
                pairs.push(("execution_count", Value::Int("7".into())));
                pairs.push(("outputs", Value::Array(outputs)));
            } else {
                pairs.push(("cell_type", Value::String("markdown".into())));
            }
            object(pairs)
        })
}

fn notebook() -> impl Strategy<Value = Vec<u8>> {
    (prop::collection::vec(cell(), 0..6), 0u8..=6, number(), any::<bool>()).prop_map(|(cells, minor, n, ascii)| {
        let root = object(vec![
            ("cells", Value::Array(cells)),
            ("metadata", object(vec![("n", n), ("widgets", object(vec![]))])),
            ("nbformat", Value::Int("4".into())),
            ("nbformat_minor", Value::Int(minor.to_string())),
        ]);
        let mut out = String::new();
        json::write(&root, WriteOptions { ensure_ascii: ascii }, &mut out);
        out.into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn stripping_is_idempotent(input in notebook(), keep_output in any::<bool>(), keep_count in any::<bool>()) {
        let options = StripOptions { keep_output, keep_count, ..StripOptions::default() };
        let once = strip_bytes(&input, &options, "p.ipynb").unwrap();
        let twice = strip_bytes(&once.bytes, &options, "p.ipynb").unwrap();
        prop_assert!(!twice.outcome.changed, "a stripped notebook still changes");
        prop_assert_eq!(&twice.bytes, &once.bytes);
    }

    #[test]
    fn a_clean_notebook_round_trips_byte_for_byte(input in notebook()) {
        let clean = strip_bytes(&input, &StripOptions::default(), "p.ipynb").unwrap().bytes;
        let mut nb = Notebook::parse(&clean, "p.ipynb").unwrap();
        prop_assert_eq!(&nb.clone().into_bytes(), &clean);
        let outcome = strip(&mut nb, &StripOptions::default(), "p.ipynb").unwrap();
        prop_assert!(!outcome.changed);
        prop_assert_eq!(&nb.into_bytes(), &clean);
    }

    #[test]
    fn floats_survive_their_python_repr(f in any::<f64>()) {
        let repr = json::float_repr(f);
        match json::parse(&repr).unwrap() {
            Value::Float(back) => prop_assert!(back.0 == f || (f.is_nan() && back.0.is_nan()), "{} -> {}", f, repr),
            other => prop_assert!(false, "{repr} parsed as {other:?}"),
        }
    }

    #[test]
    fn broken_input_is_an_error_never_a_panic(input in notebook(), cut in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let at = cut.index(input.len().max(1));
        let truncated = &input[..at.min(input.len())];
        let _ = strip_bytes(truncated, &StripOptions::default(), "t.ipynb");
        let mut flipped = input.clone();
        if !flipped.is_empty() {
            let last = flipped.len() - 1;
            flipped[at.min(last)] = byte;
        }
        let _ = strip_bytes(&flipped, &StripOptions::default(), "f.ipynb");
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = strip_bytes(&bytes, &StripOptions::default(), "a.ipynb");
        let _ = json::parse(&String::from_utf8_lossy(&bytes));
    }
}
