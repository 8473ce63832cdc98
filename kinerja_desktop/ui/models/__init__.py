"""Table models: the data behind the window's tables and trees (no widgets)."""
