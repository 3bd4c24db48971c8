"""OCOP Desktop: offline records, reports and file sync for Vietnam's OCOP programme."""

__version__ = "0.2.0"
