#!/bin/sh
# Makes sure a Chromium for the editor browser tests (test/e2e/browser) is installed.
# Prints the browser's path on stdout and exits 0; exits 3 when none is installed and it cannot be
# installed here (not root, or no apt-get). CHROMIUM_PATH picks another browser.
# Installs Debian's `chromium` package (no browser download by playwright).
set -e
for c in "$CHROMIUM_PATH" /usr/bin/chromium /usr/bin/chromium-browser; do
	if [ -n "$c" ] && [ -x "$c" ]; then
		echo "$c"
		exit 0
	fi
done
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "ensure-chromium: no Chromium at /usr/bin/chromium, and it cannot be installed here (needs root and apt-get)" >&2
	exit 3
fi
echo "ensure-chromium: installing Debian's chromium (apt-get install chromium)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq chromium >&2
if [ -x /usr/bin/chromium ]; then
	echo /usr/bin/chromium
	exit 0
fi
echo "ensure-chromium: apt-get install chromium did not provide /usr/bin/chromium" >&2
exit 1
