"""Signed referrals: the referral dialog (its form, the words a referral says, the pages of
the signed PDF), verifying a signed PDF, and Settings' signing certificate and contact
lines (importing a certificate, its fingerprint)."""
