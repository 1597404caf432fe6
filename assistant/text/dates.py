"""Dates as a reader sees them: "17 Nov 2024", "29 Oct (year not stated)", "undated"."""

from __future__ import annotations

SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NO_YEAR = "year not stated"


def readable(date: str | None, month_day: str | None = None, german: bool = False) -> str:
    """An ISO date ("2024-11-17") or a yearless one ("--10-29") as its reader reads it:
    "17 Nov 2024", "29 Oct (year not stated)", "undated"; German: "17.11.2024", "29.10. (Jahr
    nicht genannt)", "ohne Datum"."""
    if date:
        year, month, day = date[:10].split("-")
        if german:
            return f"{int(day)}.{int(month)}.{year}"
        return f"{int(day)} {SHORT_MONTHS[int(month) - 1]} {year}"
    if month_day:
        month, day = month_day.removeprefix("--").split("-")
        if german:
            return f"{int(day)}.{int(month)}. (Jahr nicht genannt)"
        return f"{int(day)} {SHORT_MONTHS[int(month) - 1]} ({NO_YEAR})"
    return "ohne Datum" if german else "undated"


def newest_first(date: str | None, month_day: str | None = None) -> tuple[int, str]:
    """Sort key, newest first with reverse=True: full dates by date; a date without its year
    cannot be placed among them and comes after, as does no date at all."""
    if date:
        return (2, date)
    return (1, month_day) if month_day else (0, "")
