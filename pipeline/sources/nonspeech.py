"""Non-speech lines of a transcript: stage directions, separators, timestamps, headers.

The rules are data (``pipeline/data/nonspeech.toml``, plus a project file tried
first): each matches a whole normalised line and says what it is, whether it
is kept (as its own paragraph with the kind as ``msgctxt``) or dropped, and
why.  The importer applies every rule; the reader only the kept kinds, so a
canonical source keeps ``(Laughter.)`` out of the speech around it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pipeline.errors import ConfigError

KEEP = "keep"
DROP = "drop"


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    action: str
    reason: str
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class NonSpeech:
    kind: str
    action: str
    reason: str
    text: str  # what is kept: the line, or the rule's "text" group


def default_rules_bytes() -> bytes:
    return resources.files("pipeline").joinpath("data/nonspeech.toml").read_bytes()


def _parse(text: str, where: str) -> list[Rule]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"bad non-speech rules: {exc}", where) from None
    rules = []
    for i, entry in enumerate(data.get("rule", []), 1):
        try:
            kind, action, reason, pattern = (str(entry[k]) for k in ("kind", "action", "reason", "pattern"))
        except (KeyError, TypeError):
            raise ConfigError(f"rule {i} needs kind, action, reason and pattern", where) from None
        if action not in (KEEP, DROP):
            raise ConfigError(f"rule {i}: action must be {KEEP!r} or {DROP!r}, got {action!r}", where)
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"rule {i}: bad pattern: {exc}", where) from None
        rules.append(Rule(kind, action, reason, compiled))
    return rules


@lru_cache(maxsize=8)
def load_nonspeech(project_file: Path | None = None) -> tuple[Rule, ...]:
    """The project's rules (if any) then the packaged defaults."""
    rules: list[Rule] = []
    if project_file is not None and project_file.exists():
        rules += _parse(project_file.read_text("utf-8"), project_file.as_posix())
    rules += _parse(default_rules_bytes().decode("utf-8"), "pipeline/data/nonspeech.toml")
    return tuple(rules)


def classify(line: str, rules: tuple[Rule, ...]) -> NonSpeech | None:
    """What ``line`` is if it is not speech, else None."""
    for rule in rules:
        m = rule.pattern.match(line)
        if m:
            text = m.groupdict().get("text") or line
            return NonSpeech(rule.kind, rule.action, rule.reason, text.strip())
    return None
