"""The steps of the "Record a concern" form, one module each, in the order they are met."""
