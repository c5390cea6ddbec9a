"""Generic pieces used by several features: a stoppable job dialog, the recovery-key entry."""
