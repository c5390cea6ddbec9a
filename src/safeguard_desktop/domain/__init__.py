"""Pure rules and data: no Qt, no SQL, no I/O."""
