//! Every rule against tokens made at test time from its own format: the secret group of the
//! rule's regex is turned into random strings (a small generator over `regex-syntax`'s HIR,
//! seeded per rule so failures reproduce), each placed in the file contexts a key leaks
//! through (Python, YAML, JSON, .env, shell, a notebook cell's source and its output, JSON-
//! escaped), and the whole engine must report it under that rule. Fixed examples in the packs
//! prove the edge cases; this proves the format itself, with thousands of fresh keys per run.
//!
//! Rules whose secret cannot stand in a one-line assignment (multi-line blocks, path-scoped
//! or file-name rules, values that need a fixed neighbour such as `user:`) are listed in
//! `NOT_GENERATED` with the reason; their examples in `rules/*.toml` still prove them.

use regex_syntax::hir::{Class, Hir, HirKind};
use sealant_scan::engine::{Config, Fragment, Rule, RuleSet, Scanner, Surface};

/// Rules proven by their examples only, and why.
const NOT_GENERATED: &[(&str, &str)] = &[
    ("private-key", "a multi-line PEM block"),
    ("pgp-private-key-block", "a multi-line armoured block"),
    ("putty-private-key", "a multi-line key file"),
    ("gcp-service-account-key", "a JSON document with several fields"),
    (
        "aws-secret-access-key",
        "needs an AWS key id or variable name next to it",
    ),
    ("database-url-password", "the password sits inside a URL"),
    ("url-credentials", "the password sits inside a URL"),
    ("jdbc-url-password", "the password sits inside a URL"),
    (
        "ado-connection-string-password",
        "the password sits inside a connection string",
    ),
    ("netrc-credential", "a machine/login/password line"),
    ("wandb-netrc-key", "a machine/login/password line"),
    ("milvus-token-credential", "the password follows a user name"),
    ("kaggle-api-key", "a JSON document with a user name"),
    ("docker-config-auth", "base64 of user:password under \"auth\""),
    ("npmrc-auth-token", "an .npmrc line"),
    ("http-basic-auth", "an Authorization header"),
    ("http-bearer-token", "an Authorization header"),
    ("cli-password-argument", "a command line"),
    ("azure-sas-token", "a URL query string"),
    ("azure-storage-connection-string", "a connection string"),
    ("slack-webhook-url", "a URL"),
    ("discord-webhook-url", "a URL"),
    ("langfuse-public-key", "reported only next to its secret key"),
];

/// Variable names that give context rules the words they look for, where the first keyword
/// alone does not.
const VARIABLES: &[(&str, &str)] = &[
    ("azure-cognitive-services-key", "AZURE_COGNITIVE_SERVICES_KEY"),
    ("azure-openai-key", "AZURE_OPENAI_API_KEY"),
    ("azure-storage-account-key", "AZURE_STORAGE_ACCOUNT_KEY"),
    ("azure-devops-pat-legacy", "AZURE_DEVOPS_PAT"),
    ("elevenlabs-api-key-legacy", "ELEVENLABS_API_KEY"),
    ("datadog-app-key", "DD_APP_KEY"),
    ("cloudflare-global-api-key", "CLOUDFLARE_API_KEY"),
    ("twilio-auth-token", "TWILIO_AUTH_TOKEN"),
    ("mlflow-tracking-credential", "MLFLOW_TRACKING_PASSWORD"),
    ("kaggle-api-key", "KAGGLE_KEY"),
    ("comet-api-key", "COMET_API_KEY"),
    ("clearml-api-secret-key", "CLEARML_API_SECRET_KEY"),
    ("modal-token-id", "MODAL_TOKEN_ID"),
    ("vault-legacy-token", "VAULT_TOKEN"),
    ("heroku-api-key-legacy", "HEROKU_API_KEY"),
    ("generic-password-assignment", "DB_PASSWORD"),
    ("generic-secret-assignment", "SERVICE_API_KEY"),
    ("generic-env-secret", "SERVICE_API_KEY"),
    ("jwt-token", "SESSION_TOKEN"),
    ("qdrant-api-key", "QDRANT_API_KEY"),
    ("qdrant-admin-key", "QDRANT_API_KEY"),
    ("weaviate-api-key", "WEAVIATE_API_KEY"),
];

/// How many tokens each rule gets in each context.
const TOKENS_PER_CONTEXT: usize = 4;

/// xorshift64*: deterministic, dependency-free, good enough to pick characters.
struct Rng(u64);

impl Rng {
    fn new(seed: &str) -> Rng {
        let mut h = 0xcbf2_9ce4_8422_2325_u64;
        for b in seed.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Rng(h | 1)
    }

    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d);
        usize::try_from(x % u64::try_from(n.max(1)).expect("fits")).expect("fits")
    }
}

/// Characters a generated token may use: alphanumerics and the punctuation keys are made of.
/// Quotes, backslashes, spaces and template characters would change the file context.
fn usable(c: char, generic: bool) -> bool {
    c.is_ascii_alphanumeric() || (!generic && "_-+/.=:~".contains(c))
}

/// Appends a random string matching `hir`; `generic` rules (whose classes are "anything but
/// a quote") get alphanumerics only, the shape of a password or key rather than of line noise.
fn generate(hir: &Hir, generic: bool, rng: &mut Rng, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => out.push_str(&String::from_utf8_lossy(&lit.0)),
        HirKind::Class(class) => {
            let chars: Vec<char> = match class {
                Class::Unicode(u) => u
                    .iter()
                    .flat_map(|r| (r.start()..=r.end().min('\u{7f}')).filter(|&c| usable(c, generic)))
                    .collect(),
                Class::Bytes(b) => b
                    .iter()
                    .flat_map(|r| {
                        (r.start()..=r.end().min(0x7f))
                            .map(char::from)
                            .filter(|&c| usable(c, generic))
                    })
                    .collect(),
            };
            assert!(!chars.is_empty(), "a class with no usable character: {class:?}");
            out.push(chars[rng.below(chars.len())]);
        }
        HirKind::Repetition(rep) => {
            let min = usize::try_from(rep.min).expect("fits");
            let max = rep.max.map_or(min + 40, |m| usize::try_from(m).expect("fits"));
            // A generic value is password-sized, not the regex's upper bound.
            let max = if generic { max.min(min + 24) } else { max };
            for _ in 0..min + rng.below(max - min + 1) {
                generate(&rep.sub, generic, rng, out);
            }
        }
        HirKind::Capture(cap) => generate(&cap.sub, generic, rng, out),
        HirKind::Concat(parts) => parts.iter().for_each(|p| generate(p, generic, rng, out)),
        HirKind::Alternation(branches) => generate(&branches[rng.below(branches.len())], generic, rng, out),
    }
}

/// The sub-expression of the rule's secret group.
fn secret_hir(hir: &Hir, group: u32) -> Option<&Hir> {
    match hir.kind() {
        HirKind::Capture(cap) if cap.index == group => Some(hir),
        HirKind::Capture(cap) => secret_hir(&cap.sub, group),
        HirKind::Repetition(rep) => secret_hir(&rep.sub, group),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().find_map(|p| secret_hir(p, group)),
        _ => None,
    }
}

/// The files a key leaks through, as (path, content) for a variable name and the key.
fn contexts(var: &str, key: &str, bare: bool) -> Vec<(&'static str, String)> {
    let lower = var.to_lowercase();
    let shown = if bare { key.to_owned() } else { format!("{var} = {key}") };
    let escaped = |s: &str| serde_escape(s);
    vec![
        (
            "train.py",
            format!("import os\n\n{lower} = \"{key}\"\nclient = Client({lower})\n"),
        ),
        ("config.yaml", format!("service:\n  {lower}: {key}\n  region: eu\n")),
        (
            "settings.json",
            format!("{{\n  \"{lower}\": \"{key}\",\n  \"debug\": false\n}}\n"),
        ),
        ("deploy/app.env", format!("# service\n{var}={key}\n")),
        ("run.sh", format!("#!/bin/sh\nexport {var}='{key}'\npython train.py\n")),
        (
            "analysis.ipynb",
            notebook(&format!(
                "    \"source\": [\n     \"{}\\n\",\n     \"client = Client()\"\n    ],\n    \"outputs\": []",
                escaped(&format!("{lower} = \"{key}\""))
            )),
        ),
        (
            "report.ipynb",
            notebook(&format!(
                "    \"source\": [\"print(cfg)\"],\n    \"outputs\": [\n     {{\n      \"name\": \"stdout\",\n      \"output_type\": \"stream\",\n      \"text\": [\n       \"{}\\n\"\n      ]\n     }}\n    ]",
                escaped(&shown)
            )),
        ),
    ]
}

/// One code cell in a notebook laid out as Jupyter writes it (one array element per line).
fn notebook(cell_body: &str) -> String {
    format!("{{\n \"cells\": [\n  {{\n   \"cell_type\": \"code\",\n{cell_body}\n  }}\n ],\n \"nbformat\": 4\n}}\n")
}

/// JSON string escaping (the notebook contexts), without a JSON dependency.
fn serde_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// A variable name carrying the rule's context words: the override, else the first keyword
/// that reads as a word (`deepgram` → `DEEPGRAM_API_KEY`), else a neutral name.
fn variable(rule: &Rule) -> String {
    if let Some((_, var)) = VARIABLES.iter().find(|(id, _)| *id == rule.id) {
        return (*var).to_owned();
    }
    let word = rule
        .keywords
        .iter()
        .find(|k| k.len() >= 4 && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
    match word {
        Some(w) if w.contains("key") || w.contains("token") => w.to_uppercase(),
        Some(w) => format!("{}_API_KEY", w.trim_matches('_').to_uppercase()),
        None => "SERVICE_API_KEY".to_owned(),
    }
}

#[test]
fn every_rule_catches_fresh_tokens_of_its_own_format_in_every_context() {
    let scanner =
        Scanner::new(RuleSet::builtin().expect("builtin packs parse"), &Config::default()).expect("rules compile");
    let mut failures = Vec::new();
    let mut checked = 0usize;
    for rule in scanner.rules() {
        // Path-scoped rules (experiment-tracker logs) are proven by their examples.
        let path_scoped = !rule.applies_to("src/train.py");
        if rule.is_path_only() || path_scoped || NOT_GENERATED.iter().any(|(id, _)| *id == rule.id) {
            continue;
        }
        let hir = regex_syntax::parse(rule.regex_source()).expect("builtin regexes parse");
        let group = u32::try_from(if rule.regex().captures_len() > 1 { 1 } else { 0 }).expect("fits");
        let secret = if group == 0 {
            Some(&hir)
        } else {
            secret_hir(&hir, group)
        };
        let Some(secret) = secret else {
            failures.push(format!("{}: no secret group to generate from", rule.id));
            continue;
        };
        let mut rng = Rng::new(&rule.id);
        let var = variable(rule);
        // Generic rules overlap by design (an assignment in a .env file is both); any of them
        // reporting the value is a catch.
        let generic = rule.surface == Surface::Generic;
        for _ in 0..TOKENS_PER_CONTEXT {
            let mut key = String::new();
            generate(secret, generic, &mut rng, &mut key);
            // Generic values: a generated password mixes letters and digits and has at least
            // 14 characters (a letters-only value reads as a word; short ones are the
            // examples' job).
            while generic && (key.len() < 14 || !key.bytes().any(|b| b.is_ascii_digit())) {
                key.clear();
                generate(secret, generic, &mut rng, &mut key);
            }
            // A key whose format carries its own prefix is printed bare in notebook output.
            // Generic rules need the variable name; they never see a bare value.
            let bare = !generic && rule.keywords.iter().any(|k| key.to_lowercase().contains(k.as_str()));
            for (path, text) in contexts(&var, &key, bare) {
                checked += 1;
                let found = scanner.scan(path, &Fragment::new(&text, 1));
                let caught = |f: &&sealant_scan::engine::Finding| {
                    f.rule == rule.id || (generic && f.surface == Surface::Generic)
                };
                if !found.iter().any(|f| caught(&f)) {
                    let got: Vec<&str> = found.iter().map(|f| f.rule.as_str()).collect();
                    failures.push(format!("{} in {path}: {key:?} found as {got:?}", rule.id));
                }
            }
        }
    }
    assert!(checked > 3000, "only {checked} generated cases");
    assert!(
        failures.is_empty(),
        "{} of {checked} generated cases missed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
