"""A PC with no records yet: the first-run choice, the setup wizard and its pages, and the
recovery key shown once and checked."""
