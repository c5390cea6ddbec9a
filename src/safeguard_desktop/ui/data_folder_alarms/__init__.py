"""What the data-folder checks found: Home's alarms, items not accepted, a recorder refused."""
