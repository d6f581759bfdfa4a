"""Chronology pages, one module per part: imports (upload, template), combined (the combined
chronology, entry edits, exports, timeline), analysis, returns (scoping, returns, IMRs)."""
