"""Question answering over a folder of news articles with verbatim, cited quotes."""

__version__ = "0.1.0"
