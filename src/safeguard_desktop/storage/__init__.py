"""Files on disk: vault.json, the SQLCipher case database, the sealed inbox. All SQL lives here."""
