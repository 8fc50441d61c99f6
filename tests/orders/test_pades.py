"""With a court signing certificate configured, an issued order carries a PAdES signature
that pyHanko's validator accepts against the court's CA, and any change breaks it."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from flask import Flask
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from sync_server.app import create_app
from tests.conftest import Api, mutation
from tests.orders.helpers import complete_order, records_by_entity, signed

PASSPHRASE = "court-seal-passphrase"


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Immigration Court"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def make_court_pki(folder: Path) -> tuple[Path, x509.Certificate]:
    """A self-signed test CA and a signer certificate it issued, as a PKCS#12 file."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Test Court Root CA"))
        .issuer_name(_name("Test Court Root CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Immigration Court Orders"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=180))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    p12 = folder / "court-signer.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"court",
            key,
            cert,
            [ca],
            serialization.BestAvailableEncryption(PASSPHRASE.encode()),
        )
    )
    return p12, ca


def _validate(pdf: bytes, ca: x509.Certificate) -> Any:
    root = asn1_x509.Certificate.load(ca.public_bytes(serialization.Encoding.DER))
    context = ValidationContext(trust_roots=[root])
    [signature] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    return validate_pdf_signature(signature, context)


@pytest.fixture
def signing_app(seeded_app: Flask, tmp_path: Path) -> tuple[Flask, x509.Certificate]:
    """A second server over the seeded database, with a court signing certificate."""
    p12, ca = make_court_pki(tmp_path)
    config = seeded_app.extensions["ecas"].config.with_overrides(
        signing_p12=p12, signing_passphrase=PASSPHRASE
    )
    app = create_app(config)
    yield app, ca
    app.extensions["ecas"].engine.dispose()


def test_an_issued_order_carries_a_valid_pades_signature(
    signing_app: tuple[Flask, x509.Certificate], tmp_path: Path
) -> None:
    app, ca = signing_app
    api = Api(app.test_client())
    clerk = api.login("clerk1")
    court, _ = api.pull_all(clerk)
    records = records_by_entity(court)
    case = sorted(
        (c for c in records["case"].values() if c.get("judge_id")), key=lambda c: c["id"]
    )[0]
    judge = records["user_profile"][case["judge_id"]]
    token = api.login(judge["username"])
    order = signed(complete_order(records, case, judge["id"]), judge["id"])
    [answer] = api.push(token, mutation("order", order.model_dump(mode="json")))
    assert answer["status"] == "applied", answer
    after = records_by_entity(api.pull_all(token)[0])
    document = after["document"][after["order"][order.id]["document_id"]]
    response = api.client.get(f"/api/v1/blobs/{document['sha256']}", headers=api.headers(token))
    pdf = response.data

    status = _validate(pdf, ca)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.bottom_line
    assert "Immigration Court Orders" in status.signing_cert.subject.human_friendly

    tampered = pdf.replace(b"ECAS", b"ECAX", 1)
    assert tampered != pdf and len(tampered) == len(pdf)
    broken = _validate(tampered, ca)
    assert not broken.intact and not broken.bottom_line

    # Signed by an unknown CA: intact, but not trusted.
    stranger_folder = tmp_path / "stranger"
    stranger_folder.mkdir()
    _, stranger = make_court_pki(stranger_folder)
    assert not _validate(pdf, stranger).trusted


def test_a_certificate_that_can_not_be_read_stops_the_server_with_a_clear_reason(
    seeded_app: Flask, tmp_path: Path
) -> None:
    p12, _ = make_court_pki(tmp_path)
    config = seeded_app.extensions["ecas"].config.with_overrides(
        signing_p12=p12, signing_passphrase="not-the-passphrase"
    )
    with pytest.raises(RuntimeError) as refused:
        create_app(config)
    message = str(refused.value)
    assert "ECAS_SIGNING_P12" in message and "ECAS_SIGNING_P12_PASSPHRASE" in message
    assert "not-the-passphrase" not in message and PASSPHRASE not in message
