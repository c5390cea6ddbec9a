"""Administration: People (accounts and their passwords), Settings, and the local contacts
form that setup and Settings share."""
