//! Engine benchmarks (divan): building the scanner from the builtin packs — paid on every
//! hook run — and scanning ordinary code, with and without a secret in it.
//!
//! Run: `cargo bench -p sealant-scan`.

use sealant_scan::engine::{Config, Fragment, RuleSet, Scanner};

fn main() {
    divan::main();
}

/// About 2,000 lines of ordinary Python-like code with the words that trigger generic
/// keywords (`key`, `token`, `password`, `secret`) but no credentials.
fn ordinary_code(lines: usize) -> String {
    (0..lines)
        .map(|i| match i % 8 {
            0 => format!("def handler_{i}(request, token=None):\n"),
            1 => "    key = request.headers.get('X-Api-Key')\n".to_owned(),
            2 => format!("    password_hash = hashlib.sha256(salt + str({i}).encode()).hexdigest()\n"),
            3 => "    secret_name = os.environ['SECRET_NAME']\n".to_owned(),
            4 => format!("    logger.info('processing item %d of %d', {i}, total)\n"),
            5 => "    if not token:\n        raise PermissionError('missing token')\n".to_owned(),
            6 => format!("    result = model.predict(batch[{i}:{}])\n", i + 8),
            _ => "    return result\n".to_owned(),
        })
        .collect()
}

fn scanner() -> Scanner {
    Scanner::new(RuleSet::builtin().expect("builtin packs"), &Config::default()).expect("scanner")
}

#[divan::bench]
fn build_scanner_from_builtin_packs() -> Scanner {
    scanner()
}

#[divan::bench]
fn scan_2000_lines_of_clean_code(bencher: divan::Bencher) {
    let scanner = scanner();
    let text = ordinary_code(2000);
    bencher.counter(divan::counter::BytesCount::new(text.len())).bench(|| {
        let findings = scanner.scan("app/handlers.py", &Fragment::new(divan::black_box(&text), 1));
        assert!(findings.is_empty());
        findings
    });
}

#[divan::bench]
fn scan_2000_lines_with_one_secret(bencher: divan::Bencher) {
    let scanner = scanner();
    let mut text = ordinary_code(2000);
    let token = format!("ghp_{}", "Zx8Kq2Lm9Pw4Rt7Yv3Nb6Hj1Gf5Dc0Sa2Qe9");
    text.push_str(&format!("GITHUB_TOKEN = \"{token}\"\n"));
    bencher.bench(|| scanner.scan("app/handlers.py", &Fragment::new(divan::black_box(&text), 1)));
}
