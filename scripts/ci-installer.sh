#!/usr/bin/env bash
# CI's installer step: build the frozen client and the .deb (make installer), then check them
# the way IT would use them. Prints how long each part took.
#
#   1. the frozen client's --self-test, and a viewer screenshot, offscreen
#   2. lintian on the .deb: no errors (overrides are in installer/debian/lintian-overrides)
#   3. as root: install the .deb with apt-get (dependencies included), run the installed
#      ecas-desktop --self-test, remove it, and check nothing it installed is left behind
#   4. the Windows Installer sources compile with wixl (against the Linux build) and the
#      package writes the presets to HKLM\Software\ECAS\ECAS Desktop
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

say() { echo "ci-installer: $*"; }
die() {
    echo "ci-installer: FAILED: $*" >&2
    exit 1
}
elapsed() { echo "$((SECONDS - $1)) s"; }

ensure() {
    local command="$1"
    shift
    command -v "$command" >/dev/null 2>&1 && return 0
    [[ $EUID -eq 0 ]] || die "$command is missing; install Debian's $*"
    say "installing Debian's $*"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

export QT_QPA_PLATFORM=offscreen
total=$SECONDS

started=$SECONDS
make installer
say "make installer took $(elapsed "$started")"
say "frozen client: $(du -sh dist/ecas-desktop | cut -f1) unpacked"

say "1/4 the frozen client checks itself"
dist/ecas-desktop/ecas-desktop --self-test
shot="$(mktemp -d)/viewer.png"
dist/ecas-desktop/ecas-desktop open resources/sample.pdf --screenshot "$shot"
[[ -s "$shot" ]] || die "the frozen viewer drew no screenshot"

# Every module of desktop/ made it into the frozen app (a module only reached through a
# dynamic import would be missing; common/ follows from desktop's imports, and parts of it
# only the server uses), and none of the server did.
.venv/bin/python - <<'PY' || die "the frozen app's module list is wrong (see above)"
import re, sys
from pathlib import Path

toc = Path("build/installer/pyinstaller/ecas-desktop/PYZ-00.toc").read_text()
frozen = set(re.findall(r"\('([\w.]+)',", toc))
wanted = {
    ".".join(p.with_suffix("").parts).removesuffix(".__init__")
    for p in Path("desktop").rglob("*.py")
} - {"desktop.__main__"}
missing = sorted(wanted - frozen)
server = sorted(m for m in frozen if m.split(".")[0] in ("sync_server", "flask"))
print(f"ci-installer: {len(wanted)} client modules frozen; missing {missing}; server {server[:5]}")
sys.exit(1 if missing or server else 0)
PY

deb="$(find dist -maxdepth 1 -name 'ecas-desktop_*.deb' | sort | tail -n 1)"
[[ -n "$deb" ]] || die "no .deb in dist/"

say "2/4 lintian $deb"
ensure lintian lintian
started=$SECONDS
lintian --fail-on error "$deb" | tee /tmp/ecas-lintian.txt
say "lintian: $(grep -c '^E:' /tmp/ecas-lintian.txt || true) errors," \
    "$(grep -c '^W:' /tmp/ecas-lintian.txt || true) warnings, in $(elapsed "$started")"

if [[ $EUID -eq 0 ]]; then
    say "3/4 install, self-test, remove"
    if dpkg -s ecas-desktop >/dev/null 2>&1; then
        die "ecas-desktop is installed on this machine already; remove it first (dpkg -r ecas-desktop)"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >/dev/null
    command -v desktop-file-validate >/dev/null &&
        desktop-file-validate /usr/share/applications/ecas-desktop.desktop
    (cd / && ecas-desktop --self-test)
    mapfile -t installed < <(dpkg -L ecas-desktop | grep -v -E '^/\.$|^/(usr|usr/bin|usr/lib|usr/share|usr/share/[a-z]+|usr/share/icons/hicolor(/.*)?|usr/share/man/man1|usr/share/lintian(/overrides)?)$')
    dpkg -r ecas-desktop >/dev/null
    left=()
    for path in "${installed[@]}"; do
        [[ -e "$path" || -L "$path" ]] && left+=("$path")
    done
    [[ ${#left[@]} -eq 0 ]] || die "left behind after dpkg -r: ${left[*]:0:10}"
    [[ ! -e /usr/lib/ecas-desktop ]] || die "/usr/lib/ecas-desktop is still there"
    say "removed cleanly (${#installed[@]} paths installed, none left)"
else
    say "3/4 skipped: installing the .deb needs root"
fi

say "4/4 Windows Installer sources compile with wixl"
ensure wixl wixl
ensure msiinfo msitools
bash scripts/installer.sh msi
msi="$(find build/installer/msi-check -name '*.msi' | head -n 1)"
registry="$(msiinfo export "$msi" Registry)"  # whole, then grep: no SIGPIPE under pipefail
grep -q 'Software\\ECAS\\ECAS Desktop\\sync' <<<"$registry" ||
    die "the MSI writes no presets to HKLM\\Software\\ECAS\\ECAS Desktop"

say "all installer checks passed in $(elapsed "$total")"
