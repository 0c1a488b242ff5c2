"""The report's figures, one module per figure; each function takes the tables and returns a Figure."""
