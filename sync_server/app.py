"""The application factory."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from common.pdf_box import BoxLimits, PdfBox
from common.pdf_preflight import load_intake_limits
from sync_server.api import auth, blobs, cases, meta, registrations, sync
from sync_server.api import packages as rop_packages_api
from sync_server.api.gate import install_gate
from sync_server.api.problems import register_error_handlers
from sync_server.config import ServerConfig, load_config
from sync_server.db import make_engine, make_session_factory
from sync_server.http_edges import allowed_hosts, install_edges, parse_networks
from sync_server.packages.queue import JobQueue
from sync_server.portal import install_portal
from sync_server.services.admission import PasswordCheckPool
from sync_server.services.audit_anchors import AnchorKeeper, anchor_keeper_for
from sync_server.services.auth import AuthService
from sync_server.services.blob_store import open_blob_store
from sync_server.services.blobs import BlobService, UploadLimits
from sync_server.services.change_rules import CLOCK_TOLERANCE
from sync_server.services.orders import CourtSigner, OrderIssuer
from sync_server.services.refusals import RefusalLog
from sync_server.services.rop_packages import RopPackages


class ConfigError(RuntimeError):
    """A setting the server can't run without is missing or wrong."""


@dataclass
class Services:
    """What the views reach through ``current_app.extensions["ecas"]``."""

    config: ServerConfig
    engine: Engine
    factory: sessionmaker[Session]
    auth: AuthService
    blobs: BlobService
    orders: OrderIssuer
    packages: RopPackages
    refusals: RefusalLog
    anchors: AnchorKeeper | None


def build_services(config: ServerConfig) -> Services:
    engine = make_engine(config.database_url)
    factory = make_session_factory(engine)
    # Read by change_rules, which push and portal reach with a session only.
    factory.configure(info={CLOCK_TOLERANCE: timedelta(minutes=config.clock_tolerance_minutes)})
    limits = load_intake_limits()
    blob_service = BlobService(
        factory,
        open_blob_store(config.blob_url),
        config.data_dir / "staging",
        config.max_blob_bytes,
        limits.max_pages,
        UploadLimits(
            expiry=timedelta(hours=config.upload_expiry_hours),
            max_open=config.max_open_uploads,
            max_open_bytes=config.max_open_upload_bytes,
        ),
        # Every parse of an uploaded PDF runs in this box, never in the server process.
        pdf_box=PdfBox(
            BoxLimits(
                memory_mb=config.pdf_check_memory_mb,
                cpu_seconds=config.pdf_check_cpu_seconds,
                wall_seconds=config.pdf_check_wall_seconds,
                concurrent=config.pdf_checks_at_once,
            )
        ),
    )
    auth_service = AuthService(
        config,
        factory,
        failure_delay=0.0 if config.testing else 0.25,
        checks=PasswordCheckPool(
            slots=config.password_checks_at_once,
            queue=config.password_check_queue,
            wait_seconds=config.password_check_wait_seconds,
        ),
    )
    packages = RopPackages(blob_service.store, JobQueue(factory))
    signer = None
    if config.signing_p12 is not None:
        passphrase = config.signing_passphrase
        signer = CourtSigner(config.signing_p12, passphrase.encode() if passphrase else None)
        signer.load()  # a misconfigured certificate stops the server, not a judge's signature
    orders = OrderIssuer(blob_service.store, config.data_dir / "staging", signer)
    return Services(
        config,
        engine,
        factory,
        auth_service,
        blob_service,
        orders=orders,
        packages=packages,
        refusals=RefusalLog(factory, anonymous_addresses=config.audit_anon_addresses),
        anchors=anchor_keeper_for(config, factory),
    )


def create_app(config: ServerConfig | None = None) -> Flask:
    """A configured server; ``config`` defaults to the environment (see ``config.py``).

    The database must be migrated first (``ecas-server init-db``).
    """
    config = config or load_config()
    if config.portal_base_url is None and not (config.demo or config.testing):
        raise ConfigError(
            "Set ECAS_PORTAL_BASE_URL to the address people use (e.g. "
            "https://ecas.court.example): mailed links start with it and requests for other "
            "hosts are refused. Only a demo server (ECAS_DEMO=1) runs without it."
        )
    app = Flask(__name__)
    app.config.update(
        TESTING=config.testing, MAX_CONTENT_LENGTH=config.max_request_bytes, JSON_SORT_KEYS=False
    )
    app.extensions["ecas"] = build_services(config)
    register_error_handlers(app)
    # First: an unknown host is refused before any gate runs; addresses behind the proxy.
    install_edges(
        app,
        allowed_hosts(config.portal_base_url, config.allowed_hosts),
        parse_networks(" ".join(config.trusted_proxies)),
    )
    install_gate(app)
    anchors = app.extensions["ecas"].anchors
    if anchors is not None:  # the schedule runs in each serving process (after a fork)
        app.before_request(anchors.ensure_running)
    for blueprint in (
        auth.bp,
        sync.bp,
        blobs.bp,
        cases.bp,
        meta.bp,
        rop_packages_api.bp,
        registrations.bp,
    ):
        app.register_blueprint(blueprint)
    install_portal(app)
    logging.getLogger("sync_server").setLevel(logging.INFO)
    return app
