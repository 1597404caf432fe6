"""Named errors; the CLI and the chat turn them into one-line messages."""


class AssistantError(Exception):
    """Base class: the message says what was received, what was expected, and the fix."""


class ArticleError(AssistantError):
    """An article file cannot be read as text."""


class IndexMissingError(AssistantError):
    """There is no index where one was expected."""


class IndexMismatchError(AssistantError):
    """The index was built differently (model, chunking, format) from what is asked now."""


class IndexOutdatedError(IndexMismatchError):
    """The index was written in an older format by an earlier version of this tool."""


class IndexCorruptError(AssistantError):
    """An index file is missing, truncated or unreadable."""


class IndexBusyError(AssistantError):
    """Another process is updating the index."""


class IndexBuildingError(AssistantError):
    """The first index is being built: there is nothing to answer from yet."""


class IndexWriteError(AssistantError):
    """A new index version cannot be written (permissions, full disk); the old one is kept."""

    @classmethod
    def from_os(cls, folder, err: Exception) -> "IndexWriteError":
        reason = getattr(err, "strerror", None) or str(err)
        return cls(
            f"Cannot write to the index folder {str(folder)!r}: {reason}. The index in use is "
            "unchanged. Free disk space or make the folder writable, then run: "
            "assistant index update"
        )


class ModelError(AssistantError):
    """The embedding model cannot be loaded."""


class QuestionError(AssistantError):
    """The question is empty or unusable."""


class LLMError(AssistantError):
    """The LLM could not be reached or its output is unusable; the extractive answer stands in."""
