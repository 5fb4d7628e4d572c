"""Who may use the manager pages and what each user may see: the `users:` and `auth:` config sections.

Passwords are never in the config, only werkzeug hashes (``python -m dashboard.auth hash-password``).
An ``admin`` sees every team; a ``lead`` sees only the agents of the teams listed for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

if TYPE_CHECKING:
    from kpi.store.base import Agent

Role = Literal["admin", "lead"]
HASH_METHODS = ("scrypt:", "pbkdf2:")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class User(_Strict):
    """One manager account."""

    password_hash: str = ""
    """A werkzeug hash; empty for a user who can only sign in through the trusted proxy header."""
    role: Role = "lead"
    teams: tuple[str, ...] = ()
    name: str = ""

    @field_validator("password_hash")
    @classmethod
    def _is_a_hash(cls, value: str) -> str:
        if value and not value.startswith(HASH_METHODS):
            raise ValueError(
                "must be a werkzeug scrypt or pbkdf2 hash, never a password; "
                "make one with: python -m dashboard.auth hash-password"
            )
        return value

    @model_validator(mode="after")
    def _lead_has_teams(self) -> User:
        if self.role == "lead" and not self.teams:
            raise ValueError("a lead needs at least one team under teams:")
        return self


class AuthConfig(_Strict):
    """How manager users sign in besides the login form."""

    proxy_header: str | None = Field(default=None, min_length=1)
    """A header set by a trusted reverse proxy (e.g. X-Forwarded-User) naming a configured user."""
    trusted_proxies: tuple[str, ...] = ()
    """Peer addresses the header is accepted from; empty accepts it from any peer."""


@dataclass(frozen=True)
class Viewer:
    """A signed-in user and the rules of what they may see."""

    username: str
    role: Role
    teams: frozenset[str]
    name: str = ""

    @property
    def sees_all(self) -> bool:
        return self.role == "admin"

    @property
    def display_name(self) -> str:
        return self.name or self.username

    def can_see_team(self, team: str | None) -> bool:
        """True for an admin, or a lead's own team."""
        return self.sees_all or (team is not None and team in self.teams)

    def can_see_agent(self, agent: Agent | None) -> bool:
        """True when the agent is known and belongs to a team this viewer may see."""
        return agent is not None and (self.sees_all or agent.team in self.teams)

    def visible_teams(self, known: Iterable[str]) -> list[str]:
        """The known teams this viewer may see, sorted (a lead's own teams even before their first event)."""
        if self.sees_all:
            return sorted(set(known))
        return sorted(self.teams)


def viewer_for(users: dict[str, User], username: str | None) -> Viewer | None:
    """The viewer for a configured username, or None for anyone else."""
    user = users.get(username or "")
    if user is None:
        return None
    return Viewer(username or "", user.role, frozenset(user.teams), user.name)
