"""Key derivation, key slots, sealing, the device secret and signing keys. No Qt, no SQL."""
