"""Subject access requests: recording one, reviewing what is released, and the deadlines."""
