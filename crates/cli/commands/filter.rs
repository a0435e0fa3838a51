//! `sealant filter-process`: git's long-running filter protocol, version 2
//! (gitattributes(5), "Long Running Filter Process"), so one process cleans every notebook
//! of a `git add` or `git status` instead of one process per file.
//!
//! ```text
//! git config filter.sealant.process "sealant filter-process"
//! git config filter.sealant.required true
//! echo '*.ipynb filter=sealant' >> .gitattributes
//! ```
//!
//! `clean` strips the notebook (nbstripout's output, the same bytes as `sealant strip`);
//! `smudge` hands the content back unchanged, so the working copy keeps whatever it has. A
//! notebook that cannot be parsed is answered with `status=error` and a message on stderr:
//! git then refuses it (with `required`) or stores it as it is.
//!
//! The wire format: pkt-lines, each a 4-hex-digit length (including those 4 bytes) and at
//! most 65516 bytes of data; `0000` is a flush packet ending a list or a content stream.

use std::io::{BufRead, BufReader, BufWriter, Write};

use anyhow::{Context, bail};
use sealant_notebook::{StripOptions, strip_bytes};

use crate::args::FilterArgs;
use crate::commands::strip::strip_options;
use crate::exit::ExitStatus;
use crate::printer;

/// Largest payload of one pkt-line.
const MAX_PACKET_DATA: usize = 65516;

pub fn run(args: &FilterArgs) -> anyhow::Result<ExitStatus> {
    let options = strip_options(&args.options)?;
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut input = BufReader::with_capacity(1 << 16, stdin.lock());
    let mut output = BufWriter::with_capacity(1 << 16, stdout.lock());
    serve(&mut input, &mut output, &options)?;
    Ok(ExitStatus::Clean)
}

/// One packet: data, or a flush.
#[derive(Debug, PartialEq, Eq)]
enum Packet {
    Data(Vec<u8>),
    Flush,
}

/// Runs the protocol until git closes the pipe.
fn serve(input: &mut impl BufRead, output: &mut impl Write, options: &StripOptions) -> anyhow::Result<()> {
    handshake(input, output)?;
    let mut warned = false;
    loop {
        let Some(headers) = read_list(input)? else {
            return Ok(());
        };
        let command = header(&headers, "command").unwrap_or_default();
        let pathname = header(&headers, "pathname").unwrap_or_else(|| "<unnamed>".to_owned());
        let content = read_content(input)?;
        match command.as_str() {
            "clean" => match strip_bytes(&content, options, &pathname) {
                Ok(stripped) => {
                    if !warned {
                        for warning in &stripped.outcome.warnings {
                            printer::note(&format!("sealant: warning: {warning}"));
                        }
                        warned = true;
                    }
                    respond(output, &stripped.bytes)?;
                }
                Err(e) => {
                    printer::note(&format!("sealant: error: {e}"));
                    write_text(output, "status=error")?;
                    flush_packet(output)?;
                }
            },
            "smudge" => respond(output, &content)?,
            other => {
                printer::note(&format!(
                    "sealant: filter-process: unknown command `{other}` for {pathname}"
                ));
                write_text(output, "status=error")?;
                flush_packet(output)?;
            }
        }
        output.flush().context("writing to git")?;
    }
}

/// `git-filter-client`, `version=2` → `git-filter-server`, `version=2`; then the
/// capabilities git offers → the ones we take (clean, smudge).
fn handshake(input: &mut impl BufRead, output: &mut impl Write) -> anyhow::Result<()> {
    let Some(hello) = read_list(input)? else {
        bail!("git closed the filter pipe before the handshake");
    };
    if hello.first().map(String::as_str) != Some("git-filter-client") {
        bail!(
            "not git's filter protocol (got {:?}); configure `filter.<driver>.process`",
            hello.first()
        );
    }
    if !hello.iter().any(|l| l == "version=2") {
        bail!("git offers no filter protocol version 2 (got {hello:?})");
    }
    write_text(output, "git-filter-server")?;
    write_text(output, "version=2")?;
    flush_packet(output)?;
    // Git answers with its capabilities only after it has read ours.
    output.flush().context("writing to git")?;
    let Some(offered) = read_list(input)? else {
        bail!("git closed the filter pipe during the handshake");
    };
    for capability in ["clean", "smudge"] {
        let line = format!("capability={capability}");
        if offered.contains(&line) {
            write_text(output, &line)?;
        }
    }
    flush_packet(output)?;
    output.flush().context("writing to git")?;
    Ok(())
}

/// `status=success`, the content, and an empty list (status unchanged).
fn respond(output: &mut impl Write, content: &[u8]) -> anyhow::Result<()> {
    write_text(output, "status=success")?;
    flush_packet(output)?;
    for chunk in content.chunks(MAX_PACKET_DATA) {
        write_packet(output, chunk)?;
    }
    flush_packet(output)?;
    flush_packet(output)?;
    Ok(())
}

fn header(headers: &[String], key: &str) -> Option<String> {
    headers
        .iter()
        .find_map(|h| h.strip_prefix(key).and_then(|rest| rest.strip_prefix('=')))
        .map(str::to_owned)
}

/// Reads text packets up to a flush; `None` when git closed the pipe cleanly first.
fn read_list(input: &mut impl BufRead) -> anyhow::Result<Option<Vec<String>>> {
    let mut lines = Vec::new();
    loop {
        match read_packet(input)? {
            None if lines.is_empty() => return Ok(None),
            None => bail!("git closed the filter pipe in the middle of a list"),
            Some(Packet::Flush) => return Ok(Some(lines)),
            Some(Packet::Data(data)) => {
                let text = String::from_utf8_lossy(&data);
                lines.push(text.strip_suffix('\n').unwrap_or(&text).to_owned());
            }
        }
    }
}

/// Reads content packets up to a flush.
fn read_content(input: &mut impl BufRead) -> anyhow::Result<Vec<u8>> {
    let mut content = Vec::new();
    loop {
        match read_packet(input)? {
            None => bail!("git closed the filter pipe in the middle of a file"),
            Some(Packet::Flush) => return Ok(content),
            Some(Packet::Data(data)) => content.extend_from_slice(&data),
        }
    }
}

/// One pkt-line; `None` at a clean end of input.
fn read_packet(input: &mut impl BufRead) -> anyhow::Result<Option<Packet>> {
    let mut length = [0u8; 4];
    match input.read_exact(&mut length) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e).context("reading from git"),
    }
    let hex = std::str::from_utf8(&length).ok();
    let Some(size) = hex.and_then(|h| usize::from_str_radix(h, 16).ok()) else {
        bail!("bad pkt-line length {:?}", String::from_utf8_lossy(&length));
    };
    match size {
        0 => Ok(Some(Packet::Flush)),
        1..=4 => bail!("bad pkt-line length {size}"),
        _ => {
            let mut data = vec![0u8; size - 4];
            input.read_exact(&mut data).context("reading a pkt-line from git")?;
            Ok(Some(Packet::Data(data)))
        }
    }
}

fn write_packet(output: &mut impl Write, data: &[u8]) -> anyhow::Result<()> {
    debug_assert!(!data.is_empty() && data.len() <= MAX_PACKET_DATA);
    write!(output, "{:04x}", data.len() + 4).context("writing to git")?;
    output.write_all(data).context("writing to git")
}

fn write_text(output: &mut impl Write, text: &str) -> anyhow::Result<()> {
    write_packet(output, format!("{text}\n").as_bytes())
}

fn flush_packet(output: &mut impl Write) -> anyhow::Result<()> {
    output.write_all(b"0000").context("writing to git")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkt(text: &str) -> Vec<u8> {
        let mut out = format!("{:04x}", text.len() + 4).into_bytes();
        out.extend_from_slice(text.as_bytes());
        out
    }

    #[test]
    fn speaks_protocol_version_2() {
        let notebook = r#"{"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [{"output_type": "stream", "name": "stdout", "text": "x"}], "source": "print(1)"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}"#;
        let mut input = Vec::new();
        for text in ["git-filter-client\n", "version=2\n"] {
            input.extend(pkt(text));
        }
        input.extend(b"0000");
        for text in ["capability=clean\n", "capability=smudge\n", "capability=delay\n"] {
            input.extend(pkt(text));
        }
        input.extend(b"0000");
        for (command, body) in [("clean", notebook), ("smudge", "as is"), ("clean", "{not json")] {
            input.extend(pkt(&format!("command={command}\n")));
            input.extend(pkt("pathname=a.ipynb\n"));
            input.extend(b"0000");
            input.extend(pkt(body));
            input.extend(b"0000");
        }
        let mut output = Vec::new();
        serve(&mut &input[..], &mut output, &StripOptions::default()).unwrap();
        let text = String::from_utf8(output).unwrap();
        assert!(
            text.starts_with(
                "0016git-filter-server\n000eversion=2\n00000015capability=clean\n0016capability=smudge\n0000"
            ),
            "{text}"
        );
        assert!(text.contains("0013status=success\n0000"), "{text}");
        assert!(text.contains("\"outputs\": []"), "{text}");
        assert!(text.contains("0009as is00000000"), "{text}");
        assert!(text.ends_with("0011status=error\n0000"), "{text}");
    }

    #[test]
    fn large_content_is_split_into_packets() {
        let mut output = Vec::new();
        respond(&mut output, &vec![b'x'; MAX_PACKET_DATA + 10]).unwrap();
        let mut reader = &output[..];
        assert_eq!(read_list(&mut reader).unwrap().unwrap(), ["status=success"]);
        assert_eq!(read_content(&mut reader).unwrap().len(), MAX_PACKET_DATA + 10);
        assert_eq!(read_list(&mut reader).unwrap().unwrap(), Vec::<String>::new());
    }
}
