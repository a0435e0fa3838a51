//! `sealant rules list` and `sealant rules check`: the rule table a user reads, and the
//! validator a user runs on their own rule file (the same one `cargo test` runs on ours).

use crate::support::{Sandbox, fake::Rng};

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

const PACK: &str = r#"
[[rules]]
id = "acme-deploy-token"
description = "Acme deploy token"
surface = "pipeline"
provider = "Acme"
keywords = ["acmedt_"]
regex = '''\b(acmedt_[A-Za-z0-9]{24})\b'''
entropy = 3.5
blast_radius = "deploys as the token's owner"
rotate = "revoke it in Acme's console"
examples = ["ACME_TOKEN=acmedt_q8Zr2LmX0vT7bN4kW1sYp9Dc"]
negative_examples = ["ACME_TOKEN=acmedt_xxxxxxxxxxxxxxxxxxxxxxxx"]
"#;

#[test]
fn list_shows_id_provider_surface_and_severity_and_counts_repository_rules() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let run = repo.sealant(&["rules", "list"]).ok();
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("neptune-api-token "))
        .expect("neptune-api-token is listed");
    let columns: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        columns,
        ["neptune-api-token", "Neptune.ai", "experiment-tracker", "high"],
        "{line}"
    );
    let builtin: usize = run
        .stdout
        .lines()
        .last()
        .and_then(|l| l.strip_suffix(" rules"))
        .and_then(|n| n.parse().ok())
        .expect("a closing count");
    assert!(builtin >= 150, "{builtin} rules");
    repo.write(".sealant.toml", PACK);
    let json = repo.sealant(&["rules", "--format", "json"]).ok().json();
    let rules = json.as_array().expect("an array");
    assert_eq!(rules.len(), builtin + 1);
    let acme = rules
        .iter()
        .find(|r| r["id"] == "acme-deploy-token")
        .expect("the repo's rule");
    assert_eq!(acme["provider"], "Acme");
    assert_eq!(acme["surface"], "pipeline");
}

#[test]
fn check_proves_a_user_pack_and_names_what_fails() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    repo.write("good.toml", PACK);
    let run = repo.sealant(&["rules", "check", "good.toml"]).ok();
    assert!(run.stdout.contains("good.toml: 1 rules ok"), "{}", run.stdout);

    repo.write(
        "bad.toml",
        PACK.replace("acmedt_q8Zr2LmX0vT7bN4kW1sYp9Dc", "acmedt_short"),
    );
    let run = repo.sealant(&["rules", "check", "bad.toml"]).code(1);
    assert!(
        run.stdout
            .contains("acme-deploy-token: example yields no finding of this rule"),
        "{}",
        run.stdout
    );

    // A negative example that another rule (here a builtin one) reports is a failure too.
    let hf = format!("HF_TOKEN=hf_{}", Rng::new(601).string(ALNUM, 34));
    let noisy = PACK.replace("ACME_TOKEN=acmedt_xxxxxxxxxxxxxxxxxxxxxxxx", &hf);
    repo.write("noisy.toml", noisy);
    let run = repo.sealant(&["rules", "check", "noisy.toml"]).code(1);
    assert!(run.stdout.contains("huggingface-access-token"), "{}", run.stdout);

    // An id the builtin packs already use, and a file that is not TOML.
    repo.write("dup.toml", PACK.replace("acme-deploy-token", "github-pat"));
    let run = repo.sealant(&["rules", "check", "dup.toml"]).code(1);
    assert!(run.stdout.contains("already used"), "{}", run.stdout);
    repo.write("broken.toml", "[[rules]\n");
    repo.sealant(&["rules", "check", "broken.toml"]).code(2);

    let run = repo.sealant(&["rules", "check", "--builtin"]).ok();
    assert!(
        run.stdout.contains("builtin rules:") && run.stdout.contains("rules ok"),
        "{}",
        run.stdout
    );
}
