"""Printed outputs of a ``Summary``: the PDF report (Decree 30/2020 layout) and the
Excel workbook. Both read ``ocop_desktop.summary.Summary`` and nothing else for
their figures. reportlab and openpyxl are imported only inside these modules."""
