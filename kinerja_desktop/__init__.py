"""Kinerja Desktop: SOP Pengumpulan Data Kinerja untuk perangkat daerah."""

__version__ = "0.1.0"
APP_NAME = "Kinerja Desktop"
APP_ID = "kinerja-desktop"
