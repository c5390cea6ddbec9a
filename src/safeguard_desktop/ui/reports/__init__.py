"""Reports: concerns by category per month or term, as a chart, a table and a PDF."""
