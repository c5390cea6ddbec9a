"""PySide6 widgets. Talks to services only."""
