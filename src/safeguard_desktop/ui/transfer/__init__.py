"""Transferring a child's file to a new school or club, receiving one, and the receipts."""
