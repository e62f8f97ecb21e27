"""Answer key: from-scratch implementations of the graded exercises, one module per chapter."""
