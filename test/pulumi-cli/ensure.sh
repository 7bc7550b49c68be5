#!/usr/bin/env bash
# `npm run pulumi-cli`: makes sure a Pulumi CLI is available and prints, as its last line, the
# directory holding pulumi, pulumi-language-nodejs and pulumi-resource-pulumi-nodejs.
# - A `pulumi` on PATH is used as it is (with the two plugins beside it, as Pulumi installs them).
# - Otherwise it is built from Go modules at the release of @pulumi/pulumi in package-lock.json,
#   into a cache outside the repository (reused when present): the CLI from
#   github.com/pulumi/pulumi/pkg/v3, and this folder's language host (language-nodejs/main.go;
#   Pulumi's own is not served by the Go module proxy). Needs Go (and the Go module proxy).
# `ensure.sh --check` only says where one is (exit 1 when none is there yet); it builds nothing.
set -euo pipefail
usage="usage: npm run pulumi-cli -- [--check]"
case "${1:-}" in
  -h | --help)
    cat <<EOF
$usage

Makes sure a Pulumi CLI is available and prints, as its last line, the folder holding pulumi,
pulumi-language-nodejs and pulumi-resource-pulumi-nodejs: the pulumi on PATH, or else one built
from Go modules into a cache outside the repository (needs Go; reused after).

  --check       only say where one is (exit 1 when none is there yet); build nothing
  -h, --help    print this help and exit
EOF
    exit 0
    ;;
  "" | --check) ;;
  *)
    echo "pulumi-cli: unknown option $1" >&2
    echo "$usage" >&2
    exit 2
    ;;
esac
check="${1:-}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if command -v pulumi >/dev/null 2>&1; then
  dir="$(dirname "$(command -v pulumi)")"
  for plugin in pulumi-language-nodejs pulumi-resource-pulumi-nodejs; do
    [ -x "$dir/$plugin" ] || { echo "pulumi-cli: $dir has pulumi but not $plugin; reinstall Pulumi or put it beside pulumi" >&2; exit 1; }
  done
  echo "$dir"
  exit 0
fi

version="v$(node -p 'require(process.argv[1]).packages["node_modules/@pulumi/pulumi"].version' "$root/package-lock.json")"
required="$(sed -n 's#^\s*github.com/pulumi/pulumi/pkg/v3 \(v[0-9.]*\)$#\1#p' "$here/go.mod")"
if [ "$version" != "$required" ]; then
  echo "pulumi-cli: package-lock.json has @pulumi/pulumi $version but test/pulumi-cli/go.mod requires pkg/v3 $required; make them the same release" >&2
  exit 1
fi
# One folder per build input (the release, go.sum, the language host's source, the launcher), so
# clones on different branches of this repository never rebuild over each other's CLI.
inputs="$(cat "$here/go.mod" "$here/go.sum" "$here/language-nodejs/main.go" "$here/pulumi-resource-pulumi-nodejs" | sha256sum | cut -c1-16)"
cache="${PERSONALIZE_MLOPS_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/personalize-mlops/pulumi-cli}/$version-$inputs"
if [ -x "$cache/pulumi" ] && [ -x "$cache/pulumi-language-nodejs" ] && [ -x "$cache/pulumi-resource-pulumi-nodejs" ]; then
  echo "$cache"
  exit 0
fi
[ "$check" = "--check" ] && { echo "pulumi-cli: none built yet for $version (npm run pulumi-cli builds one)" >&2; exit 1; }

command -v go >/dev/null 2>&1 || { echo "pulumi-cli: no pulumi on PATH and no Go to build one; install the Pulumi CLI (https://www.pulumi.com/docs/install/) or Go" >&2; exit 1; }
started=$SECONDS
elapsed() { local s=$((SECONDS - started)); printf '%dm %02ds' $((s / 60)) $((s % 60)); }
say() { echo "pulumi-cli: $* ($(elapsed))" >&2; }
echo "pulumi-cli: building Pulumi $version from Go modules into $cache: 6 to 20 minutes on 2 cores (the longer on a busy machine), once; progress every 30 s" >&2
mkdir -p "$(dirname "$cache")"
work="$(mktemp -d "$cache.partial.XXXXXX")"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
cd "$here"

# 1. The packages to compile (this downloads the modules, about 290, the first time).
say "listing the packages (downloading the Go modules the first time)"
main=github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
total="$(go list -deps "$main" ./language-nodejs | sort -u | wc -l)"

# 2. Compiling: `go build -v` names each package as it compiles it (those already in Go's build
# cache are not named). A heartbeat counts them; the log is shown if the build fails.
log="$work/build.log"
(
  go build -v -trimpath -tags "osusergo grpcnotrace" \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
    -o "$work/pulumi" "$main"
  go build -v -trimpath -tags "osusergo grpcnotrace" -ldflags "-X main.version=$version" \
    -o "$work/pulumi-language-nodejs" ./language-nodejs
) >"$log" 2>&1 &
builder=$!
say "compiling up to $total packages (those in Go's build cache are skipped), then linking"
while kill -0 "$builder" 2>/dev/null; do
  for _ in $(seq 30); do
    if ! kill -0 "$builder" 2>/dev/null; then break; fi
    sleep 1
  done
  if kill -0 "$builder" 2>/dev/null; then
    compiled="$(grep -cv '^#\|^go: ' "$log" || true)"
    if [ -f "$work/pulumi" ]; then
      say "still building: the CLI is linked; now the language host"
    else
      say "still building: $compiled of up to $total packages compiled"
    fi
  fi
done
if ! wait "$builder"; then
  cat "$log" >&2
  rm -rf "$work"
  echo "pulumi-cli: the build failed ($(elapsed)); the output above says why" >&2
  exit 1
fi
install -m 0755 "$here/pulumi-resource-pulumi-nodejs" "$work/pulumi-resource-pulumi-nodejs"
rm -f "$log"
rm -rf "$cache"
mv "$work" "$cache"
say "built"
echo "$cache"
