# Shared by bench/run and bench/load: wrk from Debian's packages, and the project's .venv.
# Usage: . bench/_prepare.sh
set -euo pipefail
if ! command -v wrk >/dev/null; then
  echo "Installing wrk from Debian's packages..." >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -q wrk </dev/null >/dev/null \
    || { $sudo apt-get update -q </dev/null >/dev/null && $sudo apt-get install -y -q wrk </dev/null >/dev/null; } \
    || { echo "Could not install wrk; install it (apt-get install wrk) and run again." >&2; exit 1; }
fi
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/_setup.sh" ""
# The checkout's own code first: a git worktree may share .venv, whose editable install points
# at another checkout, and gunicorn (run from here) would import this one anyway.
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
