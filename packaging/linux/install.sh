#!/usr/bin/env sh
# Install the built one-folder app for the current user: the bundle to ~/.local/opt/w2v-explorer, a menu
# entry, the icon in every size, and the model file types (so a double-click on a .model opens it).
#   packaging/linux/install.sh [BUNDLE_DIR]      (default: dist/w2v-explorer)
#   packaging/linux/install.sh --uninstall
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
opt=$HOME/.local/opt/w2v-explorer

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$opt" "$data/applications/w2v-explorer.desktop" "$data/mime/packages/w2v-explorer-mime.xml"
    find "$data/icons/hicolor" -name 'w2v-explorer.*' -delete 2>/dev/null || true
else
    bundle=${1:-$root/dist/w2v-explorer}
    [ -x "$bundle/w2v-explorer" ] || { echo "No app in $bundle: run packaging/build.py first." >&2; exit 1; }
    rm -rf "$opt" && mkdir -p "$opt" && cp -a "$bundle/." "$opt/"
    mkdir -p "$data/applications" "$data/mime/packages"
    sed -e "s|^Exec=w2v-explorer|Exec=\"$opt/w2v-explorer\"|" -e "s|^TryExec=.*|TryExec=$opt/w2v-explorer|" \
        "$here/w2v-explorer.desktop" > "$data/applications/w2v-explorer.desktop"
    cp "$here/w2v-explorer-mime.xml" "$data/mime/packages/"
    for png in "$root"/resources/icons/w2v-explorer-*.png; do
        size=$(basename "$png" .png | sed 's/.*-//')
        mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
        cp "$png" "$data/icons/hicolor/${size}x${size}/apps/w2v-explorer.png"
    done
    mkdir -p "$data/icons/hicolor/scalable/apps"
    cp "$root/resources/icons/w2v-explorer.svg" "$data/icons/hicolor/scalable/apps/w2v-explorer.svg"
fi
# Refresh the desktop's caches when the tools are there.
command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "done: ${1:-installed to $opt}"
