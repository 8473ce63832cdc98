"""Printing: the document chooser, PDF production off the GUI thread, the preview."""
