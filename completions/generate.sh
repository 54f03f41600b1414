#!/usr/bin/env bash
# Regenerate the committed shell completions from the clap definition.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q
bin=target/debug/codecage
"$bin" completions bash > completions/codecage.bash
"$bin" completions zsh > completions/_codecage
"$bin" completions fish > completions/codecage.fish
"$bin" completions powershell > completions/_codecage.ps1
"$bin" completions elvish > completions/codecage.elv
"$bin" man > completions/codecage.1
