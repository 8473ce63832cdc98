"""Windows of their own: login, set-up wizard, cycle, people and team forms, backup,
workbooks, SOP editor, guide, error report."""
