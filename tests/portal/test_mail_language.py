"""Mail in the recipient's language (services/mail_events.py, resources/mail/): a
respondent who reads Spanish is mailed in Spanish, one who reads English in English, over
a real SMTP server on loopback (aiosmtpd, the fixtures of test_mail_events.py), on SQLite
and PostgreSQL; and every template, filing title and phrase has its Spanish text.

The language is the one a respondent enrolled in (the enrolment page's) until they change
it on their profile page; dates in the mail are the court's local date in that language.
"""

from __future__ import annotations

import re
import string
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from common.court_time import MONTHS_ES, format_date_in, local_date
from common.resources import resource_path
from sync_server.models import CaseRow, CourtRow, FilingRow, MailOutbox, PortalAccount
from sync_server.services import mail_events
from tests.conftest import Api
from tests.portal.portal_flows import clerk_accepts
from tests.portal.portal_helpers import (
    PASSWORD,
    Account,
    Browser,
    registration_form,
    sign_in,
    sign_in_admin,
    sign_in_enrolling,
    user_row,
)
from tests.portal.respondent_flows import BIRTH, MailedCase, a_hearing, access_code, mailed_case
from tests.portal.test_mail_events import (  # noqa: F401  (fixtures)
    BASE,
    Smtp,
    _follow,
    _link,
    _register_and_approve,
    mail_app,
    smtp,
)
from tests.server.sync_helpers import applied

SPANISH_DATE = re.compile(r"\b\d{1,2} de (?:" + "|".join(MONTHS_ES) + r") de \d{4}\b")
ENGLISH_DATE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December) \d{1,2}, \d{4}\b"
)


# --- every text has its Spanish version ------------------------------------------------------


def _placeholders(text: str) -> set[str]:
    return {
        m.group("named") or m.group("braced")
        for m in string.Template.pattern.finditer(text)
        if m.group("named") or m.group("braced")
    }


@pytest.mark.parametrize("kind", sorted(mail_events.kinds()))
def test_every_mail_template_has_every_language_with_the_same_placeholders(kind: str) -> None:
    """A template without its Spanish file (resources/mail/<name>.es.txt), or one whose
    Spanish text drops or adds a placeholder, fails here."""
    english = mail_events.kinds()[kind].template
    assert mail_events.languages() == ("en", "es")
    wanted = _placeholders(resource_path("mail/" + english).read_text(encoding="utf-8"))
    for language in mail_events.languages()[1:]:
        name = mail_events.language_file(english, language)
        assert name != english
        path = resource_path("mail/" + name)
        assert path.is_file(), f"resources/mail/{name} is missing"
        text = path.read_text(encoding="utf-8")
        assert text.startswith("Subject: "), name
        assert _placeholders(text) == wanted, name
        subject, body = mail_events.render(
            kind, dict.fromkeys(wanted - {"link"}, "X"), BASE + "/portal/x", language
        )
        assert subject and "${" not in subject + body
        assert (
            subject
            != mail_events.render(
                kind, dict.fromkeys(wanted - {"link"}, "X"), BASE + "/portal/x", "en"
            )[0]
        ), f"{name}: the subject is not translated"


def test_every_filing_title_and_phrase_has_every_language() -> None:
    data = mail_events._events()
    for table in ("filing_titles", "phrases"):
        english = data[table]["en"]
        for language in mail_events.languages():
            assert set(data[table][language]) == set(english), (table, language)
            if language != "en":
                assert all(data[table][language][k] != english[k] for k in english), table


def test_spanish_dates_are_the_court_days_in_spanish() -> None:
    assert SPANISH_DATE.fullmatch(format_date_in(local_date_of("2026-12-08T07:59:00Z"), "es"))
    assert format_date_in(local_date_of("2026-12-08T07:59:00Z"), "es") == "7 de diciembre de 2026"
    assert format_date_in(local_date_of("2026-12-08T08:00:00Z"), "en") == "December 8, 2026"


def local_date_of(instant: str) -> Any:
    from datetime import datetime

    return local_date(datetime.fromisoformat(instant.replace("Z", "+00:00")), "America/Los_Angeles")


# --- the mail itself, over SMTP --------------------------------------------------------------


def _enrol(app: Flask, case: MailedCase, name: str, query: str = "") -> tuple[Account, Browser]:
    """Enrol the respondent of ``case`` on the enrolment page (``?lang=es``: in Spanish)."""
    tag = case.case_id[:8]
    form = {
        "access_code": access_code(app, case.case_id),
        "a_number": case.a_number_shown,
        "date_of_birth": BIRTH,
        "email": f"{name}.{tag}@example.org",
        "username": f"{name}{tag}",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    visitor = Browser(app.test_client())
    page = "/portal/respondent/enrol" + query
    response = visitor.post(page, form, from_page=page)
    assert response.status_code == 303, visitor.last
    account = Account(form["username"], form["email"])
    account.user_id = user_row(app, account.username).id
    return account, sign_in_enrolling(app, account)


def _court_day(app: Flask, case_id: str, address: str, language: str) -> str:
    """The day the newest message to ``address`` was written, at the case's court, in
    ``language`` (the service date it names is that day)."""
    with app.extensions["ecas"].factory() as session:
        row = session.scalars(
            select(MailOutbox)
            .where(MailOutbox.to_address == address)
            .order_by(MailOutbox.created_at.desc())
        ).first()
        assert row is not None
        assert row.language == language
        case = session.get(CaseRow, case_id)
        court = session.get(CourtRow, case.court_id) if case is not None else None
        assert court is not None
        zone = court.timezone
    return format_date_in(local_date(row.created_at, zone), language)


def _change_of_address_accepted(
    app: Flask, api: Api, account: Account, browser: Browser, case: MailedCase
) -> None:
    """The respondent files an EOIR-33 on their page; clerk1 accepts it."""
    path = f"/portal/respondent/cases/{case.case_id}/address"
    moved = {
        "street": "400 Fruitvale Avenue",
        "unit": "",
        "city": "Oakland",
        "state": "CA",
        "zip": "94601",
        "phone": "",
        "effective_on": "2026-11-20",
    }
    assert browser.post(path, moved, from_page=path).status_code == 303, browser.last
    with app.extensions["ecas"].factory() as session:
        filing = session.scalar(select(FilingRow.id).where(FilingRow.filer_id == account.user_id))
    assert filing is not None
    clerk_accepts(api, "clerk1", filing)


def test_a_spanish_respondent_gets_spanish_mail_and_an_english_one_english(
    mail_app: Flask,  # noqa: F811  (the fixture imported above)
    smtp: Smtp,  # noqa: F811
) -> None:
    sink, app = smtp.sink, mail_app
    api = Api(app.test_client())
    clerk = api.login("clerk1")
    spanish_case, english_case = mailed_case(api, clerk), mailed_case(api, clerk)
    maria, maria_browser = _enrol(app, spanish_case, "maria", "?lang=es")
    john, john_browser = _enrol(app, english_case, "john")
    with app.extensions["ecas"].factory() as session:
        assert session.get(PortalAccount, maria.user_id).language == "es"
        assert session.get(PortalAccount, john.user_id).language == "en"

    # A hearing set in each case: each is served the notice, in their language.
    applied(api, clerk, "hearing", a_hearing(spanish_case.case_id, "2027-04-05T17:00:00Z"))
    applied(api, clerk, "hearing", a_hearing(english_case.case_id, "2027-04-06T17:00:00Z"))
    aviso = sink.one(maria.email, "Aviso de audiencia")
    # (the document keeps its own title, as the court wrote it: only the mail is Spanish)
    assert len(sink.to(maria.email)) == 1
    body = aviso.get_content()
    assert body.startswith("Estimado/a ") and "Lea el aviso" in body, body
    assert _court_day(app, spanish_case.case_id, maria.email, "es") in body
    # The hearing's time at the court, in Spanish (the notice's own title stays English).
    assert "Fecha y hora de la audiencia: 5 de abril de 2027 a las 10:00 PDT." in body, body
    assert _link(aviso).startswith(f"/portal/respondent/cases/{spanish_case.case_id}/documents/")
    _follow(maria_browser, aviso)  # the link works: the notice itself
    notice = sink.one(john.email, "Notice of hearing")
    assert str(notice["Subject"]).startswith("Notice of hearing: ")
    assert len(sink.to(john.email)) == 1
    english = notice.get_content()
    assert english.startswith("Dear ") and ENGLISH_DATE.search(english), english
    assert _court_day(app, english_case.case_id, john.email, "en") in english
    assert "The hearing: April 6, 2027 at 10:00 AM PDT." in english, english
    _follow(john_browser, notice)

    # Maria files a change of address; the clerk accepts it: she is told in Spanish, with
    # the form's Spanish title, and the link opens her pages.
    _change_of_address_accepted(app, api, maria, maria_browser, spanish_case)
    accepted = sink.one(maria.email, "Su escrito fue aceptado")
    assert "Cambio de domicilio (formulario EOIR-33)" in str(accepted["Subject"])
    assert SPANISH_DATE.search(accepted.get_content()), accepted.get_content()
    assert _link(accepted) == "/portal/respondent"
    _follow(maria_browser, accepted)

    # John chooses Spanish on his profile page (in his language, linked from every page of
    # his): it is kept, the page turns Spanish, and his next notice is Spanish.
    page = "/portal/respondent/profile"
    john_browser.get(page)
    assert 'href="/portal/respondent/profile"' in john_browser.last
    assert 'id="language-en" name="language" value="en" checked' in john_browser.last
    response = john_browser.post(page, {"section": "language", "language": "es"}, from_page=page)
    assert response.status_code == 303, john_browser.last
    john_browser.get(response.headers["Location"])
    assert 'id="language-es" name="language" value="es" checked' in john_browser.last
    assert "<h1>Mi perfil</h1>" in john_browser.last and "Su idioma quedó guardado" in (
        john_browser.last
    )
    # Signed in again elsewhere (no cookie): his pages are Spanish, from the stored choice.
    elsewhere = sign_in(app, john)
    elsewhere.get(page)
    assert "<h1>Mi perfil</h1>" in elsewhere.last and '<html lang="es">' in elsewhere.last
    applied(api, clerk, "hearing", a_hearing(english_case.case_id, "2027-05-06T17:00:00Z"))
    second = sink.one(john.email, "Aviso de audiencia")
    assert "6 de mayo de 2027 a las 10:00 PDT" in second.get_content()
    assert len(sink.to(john.email)) == 2
    # ... and a language the mail is not written in is refused, the choice unchanged.
    refused = john_browser.post(page, {"section": "language", "language": "fr"}, from_page=page)
    assert refused.status_code == 400
    with app.extensions["ecas"].factory() as session:
        assert session.get(PortalAccount, john.user_id).language == "es"

    # Account mail too: Maria forgets her password; the link (sent at once, not through the
    # outbox) comes in Spanish and opens the page to choose a new one.
    visitor = Browser(app.test_client())
    asked = visitor.post(
        "/portal/password/forgot", {"login": maria.email}, from_page="/portal/login"
    )
    assert asked.status_code == 303, visitor.last
    reset = sink.one(maria.email, "Restablezca su contraseña del Portal ECAS")
    assert "El enlace funciona una sola vez, durante 30 minutos" in reset.get_content()
    assert _link(reset).startswith("/portal/password/reset/")
    assert visitor.get(_link(reset)).status_code == 200, visitor.last


def test_a_respondent_chooses_which_mail_to_get_except_service(
    mail_app: Flask,  # noqa: F811
    smtp: Smtp,  # noqa: F811
) -> None:
    """On her profile page, in Spanish, a respondent turns off the mail telling her a filing
    was accepted: the clerk accepts her EOIR-33 and nothing is mailed; a notice of hearing,
    which is service, still comes, and the page says it always will."""
    sink, app = smtp.sink, mail_app
    api = Api(app.test_client())
    clerk = api.login("clerk1")
    case = mailed_case(api, clerk)
    maria, browser = _enrol(app, case, "maria", "?lang=es")
    page = "/portal/respondent/profile"
    browser.get(page)
    assert "Envíenme un mensaje cuando" in browser.last
    assert "El secretario acepta un escrito mío" in browser.last
    assert 'id="wanted-filing_accepted" name="wanted" value="filing_accepted" checked' in (
        browser.last
    )
    always = browser.last.split('id="always-sent"')[1].split("</ul>")[0]
    assert "Se me notifica un documento" in always and "aviso de audiencia" in always
    kept = [k.name for k in mail_events.choosable() if k.name != "filing_accepted"]
    response = browser.post(page, {"section": "mail", "wanted": kept}, from_page=page)
    assert response.status_code == 303, browser.last
    browser.get(response.headers["Location"])
    assert "Sus opciones de correo quedaron guardadas." in browser.last
    assert 'value="filing_accepted" checked' not in browser.last

    _change_of_address_accepted(app, api, maria, browser, case)
    applied(api, clerk, "hearing", a_hearing(case.case_id, "2027-04-05T17:00:00Z"))
    sink.one(maria.email, "Aviso de audiencia")  # service: always sent
    subjects = [str(m["Subject"]) for m in sink.to(maria.email)]
    assert not any("aceptado" in subject for subject in subjects), subjects


def test_counsel_choose_the_language_of_their_mail_on_their_profile_page(
    mail_app: Flask,  # noqa: F811
    smtp: Smtp,  # noqa: F811
) -> None:
    """The same choice on counsel's profile page: approved in English (never chosen), then
    Spanish chosen, the confirmation of a new address comes in Spanish."""
    sink, app = smtp.sink, mail_app
    account = _register_and_approve(app, sink)
    assert sink.one(account.email, "Your ECAS Portal account is approved")
    browser = sign_in_enrolling(app, account)
    page = "/portal/profile"
    response = browser.post(page, {"section": "language", "language": "es"}, from_page=page)
    assert response.status_code == 303, browser.last
    browser.get(page)
    assert 'id="language-es" name="language" value="es" checked' in browser.last
    new_address = "nueva." + account.email
    response = browser.post(page, {"section": "email", "email": new_address}, from_page=page)
    assert response.status_code == 303, browser.last
    confirm = sink.one(new_address, "Confirme su nuevo correo")
    assert "El enlace funciona durante 24 horas" in confirm.get_content()
    assert browser.get(_link(confirm)).status_code == 303  # the link works: address changed
    with app.extensions["ecas"].factory() as session:
        assert session.get(PortalAccount, account.user_id).email == new_address
    # The court suspends the account: the holder is told in Spanish, with the reason.
    admin = sign_in_admin(app)
    admin.get("/portal/admin/registrations?all=1")
    decided = admin.post(
        f"/portal/admin/registrations/{account.user_id}/suspend", {"reason": "Bar license lapsed"}
    )
    assert decided.status_code == 302, admin.last
    suspended = sink.one(new_address, "Su cuenta del Portal ECAS fue suspendida")
    assert "Motivo: Bar license lapsed" in suspended.get_content()
    assert _link(suspended) == "/portal/login"


def test_registration_mail_from_the_templates_says_what_it_said(
    mail_app: Flask,  # noqa: F811
    smtp: Smtp,  # noqa: F811
) -> None:
    """The mail of a registration, moved from code to resources/mail/ (sent at once, in
    English: nobody has chosen a language yet), is sent with its link and values filled:
    the link to confirm (which works), the username taken, the rejection with its reason."""
    sink, app = smtp.sink, mail_app
    visitor = Browser(app.test_client())
    form = registration_form()
    assert visitor.post("/portal/register", form, from_page="/portal/register").status_code == 303
    verify = sink.one(form["email"], "Confirm your email address for the ECAS Portal")
    assert "The link works for 48 hours." in verify.get_content()
    assert visitor.get(_link(verify)).status_code == 200
    again = registration_form(username=form["username"])
    assert visitor.post("/portal/register", again, from_page="/portal/register").status_code == 303
    taken = sink.one(again["email"], "Choose another username for the ECAS Portal")
    assert f"The username you chose, {form['username']}, belongs" in taken.get_content()
    user = user_row(app, form["username"]).id
    admin = sign_in_admin(app)
    admin.get("/portal/admin/registrations")
    decided = admin.post(f"/portal/admin/registrations/{user}/reject", {"reason": "No bar record"})
    assert decided.status_code == 302, admin.last
    rejected = sink.one(form["email"], "Your ECAS Portal account was rejected")
    assert "Reason: No bar record" in rejected.get_content()
