"""Hidden cases, one module per chapter (instructor copy only; never in the student bundle)."""
