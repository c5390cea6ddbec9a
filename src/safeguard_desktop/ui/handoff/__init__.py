"""The handoff wizard: from a concern to a recorded decision (danger and the police, an
allegation and the LADO, the threshold, information sharing, the referral's words, check
and record)."""
