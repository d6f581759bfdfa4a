#!/usr/bin/env bash
# Build Lantern's front-end assets from npm packages, once, for committing.
#
#   scripts/build-govuk-assets.sh
#
# Writes:
#   lantern/core/static/govuk/govuk-frontend.min.css  GOV.UK Frontend + scripts/lantern.scss
#   lantern/core/static/govuk/govuk-frontend.min.js   GOV.UK Frontend ES module bundle
#   lantern/core/static/js/htmx.min.js                htmx 2
#
# Lantern is a council service, not a GOV.UK one, so the CSS is built with
# Arial/Helvetica (no GDS Transport font faces) and without the crown or the
# royal crest: the only image govuk-frontend's CSS refers to is the footer
# crest, which is compiled to `none`. None of GOV.UK's crown favicons, icons or
# manifest are copied; Lantern's own icons live in lantern/core/static/images/
# and are not touched by this script.
#
# Needs node and npm, and the npm registry. Nothing is fetched at run time.
set -euo pipefail

GOVUK_FRONTEND_VERSION="6.0.0"
SASS_VERSION="1.108.2"
HTMX_VERSION="2.0.11"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
static_dir="${repo_root}/lantern/core/static"
govuk_out="${static_dir}/govuk"
js_out="${static_dir}/js"

work_dir="$(mktemp -d "${TMPDIR:-/tmp}/lantern-govuk-build.XXXXXX")"
cleanup() { rm -rf "${work_dir}"; }
trap cleanup EXIT

echo "Installing govuk-frontend@${GOVUK_FRONTEND_VERSION}, sass@${SASS_VERSION}," \
  "htmx.org@${HTMX_VERSION} in ${work_dir}"
cd "${work_dir}"
npm init -y >/dev/null
# --ignore-scripts: none of these need an install script (sass's optional file
# watcher is the only package that has one, and we do not watch).
npm install --no-audit --no-fund --ignore-scripts --save-exact \
  "govuk-frontend@${GOVUK_FRONTEND_VERSION}" \
  "sass@${SASS_VERSION}" \
  "htmx.org@${HTMX_VERSION}" >/dev/null

govuk_dist="${work_dir}/node_modules/govuk-frontend/dist/govuk"
htmx_dist="${work_dir}/node_modules/htmx.org/dist"

# govuk-frontend 6 is written with @import, and its image URL hook
# ($govuk-image-url-function) calls a function by name, which only works when
# our function shares its global scope: so this entry file @imports it rather
# than @use-ing it. The settings must come before the import.
cp "${repo_root}/scripts/lantern.scss" "${work_dir}/_lantern.scss"
cat >"${work_dir}/entry.scss" <<'SCSS'
// Not GOV.UK: system fonts instead of GDS Transport, and no font files.
$govuk-font-family: arial, helvetica, sans-serif;
$govuk-include-default-font-face: false;

// The only image in govuk-frontend's CSS is the royal crest in the footer
// (.govuk-footer__copyright-logo, which Lantern does not use). Compile it to
// `none`; any other image resolves next to the CSS, under assets/images/.
@function lantern-image-url($filename) {
  @if $filename == "govuk-crest.svg" {
    @return none;
  }
  @return url("assets/images/#{$filename}");
}
$govuk-image-url-function: "lantern-image-url";

@import "pkg:govuk-frontend";
@import "lantern";
SCSS

echo "Compiling Sass"
npx --no-install sass \
  --pkg-importer=node \
  --load-path="${work_dir}" \
  --style=compressed \
  --no-source-map \
  --quiet-deps \
  --silence-deprecation=import \
  "${work_dir}/entry.scss" "${work_dir}/govuk-frontend.min.css"

# Every url() in the CSS must point at a file we ship (Django's manifest
# storage refuses to collect static files otherwise).
css_urls="$(grep -o 'url([^)]*)' "${work_dir}/govuk-frontend.min.css" | sort -u || true)"
if [[ -n "${css_urls}" ]]; then
  echo "The compiled CSS refers to files this script does not ship:" >&2
  echo "${css_urls}" >&2
  exit 1
fi
if grep -q 'GDS Transport\|@font-face' "${work_dir}/govuk-frontend.min.css"; then
  echo "The compiled CSS still mentions the GDS Transport font" >&2
  exit 1
fi

echo "Copying into ${static_dir}"
rm -rf "${govuk_out}"
mkdir -p "${govuk_out}" "${js_out}"
cp "${work_dir}/govuk-frontend.min.css" "${govuk_out}/govuk-frontend.min.css"
# The ES module bundle. Its source map is not shipped, so drop the comment
# pointing at it (Django's manifest storage would look for the file).
sed '/^\/\/# sourceMappingURL=/d; s#//\# sourceMappingURL=[^ ]*$##' \
  "${govuk_dist}/govuk-frontend.min.js" >"${govuk_out}/govuk-frontend.min.js"
sed '/^\/\/# sourceMappingURL=/d; s#//\# sourceMappingURL=[^ ]*$##' \
  "${htmx_dist}/htmx.min.js" >"${js_out}/htmx.min.js"

cat >"${govuk_out}/VERSIONS" <<EOF
govuk-frontend ${GOVUK_FRONTEND_VERSION} (MIT, Crown copyright), compiled with sass ${SASS_VERSION}
htmx.org ${HTMX_VERSION} (0BSD) -> ../js/htmx.min.js
Built by scripts/build-govuk-assets.sh; do not edit these files by hand.
EOF

echo "Done:"
ls -l "${govuk_out}" "${js_out}/htmx.min.js"
