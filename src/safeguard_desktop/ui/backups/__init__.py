"""Backups: Back up now, Home's backups box, automatic backups, restore on a new PC."""
