"""Children: the list of every child with a record, and one child's file (details, case
owner and risk, family, professionals, concerns, follow-ups, the chronology)."""
