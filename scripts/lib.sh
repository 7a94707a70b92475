# shellcheck shell=bash
# Shared by scripts/run and scripts/test (sourced, not run): find Python 3.13, keep the
# virtualenv in step with a lock file, install the few system packages Sinergi needs.
#
# SINERGI_VENV    the virtualenv to use (default .venv in the checkout)
# SINERGI_PYTHON  a Python 3.13 to build it with, when the search below does not find one

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
VENV=$(realpath -m "${SINERGI_VENV:-$ROOT/.venv}")
PY=$VENV/bin/python
STAMP=$VENV/.sinergi-lock
export DJANGO_SETTINGS_MODULE=config.settings PYTHONUNBUFFERED=1

say() { printf '\n==> %s\n' "$*"; }
loud() { printf '\n!!!!!!!!!!\n!!! %s\n!!!!!!!!!!\n\n' "$*" >&2; }
die() {
    printf '\nerror: %s\n' "$*" >&2
    exit 1
}

is_py313() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' >/dev/null 2>&1; }

pyenv_pythons() { printf '%s\n' "$1"/versions/3.13.[0-9]*/bin/python3.13 | sort -rV; }

# Print the path of a Python 3.13: SINERGI_PYTHON, python3.13 on PATH, pyenv's choice,
# pyenv's versions directory, and as a last resort a pyenv build (needs python.org).
find_python() {
    local candidate pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
    for candidate in "${SINERGI_PYTHON:-}" "$(command -v python3.13)" \
        "$(command -v pyenv >/dev/null && pyenv which python3.13 2>/dev/null)" $(pyenv_pythons "$pyenv_root"); do
        is_py313 "$candidate" && { echo "$candidate"; return 0; }
    done
    command -v pyenv >/dev/null || return 1
    echo "No Python 3.13 found; trying 'pyenv install -s 3.13' (builds from source, takes minutes)." >&2
    pyenv install -s 3.13 >&2 || return 1
    for candidate in $(pyenv_pythons "$pyenv_root"); do
        is_py313 "$candidate" && { echo "$candidate"; return 0; }
    done
    return 1
}

lock_hash() { sha256sum "$1" | cut -d' ' -f1; }

# ensure_venv LOCK [LOCK...]: make sure the virtualenv exists and holds the first lock file.
# The pip install is skipped when the stamp in the virtualenv records the current hash of any
# of the lock files given (requirements-dev.lock contains everything requirements.lock does;
# scripts/test checks that the two agree).
ensure_venv() {
    local lock base installed accepted
    if [ -e "$PY" ] && ! is_py313 "$PY"; then
        [ -f "$VENV/pyvenv.cfg" ] || die "$VENV exists but is not a Python 3.13 virtualenv; remove it or set SINERGI_VENV."
        say "Rebuilding $VENV: its Python is gone or not 3.13"
        rm -rf "$VENV"
    fi
    if [ ! -e "$PY" ]; then
        base=$(find_python) || die "Python 3.13 was not found (tried SINERGI_PYTHON, python3.13 on PATH, pyenv).
Install it, for example with 'pyenv install 3.13', or set SINERGI_PYTHON=/path/to/python3.13."
        say "Creating the virtualenv $VENV with $base"
        "$base" -m venv "$VENV" || die "could not create the virtualenv $VENV"
    fi
    installed=$(cat "$STAMP" 2>/dev/null || true)
    for accepted in "$@"; do
        [ "$installed" = "$(lock_hash "$accepted")" ] && return 0
    done
    lock=$1
    say "Installing the packages of $lock into $VENV"
    "$PY" -m pip install --disable-pip-version-check -qq --requirement "$lock" ||
        die "pip could not install $lock"
    lock_hash "$lock" >"$STAMP"
}

is_root() { [ "$(id -u)" = 0 ]; }

# apt_install PACKAGE...: install Debian packages when running as root; false otherwise.
apt_install() {
    is_root && command -v apt-get >/dev/null || return 1
    say "Installing $* with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
}

# Translations are compiled and checked with GNU gettext, once a locale/ directory exists.
ensure_gettext() {
    command -v msgfmt >/dev/null && command -v xgettext >/dev/null && return 0
    apt_install gettext || die "GNU gettext (msgfmt) is missing: install it, e.g. 'sudo apt-get install gettext'."
}

# Where compilemessages and makemessages must not look for locale directories.
# shellcheck disable=SC2034 # used by the scripts that source this file
LOCALE_IGNORES=(--ignore=.venv --ignore=var --ignore=node_modules --ignore=staticfiles --ignore=media)
