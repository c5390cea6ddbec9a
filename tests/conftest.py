"""Shared fixtures. The offscreen Qt platform is chosen before anything imports Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never touch the developer's real keyring: with no D-Bus session the
# Secret Service backend is unusable, so stores are created password-only
# unless a test starts its own gnome-keyring (see tests/test_keyring_real.py).
os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
