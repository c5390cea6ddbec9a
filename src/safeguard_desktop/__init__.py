"""Safeguard Desktop: offline, encrypted safeguarding concern records."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("safeguard-desktop")
except PackageNotFoundError:  # running from a frozen build without metadata
    __version__ = "0.1.0"

APP_NAME = "Safeguard Desktop"
