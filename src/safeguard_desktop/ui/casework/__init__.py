"""A lead's casework on concerns: Home, the Concerns page with its search and filters, the
Concern view of one concern file, and the dialogs that add to it (actions, corrections,
closing, an agency's answer)."""
