"""Grading specs, one module per chapter: exercises (probe + check) and public cases."""
