"""Files attached to a concern or a child's file: the list, attaching one, the viewer."""
