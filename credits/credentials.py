"""Open Badges 3.0 credentials as VC-JWT (JWS with EdDSA over Ed25519), with a Bitstring status list.

Why VC-JWT and not a Data Integrity proof: the JWS signs the exact UTF-8 bytes of the credential, so
Chinese text survives byte for byte and a verifier needs no JSON-LD canonicalisation or context documents
(nothing to fetch, nothing to bundle). The payload is the credential itself (VC-JOSE-COSE, ``typ: vc+jwt``).

Key: ``CREDENTIAL_SIGNING_KEY`` (setting or environment; PEM of an Ed25519 private key, or base64 of the
32 raw private bytes) in production. In development and tests a key is generated once into
``var/credential-signing-key.pem`` (mode 0600). Production refuses to run without the configured key.
"""

import base64
import datetime
import gzip
import json
import os
import uuid
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction

STATUS_LIST_SIZE = 131072  # bits per status list (16 KB, the minimum the Bitstring Status List spec asks for)
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def site_url() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def issuer_id() -> str:
    return f"{site_url()}/credits/issuer.json"


def key_id() -> str:
    return f"{site_url()}/credits/keys/ed25519.json"


# --- keys ----------------------------------------------------------------------------------------------


def _key_path() -> Path:
    return Path(getattr(settings, "CREDENTIAL_KEY_PATH", "") or Path(settings.BASE_DIR) / "var"
                / "credential-signing-key.pem")


@lru_cache(maxsize=4)
def _load_key(material: str, path: str):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if material:
        if "BEGIN" in material:
            return serialization.load_pem_private_key(material.encode(), password=None)
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(material))
    file = Path(path)
    if file.exists():
        return serialization.load_pem_private_key(file.read_bytes(), password=None)
    if "production" in os.environ.get("DJANGO_SETTINGS_MODULE", ""):
        raise ImproperlyConfigured("CREDENTIAL_SIGNING_KEY is required in production. 生产环境须配置签名密钥。")
    key = Ed25519PrivateKey.generate()
    file.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return key


def signing_key():
    material = getattr(settings, "CREDENTIAL_SIGNING_KEY", "") or os.environ.get("CREDENTIAL_SIGNING_KEY", "")
    return _load_key(material.strip(), str(_key_path()))


def public_key_bytes(key=None) -> bytes:
    from cryptography.hazmat.primitives import serialization

    key = key or signing_key()
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _base58btc(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def public_jwk() -> dict:
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(public_key_bytes()), "kid": key_id(), "alg": "EdDSA",
            "use": "sig"}


def public_key_document() -> dict:
    """The verification method: JWK and Multikey forms of the same public key."""
    return {
        "@context": ["https://www.w3.org/ns/cid/v1"],
        "id": key_id(),
        "type": "Multikey",
        "controller": issuer_id(),
        "publicKeyMultibase": "z" + _base58btc(b"\xed\x01" + public_key_bytes()),
        "publicKeyJwk": public_jwk(),
    }


def issuer_profile() -> dict:
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": issuer_id(),
        "type": ["Profile"],
        "name": "汴学·开封终身学习平台 学分银行 (Bianxue Kaifeng Credit Bank)",
        "url": site_url() + "/credits/",
        "description": "开封市教育局终身学习平台学分银行。Kaifeng lifelong-learning platform credit bank.",
        "verificationMethod": [public_key_document()],
    }


# --- JWS -----------------------------------------------------------------------------------------------


def jws_sign(payload: dict, *, typ: str = "vc+jwt", cty: str | None = "vc") -> str:
    header = {"alg": "EdDSA", "typ": typ, **({"cty": cty} if cty else {}), "kid": key_id()}
    signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "."
                     + b64url(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")))
    return signing_input + "." + b64url(signing_key().sign(signing_input.encode("ascii")))


class CredentialInvalid(Exception):
    pass


def jws_verify(token: str, *, public_key: bytes | None = None) -> dict:
    """Check the EdDSA signature with the platform's public key (or the one given); return the payload."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    parts = token.strip().split(".")
    if len(parts) != 3:
        raise CredentialInvalid("not a compact JWS (three parts expected)")
    try:
        header = json.loads(b64url_decode(parts[0]))
    except ValueError:
        raise CredentialInvalid("unreadable header")
    if header.get("alg") != "EdDSA":
        raise CredentialInvalid(f"unexpected algorithm {header.get('alg')!r}")
    key = Ed25519PublicKey.from_public_bytes(public_key or public_key_bytes())
    try:
        key.verify(b64url_decode(parts[2]), (parts[0] + "." + parts[1]).encode("ascii"))
    except (InvalidSignature, ValueError):
        raise CredentialInvalid("signature does not match: the credential was altered or not issued by this key")
    return json.loads(b64url_decode(parts[1]).decode("utf-8"))


# --- credentials ---------------------------------------------------------------------------------------

ACHIEVEMENT_TYPES = {
    "degree_course": "Course", "training": "Course", "x_certificate": "Certificate", "qualification": "License",
    "open_university": "Course", "community": "Course", "elderly": "Course", "competition": "Award",
    "other": "Achievement",
}


def _status_entry(index: int) -> dict:
    number = index // STATUS_LIST_SIZE + 1
    url = f"{site_url()}/credits/status/{number}/"
    return {"id": f"{url}#{index % STATUS_LIST_SIZE}", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": str(index % STATUS_LIST_SIZE),
            "statusListCredential": url}


def credential_payload(*, credential_id: uuid.UUID, outcome, status_index: int, issued: datetime.datetime) -> dict:
    account = outcome.account
    learner = account.learner
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id(), "type": ["Profile"], "name": "汴学·开封终身学习平台 学分银行"},
        "validFrom": issued.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": outcome.title,
        "credentialSubject": {
            "id": f"urn:bianxue:account:{account.number}",
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                            "identityHash": learner.name}],
            "creditsEarned": float(outcome.credits or 0),
            "activityEndDate": outcome.date.isoformat() + "T00:00:00Z",
            "achievement": {
                "id": f"{site_url()}/credits/achievements/{outcome.type}/{outcome.pk}",
                "type": ["Achievement"],
                "achievementType": ACHIEVEMENT_TYPES.get(outcome.type, "Achievement"),
                "name": outcome.title,
                "description": f"{outcome.get_type_display()} · {outcome.institution.name}",
                "criteria": {"narrative": "经汴学学分银行认证的学习成果。A learning outcome certified by the "
                                          "Bianxue credit bank."},
                "creditsAvailable": float(outcome.credits or 0),
                **({"fieldOfStudy": outcome.certificate.name} if outcome.certificate_id else {}),
            },
        },
        "credentialStatus": _status_entry(status_index),
    }


def credential_issue(*, outcome):
    """The credential of a certified outcome (one per outcome; issued on first request)."""
    from .models import Credential, OutcomeStatus

    existing = Credential.objects.filter(outcome=outcome).first()
    if existing:
        return existing
    if outcome.status != OutcomeStatus.CERTIFIED:
        raise ValueError("only certified outcomes get a credential")
    from django.utils import timezone

    for _attempt in range(5):
        try:
            with transaction.atomic():
                last = Credential.objects.order_by("-status_index").values_list("status_index", flat=True).first()
                index = (last or 0) + 1
                cid = uuid.uuid4()
                payload = credential_payload(credential_id=cid, outcome=outcome, status_index=index,
                                             issued=timezone.now())
                return Credential.objects.create(id=cid, outcome=outcome, status_index=index,
                                                 jwt=jws_sign(payload))
        except IntegrityError:
            continue
    raise RuntimeError("could not allocate a status index")


def status_list_bits(number: int) -> bytearray:
    """The revocation bitstring of list ``number``: bit i set when credential i's outcome is revoked."""
    from .models import Credential, OutcomeStatus

    bits = bytearray(STATUS_LIST_SIZE // 8)
    lo = (number - 1) * STATUS_LIST_SIZE
    revoked = Credential.objects.filter(status_index__gte=lo, status_index__lt=lo + STATUS_LIST_SIZE,
                                        outcome__status=OutcomeStatus.REVOKED).values_list("status_index", flat=True)
    for index in revoked:
        i = index - lo
        bits[i // 8] |= 0x80 >> (i % 8)  # left-most bit is index 0, as the spec says
    return bits


def status_list_credential(number: int) -> str:
    url = f"{site_url()}/credits/status/{number}/"
    encoded = "u" + b64url(gzip.compress(bytes(status_list_bits(number)), mtime=0))
    from django.utils import timezone

    payload = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {"id": url + "#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                              "encodedList": encoded},
    }
    return jws_sign(payload)


def status_bit_from_list(list_jwt: str, index: int, *, public_key: bytes | None = None) -> bool:
    payload = jws_verify(list_jwt, public_key=public_key)
    data = gzip.decompress(b64url_decode(payload["credentialSubject"]["encodedList"][1:]))
    return bool(data[index // 8] & (0x80 >> (index % 8)))


def credential_verify(token: str, *, public_key: bytes | None = None, check_status: bool = True) -> dict:
    """Verify signature and shape; with ``check_status`` read the revocation bit from this platform's data.

    Returns {"valid": bool, "revoked": bool | None, "credential": payload}. Raises CredentialInvalid on tampering.
    """
    payload = jws_verify(token, public_key=public_key)
    types = payload.get("type", [])
    if "VerifiableCredential" not in types or "OpenBadgeCredential" not in types:
        raise CredentialInvalid("not an OpenBadgeCredential")
    if "AchievementSubject" not in payload.get("credentialSubject", {}).get("type", []):
        raise CredentialInvalid("credentialSubject is not an AchievementSubject")
    revoked = None
    if check_status:
        status = payload.get("credentialStatus", {})
        number = int(status["statusListCredential"].rstrip("/").rsplit("/", 1)[1])
        index = int(status["statusListIndex"])
        bits = status_list_bits(number)
        revoked = bool(bits[index // 8] & (0x80 >> (index % 8)))
    return {"valid": not revoked, "revoked": revoked, "credential": payload}
