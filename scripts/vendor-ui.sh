#!/usr/bin/env bash
# Vendors the chat and playground pages' browser libraries (kept npm packages) into Takeoff.Api/wwwroot/lib, as
# ASP.NET's templates do: the server then needs no npm, no CDN and no network. To upgrade, change a version here,
# run it, review the diff and commit. Needs npm and its registry; building and serving never do.
set -euo pipefail
cd "$(dirname "$0")/.."
lib=Takeoff.Api/wwwroot/lib
packages=(marked@18.2.1 dompurify@3.4.18 @highlightjs/cdn-assets@11.12.0)

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" && npm init -y >/dev/null && npm install --no-audit --no-fund --ignore-scripts "${packages[@]}" >/dev/null)

# vendor <folder under lib> <npm package> <files...>: the files, the package's license files, and a VERSION note.
vendor() {
  local name=$1 package=$2 source=$scratch/node_modules/$2
  shift 2
  rm -rf "${lib:?}/$name"
  mkdir -p "$lib/$name"
  for file in "$@"; do cp "$source/$file" "$lib/$name/"; done
  cp "$source"/LICENSE* "$lib/$name/"
  node -e 'const p = require(process.argv[1]);
    console.log(`${p.name} ${p.version}\nlicense: ${p.license}\nsource: https://www.npmjs.com/package/${p.name}/v/${p.version}`)' \
    "$source/package.json" > "$lib/$name/VERSION"
}

vendor marked marked lib/marked.esm.js lib/marked.esm.js.map
vendor dompurify dompurify dist/purify.es.mjs dist/purify.es.mjs.map
# highlight.js's browser build (ES module with the common languages) and two GitHub themes, light and dark.
vendor highlight.js @highlightjs/cdn-assets es/highlight.min.js styles/github.min.css styles/github-dark.min.css
echo "vendored into $lib: ${packages[*]}"
