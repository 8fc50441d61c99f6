#!/usr/bin/env bash
# Builds the desktop client's installers: scripts/installer.sh [STEP...]
#
#   frozen   the PyInstaller one-folder build          -> dist/ecas-desktop/
#   deb      the Debian package (dpkg-deb)             -> dist/ecas-desktop_VERSION_ARCH.deb
#   msi      the Windows Installer package (wixl); see --payload below
#
# With no STEP: frozen, then deb (what `make installer` runs). Installs PyInstaller into
# .venv (the dev extra) and, when run as root, Debian's tools with apt-get when missing.
#
#   msi --payload DIR   DIR is the frozen *Windows* build (dist\ecas-desktop from a Windows
#                       host, holding ecas-desktop.exe) -> dist/ecas-desktop-VERSION-x64.msi
#   msi                 no Windows build at hand: compiles the same sources against the Linux
#                       build in dist/ecas-desktop to check them -> build/installer/msi-check/
#                       (not an installable Windows package; it holds Linux files)
#   msi ... --out FILE  write the package to FILE instead
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

PY="$REPO/.venv/bin/python"
DIST="$REPO/dist"
WORK="$REPO/build/installer"
FROZEN="$DIST/ecas-desktop"

say() { echo "installer: $*"; }
die() {
    echo "installer: $*" >&2
    exit 1
}

# apt-get install PACKAGE... when COMMAND is missing (root only; otherwise say what to do).
ensure_tool() {
    local command="$1"
    shift
    command -v "$command" >/dev/null 2>&1 && return 0
    if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        say "installing Debian's $* (for $command)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
        die "$command is missing: install Debian's $* (sudo apt-get install $*)"
    fi
}

version() { "$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])'; }

# Seconds since STARTED, for the timing lines.
elapsed() { echo "$((SECONDS - $1)) s"; }

build_frozen() {
    "$REPO/scripts/setup.sh" --dev
    if ! "$PY" -c 'import PyInstaller' 2>/dev/null; then
        say "installing PyInstaller into .venv"
        "$REPO/.venv/bin/pip" install -q 'pyinstaller>=6.10'
    fi
    # Qt's X11 plugin links to these two; when they are on the build host PyInstaller bundles
    # them like the other xcb libraries, otherwise the package must depend on them.
    local known
    known="$(ldconfig -p)"
    if ! grep -q 'libxcb-keysyms.so.1' <<<"$known" || ! grep -q 'libxcb-icccm.so.4' <<<"$known"; then
        if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
            say "installing Debian's libxcb-icccm4 and libxcb-keysyms1 (bundled with Qt's X11 plugin)"
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxcb-icccm4 libxcb-keysyms1 >/dev/null
        else
            say "libxcb-icccm4/libxcb-keysyms1 are not installed: the .deb will depend on them"
        fi
    fi
    local started=$SECONDS
    say "building the frozen client (PyInstaller, one folder) into dist/ecas-desktop"
    QT_QPA_PLATFORM=offscreen "$REPO/.venv/bin/pyinstaller" --noconfirm --log-level WARN \
        --distpath "$DIST" --workpath "$WORK/pyinstaller" \
        installer/pyinstaller/ecas-desktop.spec
    drop_build_host_runpaths
    say "frozen client: $(du -sh "$FROZEN" | cut -f1) unpacked, built in $(elapsed "$started")"
}

# Extension modules of a self-built Python (pyenv, ...) keep a RUNPATH to the build host's
# folders: useless on a workstation, and a way to load stray libraries. $ORIGIN ones stay.
drop_build_host_runpaths() {
    ensure_tool patchelf patchelf
    local file runpath dropped=0
    while IFS= read -r -d '' file; do
        runpath="$(patchelf --print-rpath "$file" 2>/dev/null)" || continue
        if [[ "$runpath" == *"/"* && "$runpath" != *'$ORIGIN'* ]]; then
            patchelf --remove-rpath "$file"
            dropped=$((dropped + 1))
        fi
    done < <(find "$FROZEN" -type f -name '*.so*' -print0)
    [[ $dropped -eq 0 ]] || say "removed the build host's RUNPATH from $dropped libraries"
}

# The .deb uses Debian's own copy of every library a Debian package provides (zlib, X11,
# fontconfig, OpenSSL, ...), found by dpkg -S, instead of the copy PyInstaller bundled;
# dpkg-shlibdeps then makes them dependencies. libpython stays: it is the build's own.
unbundle_system_libraries() {
    local internal="$1" triplet lib name owner count=0
    triplet="$(dpkg-architecture -qDEB_HOST_MULTIARCH)"
    for lib in "$internal"/lib*.so*; do
        [[ -L "$lib" ]] && continue
        name="$(basename "$lib")"
        [[ "$name" == libpython* ]] && continue
        owner="$(dpkg -S "/lib/$triplet/$name" "/usr/lib/$triplet/$name" 2>/dev/null |
            head -n 1 | cut -d: -f1)" || true
        if [[ -n "$owner" ]]; then
            rm "$lib"
            count=$((count + 1))
        fi
    done
    say "using Debian's own copy of $count system libraries"
}

build_deb() {
    [[ -x "$FROZEN/ecas-desktop" ]] || die "no frozen build in dist/ecas-desktop: run '$0 frozen' first"
    ensure_tool dpkg-deb dpkg
    ensure_tool dpkg-shlibdeps dpkg-dev
    local started=$SECONDS ver arch root doc pkg
    ver="$(version)"
    arch="$(dpkg --print-architecture)"
    pkg="$WORK/deb"
    root="$pkg/debian/ecas-desktop"
    doc="$root/usr/share/doc/ecas-desktop"
    say "staging the Debian package tree in build/installer/deb"
    rm -rf "$pkg"
    mkdir -p "$root/DEBIAN" "$root/usr/lib" "$root/usr/bin" "$doc/examples" \
        "$root/usr/share/applications" "$root/usr/share/icons/hicolor/scalable/apps" \
        "$root/usr/share/man/man1" "$root/usr/share/lintian/overrides"
    cp -a "$FROZEN" "$root/usr/lib/ecas-desktop"
    unbundle_system_libraries "$root/usr/lib/ecas-desktop/_internal"
    ln -s ../lib/ecas-desktop/ecas-desktop "$root/usr/bin/ecas-desktop"
    install -m 0644 resources/ecas-desktop.desktop "$root/usr/share/applications/"
    install -m 0644 resources/ecas-desktop.svg "$root/usr/share/icons/hicolor/scalable/apps/"
    install -m 0644 installer/debian/copyright "$doc/copyright"
    install -m 0644 installer/debian/ECAS-Desktop.conf "$doc/examples/ECAS-Desktop.conf"
    gzip -9n -c installer/debian/changelog >"$doc/changelog.gz"
    gzip -9n -c installer/debian/ecas-desktop.1 >"$root/usr/share/man/man1/ecas-desktop.1.gz"
    install -m 0644 installer/debian/lintian-overrides \
        "$root/usr/share/lintian/overrides/ecas-desktop"
    # Debian's permissions: directories 0755, files 0644, only the program executable.
    find "$root" -type d -exec chmod 0755 {} +
    find "$root" -type f -exec chmod 0644 {} +
    chmod 0755 "$root/usr/lib/ecas-desktop/ecas-desktop"

    say "working out the system libraries it needs (dpkg-shlibdeps)"
    local shlib_started=$SECONDS
    local libdirs=() depends
    mapfile -t libdirs < <(find "$root/usr/lib/ecas-desktop" -name '*.so*' -printf '-l%h\n' | sort -u)
    printf 'Source: ecas-desktop\n\nPackage: ecas-desktop\nArchitecture: any\n' >"$pkg/debian/control"
    depends="$(cd "$pkg" && find debian/ecas-desktop/usr/lib/ecas-desktop -type f \
        \( -name '*.so*' -o -name ecas-desktop \) -print0 |
        xargs -0 dpkg-shlibdeps -O --warnings=0 "${libdirs[@]}" 2>/dev/null |
        sed -n 's/^shlibs:Depends=//p')"
    [[ -n "$depends" ]] || die "dpkg-shlibdeps found no dependencies"
    say "dpkg-shlibdeps took $(elapsed "$shlib_started")"
    # zoneinfo reads the system's time-zone database (hearing times are court-local).
    depends="$depends, tzdata"
    sed -e "s/@VERSION@/$ver/" -e "s/@ARCH@/$arch/" -e "s/@DEPENDS@/$depends/" \
        -e "s/@INSTALLED_SIZE@/$(du -sk --exclude=DEBIAN "$root" | cut -f1)/" \
        installer/debian/control.in >"$root/DEBIAN/control"
    rm "$pkg/debian/control"
    (cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum >DEBIAN/md5sums)
    chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

    local deb="$DIST/ecas-desktop_${ver}_${arch}.deb"
    local packed=$SECONDS
    dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
    say "dpkg-deb compressed the package in $(elapsed "$packed")"
    say "Debian package: ${deb#"$REPO"/} ($(du -h "$deb" | cut -f1)), built in $(elapsed "$started")"
}

build_msi() {
    local payload="$FROZEN" out="" ver started=$SECONDS
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --payload)
                payload="$(cd "$2" && pwd)"
                shift 2
                ;;
            --out)
                out="$2"
                shift 2
                ;;
            *) die "msi: unknown option '$1' (use --payload DIR, --out FILE)" ;;
        esac
    done
    ensure_tool wixl wixl
    ensure_tool wixl-heat wixl
    ver="$(version)"
    if [[ -f "$payload/ecas-desktop.exe" ]]; then
        out="${out:-$DIST/ecas-desktop-$ver-x64.msi}"
    elif [[ -x "$payload/ecas-desktop" ]]; then
        out="${out:-$WORK/msi-check/ecas-desktop-$ver-linux-payload-check.msi}"
        say "no Windows build given: checking the MSI sources against the Linux build"
    else
        die "msi: $payload holds neither ecas-desktop.exe nor ecas-desktop (build it first)"
    fi
    mkdir -p "$(dirname "$out")"
    out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
    local stage
    stage="$(mktemp -d)"
    # wixl-heat names every file of the payload; wixl wants the sources relative to its
    # working folder, so the payload is linked in as ./payload.
    ln -s "$payload" "$stage/payload"
    (cd "$stage/payload" && find . -type f | sed 's|^\./|payload/|' | sort) |
        wixl-heat --directory-ref INSTALLDIR --component-group CG.AppFiles \
            --var var.SourceDir -p payload/ --win64 >"$stage/files.wxs"
    (cd "$stage" && wixl -a x64 -D Win64=yes -D "Version=$ver" -D SourceDir=payload \
        -o "$out" "$REPO/installer/windows/ecas-desktop.wxs" files.wxs)
    rm -rf "$stage"
    say "Windows Installer package: ${out#"$REPO"/} ($(du -h "$out" | cut -f1)), built in $(elapsed "$started")"
}

steps=("$@")
[[ ${#steps[@]} -gt 0 ]] || steps=(frozen deb)
case "${steps[0]}" in
    msi) build_msi "${steps[@]:1}" ;;
    -h | --help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
    *)
        for step in "${steps[@]}"; do
            case "$step" in
                frozen) build_frozen ;;
                deb) build_deb ;;
                *) die "unknown step '$step' (frozen, deb, msi)" ;;
            esac
        done
        ;;
esac
