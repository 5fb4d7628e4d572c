"""The Dockerfile read as the image build reads it: stages, COPY sources, ENV, CMD and HEALTHCHECK."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"


@dataclass
class Stage:
    """One ``FROM`` … section: its instructions as (keyword, arguments) in order."""

    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for key, args in self.instructions if key == keyword]

    def copied_sources(self) -> list[str]:
        """The build-context paths this stage copies (not those of ``COPY --from``)."""
        sources: list[str] = []
        for args in self.all("COPY"):
            parts = shlex.split(args)
            if not any(p.startswith("--from") for p in parts):
                sources += [p for p in parts[:-1] if not p.startswith("--")]
        return sources

    def env(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for args in self.all("ENV"):
            for pair in shlex.split(args):
                key, _, value = pair.partition("=")
                values[key] = value
        return values

    def exec_form(self, keyword: str) -> list[str]:
        """The JSON (exec-form) argument list of the last CMD, or of the HEALTHCHECK's CMD."""
        args = self.all(keyword)[-1]
        if keyword == "HEALTHCHECK":
            args = args[args.index("CMD") + len("CMD") :]
        return json.loads(args)


def stages(path: Path = DOCKERFILE) -> list[Stage]:
    """The stages of the Dockerfile at `path`, continuation lines joined and comments dropped."""
    logical, pending = [], ""
    for line in path.read_text().splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        logical.append((pending + line).strip())
        pending = ""
    found: list[Stage] = []
    for instruction in logical:
        keyword, _, args = instruction.partition(" ")
        if keyword.upper() == "FROM":
            found.append(Stage())
        found[-1].instructions.append((keyword.upper(), args.strip()))
    return found
