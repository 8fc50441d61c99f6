"""The user's profile page (contact details, email address, which mail to receive), the
terms of use asked once after sign-in, and the recovery codes shown once by a GET.

Every form here redirects after a POST that worked (post/redirect/get). The recovery
codes made by the two-factor set-up travel to their page sealed (Fernet, under the
server's key) in a cookie scoped to that page and bound to the session; the page shows
them and drops the cookie, so a reload shows them no more and sends nothing again.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import quote

from flask import (
    Response,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from sync_server.policy import Action
from sync_server.portal import bp, i18n
from sync_server.portal.gate import (
    NOTICES,
    PortalDenied,
    client_ip,
    current_user,
    portal_page,
    secure_cookies,
    session_view,
)
from sync_server.portal.services import portal
from sync_server.services import mail_events
from sync_server.services.profile import current_terms, detail_of
from sync_server.services.totp import SecretBox

CODES_COOKIE = "ecas_portal_recovery_codes"
CODES_PATH = "/portal/login/recovery-codes"
CODES_SECONDS = 600

NOTICES.update(
    {
        "profile-saved": "Your mailing address and phone number are saved.",
        "mail-saved": "Your choice of email messages is saved.",
        "language-saved": "Your language is saved: your email messages are written in it.",
        "email-sent": (
            "We emailed a link to the new address. Your address changes when you open it; "
            "until then mail goes to the old one."
        ),
        "email-changed": "Your email address is changed.",
        "terms-accepted": "Thank you. You accepted the terms of use.",
    }
)


def _box() -> SecretBox:
    return SecretBox("recovery-codes|" + current_app.extensions["ecas"].config.secret_key)


def _session_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def redirect_to_recovery_codes(session_token: str, codes: list[str], next_url: str) -> Response:
    """The answer to the set-up's POST: 303 to the codes page, the codes sealed in a cookie
    only that page receives, bound to the new session."""
    response = make_response(redirect(CODES_PATH + "?next=" + quote(next_url, safe="/"), 303))
    sealed = _box().seal(json.dumps({"session": _session_hash(session_token), "codes": codes}))
    response.set_cookie(
        CODES_COOKIE,
        sealed,
        max_age=CODES_SECONDS,
        path=CODES_PATH,
        httponly=True,
        samesite="Lax",
        secure=secure_cookies(),
    )
    return response


def _safe(target: str, default: str) -> str:
    if (
        target.startswith("/portal/")
        and not target.startswith("//")
        and "\\" not in target
        and all("!" <= ch <= "~" for ch in target)
    ):
        return target
    return default


@bp.get("/login/recovery-codes")
@portal_page(Action.PORTAL_HOME)
def recovery_codes() -> BaseResponse | str:
    next_url = _safe(request.args.get("next", ""), url_for("portal.home"))
    codes: list[str] = []
    sealed = request.cookies.get(CODES_COOKIE, "")
    token = g.get("portal_token") or ""
    opened = _box().unseal(sealed) if sealed and len(sealed) < 4000 else None
    if opened is not None:
        data = json.loads(opened)
        if data.get("session") == _session_hash(token):
            codes = [str(c) for c in data.get("codes", [])][:20]
    page = render_template(
        "recovery_codes.html", title="Save your recovery codes", codes=codes, next=next_url
    )
    response = current_app.make_response(page)
    # Shown once: the cookie goes with this answer.
    response.delete_cookie(CODES_COOKIE, path=CODES_PATH, samesite="Lax")
    return response


# --- the terms of use ----------------------------------------------------------------------

_BEFORE_TERMS = {
    "portal.static",
    "portal.terms",
    "portal.logout",
    "portal.recovery_codes",
    "portal.login",
    "portal.login_code",
    "portal.enrol",
}


def _terms_gate() -> BaseResponse | None:
    """After sign-in, an external user who has not accepted the current terms is sent to
    them (then on to the page they asked for)."""
    if request.endpoint in _BEFORE_TERMS:
        return None
    view = session_view()
    if view is None or not view.second_factor_done or not view.principal.role.is_external:
        return None
    if portal().profiles.terms_accepted(view.principal.id):
        return None
    target = request.full_path.rstrip("?") if request.method == "GET" else "/portal/"
    return redirect(url_for("portal.terms", next=_safe(target, "/portal/")), 303)


bp.before_request(_terms_gate)


@bp.route("/terms", methods=["GET", "POST"])
@portal_page(Action.PORTAL_PROFILE)
def terms() -> BaseResponse | tuple[str, int]:
    user = current_user()
    profiles = portal().profiles
    shown = current_terms()
    next_url = _safe(request.args.get("next") or request.form.get("next") or "", "/portal/")
    error = None
    if request.method == "POST":
        if request.form.get("accept") != "yes":
            error = "Tick the box to accept the terms of use, or sign out."
        elif not profiles.accept_terms(user.id, request.form.get("version", ""), client_ip()):
            error = "The terms of use changed while you read them. Read them again."
        else:
            target = next_url if next_url != "/portal/" else url_for("portal.home")
            sep = "&" if "?" in target else "?"
            return redirect(target + sep + "notice=terms-accepted", 303)
    accepted = profiles.terms_accepted(user.id)
    page = render_template(
        "terms.html",
        title="Terms of use",
        terms=shown,
        paragraphs=[p for p in shown.text.split("\n\n")[1:] if p.strip()],
        heading=shown.text.split("\n", 1)[0],
        accepted=accepted,
        error=error,
        next=next_url,
    )
    return page, 422 if error else 200


# --- the profile page ------------------------------------------------------------------------


@bp.route("/profile", methods=["GET", "POST"])
@portal_page(Action.PORTAL_PROFILE)
def profile() -> BaseResponse | tuple[str, int]:
    user = current_user()
    profiles = portal().profiles
    errors: dict[str, str] = {}
    email_error = None
    section = request.form.get("section", "") if request.method == "POST" else ""
    try:
        view = profiles.load(user.id)
    except LookupError as err:
        raise PortalDenied(404) from err
    values = detail_of(view)
    if section == "contact":
        errors = dict(profiles.save_contact(user.id, request.form, client_ip()))
        if not errors:
            return redirect(url_for("portal.profile", notice="profile-saved"), 303)
        values |= {k: request.form.get(k, "") for k in ("street", "city", "state", "zip", "phone")}
    elif section == "email":
        email_error = profiles.request_email_change(
            user.id, request.form.get("email", "").strip()[:254], client_ip()
        )
        if email_error is None:
            return redirect(url_for("portal.profile", notice="email-sent"), 303)
    elif section == "mail":
        profiles.save_preferences(user.id, request.form.getlist("wanted"), client_ip())
        return redirect(url_for("portal.profile", notice="mail-saved"), 303)
    elif section == "language":
        return _save_language("portal.profile")
    elif request.method == "POST":
        raise PortalDenied(400)
    page = render_template(
        "profile.html",
        title="Your profile",
        view=view,
        values=values,
        errors=errors,
        email_error=email_error,
        choosable=mail_events.choosable(),
        always=[k for k in mail_events.kinds().values() if k.service],
        languages={code: i18n.LANGUAGES[code] for code in mail_events.languages()},
    )
    return page, 422 if (errors or email_error) else 200


def _save_language(page: str) -> BaseResponse:
    """Keep the language the user chose (their mail is written in it) and send them back
    to ``page``; the translated pages follow it too (``portal/i18n.py``'s cookie)."""
    chosen = request.form.get("language", "")
    if not portal().profiles.save_language(current_user().id, chosen, client_ip()):
        raise PortalDenied(400)
    saved = make_response(redirect(url_for(page, notice="language-saved", lang=chosen), 303))
    saved.set_cookie(
        i18n.COOKIE,
        chosen,
        max_age=365 * 86400,
        path="/portal",
        httponly=True,
        samesite="Lax",
        secure=secure_cookies(),
    )
    return saved


@bp.route("/respondent/profile", methods=["GET", "POST"])
@portal_page(Action.PORTAL_RESPONDENT)
def respondent_profile() -> BaseResponse:
    """A respondent's own profile: the language they read (their mail, these pages) and
    which mail they want besides service, in English or Spanish like their other pages."""
    if request.method == "POST":
        section = request.form.get("section")
        if section == "mail":
            portal().profiles.save_preferences(
                current_user().id, request.form.getlist("wanted"), client_ip()
            )
            return redirect(url_for("portal.respondent_profile", notice="mail-saved"), 303)
        if section != "language":
            raise PortalDenied(400)
        return _save_language("portal.respondent_profile")
    try:
        view = portal().profiles.load(current_user().id)
    except LookupError as err:
        raise PortalDenied(404) from err
    return i18n.render_localised(
        "respondent_profile.html",
        title=i18n.gettext_for(i18n.page_language())("My profile"),
        view=view,
        choosable=mail_events.choosable(),
        always=[k for k in mail_events.kinds().values() if k.service],
        languages={code: i18n.LANGUAGES[code] for code in mail_events.languages()},
    )


@bp.get("/profile/email/<token>")
@portal_page(Action.PORTAL_PROFILE)
def confirm_email(token: str) -> BaseResponse | tuple[str, int]:
    if portal().profiles.confirm_email_change(current_user().id, token, client_ip()):
        return redirect(url_for("portal.profile", notice="email-changed"), 303)
    page = render_template(
        "error.html",
        title="This link does not work",
        message="The link is used, expired, or for another account. Ask for a new one on "
        "your profile page.",
    )
    return page, 404
