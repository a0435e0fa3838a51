//! One leaked credential of each surface of the AI/ML secrets table, blocked through a real
//! `git commit` with the installed hook: the rule that names it is in the report, the key is
//! not, and no commit is created. Keys are built here at run time from each provider's
//! format (nothing live-looking is committed in this repository).

use crate::support::{Repo, Run, Sandbox, fake::Rng};

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &[u8] = b"0123456789abcdef";

/// Stages `files`, commits, and checks the commit was refused for `rule` without printing
/// `secret`.
#[track_caller]
fn refused(repo: &Repo<'_>, files: &[(&str, &str)], rule: &str, secret: &str) -> Run {
    let before = repo.head();
    for (path, content) in files {
        repo.stage(path, content);
    }
    let run = repo.commit("leak");
    assert_eq!(run.code, 1, "the commit should be blocked\n{}", run.all());
    assert!(
        run.stderr.contains(&format!("error[{rule}]")),
        "expected a {rule} finding in\n{}",
        run.stderr
    );
    assert!(
        !run.all().contains(secret),
        "the secret leaked into the output:\n{}",
        run.all()
    );
    assert_eq!(repo.head(), before, "no commit may be created");
    run
}

/// Standard base64, padded (what `kubectl create secret` writes).
fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(TABLE[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn model_api_an_openai_project_key_printed_in_a_notebook_output() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let mut rng = Rng::new(501);
    let key = format!(
        "sk-proj-{}{}{}",
        rng.string(ALNUM, 58),
        "T3BlbkFJ",
        rng.string(ALNUM, 58)
    );
    let notebook = format!(
        "{{\n \"cells\": [\n  {{\n   \"cell_type\": \"code\",\n   \"execution_count\": 1,\n   \"metadata\": {{}},\n   \"outputs\": [\n    {{\n     \"name\": \"stdout\",\n     \"output_type\": \"stream\",\n     \"text\": [\n      \"'{key}'\\n\"\n     ]\n    }}\n   ],\n   \"source\": [\"os.environ['OPENAI_API_KEY']\"]\n  }}\n ],\n \"metadata\": {{}},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}}\n"
    );
    refused(&repo, &[("explore.ipynb", &notebook)], "openai-project-key", &key);
}

#[test]
fn model_api_an_anthropic_key_base64_encoded_in_a_kubernetes_secret() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let mut rng = Rng::new(502);
    let key = format!("sk-ant-api03-{}AA", rng.string(ALNUM, 93));
    let manifest = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: llm\ntype: Opaque\ndata:\n  ANTHROPIC_API_KEY: {}\n",
        base64(key.as_bytes())
    );
    refused(&repo, &[("k8s/llm-secret.yaml", &manifest)], "anthropic-api-key", &key);
}

#[test]
fn model_registry_a_hugging_face_token_in_python() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let key = format!("hf_{}", Rng::new(503).string(ALNUM, 34));
    let source = format!("from huggingface_hub import login\n\nlogin(token=\"{key}\")\n");
    refused(&repo, &[("train.py", &source)], "huggingface-access-token", &key);
}

#[test]
fn training_data_an_aws_key_pair_in_a_dotenv_file() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let id = crate::support::fake::aws_access_key_id(504);
    let secret = Rng::new(505).string(ALNUM, 40);
    let env = format!("AWS_ACCESS_KEY_ID={id}\nAWS_SECRET_ACCESS_KEY={secret}\n");
    let run = refused(&repo, &[(".env", &env)], "aws-access-key-id", &secret);
    assert!(run.stderr.contains("error[aws-secret-access-key]"), "{}", run.stderr);
}

#[test]
fn vector_db_a_pinecone_key_in_yaml() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let mut rng = Rng::new(506);
    let key = format!("pcsk_{}_{}", rng.string(ALNUM, 5), rng.string(ALNUM, 63));
    let yaml = format!("retriever:\n  index: docs\n  pinecone_api_key: {key}\n");
    refused(&repo, &[("conf/rag.yaml", &yaml)], "pinecone-api-key", &key);
}

#[test]
fn experiment_tracker_a_wandb_key_in_a_shell_export_and_a_secret_logged_by_mlflow() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let mut rng = Rng::new(507);
    let key = format!("wandb_v1_{}_{}", rng.string(ALNUM, 30), rng.string(ALNUM, 50));
    let script = format!("#!/bin/sh\nexport WANDB_API_KEY='{key}'\npython train.py\n");
    refused(&repo, &[("run.sh", &script)], "wandb-api-key-v1", &key);
    // A logged parameter is a file whose name is the parameter's and whose content its value.
    let value = rng.string(ALNUM, 24);
    refused(
        &repo,
        &[("mlruns/0/5f1c2e/params/openai_api_key", &value)],
        "mlflow-logged-param-secret",
        &value,
    );
}

#[test]
fn embedding_a_voyage_key_in_json() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let key = format!("pa-{}", Rng::new(508).string(ALNUM, 43));
    let json = format!("{{\n  \"embedder\": \"voyage-3\",\n  \"voyage_api_key\": \"{key}\"\n}}\n");
    refused(&repo, &[("settings.json", &json)], "voyage-api-key", &key);
}

#[test]
fn pipeline_a_gitlab_token_in_ci_config_and_a_databricks_token_in_a_curl_command() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let mut rng = Rng::new(509);
    let key = format!("glpat-{}", rng.string(ALNUM, 20));
    let ci = format!("deploy:\n  script:\n    - git push https://oauth2:{key}@gitlab.com/acme/models.git\n");
    refused(&repo, &[(".gitlab-ci.yml", &ci)], "gitlab-pat", &key);
    let token = format!("dapi{}", rng.string(HEX, 32));
    let curl = format!(
        "curl -H \"Authorization: Bearer {token}\" https://adb-1234567890123456.7.azuredatabricks.net/api/2.0/mlflow/experiments/list\n"
    );
    refused(&repo, &[("scripts/list.sh", &curl)], "databricks-token", &token);
}

#[test]
fn generic_a_private_key_and_a_database_password() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let pem = crate::support::fake::rsa_private_key(510, 12);
    refused(&repo, &[("deploy/key.pem", &pem)], "private-key", "PRIVATE KEY-----\n");
    let password = Rng::new(511).string(ALNUM, 18);
    let url = format!("DATABASE_URL = \"postgresql://etl:{password}@features-db.internal:5432/features\"\n");
    refused(&repo, &[("settings.py", &url)], "database-url-password", &password);
}

#[test]
fn sensitive_files_by_name_whatever_they_hold_but_not_their_templates() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let settings = "DEBUG=true\nDATABASE_HOST=db.internal\n";
    refused(
        &repo,
        &[("services/api/.env", settings)],
        "dotenv-file",
        "services/api/.env\n",
    );
    repo.git(&["reset", "-q"]).ok();
    refused(
        &repo,
        &[(".kaggle/kaggle.json", "{\"username\":\"ana\",\"key\":\"see vault\"}\n")],
        "kaggle-json-file",
        "\u{0}",
    );
    repo.git(&["reset", "-q"]).ok();
    // A template and an empty-valued copy are what a repository should hold instead.
    repo.stage(".env.example", "OPENAI_API_KEY=\nDATABASE_HOST=db.internal\n");
    repo.stage(
        "app/.env",
        "# fill in locally\nOPENAI_API_KEY=\nHF_TOKEN=your-token-here\n",
    );
    let run = repo.commit("templates");
    assert_eq!(run.code, 0, "templates must pass\n{}", run.all());
}
