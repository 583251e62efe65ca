"""Verify an Open Badges 3.0 credential (VC-JWT) offline with the platform's public key."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from credits.credentials import CredentialInvalid, b64url_decode, credential_verify, status_bit_from_list


class Command(BaseCommand):
    help = "Verify a credential file (.jwt or JSON with a 'jwt' field). 校验数字徽章。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--jwk", help="public key as a JWK JSON file (default: this platform's key)")
        parser.add_argument("--status-list", help="a downloaded status list credential (.jwt) to check revocation")
        parser.add_argument("--no-status", action="store_true", help="skip the revocation check")

    def handle(self, *args, file, jwk=None, status_list=None, no_status=False, **options):
        text = Path(file).read_text(encoding="utf-8").strip()
        if text.startswith("{"):
            text = json.loads(text)["jwt"]
        public_key = b64url_decode(json.loads(Path(jwk).read_text())["x"]) if jwk else None
        try:
            result = credential_verify(text, public_key=public_key,
                                       check_status=not (no_status or status_list))
        except CredentialInvalid as exc:
            self.stdout.write(f"INVALID: {exc}. 凭证无效（可能被篡改）。")
            sys.exit(1)
        payload = result["credential"]
        if status_list:
            index = int(payload["credentialStatus"]["statusListIndex"])
            result["revoked"] = status_bit_from_list(Path(status_list).read_text().strip(), index,
                                                     public_key=public_key)
        subject = payload["credentialSubject"]
        self.stdout.write(f"signature OK · {payload['id']}")
        self.stdout.write(f"achievement: {subject['achievement']['name']} · credits {subject.get('creditsEarned')}")
        self.stdout.write(f"subject: {subject.get('id')}")
        if result["revoked"]:
            self.stdout.write("REVOKED: the outcome of this credential was revoked. 该成果已撤销。")
            sys.exit(2)
        state = "not checked" if result["revoked"] is None else "not revoked"
        self.stdout.write(f"VALID ({state}). 凭证有效。")
