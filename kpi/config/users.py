"""Who may use the manager pages and what each user may see: the `users:` and `auth:` config sections.

Passwords are never in the config, only werkzeug hashes (``python -m dashboard.auth hash-password``).
An ``admin`` sees every team; a ``lead`` sees only the agents of the teams listed for them; an ``agent``
sees only their own page ``/me`` (the figures of the ``agent_id`` they are linked to), never ``/manage``.
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from kpi.config.base import Strict
from kpi.model.viewer import Role, Viewer

HASH_METHODS = ("scrypt:", "pbkdf2:")


class User(Strict):
    """One account: a manager (admin, lead) or an agent linked to their id in the figures."""

    password_hash: str = ""
    """A werkzeug hash; empty for a user who can only sign in through the trusted proxy header."""
    role: Role = "lead"
    teams: tuple[str, ...] = ()
    name: str = ""
    agent_id: str | None = Field(default=None, min_length=1, max_length=128)
    """For ``role: agent``: the agent id in the events whose page ``/me`` shows."""

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
        if self.role == "agent" and not self.agent_id:
            raise ValueError("an agent user needs agent_id: (their id in the events)")
        if self.role != "agent" and self.agent_id:
            raise ValueError("agent_id: only for role: agent")
        if self.role == "agent" and self.teams:
            raise ValueError("teams: an agent user sees only their own page, give no teams")
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
    return Viewer(username or "", user.role, frozenset(user.teams), user.name, user.agent_id)
