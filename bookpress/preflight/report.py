"""Preflight findings -> a Report: counts, each check's status and what it measured, the JSON for the file."""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic, Severity

CHECKS = {
    "fonts": "Fonts embedded",
    "resolution": "Image resolution",
    "safe-area": "Text inside the safe area",
    "gutter": "Gutter clear",
    "page-count": "Page count",
    "repeat": "Photos used once",
    "subject": "Subjects kept whole",
    "reversed": "No thin type reversed out of colour",
    "isbn": "ISBN for the printer",
    "boxes": "Page boxes",
    "ink": "Total ink",
}


@dataclass(frozen=True)
class Report:
    title: str
    printer: str
    pdfx: str
    pages: int
    pdf: str | None
    findings: tuple[Diagnostic, ...]  # each with its check, and its page where it has one
    measured: tuple[tuple[str, str], ...]  # check -> what was measured, for the table

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)

    def status(self, check: str) -> str:
        severities = {f.severity for f in self.findings if f.check == check}
        if Severity.ERROR in severities:
            return "error"
        if Severity.WARNING in severities:
            return "warning"
        return "skipped" if dict(self.measured).get(check, "").startswith("not checked") else "ok"

    def checks(self) -> list[tuple[str, str, str, list[Diagnostic]]]:
        """(title, status, what was measured, its findings) for every check, in the table's order."""
        return [(title, self.status(key), dict(self.measured).get(key, ""),
                 [f for f in self.findings if f.check == key]) for key, title in CHECKS.items()]

    def as_dict(self) -> dict:
        return {"title": self.title, "printer": self.printer, "pdfx": self.pdfx, "pages": self.pages,
                "pdf": self.pdf, "summary": {"errors": self.errors, "warnings": self.warnings},
                "checks": [{"check": key, "title": title, "status": self.status(key),
                            "measured": dict(self.measured).get(key, "")} for key, title in CHECKS.items()],
                "findings": [finding_dict(f) for f in self.findings]}


def finding_dict(finding: Diagnostic) -> dict:
    return {"check": finding.check, "severity": finding.severity.value, "message": finding.message,
            "hint": finding.hint, "page": finding.page.label if finding.page else None,
            "sheet": finding.page.index + 1 if finding.page else None, "where": finding.where}
