"""Everything a printed document needs, gathered from the database into frozen dataclasses.

One module per document (``compiled_report``, ``verification_record``, ``sop_sheet``,
``monitoring``, ``receipt``); what they share is in ``common``.

The renderers (``kinerja_desktop.reports``, reportlab) and the Excel export
(``kinerja_desktop.spreadsheets.compiled_workbook``, openpyxl) consume these
dataclasses; neither touches the ORM. This API is kept stable.

Entry points (each opens one read session; no permission check: reading is open to
every logged-in user, the actions that archive documents check roles themselves):

- :func:`compiled_report_data` (ctx, cycle_id) -> :class:`CompiledReportData`:
  the Dokumen Data Kinerja (step 7).
- :func:`sop_sheet_data` (ctx, sop_id=None) -> :class:`SopSheetData` (current SOP when None).
- :func:`monitoring_data` (ctx, cycle_id) -> :class:`MonitoringData`: step timings.
- :func:`receipt_data` (ctx, submission_id) -> :class:`ReceiptData`: tanda terima.
- :func:`verification_record_data` (ctx, cycle_id, team_id=None) ->
  :class:`VerificationRecordData`: berita acara verifikasi.

Conventions:

- Numbers are ``Decimal`` (or None) next to a ready-to-print Indonesian ``*_label``
  (``"86,67"``, ``"1.234,5"``, ``"Rp125.000.000,00"``). Labels never print a silent
  0: a value that cannot be computed prints its reason (``"Tidak dapat dihitung:
  Target bernilai 0"``) and its ``*_value`` is None.
- Times are aware UTC datetimes; ``*_label`` texts are WITA local time.
- ``CompiledReportData.objectives`` holds the measurement table grouped by sasaran
  strategis (objective order, then format order); items are numbered 1..n through
  the whole document (``ItemRow.number``).
- ``ItemRow.history`` has one :class:`PreviousYearValue` per year in
  ``CompiledReportData.previous_years`` (oldest first; the latest three earlier years with
  a yearly cycle or a realisasi typed in the indicator master): the earlier cycle's
  realisasi and capaian when it holds the indicator's realisasi, else the typed realisasi
  (capaian ``"-"``), else ``"-"`` labels. A closing prints what it froze
  (``document_data.earlier_years``).
- ``ItemRow.renstra`` is the progress against the Renstra end target (same formula as
  the indicator's achievement, realisasi of this year against the Renstra target).
- ``budget_rows`` lists the cycle's programmes as the cycle recorded them (one row per
  programme: a pagu is counted once, whatever indicators it funds; no budget figure is
  attached to an indicator); ``budget_total`` sums them (serapan of the sums).
- ``verification`` is the verification record of the cycle (every review event of
  every item, per team summaries).
"""
