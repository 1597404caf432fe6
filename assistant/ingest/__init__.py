"""Stage 1: article files to cleaned Articles with metadata, and Articles to Chunks."""
