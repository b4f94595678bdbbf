# Shared by scripts/serve and scripts/test: install missing system packages (as root, on
# Debian or Ubuntu), make .venv (once) and install the project into it (only when
# pyproject.toml changed since the last install, so a start needs neither pip nor the network).
# Usage: . scripts/_setup.sh EXTRAS   (EXTRAS is "" or "[test]")
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

python=$(command -v python3.11 || command -v python3 || true)
if [ -z "$python" ]; then
  echo "Python 3.11 or newer is needed (python3.11 or python3 on the PATH)." >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Python 3.11 or newer is needed; $python is $("$python" --version)." >&2
  exit 1
fi

# WeasyPrint renders the PDF with pango and needs at least one font; the tests also drive
# Chromium's headless shell, read PDFs with poppler-utils (pdfinfo, pdftotext), run the W3C validator (Java,
# installed with npm) and run deploy/run (nginx, openssl). Debian's own Python needs
# python3-venv to make .venv.
missing_system_packages() {
  local libraries wanted=()
  libraries=$(ldconfig -p 2>/dev/null || true)
  grep -q 'libpango-1\.0\.so' <<<"$libraries" || wanted+=(libpango-1.0-0)
  grep -q 'libpangoft2-1\.0\.so' <<<"$libraries" || wanted+=(libpangoft2-1.0-0)
  grep -q 'libharfbuzz-subset\.so' <<<"$libraries" || wanted+=(libharfbuzz-subset0)
  [ -n "$(find /usr/share/fonts -name '*.ttf' -print -quit 2>/dev/null)" ] || wanted+=(fonts-dejavu-core)
  if [ ! -x .venv/bin/python ] && ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    wanted+=(python3-venv)
  fi
  if [ "$1" = "[test]" ]; then
    command -v chromium-headless-shell >/dev/null || wanted+=(chromium-headless-shell)
    { command -v pdfinfo && command -v pdftotext && command -v pdftoppm; } >/dev/null || wanted+=(poppler-utils)
    command -v java >/dev/null || wanted+=(default-jre-headless)
    command -v npm >/dev/null || wanted+=(npm)
    # tests/test_deploy.py runs deploy/run: nginx with its headers-more module (to drop the
    # Server header), and openssl for a self-signed certificate.
    [ -x /usr/sbin/nginx ] || wanted+=(nginx-light)
    [ -f /usr/lib/nginx/modules/ngx_http_headers_more_filter_module.so ] \
      || wanted+=(libnginx-mod-http-headers-more-filter)
    command -v openssl >/dev/null || wanted+=(openssl)
  fi
  echo "${wanted[*]}"
}
wait_for_system_packages() {
  if [ -n "$apt_job" ]; then
    if ! wait "$apt_job"; then
      echo "Installing the system packages failed; apt-get said:" >&2
      cat "$apt_log" >&2
      exit 1
    fi
    apt_job=""
    rm -f "$apt_log"
  fi
}
# Nothing else set-up does needs them but making .venv (python3-venv) and the npm installs at
# its end, so apt works in the background while pip installs the project: on a machine without
# the browser, nginx and poppler, apt took 26 s of set-up's 67 to 77 s, which then took 47 to 57.
apt_job=""
apt_log=""
if command -v apt-get >/dev/null; then
  packages=$(missing_system_packages "${1:-}")
  if [ -n "$packages" ] && [ "$(id -u)" = 0 ]; then
    echo "Installing system packages: $packages"
    export DEBIAN_FRONTEND=noninteractive
    apt_log=$(mktemp)
    # shellcheck disable=SC2086  # one word per package
    { apt-get update -qq && apt-get install -y -qq $packages; } >"$apt_log" 2>&1 &
    apt_job=$!
    if [[ " $packages " == *" python3-venv "* ]]; then
      wait_for_system_packages
    fi
  elif [ -n "$packages" ]; then
    echo "Missing system packages; install them as root: apt-get install $packages" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "Making .venv with $("$python" --version)"
  "$python" -m venv .venv
fi
# The project is installed in editable mode, so code changes need no reinstall; only a change
# to pyproject.toml (dependencies, entry points) does, or asking for the test extras when they
# are not installed yet. .venv/.installed records what was installed, from which pyproject.toml.
project_hash=$(sha256sum pyproject.toml | cut -d' ' -f1)
installed=$(cat .venv/.installed 2>/dev/null || true)
if [ "$installed" != "$project_hash [test]" ] && [ "$installed" != "$project_hash ${1:-}" ]; then
  echo "Installing the project and its dependencies into .venv${1:+ (with the $1 extras)}"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  # setuptools warns on every editable install that a folder named like the package may
  # shadow it; here that folder is the package itself.
  PYTHONWARNINGS="ignore:Editable installation" \
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --editable ".${1:-}"
  echo "$project_hash ${1:-}" >.venv/.installed
fi

# The project's bytecode, made here as a build step would: where PYTHONDONTWRITEBYTECODE is set,
# Python never writes it itself, and each start (and each server a test starts) would compile
# every module again. Only changed modules are compiled; the rest is a stat each.
.venv/bin/python -m compileall -q -j 0 recommender

# The pages' words in each language: the catalogues in translations/ are compiled to the .mo
# files the service reads (kept out of git, made from the .po files here, as a build does).
.venv/bin/pybabel -q compile -d translations -D messages

wait_for_system_packages

# The tests check every page with the W3C HTML validator (the npm package vnu-jar, run on Java
# 17+). It is kept in .cache/vnu, outside git. Its install script, which would download a Java
# runtime, is skipped: Java comes from the machine.
vnu_version=26.9.27
if [ "${1:-}" = "[test]" ] && [ ! -f .cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar ]; then
  if command -v npm >/dev/null; then
    echo "Installing the W3C HTML validator into .cache/vnu"
    npm install --prefix .cache/vnu --ignore-scripts --no-audit --no-fund --loglevel=error \
      "vnu-jar@$vnu_version" </dev/null
  else
    echo "npm is not installed, so the HTML validity test cannot get the W3C validator." >&2
  fi
fi

# The tests also check the FHIR resources with FHIR.js (the npm package fhir) and the OpenAPI
# description with Redocly's linter (@redocly/cli), both kept in .cache/node-tools at the
# versions named here; a change of version installs them again.
node_tools="fhir@4.12.0 @redocly/cli@2.77.0"
if [ "${1:-}" = "[test]" ] && [ "$(cat .cache/node-tools/.installed 2>/dev/null)" != "$node_tools" ]; then
  if command -v npm >/dev/null; then
    echo "Installing FHIR.js and Redocly's OpenAPI linter into .cache/node-tools"
    # shellcheck disable=SC2086  # one word per package
    npm install --prefix .cache/node-tools --save-exact --no-audit --no-fund --loglevel=error \
      $node_tools </dev/null
    echo "$node_tools" >.cache/node-tools/.installed
  else
    echo "npm is not installed, so the FHIR.js and OpenAPI lint tests cannot get their tools." >&2
  fi
fi
