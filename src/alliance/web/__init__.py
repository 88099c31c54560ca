"""The `alliance serve` dashboard: a FastAPI app with a JSON API and a static front end."""

from alliance.web.app import AssessRequest, create_app, loopback_warning

__all__ = ["AssessRequest", "create_app", "loopback_warning"]
