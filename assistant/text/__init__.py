"""Text rules every stage shares: folding, stopwords, sentences, patterns, language, dictionary."""
