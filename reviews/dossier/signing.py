"""Signing the approval dossier with the organisation's certificate: PAdES baseline B-LT (B-T with the
validation data embedded) when an RFC 3161 time-stamping authority is configured, B-B without one; extended
to B-LTA by document timestamps for archiving (reviews/dossier/archive.py).

Why: the dossier reaches an auditor or a regulator years after the approval, without access to Vetted
(records are kept at least three years, PIPL Art. 56, docs/operations.md "Retention"). A PAdES signature lets any PDF reader show
who issued the file and whether it changed since it was signed; a timestamp from a TSA proves when, beyond the
signer's own clock; the validation data (certificates, CRLs, OCSP responses in the document security store,
DSS) let the signature be judged at that time after the certificate has expired and the CA's services are
gone; a document timestamp added before the last one weakens carries the proof forward.

Several TSAs may be configured (VETTED_TSA_URL, separated by spaces or commas): each is tried in turn. When
none answers, the dossier is signed without a timestamp and marked so (Dossier.timestamp_pending); the
archiving task adds a document timestamp to it later, so the dossier is never lost for want of a TSA.

The key comes from the environment (config/settings/base.py): a PKCS#12 file, or a PEM key and certificate,
with a passphrase. Production (VETTED_SIGNING_REQUIRED) refuses to start without a readable key: the app's
ready() loads it; development renders an unsigned copy, marked as such on its cover.

The key and its passphrase never leave this module: they are never logged, never put in an exception message
or the audit trail, and the passphrase is held in a `Secret` whose repr is masked, so that a traceback that
prints local variables does not show it either.
"""

import datetime as dt
import hashlib
import io
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "VettedDossierSignature"


class Secret:
    """A passphrase whose repr and str never show it."""

    __slots__ = ("_value",)

    def __init__(self, value: str | bytes | None):
        self._value = value.encode() if isinstance(value, str) else (value or b"")

    def reveal(self) -> bytes | None:
        return self._value or None

    def __bool__(self):
        return bool(self._value)

    def __repr__(self):
        return "Secret('********')" if self._value else "Secret('')"

    __str__ = __repr__


@dataclass(frozen=True)
class SigningConfig:
    pkcs12: str = ""
    key: str = ""
    cert: str = ""
    chain: str = ""
    passphrase: Secret = field(default_factory=lambda: Secret(None))
    tsa_urls: tuple[str, ...] = ()
    tsa_timeout: int = 10
    tsa_trust: str = ""  # PEM file: the roots of the TSAs' certificates, to embed their validation data
    required: bool = False
    # Where the organisation signs, as it names it (VETTED_SIGNING_LOCATION): the signature's /Location, which
    # a PDF reader shows beside the signer. Never the site's URL: that is not a place, and it changes.
    location: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.pkcs12 or self.key or self.cert)

    @property
    def tsa_url(self) -> str:
        return self.tsa_urls[0] if self.tsa_urls else ""


def tsa_urls(value) -> tuple[str, ...]:
    """The TSAs of VETTED_TSA_URL: one address, several separated by spaces or commas, or a list."""
    if not value:
        return ()
    parts = value if isinstance(value, (list, tuple)) else str(value).replace(",", " ").split()
    return tuple(str(part).strip() for part in parts if str(part).strip())


def signing_config(settings=None) -> SigningConfig:
    """The signing configuration from Django settings (or any object with the same attributes)."""
    if settings is None:
        from django.conf import settings
    return SigningConfig(
        pkcs12=str(getattr(settings, "VETTED_SIGNING_PKCS12", "") or ""),
        key=str(getattr(settings, "VETTED_SIGNING_KEY", "") or ""),
        cert=str(getattr(settings, "VETTED_SIGNING_CERT", "") or ""),
        chain=str(getattr(settings, "VETTED_SIGNING_CHAIN", "") or ""),
        passphrase=Secret(getattr(settings, "VETTED_SIGNING_PASSPHRASE", "") or None),
        tsa_urls=tsa_urls(getattr(settings, "VETTED_TSA_URL", "")),
        tsa_timeout=int(getattr(settings, "VETTED_TSA_TIMEOUT", 10)),
        tsa_trust=str(getattr(settings, "VETTED_TSA_TRUST", "") or ""),
        required=bool(getattr(settings, "VETTED_SIGNING_REQUIRED", False)),
        location=str(getattr(settings, "VETTED_SIGNING_LOCATION", "") or ""),
    )


@dataclass(frozen=True)
class Credentials:
    signer: object  # pyhanko.sign.signers.SimpleSigner
    certificate: object  # asn1crypto.x509.Certificate
    chain: tuple
    subject: str
    fingerprint: str  # SHA-256 of the certificate (DER), hex

    @property
    def trust_roots(self) -> list:
        """The certificates a verifier trusts by default: the signing certificate and the chain it came with."""
        return [self.certificate, *self.chain]

    @property
    def anchors(self) -> list:
        """The trust anchors of the signing certificate's path: the self-signed certificates among it and its
        chain (the CA's root; the certificate itself when it is self-signed), else the top of the chain. Not
        the certificate itself when a CA issued it, so that its revocation data is fetched and embedded."""
        found = [c for c in [self.certificate, *self.chain] if c.self_signed == "yes"]
        return found or [(self.chain or (self.certificate,))[-1]]


def certificate_name(certificate) -> str:
    """How a certificate names its holder to a reader: "common name (organisation)"."""
    subject = certificate.subject.native
    name = subject.get("common_name") or certificate.subject.human_friendly
    organisation = subject.get("organization_name")
    return f"{name} ({organisation})" if organisation and organisation not in name else name


class SigningKeyError(ImproperlyConfigured):
    """The configured signing key cannot be used. The message names the setting and the file, never the
    passphrase."""


def _read(setting: str, path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise SigningKeyError(f"{setting} points to {path}, which does not exist.") from None
    except OSError as exc:
        raise SigningKeyError(f"{setting} points to {path}, which cannot be read ({exc.strerror}).") from None


def _load_pkcs12(config: SigningConfig):
    from cryptography.hazmat.primitives.serialization import pkcs12

    data = _read("VETTED_SIGNING_PKCS12", config.pkcs12)
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, config.passphrase.reveal())
    except (ValueError, TypeError):
        # cryptography says only "Invalid password or PKCS12 data"; never repeat what was tried.
        raise SigningKeyError(
            f"VETTED_SIGNING_PKCS12 ({config.pkcs12}) cannot be opened: the passphrase "
            "(VETTED_SIGNING_PASSPHRASE) is wrong or the file is not a PKCS#12 archive."
        ) from None
    if key is None or cert is None:
        raise SigningKeyError(
            f"VETTED_SIGNING_PKCS12 ({config.pkcs12}) holds no private key and certificate."
        )
    return key, cert, list(extra or [])


def _load_pem(config: SigningConfig):
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_der_private_key, load_pem_private_key

    if not (config.key and config.cert):
        raise SigningKeyError("VETTED_SIGNING_KEY and VETTED_SIGNING_CERT must be set together.")
    key_data = _read("VETTED_SIGNING_KEY", config.key)
    cert_data = _read("VETTED_SIGNING_CERT", config.cert)
    loader = load_pem_private_key if b"-----BEGIN" in key_data else load_der_private_key
    try:
        key = loader(key_data, password=config.passphrase.reveal())
    except (ValueError, TypeError):
        raise SigningKeyError(
            f"VETTED_SIGNING_KEY ({config.key}) cannot be read: the passphrase (VETTED_SIGNING_PASSPHRASE) is "
            "wrong or missing, or the file is not a private key."
        ) from None
    try:
        certs = (
            x509.load_pem_x509_certificates(cert_data)
            if b"-----BEGIN" in cert_data
            else [x509.load_der_x509_certificate(cert_data)]
        )
    except ValueError:
        raise SigningKeyError(f"VETTED_SIGNING_CERT ({config.cert}) is not a certificate.") from None
    return key, certs[0], certs[1:]


def _load_chain(config: SigningConfig) -> list:
    from cryptography import x509

    if not config.chain:
        return []
    try:
        return x509.load_pem_x509_certificates(_read("VETTED_SIGNING_CHAIN", config.chain))
    except ValueError:
        raise SigningKeyError(f"VETTED_SIGNING_CHAIN ({config.chain}) holds no PEM certificate.") from None


def credentials_load(config: SigningConfig) -> Credentials:
    """Load the key and certificate named by `config`, or raise SigningKeyError saying what is wrong."""
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    if not config.configured:
        raise SigningKeyError(
            "No dossier signing key is configured: set VETTED_SIGNING_PKCS12 (or VETTED_SIGNING_KEY and "
            "VETTED_SIGNING_CERT) and VETTED_SIGNING_PASSPHRASE. `manage.py dossier_signing_cert` creates a "
            "self-signed one for trials; see the README for a certificate issued by a CA."
        )
    key, cert, extra = _load_pkcs12(config) if config.pkcs12 else _load_pem(config)
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise SigningKeyError("The dossier signing key must be an RSA or EC key.")
    if key.public_key().public_numbers() != cert.public_key().public_numbers():
        raise SigningKeyError("The dossier signing key does not belong to the signing certificate.")
    chain = tuple(translate_pyca_cryptography_cert_to_asn1(c) for c in [*extra, *_load_chain(config)])
    certificate = translate_pyca_cryptography_cert_to_asn1(cert)
    registry = SimpleCertificateStore()
    registry.register_multiple(chain)
    signer = SimpleSigner(
        signing_cert=certificate,
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        cert_registry=registry,
    )
    return Credentials(
        signer=signer,
        certificate=certificate,
        chain=chain,
        subject=certificate_name(certificate),
        fingerprint=hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest(),
    )


def self_signed_pkcs12(
    *, common_name: str, organisation: str, passphrase: bytes, days: int = 3 * 365, key_size: int = 2048
) -> tuple[bytes, bytes]:
    """(PKCS#12 archive, certificate PEM) for a fresh RSA key with a self-signed document-signing certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # Non-repudiation (content commitment) is what a document signature asserts, and what pyHanko
        # requires of a signer's certificate by default.
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
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    archive = pkcs12.serialize_key_and_certificates(b"vetted-dossier-signing", key, cert, None, encryption)
    return archive, cert.public_bytes(serialization.Encoding.PEM)


_cache: dict = {}


def _cache_key(config: SigningConfig) -> tuple:
    def stamp(path):
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return (path, stat.st_mtime_ns, stat.st_size)

    passphrase = hashlib.sha256(config.passphrase.reveal() or b"").hexdigest()  # never the passphrase itself
    return (stamp(config.pkcs12), stamp(config.key), stamp(config.cert), stamp(config.chain), passphrase)


def credentials(config: SigningConfig | None = None) -> Credentials | None:
    """The organisation's signing credentials, loaded once per process and key file; None when signing is
    not configured or not usable and not required (development: the dossier is marked unsigned)."""
    config = config or signing_config()
    key = _cache_key(config)
    if key in _cache:
        return _cache[key]
    try:
        loaded = credentials_load(config)
    except SigningKeyError as exc:
        if config.required:
            raise
        logger.warning("dossiers are generated UNSIGNED: %s", exc)
        loaded = None
    _cache.clear()
    _cache[key] = loaded
    return loaded


class Level:
    """The PAdES baseline level a dossier reached (ETSI EN 319 142-1)."""

    B = "B-B"  # signed: who, and that nothing changed
    T = "B-T"  # and a TSA's timestamp on the signature: when
    LT = "B-LT"  # and the validation data (certificates, revocation data) in the DSS
    LTA = "B-LTA"  # and a document timestamp over all of it: the proof carried forward


@dataclass(frozen=True)
class SignatureInfo:
    signed: bool
    signer: str = ""
    fingerprint: str = ""
    signed_at: datetime | None = None
    timestamped: bool = False
    level: str = ""
    tsa: str = ""  # the TSA that answered
    timestamp_pending: bool = False  # a TSA is configured but none answered: a timestamp is owed


UNSIGNED = SignatureInfo(signed=False)


class TimestampUnavailable(ConnectionError):
    """No configured time-stamping authority answered; a ConnectionError (an OSError), so a task retries."""


def _timestamper(config: SigningConfig, url: str):
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

    return RequestsHTTPTimeStamper(url, timeout=config.tsa_timeout)


def tsa_trust_roots(config: SigningConfig) -> list:
    """The roots of the TSAs' certificates (VETTED_TSA_TRUST), to validate their tokens and embed their
    validation data; empty when not set."""
    from pyhanko.keys import load_certs_from_pemder

    if not config.tsa_trust:
        return []
    try:
        return list(load_certs_from_pemder([config.tsa_trust]))
    except (OSError, ValueError):
        raise SigningKeyError(
            f"VETTED_TSA_TRUST ({config.tsa_trust}) holds no readable certificate."
        ) from None


def validation_context(creds: Credentials, config: SigningConfig, *, moment=None):
    """The context pyHanko validates the signer's and the TSA's certificates in while signing, fetching the
    revocation data (OCSP, CRL) that goes into the DSS. Soft-fail: a CA that does not answer leaves that
    certificate without revocation data rather than the dossier unsigned."""
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=[*creds.anchors, *tsa_trust_roots(config)],
        other_certs=list(creds.chain),
        allow_fetching=True,
        revocation_mode="soft-fail",
        moment=moment,
    )


def _metadata(*, reason: str, location: str, context):
    from pyhanko.sign import fields, signers

    return signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        embed_validation_info=context is not None,
        validation_context=context,
    )


# Room kept for the signature (CMS: the certificates and the timestamp token; the validation data goes to the
# DSS), in hex digits. Reserving it spares pyHanko a dummy signature and a dummy timestamp to estimate the size.
SIGNATURE_RESERVE = 48 * 1024


def _sign_once(pdf: bytes, *, creds, meta, timestamper) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.general import SigningError

    for reserve in (SIGNATURE_RESERVE, None):  # None: let pyHanko estimate (a long chain does not fit)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        producer_agreed(writer)
        try:
            return signers.sign_pdf(
                writer, meta, signer=creds.signer, timestamper=timestamper, bytes_reserved=reserve
            ).getvalue()
        except SigningError as exc:
            if reserve is None or "larger than expected" not in str(exc):
                raise
            logger.info("the signature did not fit in %s bytes; signing again with an estimate", reserve)
    raise AssertionError("unreachable")


def producer_agreed(writer) -> None:
    """pyHanko rewrites the XMP metadata with itself as the producer but appends itself to the Info
    dictionary's producer ("WeasyPrint …; pyHanko …"): the two copies would disagree. The revision it writes
    names it alone in both (the first revision still names the renderer in its own)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata.model import VENDOR

    if writer._info is None:
        return
    info = writer._info.get_object()
    info["/Producer"] = generic.TextStringObject(VENDOR)
    writer.update_container(info)


def _sign_lt_or_t(pdf: bytes, *, creds, reason, location, config, timestamper, context) -> tuple[bytes, bool]:
    """Sign with the validation data embedded (B-LT); when a certificate's path cannot be validated here
    (a TSA whose root is not in VETTED_TSA_TRUST), sign without it (B-T or B-B) and say so in the log."""
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.timestamps import TimestampRequestError
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

    try:
        meta = _metadata(reason=reason, location=location, context=context)
        return _sign_once(pdf, creds=creds, meta=meta, timestamper=timestamper), True
    except (SigningError, PathBuildingError, PathValidationError) as exc:
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, (TimestampRequestError, OSError)):
                raise cause from None  # the TSA did not answer: the caller tries the next one
            cause = cause.__cause__ or cause.__context__
        logger.warning(
            "the dossier is signed without embedded validation data: %s: %s (set VETTED_TSA_TRUST to the "
            "TSA's root, VETTED_SIGNING_CHAIN to the signing CA's)",
            type(exc).__name__,
            exc,
        )
    meta = _metadata(reason=reason, location=location, context=None)
    return _sign_once(pdf, creds=creds, meta=meta, timestamper=timestamper), False


def pdf_sign(
    pdf: bytes,
    *,
    creds: Credentials,
    reason: str,
    location: str | None = None,
    config: SigningConfig | None = None,
) -> tuple[bytes, SignatureInfo]:
    """Sign `pdf` (an incremental update, so the rendered bytes stay as they are) and return the signed bytes.
    `location` defaults to the configured VETTED_SIGNING_LOCATION (SigningConfig.location), the same for
    every document the organisation signs (the dossier, the activity records, their addenda).

    A certification signature that permits no change: a reader shows any later edit as breaking it (the
    DSS and document timestamps that keep it verifiable are the exception PAdES makes). With TSAs
    configured, the signature is timestamped by the first that answers; when none does, it is signed all
    the same and marked timestamp_pending."""
    from django.utils import timezone
    from pyhanko.sign.timestamps import TimestampRequestError

    config = config or signing_config()
    location = config.location if location is None else location
    context = validation_context(creds, config)
    signed_at = timezone.now()
    for url in config.tsa_urls:
        try:
            output, lt = _sign_lt_or_t(
                pdf,
                creds=creds,
                reason=reason,
                location=location,
                config=config,
                timestamper=_timestamper(config, url),
                context=context,
            )
        except (TimestampRequestError, OSError) as exc:
            logger.warning("the time-stamping authority %s did not answer: %s", url, type(exc).__name__)
            continue
        level = Level.LT if lt else Level.T
        return output, _info(creds, signed_at, level=level, tsa=url)
    output, lt = _sign_lt_or_t(
        pdf, creds=creds, reason=reason, location=location, config=config, timestamper=None, context=context
    )
    pending = bool(config.tsa_urls)
    if pending:
        logger.warning("no time-stamping authority answered: the dossier is signed without a timestamp")
    return output, _info(creds, signed_at, level=Level.B, pending=pending)


def _info(creds, signed_at, *, level: str, tsa: str = "", pending: bool = False) -> SignatureInfo:
    return SignatureInfo(
        signed=True,
        signer=creds.subject,
        fingerprint=creds.fingerprint,
        signed_at=signed_at,
        timestamped=level != Level.B,
        level=level,
        tsa=tsa,
        timestamp_pending=pending,
    )
