# Sourced by demo.sh and test.sh: choose a Python, make sure uv is there, install the locked
# dependencies, and (for the browser tests) the Debian packages they need.
#
# Only Python 3.11+ is assumed on the machine. Every step is idempotent and says in French what it
# does; a failure names what failed and what to run by hand.

PTCE_UV_VERSION="0.13.8" # the uv that wrote uv.lock; any recent uv reads it
PTCE_MIN_PY="3.11"

_say() { printf '[ptce] %s\n' "$*" >&2; }
_fail() {
  printf '[ptce] ÉCHEC : %s\n' "$*" >&2
  return 1
}

# Is this interpreter usable? Under pyenv, `python3.13` is a shim that exists for every installed
# version and exits 127 unless that version is selected, so a candidate is judged by running it.
_py_ok() {
  "$1" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 14) else 1)' >/dev/null 2>&1
}

find_python() {
  # Chosen once per shell: ensure_uv and sync_env both need it, and each probe starts a Python.
  if [ -n "${_PTCE_PY:-}" ]; then
    echo "$_PTCE_PY"
    return 0
  fi
  local cand
  for cand in ${PTCE_PYTHON:-} python3.13 python3.12 python3.11 python3 python; do
    if command -v "$cand" >/dev/null 2>&1 && _py_ok "$cand"; then
      _PTCE_PY="$("$cand" -c 'import sys; print(sys.executable)')"
      echo "$_PTCE_PY"
      return 0
    fi
  done
  # pyenv may hold a suitable version that is not selected: take its interpreter directly.
  local root="${PYENV_ROOT:-$HOME/.pyenv}"
  for cand in $(ls -d "$root"/versions/3.1[123]*/bin/python3 2>/dev/null | sort -rV); do
    if _py_ok "$cand"; then
      _PTCE_PY="$cand"
      echo "$_PTCE_PY"
      return 0
    fi
  done
  return 1
}

_uv_works() { uv --version >/dev/null 2>&1; }

ensure_uv() {
  if _uv_works; then return 0; fi
  local py user_bin
  py="$(find_python)" && _PTCE_PY="$py" || {
    _fail "aucun Python ${PTCE_MIN_PY} à 3.13 trouvé (essayé : python3.13, python3.12, python3.11, python3, python et les versions de pyenv). Installez Python ${PTCE_MIN_PY} ou plus récent, ou indiquez-le avec PTCE_PYTHON=/chemin/vers/python3."
    return 1
  }
  # A user install (also as root): nothing outside HOME is touched, and a new HOME starts from nothing.
  user_bin="$("$py" -c 'import site, os; print(os.path.join(site.getuserbase(), "bin"))')"
  export PATH="$user_bin:$PATH"
  if _uv_works; then return 0; fi
  _say "Installation de uv ${PTCE_UV_VERSION} (gestionnaire de dépendances) avec ${py}…"
  if ! "$py" -m pip --version >/dev/null 2>&1; then
    _say "pip manque pour ${py} : essai de « ${py} -m ensurepip --user »…"
    "$py" -m ensurepip --user >/dev/null 2>&1 || {
      _fail "pip est absent pour ${py}. Installez-le (Debian : apt-get install python3-pip) puis relancez."
      return 1
    }
  fi
  local pip=("$py" -m pip install --quiet --disable-pip-version-check)
  if "$py" -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)'; then
    "${pip[@]}" "uv==${PTCE_UV_VERSION}" # inside a virtual environment: --user is refused there
  else
    # Debian's own Python refuses user installs unless told (PEP 668); uv is a single binary, so
    # installing it for the user cannot break the system's packages.
    "${pip[@]}" --user "uv==${PTCE_UV_VERSION}" 2>/dev/null \
      || "${pip[@]}" --user --break-system-packages "uv==${PTCE_UV_VERSION}"
  fi || {
    _fail "l'installation de uv par pip a échoué (voir le message ci-dessus ; le dépôt PyPI est-il joignable ?)."
    return 1
  }
  _uv_works || {
    _fail "uv est installé mais introuvable dans ${user_bin}."
    return 1
  }
  _say "uv installé : $(uv --version) dans ${user_bin}."
}

sync_env() {
  ensure_uv || return 1
  local py
  py="$(find_python)" && _PTCE_PY="$py" || {
    _fail "aucun Python ${PTCE_MIN_PY} à 3.13 trouvé pour l'environnement du projet."
    return 1
  }
  # uv is given the interpreter chosen above (a pyenv shim it would find on PATH may fail), and
  # never downloads a Python of its own: machines reach only the package registries.
  export UV_PYTHON="$py" UV_PYTHON_DOWNLOADS=never
  _say "Installation des dépendances verrouillées (uv.lock) avec ${py}…"
  # --frozen: exactly the versions of uv.lock, never a new resolution. --compile-bytecode: the
  # packages' .pyc are written once here (about 30 s on two cores, then nothing while the lock is
  # unchanged); without them, where PYTHONDONTWRITEBYTECODE=1 is set, every Python process (the
  # tests, each `ptce run` or Streamlit server they start) compiles some 4,000 modules again.
  uv sync --frozen --quiet --compile-bytecode || {
    _fail "« uv sync --frozen --compile-bytecode » a échoué : les dépendances verrouillées n'ont pas pu être installées."
    return 1
  }
}

# Debian packages a feature needs, each with a file that proves it is installed (so the check also
# works where dpkg is absent). Installed once, when running as root with apt; otherwise the command
# to run is named and the caller decides whether to go on.
ensure_debian_packages() {
  local missing=() pkg file
  while [ $# -gt 0 ]; do
    pkg="$1" file="$2"
    shift 2
    # A package two features need (chromium) is named once.
    [ -e "$file" ] || [[ " ${missing[*]-} " == *" $pkg "* ]] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    _say "Installation des paquets Debian : ${missing[*]}…"
    if apt-get update -qq >/dev/null \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
      _say "Paquets installés : ${missing[*]}."
      return 0
    fi
    _fail "apt-get n'a pas pu installer ${missing[*]}."
    return 1
  fi
  _say "Paquets système manquants : ${missing[*]}. Pour les installer : sudo apt-get install ${missing[*]}"
  return 1
}

# What the browser tests need: Debian's Chromium (never a browser downloaded by a test tool) and a
# colour emoji font, so that screenshots show what users see.
BROWSER_PACKAGES=(
  chromium /usr/bin/chromium
  fonts-noto-color-emoji /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
)

# What the yearly report's PDF needs: Pango for WeasyPrint, a local font family (DejaVu, the one
# the style sheet names first) and Chromium, in which kaleido draws the charts as SVG. Libraries
# are proved by their file in Debian's multiarch folder (HOSTTYPE is bash's own `uname -m`).
_PTCE_LIBDIR="/usr/lib/${HOSTTYPE:-x86_64}-linux-gnu"
REPORT_PACKAGES=(
  libpango-1.0-0 "${_PTCE_LIBDIR}/libpango-1.0.so.0"
  libpangoft2-1.0-0 "${_PTCE_LIBDIR}/libpangoft2-1.0.so.0"
  fonts-dejavu-core /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
  chromium /usr/bin/chromium
)

# What the tests of the report read the PDF with: poppler's pdftotext and pdftoppm (PNG pages).
REPORT_TEST_PACKAGES=(
  poppler-utils /usr/bin/pdftotext
)
