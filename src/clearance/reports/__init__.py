"""Compliance reports: :class:`ReportData` and its renderers (HTML, PDF, XLSX, CSV, JSON)."""

from clearance.reports.data import (
    AlgorithmRef,
    Count,
    DeviceRow,
    ListingRef,
    MethodInfo,
    ProgressPoint,
    ReportData,
    ScanRef,
    SourceRef,
    SupplierRow,
)
from clearance.reports.render import ReportFormat, write_report

__all__ = [
    "AlgorithmRef",
    "Count",
    "DeviceRow",
    "ListingRef",
    "MethodInfo",
    "ProgressPoint",
    "ReportData",
    "ReportFormat",
    "ScanRef",
    "SourceRef",
    "SupplierRow",
    "write_report",
]
