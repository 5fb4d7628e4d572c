"""Who may use the manager pages and what each user may see: the `users:` and `auth:` config sections.

Passwords are never in the config, only werkzeug hashes (``python -m dashboard.auth hash-password``).
An ``admin`` sees every team; a ``lead`` sees only the agents of the teams listed for them.
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from kpi.config.base import Strict
from kpi.model.viewer import Role, Viewer

HASH_METHODS = ("scrypt:", "pbkdf2:")


class User(Strict):
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


class AuthConfig(Strict):
    """How manager users sign in besides the login form."""

    proxy_header: str | None = Field(default=None, min_length=1)
    """A header set by a trusted reverse proxy (e.g. X-Forwarded-User) naming a configured user."""
    trusted_proxies: tuple[str, ...] = ()
    """Peer addresses the header is accepted from; empty accepts it from any peer."""


def viewer_for(users: dict[str, User], username: str | None) -> Viewer | None:
    """The viewer for a configured username, or None for anyone else."""
    user = users.get(username or "")
    if user is None:
        return None
    return Viewer(username or "", user.role, frozenset(user.teams), user.name)
