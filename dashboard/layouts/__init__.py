"""Functions that build components; no callbacks and no business rules here."""
