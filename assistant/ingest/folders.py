"""The files of an articles folder that an update reads."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import ArticleError
from assistant.ingest.decoding import printable


def article_files(folder: Path, suffixes: tuple[str, ...]) -> tuple[list[Path], list[Path]]:
    """(files to read, symbolic links leading out of the folder), by name. A link out could
    publish any file of the machine (passwd.txt -> /etc/passwd), so it is not read."""
    try:
        entries = sorted(folder.iterdir())
    except OSError as err:  # missing, not a folder, or removed while it is read
        raise ArticleError(
            f"Articles folder {printable(str(folder))!r} does not exist or is not a folder "
            f"({err.strerror or err}). Pass an existing folder with --articles DIR."
        ) from err
    inside = folder.resolve()
    files, outside = [], []
    for path in entries:
        if path.suffix.lower() not in suffixes or not path.is_file():
            continue
        if path.is_symlink() and inside not in path.resolve().parents:
            outside.append(path)
        else:
            files.append(path)
    return files, outside
