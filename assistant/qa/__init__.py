"""Stage 3: a question to an Answer with verbatim Citations, or an abstention."""
