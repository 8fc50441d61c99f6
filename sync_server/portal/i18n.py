"""The portal's pages in the respondent's language: English, or Spanish beside it.

The text of the respondent-facing pages (enrolment, the case page, the change of address,
the hearing lookup and the public change of address) is written in English in the
templates as ``_('...')`` and translated from gettext catalogues
(``translations/<lang>/LC_MESSAGES/messages.po``, kept in the repository). The catalogue
is compiled with Babel when the process first needs it (in memory: a fresh clone or an
installed package needs no build step, and a compiled file can't fall behind its source).

The language is the page's ``?lang=`` when given (then remembered in a cookie), else the
cookie, else the signed-in user's stored language (``portal_account.language``, chosen on
their profile page; their mail is in it too), else the browser's Accept-Language among
those offered, else English. Only pages
rendered with :func:`render_localised` are translated and say so in ``<html lang>``;
every other page stays English with ``lang="en"``.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path
from typing import Any

from flask import Response, g, make_response, render_template, request
from sqlalchemy import select

from sync_server.models import PortalAccount
from sync_server.portal import bp
from sync_server.portal.gate import session_view
from sync_server.portal.services import portal

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT = "en"
COOKIE = "ecas_portal_lang"
CATALOGUES = Path(__file__).parent / "translations"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (English: the text as written)."""
    source = CATALOGUES / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT or not source.exists():
        return gettext.NullTranslations()
    # Imported here: only a translated page needs Babel (a dependency in pyproject.toml).
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with source.open("rb") as handle:
        catalogue = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def page_language() -> str:
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    kept = request.cookies.get(COOKIE, "")
    if kept in LANGUAGES:
        return kept
    stored = _stored_language()
    if stored in LANGUAGES:
        return stored
    best = request.accept_languages.best_match(list(LANGUAGES))
    return best or DEFAULT


def _stored_language() -> str | None:
    """The language the signed-in user chose (read once a request), or None."""
    if "portal_stored_language" not in g:
        view = session_view()
        chosen = None
        if view is not None and view.second_factor_done:
            with portal().core.factory() as session:
                chosen = session.scalar(
                    select(PortalAccount.language).where(PortalAccount.user_id == view.principal.id)
                )
        g.portal_stored_language = chosen
    stored: str | None = g.portal_stored_language
    return stored


def gettext_for(lang: str) -> Any:
    return translations(lang).gettext


def render_localised(template: str, status: int = 200, **context: Any) -> Response:
    """Render a respondent-facing page in the page's language, with the language switch
    (the other language's link) and ``<html lang>`` set."""
    lang = page_language()
    other = "es" if lang == "en" else "en"
    body = render_template(
        template,
        _=gettext_for(lang),
        page_lang=lang,
        other_lang=other,
        other_lang_name=LANGUAGES[other],
        **context,
    )
    response = make_response(body, status)
    if request.args.get("lang", "") in LANGUAGES:
        response.set_cookie(
            COOKIE, lang, max_age=365 * 86400, path="/portal", httponly=True, samesite="Lax"
        )
    return response


def _defaults() -> dict[str, Any]:
    # Every other portal page: English as written (base.html marks its text with _()).
    return {"_": gettext_for(DEFAULT), "page_lang": DEFAULT}


bp.context_processor(_defaults)
