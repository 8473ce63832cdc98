"""Pieces the screens, tabs and the main window are built from (the workflow panel among
them)."""
