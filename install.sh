#!/bin/sh
# Build sealant, install the binary, and guard the repository you run this from.
#
#   ./install.sh                 build (release) and install to ~/.cargo/bin/sealant
#   SEALANT_ROOT=/opt ./install.sh   install to /opt/bin/sealant instead
#
# Needs only the Rust toolchain and git. Idempotent: running it again rebuilds the binary
# and leaves an up-to-date hook alone.
set -eu

start_dir=$(pwd)
cd "$(dirname "$0")"
root=${SEALANT_ROOT:-${CARGO_HOME:-$HOME/.cargo}}

command -v cargo >/dev/null 2>&1 || { echo "install.sh: cargo not found; install Rust from https://rustup.rs" >&2; exit 1; }
command -v git >/dev/null 2>&1 || { echo "install.sh: git not found" >&2; exit 1; }

echo "sealant: building and installing into $root/bin (cargo install --locked --path .)"
cargo install --quiet --locked --force --path . --root "$root" --target-dir target
bin="$root/bin/sealant"
"$bin" --version

case ":$PATH:" in
  *":$root/bin:"*) ;;
  *) echo "sealant: note: $root/bin is not on your PATH; add it, e.g. export PATH=\"$root/bin:\$PATH\"" ;;
esac

# Guard the repository install.sh was started from, when it was started inside one.
if git -C "$start_dir" rev-parse --git-dir >/dev/null 2>&1 && [ "$(git -C "$start_dir" rev-parse --is-bare-repository)" = false ]; then
  (cd "$start_dir" && "$bin" install --repo)
  echo "sealant: to guard another repository: cd into it and run: sealant install --repo"
else
  echo "sealant: to guard a repository: cd into it and run: sealant install --repo"
fi
echo "sealant: to undo: rm $bin (and the pre-commit hook it wrote; a hook it replaced is kept as pre-commit.pre-sealant)"
