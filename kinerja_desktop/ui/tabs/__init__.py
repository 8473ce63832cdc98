"""One module per tab of the main window; tabs never import each other (the main window
gives them what they need)."""
