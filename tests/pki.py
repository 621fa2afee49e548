"""A test PKI served over HTTP on loopback: a root CA that issues the dossier signing certificate and the
time-stamping authority's certificate, an RFC 3161 time-stamping authority, an OCSP responder and CRLs
(certomancer's "animator", a WSGI application, run by werkzeug in a thread).

The whole chain a dossier depends on is real: the signature, the timestamp token from a TSA whose certificate
the same CA issued, and the revocation data fetched over HTTP while signing. Keys are generated once per test
session (RSA 2048) into a temporary folder; nothing is fetched from outside the machine.
"""

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path

ARCH = "vetted-test"


def _write_key(path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _when(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


def _config(*, now: dt.datetime, signer_days: int) -> dict:
    long = {
        "valid-from": _when(now - dt.timedelta(days=365)),
        "valid-to": _when(now + dt.timedelta(days=3650)),
    }
    crl = {
        "id": "crl_distribution_points",
        "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": ["root"]}},
    }
    return {
        "keysets": {
            ARCH: {"keys": {name: {"path": f"{name}.key.pem"} for name in ("root", "signer", "tsa", "ocsp")}}
        },
        "pki-architectures": {
            ARCH: {
                "keyset": ARCH,
                "entity-defaults": {"country-name": "CN", "organization-name": "Vetted test PKI"},
                "entities": {
                    "root": {"common-name": "Vetted test root CA"},
                    "signer": {"common-name": "Vetted test signing", "organization-name": "Vetted tests"},
                    "tsa": {"common-name": "Vetted test time-stamping authority"},
                    "ocsp": {"common-name": "Vetted test OCSP responder"},
                },
                "certs": {
                    "root": {
                        "subject": "root",
                        "subject-key": "root",
                        "issuer": "root",
                        "authority-key": "root",
                        "validity": long,
                        "extensions": [
                            {"id": "basic_constraints", "critical": True, "value": {"ca": True}},
                            {
                                "id": "key_usage",
                                "critical": True,
                                "smart-value": {
                                    "schema": "key-usage",
                                    "params": ["digital_signature", "key_cert_sign", "crl_sign"],
                                },
                            },
                        ],
                    },
                    "signer": {
                        "issuer": "root",
                        "validity": {
                            "valid-from": _when(now - dt.timedelta(days=1)),
                            "valid-to": _when(now + dt.timedelta(days=signer_days)),
                        },
                        "extensions": [
                            {
                                "id": "key_usage",
                                "critical": True,
                                "smart-value": {
                                    "schema": "key-usage",
                                    "params": ["digital_signature", "non_repudiation"],
                                },
                            },
                            crl,
                            {
                                "id": "authority_information_access",
                                "smart-value": {
                                    "schema": "aia-urls",
                                    "params": {"ocsp-responder-names": ["root"]},
                                },
                            },
                        ],
                    },
                    "tsa": {
                        "issuer": "root",
                        "validity": long,
                        "extensions": [
                            {
                                "id": "key_usage",
                                "critical": True,
                                "smart-value": {"schema": "key-usage", "params": ["digital_signature"]},
                            },
                            {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                            crl,
                        ],
                    },
                    "ocsp": {
                        "issuer": "root",
                        "validity": long,
                        "extensions": [
                            {
                                "id": "key_usage",
                                "critical": True,
                                "smart-value": {"schema": "key-usage", "params": ["digital_signature"]},
                            },
                            {"id": "extended_key_usage", "critical": True, "value": ["ocsp_signing"]},
                            {"id": "ocsp_no_check"},
                        ],
                    },
                },
                "services": {
                    "ocsp": {"root": {"for-issuer": "root", "responder-cert": "ocsp", "signing-key": "ocsp"}},
                    "crl-repo": {
                        "root": {
                            "for-issuer": "root",
                            "signing-key": "root",
                            "simulated-update-schedule": "P30D",
                        }
                    },
                    "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
                },
            }
        },
    }


@dataclass
class LoopbackPKI:
    folder: Path
    url: str  # http://127.0.0.1:PORT
    pkcs12: Path  # the signer's key and certificate, encrypted with `passphrase`
    passphrase: str
    root_pem: Path  # the root CA certificate: the trust anchor an auditor is given
    signer_not_after: dt.datetime
    _server: object = None
    _thread: object = None

    @property
    def tsa_url(self) -> str:
        return f"{self.url}/{ARCH}/tsa/tsa"

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


class _Late:
    """A WSGI application set once the server's port is known (the certificates name their URLs)."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


def pki_start(folder: Path, *, passphrase: str, signer_days: int = 30) -> LoopbackPKI:
    """Generate the keys and certificates in `folder` and serve the PKI's services on a free loopback port."""
    from certomancer.integrations.animator import Animator, AnimatorArchStore
    from certomancer.registry import CertomancerConfig
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from werkzeug.serving import make_server

    for name in ("root", "signer", "tsa", "ocsp"):
        _write_key(folder / f"{name}.key.pem")
    late = _Late()
    server = make_server("127.0.0.1", 0, late, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    config = CertomancerConfig(
        _config(now=now, signer_days=signer_days), key_search_dir=str(folder), external_url_prefix=url
    )
    arch = config.get_pki_arch(ARCH)
    late.app = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
    thread = threading.Thread(target=server.serve_forever, name="test-pki", daemon=True)
    thread.start()

    def cert(label):
        return x509.load_der_x509_certificate(arch.get_cert(label).dump())

    key = serialization.load_pem_private_key((folder / "signer.key.pem").read_bytes(), password=None)
    archive = pkcs12.serialize_key_and_certificates(
        b"vetted-test-signing",
        key,
        cert("signer"),
        [cert("root")],
        serialization.BestAvailableEncryption(passphrase.encode()),
    )
    (folder / "signer.p12").write_bytes(archive)
    (folder / "root.crt").write_bytes(cert("root").public_bytes(serialization.Encoding.PEM))
    return LoopbackPKI(
        folder=folder,
        url=url,
        pkcs12=folder / "signer.p12",
        passphrase=passphrase,
        root_pem=folder / "root.crt",
        signer_not_after=now + dt.timedelta(days=signer_days),
        _server=server,
        _thread=thread,
    )
