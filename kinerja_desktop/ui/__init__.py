"""The Qt window (PySide6); it never touches SQL, only the services.

The rule of the tree: a module lives in the folder named for what it is in the window —
``tabs/`` one module per tab of the main window (Sekretaris, Kasubag, Tim Penyusun, Arsip,
Pengaturan), ``screens/`` the pages a tab's section shows (apart from the tabs because
several also open from a menu or the set-up wizard), ``dialogs/`` windows of their own,
``models/`` the table and tree models, ``widgets/`` the pieces those are built from (the
workflow panel, the role-tab base, number and table helpers), ``printing/`` choosing,
producing, previewing and printing documents — and only what holds the window together
stays at the top (``main_window``, ``menu_actions``, ``signals``, ``common``, ``icon``,
``instance``, ``screenshots``).

Tabs and the set-up wizard embed screens; everything may use widgets, models and printing,
none of which import a tab, a screen or the main window; tabs never import each other (the
main window gives them what they need).
"""

from kinerja_desktop.ui.refcounts import protect_singletons

# Before any Qt call of the window (see ui/refcounts.py: PySide6 6.12.0 loses references
# to None and True).
protect_singletons()
