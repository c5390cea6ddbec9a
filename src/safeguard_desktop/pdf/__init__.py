"""PDF documents (reportlab) and signatures (pyHanko)."""
