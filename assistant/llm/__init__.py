"""Stage 4 (optional): an LLM writes the answer from the chosen passages; every quote checked."""
