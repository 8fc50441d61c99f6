"""Issuing a signed order: the final PDF, its eROP document and the service on the parties.

The judge signs in the client (offline too); the push that first moves an order to
``signed`` calls :meth:`OrderIssuer.issue` inside the push's write transaction. It renders
the PDF from the order record with the same code as the client's preview, signs it (PAdES)
when the court has a signing certificate, stores the bytes, and writes the ``document``,
one ``service_record`` per party and the order as ``issued`` — all in that transaction, so
a replayed push (same mutation id) returns the stored answer and issues nothing twice.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.court_time import format_date, local_date
from common.enums import DocumentStatus, OrderStatus, Party, RepresentationStatus
from common.motions import BOARD_MOTION_ORDER
from common.order_pdf import page_count, render_order
from common.orders import CaseFacts, case_facts, template_for
from common.service import CertificateOfService, certificate_of_service, proceeding_for
from common.wire import Document, Order
from sync_server.models import Blob, CaseRow, CourtRow, RepresentationRow, UserRow
from sync_server.services import audit
from sync_server.services.blob_store import BlobStore
from sync_server.services.records import SessionLookups, row_to_record, write_record
from sync_server.services.service import certificate_for, parties_to_serve, record_service

_ISSUE_NAMESPACE = uuid.UUID("5b0c6f53-2f1e-4f5e-9b7a-3f8d0e4c1a27")


def issued_id(order_id: str, *parts: str) -> str:
    """Ids of what issuing makes, derived from the order's id: issuing twice could only
    ever name the same records."""
    return str(uuid.uuid5(_ISSUE_NAMESPACE, "/".join((order_id, *parts))))


class CourtSigner:
    """The court's signing certificate (PKCS#12), for PAdES signatures on issued orders."""

    def __init__(self, p12_path: Path, passphrase: bytes | None) -> None:
        self.p12_path = p12_path
        self._passphrase = passphrase
        self._signer: Any = None

    def load(self) -> Any:
        """Read the certificate and key (once); ``RuntimeError`` saying what to fix when
        they can't be read, never what the passphrase is."""
        if self._signer is None:
            from pyhanko.sign import signers

            try:
                signer = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
                    str(self.p12_path), passphrase=self._passphrase
                )
            except (OSError, ValueError) as err:
                signer = None
                cause = type(err).__name__
            else:
                cause = "wrong passphrase or not a PKCS#12 file"
            if signer is None:
                raise RuntimeError(
                    f"ECAS_SIGNING_P12 ({self.p12_path}) can't be read ({cause}); check the "
                    "file and ECAS_SIGNING_P12_PASSPHRASE"
                )
            self._signer = signer
        return self._signer

    def sign(self, pdf: bytes, *, reason: str, name: str) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        meta = signers.PdfSignatureMetadata(
            field_name="CourtSignature",
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason,
            name=name,
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        out = signers.sign_pdf(writer, meta, signer=self.load())
        return bytes(out.getvalue())


def facts_from_db(session: Session, case_id: str) -> CaseFacts:
    """The case's facts as the server holds them."""
    case = session.get(CaseRow, case_id)
    if case is None:
        raise LookupError(f"no case {case_id}")
    court = session.get(CourtRow, case.court_id)
    reps = list(
        session.scalars(
            select(RepresentationRow).where(
                RepresentationRow.case_id == case_id,
                RepresentationRow.status == RepresentationStatus.ACCEPTED.value,
                RepresentationRow.deleted.is_(False),
            )
        )
    )
    wanted = {r.practitioner_id for r in reps} | ({case.judge_id} if case.judge_id else set())
    users = {
        u.id: row_to_record("user_profile", u).model_dump(mode="json")
        for u in session.scalars(select(UserRow).where(UserRow.id.in_(wanted)))
    }

    def dump(entity: str, row: Any) -> dict[str, Any]:
        return row_to_record(entity, row).model_dump(mode="json")

    return case_facts(
        dump("case", case),
        dump("court", court) if court is not None else None,
        users,
        [dump("representation", r) for r in reps],
    )


class OrderIssuer:
    def __init__(self, store: BlobStore, staging: Path, signer: CourtSigner | None) -> None:
        self.store = store
        self.staging = staging
        self.signer = signer
        staging.mkdir(parents=True, exist_ok=True)

    def render(
        self, order: Order, facts: CaseFacts, certificate: CertificateOfService | None = None
    ) -> bytes:
        """The PDF to issue: rendered from the record with its certificate of service, then
        PAdES-signed if configured."""
        template = template_for(order.template, order.template_version)
        pdf = render_order(template, order, facts, certificate=certificate)
        if self.signer is not None:
            pdf = self.signer.sign(
                pdf, reason=f"{template.document_title} issued", name=facts.judge_name
            )
        return pdf

    def issue(
        self,
        session: Session,
        order: Order,
        lookups: SessionLookups,
        *,
        facts: CaseFacts | None = None,
        certificate: CertificateOfService | None = None,
    ) -> Order:
        """Issue the just-signed ``order`` in the caller's write transaction; returns the
        order as issued (already written). ``facts`` and ``certificate`` default to the
        case's court's; the Board's decision passes its own (its name, clock, signer)."""
        assert order.status is OrderStatus.SIGNED
        assert order.signed_at is not None and order.signed_by is not None
        if facts is None and order.template == BOARD_MOTION_ORDER:
            # The Board's order on a motion: the Board's name, clock and signing member,
            # served as the Board's decision is (services/board_decisions.py).
            facts, certificate = _board_motion_facts(session, order)
        facts = facts or facts_from_db(session, order.case_id)
        template = template_for(order.template, order.template_version)
        # Who is served follows the appearances' form and scope and the address of record
        # on the signing day at the court (sync_server/services/service.py); the PDF's
        # certificate of service prints the same list the service records are made from.
        certificate = certificate or certificate_for(
            session,
            order.case_id,
            proceeding=proceeding_for(order.template, facts.case_type),
            served_at=order.signed_at,
        )
        try:
            pdf = self.render(order, facts, certificate)
        except (RuntimeError, ValueError):
            raise
        except Exception as err:  # MuPDF's own errors derive from Exception alone
            raise RuntimeError(f"its PDF could not be made ({type(err).__name__})") from err
        sha256 = hashlib.sha256(pdf).hexdigest()
        self._store(session, sha256, pdf)
        # The court's date at the signature, as the PDF states it: the record files the
        # order on the day it was made there, not on the UTC date (8 CFR 1003.38(b) runs
        # the appeal clock from it).
        signed_on = local_date(order.signed_at, facts.court_timezone or None)
        document = Document(
            id=issued_id(order.id, "document"),
            case_id=order.case_id,
            doc_type=template.doc_type,
            title=f"{template.document_title} ({format_date(signed_on)})"[:200],
            filer_id=order.signed_by,
            filer_party=Party.COURT,
            filed_on=signed_on,
            pages=page_count(pdf),
            sha256=sha256,
            size=len(pdf),
            status=DocumentStatus.ACCEPTED,
        )
        write_record(session, document, lookups=lookups)
        served = record_service(
            session,
            certificate,
            case_id=order.case_id,
            document_id=document.id,
            served_at=order.signed_at,
            record_id=lambda p: issued_id(order.id, "service", p.party, p.recipient_id or ""),
            lookups=lookups,
        )
        issued = order.model_copy(update={"status": OrderStatus.ISSUED, "document_id": document.id})
        version = write_record(session, issued, lookups=lookups)
        audit.append(
            session,
            actor_id=order.signed_by,
            action="order.issue",
            entity="order",
            record_id=order.id,
            detail={
                "version": version,
                "document_id": document.id,
                "sha256": sha256,
                "pades": self.signer is not None,
                "served": [{"party": s.party.value, "method": s.method} for s in served],
            },
        )
        return issued

    def _store(self, session: Session, sha256: str, pdf: bytes) -> None:
        if not self.store.exists(sha256):
            fd, name = tempfile.mkstemp(dir=self.staging, suffix=".order")
            with os.fdopen(fd, "wb") as handle:
                handle.write(pdf)
                handle.flush()
                os.fsync(handle.fileno())
            self.store.publish(sha256, Path(name))
        if session.get(Blob, sha256) is None:
            session.add(Blob(sha256=sha256, size=len(pdf), uploaded_by=None))
            session.flush()


def _board_motion_facts(session: Session, order: Order) -> tuple[CaseFacts, CertificateOfService]:
    """The facts and certificate of service of the Board's order on a motion, with the
    Board as the body that rules (as ``services.board_decisions`` issues its decision)."""
    from sync_server.services.board_decisions import board_order_facts

    assert order.signed_at is not None and order.signed_by is not None
    facts = board_order_facts(session, order, order.signed_by)
    day = local_date(order.signed_at, facts.court_timezone)
    parties = parties_to_serve(
        session, order.case_id, proceeding=proceeding_for(order.template, facts.case_type), on=day
    )
    return facts, certificate_of_service(parties, court_name=facts.court_name, served_on=day)
