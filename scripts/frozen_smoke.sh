#!/usr/bin/env bash
# Issue 7: build the onedir bundle with build.spec and smoke-test the frozen programs (Linux CI; the Windows
# workflow runs the same steps). Uses the real OS keyring: gnome-keyring's Secret Service in a private D-Bus session.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
pip install -q -e ".[build]"

echo "== pyinstaller build.spec"
mkdir -p build; start=$(date +%s)
pyinstaller --noconfirm --clean --log-level WARN build.spec > build/pyinstaller.log 2>&1 || { tail -50 build/pyinstaller.log; exit 1; }
echo "built in $(( $(date +%s) - start )) s"
BUNDLE=dist/FxK3Sync
echo "== bundle size: $(du -sh "$BUNDLE" | cut -f1) (goal <= 150M, issue 15); largest parts:"
du -sh "$BUNDLE"/_internal/* 2>/dev/null | sort -rh | head -8

echo "== frozen fxk3sync --version"
"$BUNDLE/fxk3sync" --version

# Issue 17: the bundle carries the PostgreSQL dialect and driver (psycopg 3 with its libpq): create a shared store.
if [ -n "${FXK3SYNC_TEST_PG_URL:-}" ] && [ -n "${FXK3SYNC_TEST_PG_BIN:-}" ]; then
  echo "== frozen fxk3sync --db postgresql+psycopg://… profile list"
  "$FXK3SYNC_TEST_PG_BIN/dropdb" --if-exists -h "$FXK3SYNC_TEST_PG_DIR" -U fxk3sync fxk3_frozen
  "$FXK3SYNC_TEST_PG_BIN/createdb" -h "$FXK3SYNC_TEST_PG_DIR" -U fxk3sync fxk3_frozen
  FXK3SYNC_HOME=$(mktemp -d) "$BUNDLE/fxk3sync" --db "${FXK3SYNC_TEST_PG_URL/\/postgres?//fxk3_frozen?}" \
    profile list --json
fi

if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "dbus-run-session/gnome-keyring missing: install dbus gnome-keyring" >&2; exit 1
fi
export FXK3SYNC_HOME; FXK3SYNC_HOME=$(mktemp -d)
dbus-run-session -- bash -s "$BUNDLE" <<'INNER'
set -euo pipefail
BUNDLE=$1
export XDG_DATA_HOME; XDG_DATA_HOME=$(mktemp -d)   # a brand-new login keyring, created and unlocked right here
echo -n ci-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
"$BUNDLE/fxk3sync" sandbox --seed 1 > "$FXK3SYNC_HOME/sandbox.out" 2> "$FXK3SYNC_HOME/sandbox.err" &
SB=$!
trap 'kill -INT $SB 2>/dev/null || true; wait $SB 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$FXK3SYNC_HOME/sandbox.out" ] && break; sleep 0.2; done
creds=$(head -1 "$FXK3SYNC_HOME/sandbox.out")
j() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(d$2)" "$1"; }
echo "== frozen fxk3sync profile add / secret set / check against the running sandbox"
"$BUNDLE/fxk3sync" profile add smoke --fx-url "$(j "$creds" "['fxiaoke']['url']")" \
  --fx-app-id "$(j "$creds" "['fxiaoke']['app_id']")" --fx-open-user-id "$(j "$creds" "['fxiaoke']['open_user_id']")" \
  --k3-url "$(j "$creds" "['k3cloud']['url']")" --k3-acct-id "$(j "$creds" "['k3cloud']['acct_id']")" \
  --k3-user "$(j "$creds" "['k3cloud']['username']")"
j "$creds" "['fxiaoke']['app_secret']" | tr -d '\n' | "$BUNDLE/fxk3sync" secret set smoke fx-app-secret
j "$creds" "['fxiaoke']['permanent_code']" | tr -d '\n' | "$BUNDLE/fxk3sync" secret set smoke fx-permanent-code
j "$creds" "['k3cloud']['password']" | tr -d '\n' | "$BUNDLE/fxk3sync" secret set smoke k3-password
"$BUNDLE/fxk3sync" check smoke
echo "== frozen FxK3SyncApp --smoke (offscreen, demo sandbox, sync three orders)"
"$BUNDLE/FxK3SyncApp" --smoke
INNER
echo "frozen smoke: all passed"
