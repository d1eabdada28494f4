# Sourced by demo.sh and test.sh: make sure uv is there, then install the locked dependencies.
# Only Python 3.11+ is assumed on the machine.

ensure_uv() {
  if command -v uv >/dev/null 2>&1; then return 0; fi
  export PATH="$HOME/.local/bin:$PATH"
  if command -v uv >/dev/null 2>&1; then return 0; fi
  local py
  py="$(command -v python3.13 || command -v python3.12 || command -v python3.11 || command -v python3)"
  if [ -z "$py" ]; then echo "Python 3.11 ou plus récent est nécessaire." >&2; return 1; fi
  echo "Installation de uv (gestionnaire de dépendances)…"
  "$py" -m pip install --quiet --user "uv==0.13.8" 2>/dev/null \
    || "$py" -m pip install --quiet --user --break-system-packages "uv==0.13.8" 2>/dev/null \
    || "$py" -m pip install --quiet "uv==0.13.8"
  command -v uv >/dev/null 2>&1 || { echo "Impossible d'installer uv." >&2; return 1; }
}

sync_env() {
  ensure_uv
  # --frozen: exactly the versions of uv.lock, never a new resolution.
  uv sync --frozen --quiet
}
