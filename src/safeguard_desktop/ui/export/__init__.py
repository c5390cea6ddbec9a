"""Export everything: the administrators' dialog for a full export in open formats."""
