"""Read a chat message as a person sees it: its text without tags, the quotes it highlights."""

import html
import re


def without_tags(message: str) -> str:
    """The message's text: tags removed, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", message))


def marked(message: str) -> list[str]:
    """The quotes highlighted in the message's source cards, without their numbers."""
    found = re.findall(r"<mark[^>]*>(.*?)</mark>", message, re.S)
    return [without_tags(re.sub(r"<sup>\[\d+\]</sup>", "", m)) for m in found]
