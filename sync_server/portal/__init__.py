"""The web portal for external users (eRegistry, eFiling, eInfo, the DHS portal) and the
court administrator's registration review, under ``/portal/``.

Server-rendered HTML: every form works without JavaScript. Every page declares an
:class:`~sync_server.policy.Action` with :func:`~sync_server.portal.gate.portal_page`;
the portal gate asks :func:`sync_server.policy.portal_allows` before the view runs and
checks the CSRF token of every POST (fail closed: an undeclared page is refused).
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response

bp = Blueprint(
    "portal",
    __name__,
    url_prefix="/portal",
    template_folder="templates",
    static_folder="static",
)


def install_portal(app: Flask) -> None:
    """Register the portal on ``app`` (after the core services are built)."""
    from sync_server.portal import (  # noqa: F401  (the modules register their routes)
        clock,
        gate,
        i18n,
        views_account,
        views_admin,
        views_appeals,
        views_board_status,
        views_cases,
        views_dhs,
        views_filing,
        views_motions,
        views_packages,
        views_password,
        views_profile,
        views_respondent,
        views_respondent_filing,
        views_resume,
    )
    from sync_server.portal.services import build_portal_services

    services = build_portal_services(app.extensions["ecas"])
    app.extensions["ecas_portal"] = services

    @app.after_request
    def _send_mail(response: Response) -> Response:
        # After the commit of whatever the request changed: mail its outbox rows. A
        # refused request (a wrong host, a failed check) runs nothing more, mail included:
        # rows others committed wait for the next request that was served.
        if response.status_code < 400:
            services.mail.after_request()
        return response

    app.register_blueprint(bp)
