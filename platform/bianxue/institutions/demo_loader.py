"""Demo districts, institutions, certificates and majors."""

from . import demo
from .services import certificate_upsert, district_upsert, institution_upsert, major_upsert


def load(*, stdout) -> None:
    for code, name, kind in demo.DISTRICTS:
        district_upsert(code=code, name=name, kind=kind)
    for code, name, type_, district, quality, parent in demo.INSTITUTIONS:
        institution_upsert(code=code, name=name, type=type_, district_code=district,
                           quality_vocational=quality, parent_code=parent)
    for district, name in demo.COMMUNITY_COLLEGE_NAMES.items():
        institution_upsert(code=f"KF-CC-{district}", name=name, type="community_college",
                           district_code=district, parent_code="KF-CU")
    for district, name in demo.ELDERLY_CENTER_NAMES.items():
        institution_upsert(code=f"KF-EC-{district}", name=name, type="elderly_center",
                           district_code=district, parent_code="KF-EU")
    for code, name, issuer in demo.CERTIFICATES:
        certificate_upsert(code=code, name=name, issuer=issuer)
    for inst, code, name, certs in demo.MAJORS:
        major_upsert(institution_code=inst, code=code, name=name, cert_codes=certs)
    stdout.write(f"  districts {len(demo.DISTRICTS)}, institutions {len(demo.INSTITUTIONS) + 18}, "
                 f"certificates {len(demo.CERTIFICATES)}, majors {len(demo.MAJORS)}")
