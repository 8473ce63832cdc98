"""Pages shown in a tab's section (some also open from a menu or the set-up wizard)."""
