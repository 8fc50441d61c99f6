"""Password reset by email (services/password_reset.py): ask for a link, then choose a
new password with it. Both forms redirect after a POST that worked (post/redirect/get)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from sync_server.policy import Action
from sync_server.portal import bp
from sync_server.portal.gate import PortalDenied, client_ip, portal_page
from sync_server.portal.services import portal


@bp.route("/password/forgot", methods=["GET", "POST"])
@portal_page(Action.PUBLIC)
def forgot_password() -> str | BaseResponse:
    if request.method == "POST":
        login = request.form.get("login", "").strip()
        if login:
            if not portal().signin.registration_allowed(client_ip()):
                raise PortalDenied(429, "Too many requests from your network. Try again later.")
            # The configured address (never the request's Host) for the mailed link.
            portal().resets.request(login, portal().core.config.link_base_url, client_ip())
            # The same answer whether or not an account has the name or address.
            return redirect(url_for("portal.login", notice="reset-sent"), 303)
    return render_template(
        "forgot_password.html",
        title="Reset your password",
        error="Enter your username or email address." if request.method == "POST" else None,
    )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@portal_page(Action.PUBLIC)
def reset_password(token: str) -> tuple[str, int] | BaseResponse:
    resets = portal().resets
    error = None
    if request.method == "POST":
        password = request.form.get("password", "")
        if password != request.form.get("password_again", ""):
            error = "The two passwords are not the same."
        else:
            try:
                error = resets.reset(token, password, client_ip())
            except LookupError:
                return _dead_link()
            if error is None:
                return redirect(url_for("portal.login", notice="password-changed"), 303)
    elif not resets.usable(token):
        return _dead_link()
    return (
        render_template("reset_password.html", title="Choose a new password", error=error),
        422 if error else 200,
    )


def _dead_link() -> tuple[str, int]:
    return render_template("reset_password.html", title="This link does not work", dead=True), 404
