#!/bin/sh
# Install Safeguard Desktop for the person logged in, with no administrator rights:
# the program into ~/.local/bin, its icon and menu entry into ~/.local/share.
# Run it from the folder holding the downloaded files:  sh install-for-this-user.sh
# Your records are not in these places (they are in ~/.local/share/Safeguard Desktop),
# so installing a newer version over this one keeps them.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bin_dir="${XDG_BIN_HOME:-$HOME/.local/bin}"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
apps="$data_home/applications"
icons="$data_home/icons/hicolor/256x256/apps"

for file in safeguard-desktop safeguard-desktop.desktop safeguard-desktop.png; do
    if [ ! -f "$here/$file" ]; then
        echo "The file $file is missing; keep it in the same folder as this script." >&2
        exit 1
    fi
done

mkdir -p "$bin_dir" "$apps" "$icons"
install -m 755 "$here/safeguard-desktop" "$bin_dir/safeguard-desktop"
install -m 644 "$here/safeguard-desktop.png" "$icons/safeguard-desktop.png"
# Menus do not always search ~/.local/bin, so the menu entry names the full path.
sed -e "s|^Exec=.*|Exec=\"$bin_dir/safeguard-desktop\"|" \
    -e "s|^TryExec=.*|TryExec=$bin_dir/safeguard-desktop|" \
    "$here/safeguard-desktop.desktop" > "$apps/safeguard-desktop.desktop"
chmod 644 "$apps/safeguard-desktop.desktop"
# Refresh the menu and icon caches where the desktop has them; harmless if absent.
update-desktop-database "$apps" >/dev/null 2>&1 || true
gtk-update-icon-cache -q "$data_home/icons/hicolor" >/dev/null 2>&1 || true

echo "Safeguard Desktop is installed. Open it from your applications menu."
echo "To remove the program (not your records): rm \"$bin_dir/safeguard-desktop\" \"$apps/safeguard-desktop.desktop\" \"$icons/safeguard-desktop.png\""
