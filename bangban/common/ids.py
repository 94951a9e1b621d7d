"""Primary keys from what a client sends."""

#: The largest primary key the databases store (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def as_id(value) -> int | None:
    """A primary key from a path or query value: a positive integer the database can hold,
    else None (the caller answers 404 or ignores the filter, never 500 on an overflow)."""
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or not text.isascii():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
