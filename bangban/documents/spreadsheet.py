"""Excel helpers: text a user typed goes in as text, never as a formula.

The helper itself lives in :mod:`bangban.common.spreadsheet` (shared with the eligibility
app, which sits in the same layer as documents and may not import it); it is re-exported
here for the callers that know it by this name.
"""

from bangban.common.spreadsheet import append_row

__all__ = ["append_row"]
