"""What QA reports: a :class:`Finding` (check id, severity, ``path:line``, message) and its vocabulary.

Shared by the checks (:mod:`pipeline.qa.checks`), their runner
(:mod:`pipeline.qa.check`) and the publication rule (:mod:`pipeline.qa.gate`).
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING = "error", "warning"
SEVERITIES = (ERROR, WARNING)
PARSE_CHECK = "parse"  # a catalog gettext cannot read: reported by the runner


@dataclass(frozen=True, slots=True)
class Finding:
    check: str
    severity: str
    path: str
    line: int | None
    message: str
    msgid: str = ""
    msgctxt: str | None = None
    locale: str = ""
    domain: str = ""
    reason: str = ""  # why it was suppressed, when it was
    msgstr: str = ""
    expected: str | None = None
    found: str | None = None
    span: tuple[int, int] | None = None  # character offsets in msgstr

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message} [{self.check}]"

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.check,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "locale": self.locale,
            "domain": self.domain,
            "msgctxt": self.msgctxt,
            "msgid": self.msgid,
            "message": self.message,
        }
        out["msgstr"] = self.msgstr
        for key in ("expected", "found"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.span is not None:
            out["span"] = list(self.span)
        if self.reason:
            out["reason"] = self.reason
        return out
