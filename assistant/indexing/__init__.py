"""Stage 2: Chunks to vectors in an Index on disk (FAISS, BM25, manifest), kept up to date."""
