"""The portal's services, built once per app beside the core ones."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from flask import current_app

from sync_server.services.accounts import AccountService
from sync_server.services.kept_forms import KeptForms
from sync_server.services.mail_events import MailSender
from sync_server.services.mailer import Mailer, mailer_from_env
from sync_server.services.password_reset import PasswordResets
from sync_server.services.portal_cases import CasePortal
from sync_server.services.portal_filings import FilingDesk
from sync_server.services.portal_signin import PortalSettings, SignInService
from sync_server.services.profile import Profiles
from sync_server.services.totp import SecretBox


@dataclass
class PortalServices:
    core: Any  # sync_server.app.Services (not imported: the app imports this package)
    settings: PortalSettings
    mailer: Mailer
    accounts: AccountService
    signin: SignInService
    cases: CasePortal
    filings: FilingDesk
    kept: KeptForms
    resets: PasswordResets
    mail: MailSender  # drains the mail outbox (services/mail_events.py)
    profiles: Profiles


def build_portal_services(core: Any) -> PortalServices:
    # Mailed links use the server's one base URL (ServerConfig.link_base_url).
    settings = replace(PortalSettings.from_env(), base_url=core.config.link_base_url)
    mailer = mailer_from_env(core.config.data_dir)
    cases = CasePortal(core.factory, core.blobs)
    return PortalServices(
        core=core,
        settings=settings,
        mailer=mailer,
        accounts=AccountService(core.factory, mailer),
        signin=SignInService(
            core.factory, settings, SecretBox(core.config.secret_key), checks=core.auth.checks
        ),
        cases=cases,
        filings=FilingDesk(core.factory, core.blobs, cases),
        kept=KeptForms(core.factory, core.config.secret_key),
        resets=PasswordResets(core.factory, mailer),
        mail=MailSender(core.factory, mailer, core.config.link_base_url),
        # The server setting ECAS_PORTAL_TERMS (sync_server/config.py): on unless 0.
        profiles=Profiles(core.factory, terms_required=core.config.portal_terms_required),
    )


def portal() -> PortalServices:
    services: PortalServices = current_app.extensions["ecas_portal"]
    return services
