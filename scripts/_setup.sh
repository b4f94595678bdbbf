# Shared by scripts/serve and scripts/test: make .venv (once) and install the project into it.
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
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check --editable ".${1:-}"

# The tests check every page with the W3C HTML validator (the npm package vnu-jar, run on Java
# 17+). It is kept in .cache/vnu, outside git. Its install script, which would download a Java
# runtime, is skipped: Java comes from the machine.
vnu_version=26.9.27
if [ "${1:-}" = "[test]" ] && [ ! -f .cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar ]; then
  if command -v npm >/dev/null; then
    npm install --prefix .cache/vnu --ignore-scripts --no-audit --no-fund --loglevel=error \
      "vnu-jar@$vnu_version" </dev/null
  else
    echo "npm is not installed, so the HTML validity test cannot get the W3C validator." >&2
  fi
fi
