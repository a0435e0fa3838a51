#!/bin/sh
# Build sealant, install the binary, and guard every repository on this machine.
#
#   ./install.sh                   build (release), install to ~/.cargo/bin/sealant, run `sealant install`
#   ./install.sh --uninstall       undo: `sealant uninstall` (restores what was there), remove the binary
#   SEALANT_ROOT=/opt ./install.sh     install the binary to /opt/bin/sealant instead
#   SEALANT_INSTALL_ARGS=--notebook-filter ./install.sh   also keep notebook outputs out of commits
#
# Needs only the Rust toolchain and git. Idempotent: running it again rebuilds the binary,
# re-bakes its path into the hooks if it moved, and otherwise changes nothing.
set -eu

cd "$(dirname "$0")"
root=${SEALANT_ROOT:-${CARGO_HOME:-$HOME/.cargo}}
bin="$root/bin/sealant"

command -v git >/dev/null 2>&1 || { echo "install.sh: git not found" >&2; exit 1; }

case "${1:-}" in
  --uninstall)
    if [ -x "$bin" ]; then
      "$bin" uninstall
      rm -f "$bin"
      echo "sealant: removed $bin"
    else
      echo "sealant: $bin is not there; nothing to uninstall" >&2
    fi
    exit 0
    ;;
  "") ;;
  *) echo "usage: ./install.sh [--uninstall]" >&2; exit 2 ;;
esac

command -v cargo >/dev/null 2>&1 || { echo "install.sh: cargo not found; install Rust from https://rustup.rs" >&2; exit 1; }
echo "sealant: building and installing $bin (cargo install --locked --path .)"
cargo install --quiet --locked --force --path . --root "$root" --target-dir target
"$bin" --version

case ":$PATH:" in
  *":$root/bin:"*) ;;
  *) echo "sealant: note: $root/bin is not on your PATH; hooks use the full path, but add it for the CLI: export PATH=\"$root/bin:\$PATH\"" ;;
esac

# shellcheck disable=SC2086 # SEALANT_INSTALL_ARGS is a list of flags
"$bin" install ${SEALANT_INSTALL_ARGS:-}
echo "sealant: check any repository with: sealant doctor"
echo "sealant: undo everything with: ./install.sh --uninstall"
